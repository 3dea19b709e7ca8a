"""Orders done or cancelled in Fortnox are completed or cancelled in WooCommerce: both
simulators over HTTP, SQLite. Fortnox users act through the simulator's GUI endpoints."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from sidecar.fields import utcnow
from sidecar.models import ActivityEntry
from sidecar.models import InboxEntry
from sidecar.models import OrderLedger
from sidecar.models import OrderStatusChange
from sidecar.models import Shop
from sidecar.sync.cursors import read_cursor
from sidecar.sync.status.order_status import CURSOR
from sidecar.sync.status.order_status import sync_order_status
from sidecar.sync.status.settings import OrderStatusSettings
from sidecar.woocommerce import WooClient
from tests.sync.two_sims import Sims
from tests.sync.two_sims import sim_servers_fixture  # noqa: F401 - fixture
from tests.sync.two_sims import sims_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def place_orders(sims: Sims, count: int = 1) -> list[tuple[int, str]]:
    """Woo orders (processing) and their Fortnox orders: (woo id, Fortnox number) pairs."""
    sims.article("MUG", "Mugg", price="100.00")
    sims.woo_product("MUG", "Mugg", regular_price="125.00")
    return [sims.place_order() for _ in range(count)]


def exported(shop: Shop, woo_id: int, fortnox_order: str | None = None,
             fortnox_invoice: str | None = None) -> None:
    OrderLedger.create(shop=shop, woo_order_id=woo_id, external_key=f"wc-shop-{woo_id}",
                       state="done", fortnox_order_number=fortnox_order,
                       fortnox_invoice_number=fortnox_invoice, exported_at=utcnow())


# Most tests here: the owner chose "Its invoice is created" (the default is safer: below).
INVOICE_CREATED = OrderStatusSettings(completed_when="invoice_created")


def run(shop: Shop, sims: Sims, **settings: Any) -> dict[str, int]:
    chosen = OrderStatusSettings(**{"completed_when": "invoice_created", **settings})
    return sync_order_status(shop, fortnox=sims.fortnox(), woo=sims.woo(), settings=chosen,
                             now=utcnow())


def woo_status(sims: Sims, woo_id: int) -> str:
    return str(sims.woo_sim.store.orders[woo_id]["status"])


def notes(sims: Sims, woo_id: int) -> list[str]:
    return [note["note"] for note in sims.woo_sim.store.notes[woo_id]]


def test_an_order_invoiced_in_fortnox_is_completed_in_the_shop_with_a_note(
    shop: Shop, sims: Sims
) -> None:
    [(woo_id, number)] = place_orders(sims)
    exported(shop, woo_id, number)
    sims.fortnox_gui(f"orders/{number}/invoice")

    counts = run(shop, sims)

    assert woo_status(sims, woo_id) == "completed"
    assert notes(sims, woo_id)[-1].startswith(f"Fortnox order {number} was invoiced")
    assert counts["completed"] == 1
    change = OrderStatusChange.get(OrderStatusChange.woo_order_id == woo_id)
    assert change.woo_status == "completed"
    # The order.updated delivery our write causes is already known: no export work.
    modified = sims.woo().get_order(woo_id)["date_modified_gmt"]
    assert InboxEntry.get(InboxEntry.dedupe_key == f"order:{woo_id}:{modified}").status == "done"


def test_an_order_cancelled_in_fortnox_is_cancelled_in_the_shop(shop: Shop, sims: Sims) -> None:
    [(woo_id, number)] = place_orders(sims)
    exported(shop, woo_id, number)
    sims.fortnox_gui(f"orders/{number}/cancel")

    counts = run(shop, sims)

    assert woo_status(sims, woo_id) == "cancelled"
    assert counts["cancelled"] == 1
    assert "was cancelled" in ActivityEntry.get(ActivityEntry.workflow == "order_status").message


def test_an_order_the_sidecar_did_not_export_is_left_alone(shop: Shop, sims: Sims) -> None:
    (ours, our_number), (theirs, their_number) = place_orders(sims, 2)
    exported(shop, ours, our_number)
    sims.fortnox_gui(f"orders/{their_number}/cancel")
    sims.fortnox_gui(f"orders/{our_number}/invoice")

    run(shop, sims)

    assert woo_status(sims, theirs) == "processing"
    assert woo_status(sims, ours) == "completed"
    assert not [w for w in sims.woo_writes() if f"/orders/{theirs}" in w]


def test_the_owners_rule_decides_when_an_order_is_done(shop: Shop, sims: Sims) -> None:
    [(woo_id, number)] = place_orders(sims)
    exported(shop, woo_id, number)
    sims.fortnox_gui(f"orders/{number}/deliver")

    after_delivery = run(shop, sims, completed_when="marked_done")
    status_after_delivery = woo_status(sims, woo_id)
    sims.fortnox_gui(f"orders/{number}/done")
    after_done = run(shop, sims, completed_when="marked_done")

    assert status_after_delivery == "processing" and after_delivery["unchanged"] == 1
    assert woo_status(sims, woo_id) == "completed" and after_done["completed"] == 1


def test_with_invoice_paid_the_order_completes_only_once_the_invoice_is_paid(
    shop: Shop, sims: Sims
) -> None:
    [(woo_id, number)] = place_orders(sims)
    exported(shop, woo_id, number)
    invoice = sims.fortnox_gui(f"orders/{number}/invoice")["InvoiceReference"]

    run(shop, sims, completed_when="invoice_paid")
    before_payment = woo_status(sims, woo_id)
    sims.fortnox_gui(f"invoices/{invoice}/payments")
    run(shop, sims, completed_when="invoice_paid")

    assert before_payment == "processing"
    assert woo_status(sims, woo_id) == "completed"
    assert notes(sims, woo_id)[-1].startswith(f"Fortnox invoice {invoice} is paid")


def test_an_order_is_never_moved_back_or_moved_twice(shop: Shop, sims: Sims) -> None:
    (done, done_number), (reopened, reopened_number) = place_orders(sims, 2)
    exported(shop, done, done_number)
    exported(shop, reopened, reopened_number)
    with sims.woo_sim.store.lock:
        sims.woo_sim.store.set_order_status(done, "completed")  # completed in the shop already
    sims.fortnox_gui(f"orders/{done_number}/cancel")
    sims.fortnox_gui(f"orders/{reopened_number}/invoice")
    first = run(shop, sims)
    with sims.woo_sim.store.lock:  # the owner reopens it on purpose
        sims.woo_sim.store.set_order_status(reopened, "processing")

    second = sync_order_status(shop, fortnox=sims.fortnox(), woo=sims.woo(),
                               settings=INVOICE_CREATED, now=utcnow() + timedelta(minutes=1))

    assert woo_status(sims, done) == "completed"
    assert woo_status(sims, reopened) == "processing"
    assert (first["already_final"], first["completed"]) == (1, 1)
    assert sum(second.values()) == 0


def test_an_invoice_only_export_completes_when_its_invoice_exists_if_the_owner_chose_so(
        shop: Shop, sims: Sims) -> None:
    [(woo_id, number)] = place_orders(sims)
    invoice = sims.fortnox_gui(f"orders/{number}/invoice")["InvoiceReference"]
    exported(shop, woo_id, fortnox_invoice=invoice)

    run(shop, sims, complete_orders=True)

    assert woo_status(sims, woo_id) == "completed"


def test_by_default_nothing_the_sidecar_did_itself_completes_an_order(
        shop: Shop, sims: Sims) -> None:
    (invoiced, invoiced_number), (only_invoice, other_number), (done, done_number) = \
        place_orders(sims, 3)
    exported(shop, invoiced, invoiced_number)
    invoice = sims.fortnox_gui(f"orders/{other_number}/invoice")["InvoiceReference"]
    exported(shop, only_invoice, fortnox_invoice=invoice)
    exported(shop, done, done_number)
    sims.fortnox_gui(f"orders/{invoiced_number}/invoice")  # invoiced, not done
    sims.fortnox_gui(f"orders/{done_number}/done")

    counts = sync_order_status(shop, fortnox=sims.fortnox(), woo=sims.woo(),
                               settings=OrderStatusSettings(), now=utcnow())

    assert woo_status(sims, invoiced) == woo_status(sims, only_invoice) == "processing"
    assert woo_status(sims, done) == "completed" and counts["completed"] == 1
    assert notes(sims, done)[-1].startswith(f"Fortnox order {done_number} was marked done")


def test_a_passing_failure_moves_the_cursor_on_and_the_order_is_tried_again_on_its_own(
    shop: Shop, sims: Sims
) -> None:
    (failing, failing_number), (other, other_number) = place_orders(sims, 2)  # other: unchanged
    exported(shop, failing, failing_number)
    exported(shop, other, other_number)
    sims.fortnox_gui(f"orders/{failing_number}/invoice")
    config = sims.woo_sim.config
    shop_down = WooClient(sims.woo_url, config.consumer_key, config.consumer_secret, retries=0)
    config.error_rates = {503: 1.0}
    # An hour on: by the next run, Fortnox no longer lists the order as changed.
    later = utcnow() + timedelta(hours=1)
    try:
        failed = sync_order_status(shop, fortnox=sims.fortnox(), woo=shop_down,
                                   settings=INVOICE_CREATED, now=later)
    finally:
        config.error_rates = {}
    marked = OrderLedger.get(OrderLedger.woo_order_id == failing).status_retry_at
    status_after_failure = woo_status(sims, failing)

    retried = sync_order_status(shop, fortnox=sims.fortnox(), woo=sims.woo(),
                                settings=INVOICE_CREATED, now=later + timedelta(hours=1))

    assert failed["failed"] == 1 and status_after_failure == "processing"
    assert read_cursor(shop, CURSOR) == later + timedelta(hours=1)
    assert marked == later
    assert retried == {"completed": 1, "cancelled": 0, "unchanged": 0, "already_final": 0,
                       "failed": 0, "learnt": 0}  # the other order is not read again
    assert woo_status(sims, failing) == "completed"
    assert OrderLedger.get(OrderLedger.woo_order_id == failing).status_retry_at is None
    # A passing failure waits for the next run (no owner needed), and clears itself then.
    error = ActivityEntry.get(ActivityEntry.woo_order_id == failing)
    assert error.level == "warning" and error.hint == "It is tried again on the next run."
    assert error.resolution == ["resolved.status_followed", {}]


def test_a_lasting_failure_is_not_retried_until_fortnox_changes_the_order_again(
    shop: Shop, sims: Sims
) -> None:
    [(woo_id, number)] = place_orders(sims)
    exported(shop, woo_id, number)
    OrderLedger.update(status_retry_at=utcnow()).execute()  # an earlier run failed passingly
    sims.fortnox_gui(f"orders/{number}/cancel")
    config = sims.woo_sim.config
    revoked_key = WooClient(sims.woo_url, config.consumer_key, "cs_revoked", retries=0)
    later = utcnow() + timedelta(hours=1)

    refused = sync_order_status(shop, fortnox=sims.fortnox(), woo=revoked_key,
                                settings=INVOICE_CREATED, now=later)
    next_run = sync_order_status(shop, fortnox=sims.fortnox(), woo=sims.woo(),
                                 settings=INVOICE_CREATED, now=later + timedelta(hours=1))

    assert refused["failed"] == 1
    assert OrderLedger.get(OrderLedger.woo_order_id == woo_id).status_retry_at is None
    assert sum(next_run.values()) == 0 and woo_status(sims, woo_id) == "processing"
    error = ActivityEntry.get(ActivityEntry.woo_order_id == woo_id)
    assert error.hint.startswith("Fix the cause")


def test_only_orders_that_can_move_are_read_in_full(shop: Shop, sims: Sims) -> None:
    placed = place_orders(sims, 6)  # all new in Fortnox: all changed since the cursor
    for woo_id, number in placed:
        exported(shop, woo_id, number)
    invoiced_number, cancelled_number = placed[0][1], placed[1][1]
    sims.fortnox_gui(f"orders/{invoiced_number}/invoice")
    sims.fortnox_gui(f"orders/{cancelled_number}/cancel")
    with sims.fortnox_state.lock:
        sims.fortnox_state.request_log.clear()

    counts = run(shop, sims)

    with sims.fortnox_state.lock:
        read = sorted(e["path"] for e in sims.fortnox_state.request_log
                      if e["path"].startswith("/3/orders/"))
    assert read == sorted([f"/3/orders/{invoiced_number}", f"/3/orders/{cancelled_number}"])
    assert (counts["completed"], counts["cancelled"]) == (1, 1)
    assert [woo_status(sims, woo_id) for woo_id, _ in placed] == [
        "completed", "cancelled", "processing", "processing", "processing", "processing"]
