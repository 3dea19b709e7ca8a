"""`export_order` against both simulators over HTTP: documents made once, numbers written back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from decimal import Decimal

import pytest
from peewee import Database

from sidecar.models import ActivityEntry
from sidecar.models import CustomerLink
from sidecar.models import InboxEntry
from sidecar.models import OrderLedger
from sidecar.models import OrderStep
from sidecar.models import Shop
from sidecar.sync.orders import ledger as steps
from sidecar.sync.orders.export import export_order
from sidecar.sync.orders.export_errors import ExportFailed
from tests.sync.systems import BILLING
from tests.sync.systems import Systems
from tests.sync.systems import before_round_off
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


def export(systems: Systems, shop: Shop, order: dict, worker: str = "w1", **settings) -> str:
    return export_order(Shop.get_by_id(shop.id), order, fortnox=systems.fortnox,
                        woo=systems.woo, settings=systems.settings(shop, **settings), now=NOW,
                        worker=worker, facts=systems.facts)


def test_an_order_becomes_one_invoice_with_the_shops_total_and_its_number_goes_back(
        systems: Systems, shop: Shop) -> None:
    mug, beans = systems.products(("MUG", "149.00", ""), ("BEANS", "79.00", "reduced-rate"))
    order = systems.place([(mug, 2), (beans, 1)])

    note = export(systems, shop, order)

    (invoice,) = systems.invoices()
    assert note == f"exported: invoice {invoice['DocumentNumber']}"
    assert before_round_off(invoice) == systems.store.get_order(order["id"])["totals"]["total"]
    assert invoice["ExternalInvoiceReference1"] == f"wc-testbutiken-{order['id']}"
    row = OrderLedger.get(OrderLedger.woo_order_id == order["id"])
    assert (row.state, row.fortnox_invoice_number) == ("exported", invoice["DocumentNumber"])
    meta = {m["key"]: m["value"] for m in systems.woo.get_order(order["id"])["meta_data"]}
    assert meta["fortnox_invoice_number"] == invoice["DocumentNumber"]
    assert meta["fortnox_status"] == "exported"
    # our own meta write comes back as order.updated of a version the inbox already has
    assert InboxEntry.select().where(InboxEntry.resource_id == order["id"],
                                     InboxEntry.status == "done").count() == 1


def test_a_redelivered_order_costs_no_fortnox_request_and_makes_nothing_new(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 1)])
    export(systems, shop, order)
    calls = systems.calls()

    assert export(systems, shop, systems.woo.get_order(order["id"])) == "nothing to do"
    assert systems.calls() == calls
    assert len(systems.invoices()) == 1


def test_a_create_whose_answer_was_lost_is_found_and_adopted_not_made_again(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 1)])
    systems.knobs(create_timeout_probability=1.0)  # every create commits, then its answer is lost

    export(systems, shop, order, document_mode="order_then_invoice")

    assert len(systems.orders()) == len(systems.invoices()) == 1
    row = OrderLedger.get(OrderLedger.woo_order_id == order["id"])
    assert row.fortnox_invoice_number == systems.invoices()[0]["DocumentNumber"]
    states = [(s.step, s.state) for s in OrderStep.select().order_by(OrderStep.id)]
    assert ("order", "unknown") in states and ("createinvoice", "unknown") in states
    assert states.count(("order", "done")) == states.count(("createinvoice", "done")) == 1


def test_a_step_left_started_by_a_crash_is_searched_for_before_anything_is_created(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 1)])
    export(systems, shop, order)  # the invoice exists in Fortnox ...
    row = OrderLedger.get(OrderLedger.woo_order_id == order["id"])
    made = row.fortnox_invoice_number
    # ... but the process died after sending it: the ledger only knows the request started
    OrderStep.delete().where(OrderStep.step == "invoice").execute()
    steps.save(row, NOW, state="exporting", fortnox_invoice_number=None)
    steps.begin(row, steps.INVOICE, NOW, {})

    export(systems, shop, systems.woo.get_order(order["id"]))

    assert len(systems.invoices()) == 1
    assert OrderLedger.get_by_id(row.id).fortnox_invoice_number == made


def test_two_workers_never_export_the_same_order_at_once(systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 1)])
    row = steps.ledger_for(shop, order["id"], f"wc-testbutiken-{order['id']}")
    assert steps.claim(row, worker="other", now=NOW)

    with pytest.raises(steps.OrderBusy) as busy:
        export(systems, shop, order, worker="me")
    assert systems.invoices() == []
    # looked at again before the other worker's claim ends: exports are usually quicker
    assert busy.value.wait_until == NOW + steps.RECHECK_BUSY < NOW + steps.CLAIM_FOR


def test_a_returning_customer_costs_no_customer_request_and_a_changed_one_costs_one_update(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    export(systems, shop, systems.place([(mug, 1)]))
    customers = len(systems.fortnox_state.customers)
    calls = systems.calls()

    export(systems, shop, systems.place([(mug, 3)]))
    assert systems.calls() - calls == 1  # the invoice only
    export(systems, shop, systems.place([(mug, 1)], billing={**BILLING, "city": "Lund"}))
    assert systems.calls() - calls == 3  # one update, one invoice
    assert len(systems.fortnox_state.customers) == customers == 1
    assert CustomerLink.get().data_hash != ""


def test_order_mode_with_bookkeeping_and_payment_runs_every_step_once(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 1)], set_paid=True)

    export(systems, shop, order, document_mode="order_then_invoice", bookkeep_invoice=True,
           register_payment=True, mode_of_payment="KORT")

    (invoice,) = systems.invoices()
    row = OrderLedger.get(OrderLedger.woo_order_id == order["id"])
    assert row.invoice_bookkept and invoice["Booked"] is True
    assert row.payment_number and invoice["Balance"] == 0


def test_an_unknown_article_stops_the_export_with_a_hint_the_owner_can_act_on(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG-9", "149.00", ""))
    order = systems.place([(mug, 1)])

    with pytest.raises(ExportFailed) as failed:
        export(systems, shop, order, unknown_article="stop")

    assert failed.value.retryable is False
    entry = ActivityEntry.get(ActivityEntry.woo_order_id == order["id"])
    assert "MUG-9" in entry.message and entry.level == "error"
    assert OrderLedger.get(OrderLedger.woo_order_id == order["id"]).state == "failed"
    assert systems.invoices() == []


def test_missing_articles_are_created_when_the_owner_chose_so(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG-7", "149.00", ""))
    export(systems, shop, systems.place([(mug, 1)]), unknown_article="create_article")

    assert "MUG-7" in systems.fortnox_state.articles
    assert systems.invoices()[0]["InvoiceRows"][0]["ArticleNumber"] == "MUG-7"


def test_an_order_not_eligible_is_skipped_with_the_reason(systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 1)], status="on-hold")
    calls = systems.calls()

    assert export(systems, shop, order).startswith("not exported: status 'on-hold'")
    assert systems.calls() == calls


def test_the_ledger_keeps_what_the_order_list_shows_and_searches(systems: Systems,
                                                                  shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 1)])

    export(systems, shop, order)

    row = OrderLedger.get(OrderLedger.woo_order_id == order["id"])
    assert (row.order_number, row.customer_email, row.placed_on) == (
        str(order["number"]), BILLING["email"], order["date_created"][:19])
    assert row.customer_name == f"{BILLING['first_name']} {BILLING['last_name']}"
    assert (row.woo_total, row.currency) == (Decimal(order["total"]), order["currency"])
