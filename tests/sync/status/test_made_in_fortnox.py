"""The order status run learns what someone did to our documents in Fortnox: a cancelled
invoice or order, an invoice credited by hand. Both simulators over HTTP; the Fortnox user acts
through the simulator's GUI endpoints."""

from __future__ import annotations

import json

import pytest

from sidecar.models import ActivityEntry
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sync.orders import ledger as steps
from sidecar.sync.orders.fortnox_documents import documents_of
from tests.sync.status.test_order_status_sync import exported
from tests.sync.status.test_order_status_sync import place_orders
from tests.sync.status.test_order_status_sync import run
from tests.sync.two_sims import Sims
from tests.sync.two_sims import sim_servers_fixture  # noqa: F401 - fixture
from tests.sync.two_sims import sims_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def meta_documents(sims: Sims, woo_id: int) -> list[dict[str, object]]:
    meta = {m["key"]: m["value"] for m in sims.woo().get_order(woo_id)["meta_data"]}
    return list(json.loads(str(meta.get("fortnox_documents") or "[]")))


def credited_by_hand(shop: Shop, sims: Sims) -> tuple[int, str, str]:
    """An exported order whose invoice someone booked and credited in Fortnox:
    (Woo id, invoice, credit)."""
    [(woo_id, number)] = place_orders(sims)
    invoice = sims.fortnox_gui(f"orders/{number}/invoice")["InvoiceReference"]
    exported(shop, woo_id, number, invoice)
    sims.fortnox_gui(f"invoices/{invoice}/bookkeep")
    return woo_id, invoice, sims.fortnox_gui(f"invoices/{invoice}/credit")["DocumentNumber"]


def test_an_invoice_credited_by_hand_shows_as_its_credit_on_the_order(
        shop: Shop, sims: Sims) -> None:
    woo_id, invoice, credit = credited_by_hand(shop, sims)

    counts = run(shop, sims)
    again = run(shop, sims)

    assert (counts["learnt"], again["learnt"]) == (1, 0)
    assert meta_documents(sims, woo_id)[-1] == {
        "type": "credit_invoice", "number": credit, "invoice": invoice, "by_hand": True}
    told = ActivityEntry.get(ActivityEntry.message.contains("made in Fortnox"))
    assert told.woo_order_id == woo_id


def test_a_cancelled_invoice_and_order_show_as_cancelled_in_fortnox(
        shop: Shop, sims: Sims) -> None:
    (first, first_number), (second, second_number) = place_orders(sims, 2)
    invoice = sims.fortnox_gui(f"orders/{first_number}/invoice")["InvoiceReference"]
    exported(shop, first, first_number, invoice)
    exported(shop, second, second_number)
    sims.fortnox_gui(f"invoices/{invoice}/cancel")
    sims.fortnox_gui(f"orders/{second_number}/cancel")

    run(shop, sims)

    invoice_row = OrderLedger.get(OrderLedger.woo_order_id == first)
    order_row = OrderLedger.get(OrderLedger.woo_order_id == second)
    assert [(d.type, d.cancelled) for d in documents_of(invoice_row)] == [
        ("order", False), ("invoice", True)]
    assert [(d.type, d.cancelled) for d in documents_of(order_row)] == [("order", True)]
    assert {"type": "invoice", "number": invoice, "cancelled": True} in meta_documents(
        sims, first)


def test_credits_the_sidecar_made_are_not_taken_for_credits_by_hand(
        shop: Shop, sims: Sims) -> None:
    _, _, credit = credited_by_hand(shop, sims)
    row = OrderLedger.get()
    steps.record(row, "credit:77", "done", row.updated_at, number=credit)

    assert run(shop, sims)["learnt"] == 0
