"""Fuzzing the export with WooCommerce orders of odd shapes, against the Fortnox simulator.

Missing fields, null and negative prices, negative and zero quantities, zero-priced items, a
hundred line items, emoji names, 300-character addresses, totals that don't add up. Whatever
the order looks like, the export either books it with the shop's total to the öre, or stops
with a failure the owner can read (a message, a hint, an entry on the dashboard) and that is
not retried in vain. An internal error (a TypeError, say) counts as a crash.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck
from hypothesis import event
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from sidecar import crypto
from sidecar.config import Config
from sidecar.db import bind_database
from sidecar.migrate import upgrade
from sidecar.models import ActivityEntry
from sidecar.models import Shop
from sidecar.sync.orders.export import export_order
from sidecar.sync.orders.export_errors import ExportFailed
from sidecar.sync.orders.woo_order import parse_order
from tests.sync.systems import Systems
from tests.sync.systems import before_round_off
from tests.sync.systems import running_systems

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
EXAMPLES = settings(max_examples=2000, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# "TypeError: ..." is how an unforeseen exception reaches the owner: a crash, not an answer.
INTERNAL_ERROR = re.compile(r"^[A-Z]\w*(Error|Exception)\b")
ORDER_IDS = itertools.count(1000)
TAX_RATES = {1: ("25", ""), 2: ("12", "reduced-rate"), 3: ("6", "super-reduced-rate"),
             4: ("0", "zero-rate")}
# Kept few, so most examples reuse a Fortnox customer instead of making one each.
EMAILS = ("anna@example.test", "bo@example.test", "ceo@företag.example")
KNOWN_SKUS = ("MUG", "BEANS")

names = st.one_of(st.sampled_from(["☕ Kaffe 🫘", "Åäö" * 90, "", " ", "Kaffe & <b>te</b>"]),
                  st.text(max_size=60))
long_text = st.one_of(st.text(max_size=300), st.just("Storgatan 12 " * 23))
money = st.decimals(min_value=Decimal("-1000"), max_value=Decimal("100000"), places=2,
                    allow_nan=False, allow_infinity=False)
odd_amount = st.one_of(money.map(str), st.none(), st.just(""), st.just("abc"), money.map(float),
                       st.integers(-10, 10**9))
# Built once (making strategies per draw costs more than the export). Mostly sane values,
# so that many orders reach Fortnox; the odd ones still turn up in every run.
odd_quantities = st.one_of(st.integers(-3, 0), st.none(), st.just("2"),
                           st.floats(-2, 5, allow_nan=False))
sane_quantities = st.integers(1, 20)
sane_prices = st.decimals(min_value=0, max_value=Decimal(5000), places=2)
odds = st.integers(0, 9)  # a value is odd when this draws 0
rate_ids = st.sampled_from(sorted(TAX_RATES))
product_ids = st.integers(0, 50)
skus = st.one_of(st.sampled_from(KNOWN_SKUS), st.text(max_size=30), st.none())
unit_prices = st.one_of(st.none(), money.map(float))
coin = st.booleans()
spoiled_fields = st.sampled_from([0, 0, 0, 1, 2])


@dataclass
class Rig:
    systems: Systems
    shop: Shop


@pytest.fixture(scope="module", name="rig")
def _rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    """One shop on SQLite and one pair of simulators for all examples."""
    config = Config.for_tests(Path(tmp_path_factory.mktemp("order-fuzz")))
    crypto.configure(config.secret_key)
    database = bind_database(config.database_url)
    with database.connection_context():
        upgrade(database)
        shop = Shop.create(name="Fuzzbutiken", slug="fuzz")
        with running_systems(shop) as systems:
            with systems.fortnox_state.lock:
                for sku in KNOWN_SKUS:
                    systems.fortnox_state.create_article({"ArticleNumber": sku,
                                                          "Description": sku})
            yield Rig(systems, Shop.get_by_id(shop.id))



@st.composite
def line_items(draw: st.DrawFn, count: int) -> list[dict[str, Any]]:
    """`count` lines; a long order repeats a few drawn lines (drawing 100 costs too much)."""
    items = []
    for index in range(min(count, 5)):
        rate_id = draw(rate_ids)
        net = draw(money if draw(odds) == 0 else sane_prices)
        quantity = draw(odd_quantities if draw(odds) == 0 else sane_quantities)
        tax = (net * Decimal(TAX_RATES[rate_id][0]) / 100).quantize(Decimal("0.01"))
        item: dict[str, Any] = {
            "id": index + 1, "name": draw(names), "product_id": draw(product_ids),
            "variation_id": 0, "quantity": quantity, "tax_class": TAX_RATES[rate_id][1],
            "subtotal": str(net), "subtotal_tax": str(tax), "total": str(net),
            "total_tax": str(tax), "taxes": [{"id": rate_id, "total": str(tax),
                                              "subtotal": str(tax)}],
            "meta_data": [], "sku": draw(skus), "price": draw(unit_prices),
        }
        if draw(coin) and draw(coin) and draw(coin):  # now and then, an odd value or a gap
            key = draw(st.sampled_from(sorted(item)))
            if draw(coin):
                del item[key]
            else:
                item[key] = draw(odd_amount)
        items.append(item)
    for index in range(len(items), count):
        items.append({**items[index % len(items)], "id": index + 1})
    return items


def address(draw: st.DrawFn, *, email: bool) -> dict[str, Any]:
    fields = {"first_name": draw(names), "last_name": draw(names), "company": draw(
        st.one_of(st.just(""), names)), "address_1": draw(long_text), "address_2": draw(
        long_text), "city": draw(names), "postcode": draw(st.text(max_size=12)),
        "country": draw(st.sampled_from(["SE", "DE", "US", "", "XX", "se"])),
        "phone": draw(st.text(max_size=30))}
    if email:
        fields["email"] = draw(st.one_of(st.sampled_from(EMAILS), st.text(max_size=40)))
    return fields


@st.composite
def odd_orders(draw: st.DrawFn) -> dict[str, Any]:
    items = draw(line_items(draw(st.one_of(st.integers(0, 4), st.just(100)))))
    shipping = draw(money)
    shipping_tax = (shipping * Decimal("0.25")).quantize(Decimal("0.01"))

    def amount(item: dict[str, Any], key: str) -> Decimal:
        try:
            return Decimal(str(item.get(key) or 0))
        except ArithmeticError:
            return Decimal(0)
    vat_by_rate_id = dict.fromkeys(TAX_RATES, Decimal(0))
    for item in items:
        taxes = item.get("taxes")
        rate_id = taxes[0]["id"] if isinstance(taxes, list) and taxes else 1
        vat_by_rate_id[rate_id] += amount(item, "total_tax")
    fees = draw(st.sampled_from([[], [{"id": 1, "name": "Avgift 💳", "total": "10.00",
                                       "total_tax": "2.50", "tax_class": "",
                                       "taxes": [{"id": 1, "total": "2.50"}]}]]))
    vat_by_rate_id[1] += sum((amount(fee, "total_tax") for fee in fees), Decimal(0))
    vat = sum(vat_by_rate_id.values(), Decimal(0)) + shipping_tax
    net = sum((amount(i, "total") for i in items + fees), Decimal(0)) + shipping
    total = net + vat
    order: dict[str, Any] = {
        "id": next(ORDER_IDS), "parent_id": 0, "number": draw(st.one_of(st.text(max_size=10),
                                                                     st.none())),
        "status": draw(st.sampled_from(["processing", "processing", "completed", "pending"])),
        "currency": draw(st.sampled_from(["SEK", "SEK", "EUR", "", "ZZZ"])),
        "prices_include_tax": draw(st.booleans()),
        "date_created_gmt": "2026-03-01T09:00:00", "date_modified_gmt": "2026-03-01T09:00:00",
        "date_paid_gmt": draw(st.one_of(st.none(), st.just("2026-03-01T09:01:00"))),
        "discount_total": "0.00", "shipping_total": str(shipping),
        "shipping_tax": str(shipping_tax),
        "total": str(draw(st.one_of(st.just(total), money))),
        "total_tax": str(vat), "customer_id": 0,
        "billing": address(draw, email=True), "shipping": address(draw, email=False),
        "payment_method": draw(st.sampled_from(["bacs", "klarna", "", "🤑"])),
        "payment_method_title": draw(names), "customer_note": draw(long_text),
        "meta_data": [], "line_items": items,
        "tax_lines": [{"id": 10 + rate_id, "rate_id": rate_id, "rate_code": f"SE-{rate}",
                       "label": f"Moms {rate}%", "compound": False,
                       "rate_percent": int(rate), "tax_total": str(vat_by_rate_id[rate_id]),
                       "shipping_tax_total": str(shipping_tax if rate_id == 1 else 0)}
                      for rate_id, (rate, _) in TAX_RATES.items()],
        "shipping_lines": [{"id": 1, "method_id": "flat_rate", "method_title": draw(names),
                            "total": str(shipping), "total_tax": str(shipping_tax),
                            "taxes": [{"id": 1, "total": str(shipping_tax)}]}],
        "fee_lines": fees,
        "coupon_lines": [], "refunds": [],
    }
    for _ in range(draw(spoiled_fields)):  # drop or spoil a top-level field now and then
        key = draw(st.sampled_from(sorted(order)))
        if key == "id":
            continue
        if draw(st.booleans()):
            del order[key]
        else:
            order[key] = draw(st.one_of(odd_amount, st.just([]), st.just({})))
    return order


@EXAMPLES
@given(order=odd_orders())
def test_an_odd_order_is_booked_correctly_or_fails_in_words(rig: Rig,
                                                            order: dict[str, Any]) -> None:
    settings_ = rig.systems.settings(rig.shop, document_mode="invoice")
    try:
        note = export_order(rig.shop, order, fortnox=rig.systems.fortnox, woo=None,
                            settings=settings_, now=NOW, worker="fuzz", facts=rig.systems.facts)
    except ExportFailed as failure:
        event("failed in words")
        assert failure.message.strip() and failure.hint.strip()
        assert not INTERNAL_ERROR.match(failure.message), failure.message
        assert not failure.retryable, failure.message  # nothing here gets better by retrying
        logged = ActivityEntry.select().where(ActivityEntry.woo_order_id == order["id"])
        assert any(failure.message in entry.message for entry in logged)
        return
    event(note.split(":")[0])
    if not note.startswith("exported"):
        assert note.startswith("not exported: "), note
        return
    reference = f"wc-fuzz-{order['id']}"
    with rig.systems.fortnox_state.lock:
        booked = [i for i in rig.systems.invoices() if i["ExternalInvoiceReference1"] == reference]
    assert len(booked) == 1
    assert before_round_off(booked[0]) == parse_order(order).total
