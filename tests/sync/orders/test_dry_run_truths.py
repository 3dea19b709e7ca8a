"""The dry run tells the truth: an exported order says so with its documents, Fortnox not
answering is said as such (never as articles missing), and without WooCommerce's REST keys the
order is read from the last delivery, as the export itself works."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from peewee import Database

from sidecar.config import Config
from sidecar.jobs.order_export import CommandError
from sidecar.jobs.order_export import dry_run_order
from sidecar.models import InboxEntry
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sync.orders.dry_run import dry_run
from tests.sync.systems import Systems
from tests.sync.systems import running_systems


@pytest.fixture(name="shop")
def _shop(sqlite_database: Database) -> Shop:
    """A shop on the test SQLite database, without WooCommerce REST keys."""
    return Shop.create(name="Testbutiken", slug="testbutiken")


@pytest.fixture(name="systems")
def _systems(shop: Shop) -> Iterator[Systems]:
    """Fortnox and WooCommerce simulators with clients aimed at them."""
    with running_systems(shop) as systems:
        yield systems


def test_an_exported_order_is_said_to_be_exported_with_its_documents(systems: Systems,
                                                                     shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 1)])
    OrderLedger.create(shop=shop, woo_order_id=order["id"], external_key="k", state="exported",
                       fortnox_order_number="7", fortnox_invoice_number="12")

    result = dry_run(shop, order, settings=systems.settings(shop), facts=None)

    assert str(result["exported"]) == "Already exported as order 7 and invoice 12."


def test_fortnox_not_answering_is_not_called_a_missing_article(systems: Systems,
                                                               shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 1)])

    result = dry_run(shop, order, settings=systems.settings(shop, unknown_article="stop"),
                     facts=None, unread="Fortnox did not answer in time")

    assert result["stopped"] == ""  # "stop" would have stopped on a missing article
    assert [str(w) for w in result["warnings"]] == [
        "Fortnox could not be reached (Fortnox did not answer in time), so whether each SKU "
        "is an article in Fortnox is not known; the rows are shown without an article."]
    assert str(result["rows"][0]["vat_reason"]) == "tax rate 25 % on the line"


def test_without_rest_keys_the_order_is_read_from_the_last_delivery(
        systems: Systems, shop: Shop, tmp_path: Path) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 1)])
    Shop.update(woo_url="", woo_consumer_key="", woo_consumer_secret="").execute()
    shop = Shop.get_by_id(shop.id)
    InboxEntry.create(shop=shop, topic="order.created", resource_id=order["id"],
                      dedupe_key="d1", body=json.dumps(order).encode(), status="done")

    result = dry_run_order(shop.slug, order["id"], Config.for_tests(tmp_path))

    assert result["order"] == order["id"]
    assert "from the last delivery WooCommerce sent" in str(result["warnings"][0])
    with pytest.raises(CommandError):  # nothing delivered: the missing keys are the answer
        dry_run_order(shop.slug, order["id"] + 1000, Config.for_tests(tmp_path))
