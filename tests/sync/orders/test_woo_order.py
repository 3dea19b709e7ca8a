"""Reading a WooCommerce order: shapes WooCommerce would never send are refused in words."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from peewee import Database

from sidecar.models import ActivityEntry
from sidecar.models import Shop
from sidecar.sync.orders.export import export_order
from sidecar.sync.orders.export_errors import ExportFailed
from sidecar.sync.orders.fortnox_facts import FortnoxFactsCache
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import OrderNotMappable
from sidecar.sync.orders.woo_order import parse_order
from tests.sync.shop import fixture_order


def spoiled(change: dict[str, Any], item: dict[str, Any] | None = None) -> dict[str, Any]:
    body = fixture_order("019-order-updated-24.body")
    body["line_items"][0].update(item or {})
    body.update(change)
    return body


@pytest.mark.parametrize(("body", "words"), [
    (spoiled({"line_items": "abc"}), "line_items is not a list of objects: 'abc'"),
    (spoiled({"tax_lines": [1, 2]}), "tax_lines is not a list of objects"),
    (spoiled({}, {"taxes": {"id": 1}}), "item line 1: taxes is not a list of objects"),
    (spoiled({}, {"product_id": 1.5}), "item line 1: product_id is not a whole number: 1.5"),
    (spoiled({}, {"product_id": "¹"}), "item line 1: product_id is not a whole number: '¹'"),
    (spoiled({}, {"quantity": "two"}), "item line 1: quantity is not an amount: 'two'"),
    (spoiled({}, {"total": True}), "item line 1: total is not an amount: True"),
    (spoiled({"total": {}}), "the order total is not an amount: {}"),
    (spoiled({"currency": "1000"}), "the order's currency '1000' is not a currency code"),
    (spoiled({"id": None}), "the order has no id"),
    (spoiled({"refunds": "a"}), "refunds is not a list of objects: 'a'"),  # found by the fuzzer
    (spoiled({"refunds": [{"id": "x", "total": "-10"}]}), "refund 'x': id is not a whole number"),
    (spoiled({"refunds": [{"id": 7, "total": []}]}), "refund 7: total is not an amount: []"),
])
def test_an_order_of_an_impossible_shape_is_refused_naming_the_field(body: dict[str, Any],
                                                                     words: str) -> None:
    with pytest.raises(OrderNotMappable) as refused:
        parse_order(body)
    assert words in str(refused.value)


def test_text_fields_of_the_wrong_type_are_read_as_text_or_nothing() -> None:
    order = parse_order(spoiled({"customer_note": 42, "payment_method_title": ["x"],
                                 "billing": "nobody", "currency": " sek "}))
    assert (order.customer_note, order.payment_method_title) == ("42", "")
    assert order.billing.email == "" and order.currency == "SEK"


def test_an_unreadable_order_is_a_failure_in_words_even_without_a_usable_id(
        sqlite_database: Database) -> None:
    shop = Shop.create(name="Butiken", slug="butiken")
    settings = ExportSettings.from_values(shop.slug, {})

    with pytest.raises(ExportFailed) as failed:
        export_order(shop, {"id": "abc", "line_items": []},
                     fortnox=None, woo=None,  # type: ignore[arg-type] - never reached
                     settings=settings, now=datetime(2026, 3, 2, tzinfo=UTC), worker="w",
                     facts=FortnoxFactsCache())

    assert not failed.value.retryable
    assert "the order id is not a whole number: 'abc'" in failed.value.message
    assert ActivityEntry.get().message.startswith("Order abc could not be read")
