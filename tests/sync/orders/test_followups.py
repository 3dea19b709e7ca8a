"""After export: a cancellation before invoicing, trash, the reconciliation sweep and the dry
run. Refunds and cancellations after invoicing are in test_refunds.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from peewee import Database

from sidecar.config import Config
from sidecar.models import ActivityEntry
from sidecar.models import InboxEntry
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sync.orders.dry_run import as_text
from sidecar.sync.orders.dry_run import dry_run
from sidecar.sync.orders.export import export_order
from sidecar.sync.reconcile.sweep import check_webhooks
from sidecar.sync.reconcile.sweep import sweep_orders
from tests.sync.systems import Systems
from tests.sync.systems import running_systems

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(name="shop")
def _shop(sqlite_database: Database) -> Shop:
    """A shop on the test SQLite database."""
    return Shop.create(name="Testbutiken", slug="testbutiken")


@pytest.fixture(name="systems")
def _systems(shop: Shop) -> Iterator[Systems]:
    """Fortnox and WooCommerce simulators with clients aimed at them."""
    with running_systems(shop) as systems:
        yield systems


def export(systems: Systems, shop: Shop, order_id: int, **settings) -> str:
    return export_order(Shop.get_by_id(shop.id), systems.woo.get_order(order_id),
                        fortnox=systems.fortnox, woo=systems.woo,
                        settings=systems.settings(shop, **settings), now=NOW, worker="w",
                        facts=systems.facts)


def test_a_cancelled_order_cancels_its_fortnox_order_when_not_invoiced(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 1)])
    export(systems, shop, order["id"], document_mode="order")
    systems.store.set_order_status(order["id"], "cancelled")

    export(systems, shop, order["id"], document_mode="order")

    assert systems.orders()[0]["Cancelled"] is True
    assert OrderLedger.get().state == "cancelled"
    meta = {m["key"]: m["value"] for m in systems.woo.get_order(order["id"])["meta_data"]}
    assert meta["fortnox_status"] == "cancelled"


def test_the_sweep_queues_an_order_whose_webhook_never_came_and_only_once(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    missed = systems.place([(mug, 1)])
    systems.place([(mug, 1)], status="on-hold")
    settings = systems.settings(shop)

    first = sweep_orders(shop, woo=systems.woo, settings=settings, now=NOW)
    again = sweep_orders(shop, woo=systems.woo, settings=settings, now=NOW)

    assert (first["seen"], first["queued"], again["queued"]) == (2, 1, 0)
    (entry,) = InboxEntry.select()
    assert (entry.topic, entry.resource_id) == ("order.updated", missed["id"])


def test_the_sweep_reactivates_our_disabled_webhook_and_alarms_while_there_is_none(
        systems: Systems, shop: Shop) -> None:
    assert check_webhooks(shop, woo=systems.woo, now=NOW) == {"webhooks_missing": 1}
    assert ActivityEntry.get().level == "error"
    hook = systems.store.create_webhook({
        "name": "Fortnox sidecar: order.updated", "topic": "order.updated", "secret": "s" * 20,
        "delivery_url": "http://127.0.0.1:9/webhooks/woocommerce"})
    systems.store.update_webhook(hook["id"], {"status": "disabled"})

    assert check_webhooks(shop, woo=systems.woo, now=NOW) == {"webhooks_reactivated": 1}
    assert systems.store.get_webhook(hook["id"])["status"] == "active"
    alarm = ActivityEntry.get(ActivityEntry.level == "error")
    assert alarm.resolved_at is not None  # the webhook is back: the alarm no longer holds


def test_a_dry_run_shows_payloads_and_row_decisions_and_sends_nothing(
        systems: Systems, shop: Shop) -> None:
    mug, book = systems.products(("MUG", "149.00", ""), ("BOOK", "299.00", "super-reduced-rate"))
    order = systems.place([(mug, 1), (book, 1)])
    calls = systems.calls()

    result = dry_run(shop, order, settings=systems.settings(shop), facts=None)

    assert systems.calls() == calls
    assert result["invoice_payload"]["ExternalInvoiceReference1"] == f"wc-testbutiken-{order['id']}"
    assert {(r["vat"], r["account"]) for r in result["rows"]} >= {(Decimal(25), 3001),
                                                                  (Decimal(6), 3003)}
    assert "account 3003" in as_text(result)
    assert result["customer"]["number"] == "(new customer)"


def test_trashing_an_exported_order_keeps_the_fortnox_documents_and_tells_the_owner(
        systems: Systems, shop: Shop, tmp_path: Path) -> None:
    from sidecar.jobs.order_export import handle_order_deleted

    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 1)])
    export(systems, shop, order["id"])
    entry = InboxEntry(shop=shop, topic="order.deleted", resource_id=order["id"])

    note = handle_order_deleted(shop, entry, {"id": order["id"]}, Config.for_tests(tmp_path))

    assert note.startswith("trashed; Fortnox invoice")
    assert systems.invoices()[0]["Cancelled"] is False
    assert ActivityEntry.get(ActivityEntry.woo_order_id == order["id"]).level == "warning"


def test_the_sweep_queues_a_refund_that_came_in_the_same_second_as_our_own_write(
        systems: Systems, shop: Shop) -> None:
    """The inbox keys an order's version by id and date_modified (whole seconds): a refund in
    the same second as our write back is that version again, so its delivery is a duplicate."""
    from sidecar.webhooks.intake import remember_own_write

    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 2)])
    export(systems, shop, order["id"])
    systems.store.refund_order(order["id"], line_items=[
        {"id": order["line_items"][0]["id"], "quantity": 1}], prefill=True)
    refunded = systems.woo.get_order(order["id"])
    remember_own_write(shop, "order", order["id"], refunded["date_modified_gmt"])
    settings = systems.settings(shop)

    first = sweep_orders(shop, woo=systems.woo, settings=settings, now=NOW)
    again = sweep_orders(shop, woo=systems.woo, settings=settings, now=NOW)

    assert (first["queued"], again["queued"]) == (1, 0)
    queued = InboxEntry.get(InboxEntry.dedupe_key.endswith(
        f":refunds-{refunded['refunds'][0]['id']}"))
    assert queued.status == "pending"
