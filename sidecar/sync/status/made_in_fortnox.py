"""What someone did in Fortnox to our documents: an order or invoice cancelled (makulerad), an
invoice credited by hand. Part of the order status run, which lists what Fortnox changed anyway.

Each fact goes on the order's ledger (`fortnox_cancelled`, `fortnox_credit`, see
sync/orders/fortnox_documents.py) and onto the WooCommerce order's meta, so the dashboard and
the plugin say what exists; a credit made by hand is also in the activity log (a cancellation
is there already when it cancels the shop's order). Costs: the run's invoice list is reused
for cancelled invoices; one list of cancelled orders and one of credit invoices changed since
the cursor, and one read per credit invoice not made by the sidecar (its InvoiceReference
names the invoice it credits).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sidecar import activity
from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxError
from sidecar.messages import msg
from sidecar.models import OrderLedger
from sidecar.models import OrderStep
from sidecar.models import Shop
from sidecar.sync.orders import ledger as steps
from sidecar.sync.orders.fortnox_documents import FORTNOX_CANCELLED
from sidecar.sync.orders.fortnox_documents import FORTNOX_CREDIT
from sidecar.sync.orders.woo_order import OrderNotMappable
from sidecar.sync.orders.woo_order import parse_order
from sidecar.sync.orders.writeback import write_back
from sidecar.sync.status.rules import flag
from sidecar.woocommerce import WooClient
from sidecar.woocommerce import WooError
from sidecar.woocommerce import WooNotFound

log = logging.getLogger(__name__)

CHUNK = 500


def learn_what_was_done(shop: Shop, *, fortnox: FortnoxClient, woo: WooClient,
                        changed_invoices: dict[str, dict[str, Any]], since: datetime,
                        now: datetime) -> int:
    """Record new facts about our documents; returns how many orders got one. A failure
    here never stops the status run: it is logged, and what was recorded stays."""
    learnt: dict[int, OrderLedger] = {}
    try:
        _learn(shop, fortnox, changed_invoices, since, now, learnt)
    except FortnoxError as exc:
        log.warning("order_status.learn_failed shop=%s error=%s", shop.id, exc)
    for row in learnt.values():
        try:
            _write_back(shop, row, woo=woo, now=now)
        except WooError as exc:  # shown at the order's next follow-up instead
            log.warning("order_status.writeback_failed shop=%s woo_order=%s error=%s",
                        shop.id, row.woo_order_id, exc)
    return len(learnt)


def _learn(shop: Shop, fortnox: FortnoxClient, changed_invoices: dict[str, dict[str, Any]],
           since: datetime, now: datetime, learnt: dict[int, OrderLedger]) -> None:
    cancelled_invoices = [n for n, i in changed_invoices.items() if flag(i.get("Cancelled"))]
    for row in _ledgers(shop, OrderLedger.fortnox_invoice_number, cancelled_invoices):
        if _record(row, FORTNOX_CANCELLED, row.fortnox_invoice_number, {"document": "invoice"},
                   now):
            learnt[row.id] = row
    cancelled_orders = [str(o.get("DocumentNumber")) for o in
                        fortnox.iter_orders(modified_since=since, filter="cancelled")]
    for row in _ledgers(shop, OrderLedger.fortnox_order_number, cancelled_orders):
        if _cancelled_by_us(row):
            continue
        if _record(row, FORTNOX_CANCELLED, row.fortnox_order_number, {"document": "order"},
                   now):
            learnt[row.id] = row
    for row, credit, invoice in _credits_by_hand(shop, fortnox, since):
        if _record(row, FORTNOX_CREDIT, credit, {"invoice": invoice}, now):
            _tell(shop, row, msg("status.credited_in_fortnox", credit=credit, invoice=invoice,
                                 order=row.woo_order_id))
            learnt[row.id] = row


def _credits_by_hand(shop: Shop, fortnox: FortnoxClient, since: datetime
                     ) -> Iterable[tuple[OrderLedger, str, str]]:
    listed = [i for i in fortnox.iter_invoices(modified_since=since, credit=True)
              if not _our_marker(str(i.get("ExternalInvoiceReference2") or ""))]
    numbers = [str(i.get("DocumentNumber")) for i in listed]
    known: set[str] = set()
    for chunk in _chunks(numbers):
        known.update(str(s.fortnox_number) for s in OrderStep.select(OrderStep.fortnox_number)
                     .where(OrderStep.fortnox_number.in_(chunk)
                            & (OrderStep.step.startswith("credit:")
                               | (OrderStep.step == FORTNOX_CREDIT))))
    for number in numbers:
        if number in known:
            continue
        invoice = str(fortnox.get_invoice(number).get("InvoiceReference") or "0")
        if invoice in ("", "0"):
            continue
        row = OrderLedger.get_or_none((OrderLedger.shop == shop)
                                      & (OrderLedger.fortnox_invoice_number == invoice))
        if row is not None:
            yield row, number, invoice


def _our_marker(marker: str) -> bool:
    return marker.startswith("refund-") or marker == "cancel"


def _cancelled_by_us(row: OrderLedger) -> bool:
    last = steps.latest_step(row, steps.CANCEL)
    return last is not None and last.state == "done" and (
        last.fortnox_number == row.fortnox_order_number)


def _record(row: OrderLedger, step: str, number: str | None, facts: dict[str, Any],
            now: datetime) -> bool:
    seen = OrderStep.select().where((OrderStep.ledger == row.id) & (OrderStep.step == step)
                                    & (OrderStep.fortnox_number == number)).exists()
    if seen:
        return False
    steps.record(row, step, "done", now, number=number, request=facts)
    return True


def _tell(shop: Shop, row: OrderLedger, message: Any) -> None:
    order_id = int(row.woo_order_id)
    activity.record(shop, level="info", workflow="order_status",
                    subject=msg("subject.order", order=order_id), woo_order_id=order_id,
                    message=message)
    log.info("order_status.learnt shop=%s woo_order=%s fact=%s", shop.id, order_id,
             message.code)


def _write_back(shop: Shop, row: OrderLedger, *, woo: WooClient, now: datetime) -> None:
    try:
        order = parse_order(woo.get_order(int(row.woo_order_id)))
    except (WooNotFound, OrderNotMappable):
        return
    write_back(shop, steps.reload(row), order, woo=woo, now=now)


def _ledgers(shop: Shop, column: Any, numbers: list[str]) -> list[OrderLedger]:
    found: list[OrderLedger] = []
    for chunk in _chunks(numbers):
        found.extend(OrderLedger.select().where((OrderLedger.shop == shop)
                                                & column.in_(chunk)))
    return found


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]
