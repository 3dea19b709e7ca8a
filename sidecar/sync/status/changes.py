"""Order status, Fortnox → WooCommerce, for the orders and invoices Fortnox says changed.

The entry point of the change feed (`sidecar.jobs.feed_events`), deciding and writing exactly as
the polling job does (`order_status.settle`): only our own orders are looked at (an
`OrderLedger` row with the Fortnox number, not moved yet), so the rest of the company's work in
Fortnox costs no call; each of ours costs one read of the order (and of its invoice where the
owner's rule needs the invoice's own fields). An invoice or payment Fortnox made from our order
in its GUI is traced back to the order only where it can decide (the rule "invoice paid"):
otherwise the order's own event says the same.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxError
from sidecar.models import OrderLedger
from sidecar.models import OrderStatusChange
from sidecar.models import Shop
from sidecar.sync.status.order_status import Candidate
from sidecar.sync.status.order_status import settle
from sidecar.sync.status.settings import OrderStatusSettings
from sidecar.woocommerce import WooClient

log = logging.getLogger(__name__)


def sync_order_status_changes(
    shop: Shop,
    *,
    fortnox: FortnoxClient,
    woo: WooClient,
    settings: OrderStatusSettings,
    now: datetime,
    orders: Iterable[str] = (),
    invoices: Iterable[str] = (),
    payments: Iterable[str] = (),
) -> dict[str, int]:
    """Orders, invoices and invoice payments Fortnox reported changed, by number."""
    counts = {"completed": 0, "cancelled": 0, "unchanged": 0, "already_final": 0, "failed": 0}
    order_numbers, invoice_numbers = set(orders), set(invoices)
    paid_orders: dict[str, str] = {}
    if settings.may_complete and settings.completed_when == "invoice_paid":
        invoice_numbers |= _invoices_of_payments(fortnox, set(payments))
        paid_orders = _orders_of_invoices(shop, fortnox, invoice_numbers)
    candidates = list(_candidates(shop, order_numbers | set(paid_orders), invoice_numbers,
                                  paid_orders))
    settle(shop, fortnox=fortnox, woo=woo, settings=settings, now=now, counts=counts,
           candidates=candidates, changed_invoices={})
    log.info("order_status.changes_synced shop=%s %s", shop.id, counts)
    return counts


def _not_moved(shop: Shop):  # type: ignore[no-untyped-def]
    moved = OrderStatusChange.select(OrderStatusChange.woo_order_id).where(
        OrderStatusChange.shop == shop)
    return (OrderLedger.shop == shop) & OrderLedger.woo_order_id.not_in(moved)


def _candidates(shop: Shop, orders: set[str], invoices: set[str],
                paid_orders: dict[str, str]) -> Iterable[Candidate]:
    rows: dict[int, OrderLedger] = {}
    for column, numbers in ((OrderLedger.fortnox_order_number, orders),
                            (OrderLedger.fortnox_invoice_number, invoices)):
        if numbers:
            rows.update((row.id, row) for row in OrderLedger.select().where(
                _not_moved(shop) & column.in_(sorted(numbers))))
    for ledger in rows.values():
        invoice = ledger.fortnox_invoice_number or paid_orders.get(
            ledger.fortnox_order_number or "")
        yield Candidate(ledger, ledger.fortnox_order_number, invoice)


def _orders_of_invoices(shop: Shop, fortnox: FortnoxClient, invoices: set[str]
                        ) -> dict[str, str]:
    """Fortnox order number → invoice number, for invoices we did not make ourselves."""
    known = {row.fortnox_invoice_number for row in OrderLedger.select(
        OrderLedger.fortnox_invoice_number).where(
        OrderLedger.shop == shop, OrderLedger.fortnox_invoice_number.in_(sorted(invoices)))}
    found: dict[str, str] = {}
    for number in sorted(invoices - known):
        try:
            reference = str(fortnox.get_invoice(number).get("OrderReference") or "")
        except FortnoxError as exc:
            log.info("order_status.invoice_unreadable shop=%s invoice=%s error=%s", shop.id,
                     number, exc)
            continue
        if reference not in ("", "0"):
            found[reference] = number
    ours = {row.fortnox_order_number for row in OrderLedger.select(
        OrderLedger.fortnox_order_number).where(
        _not_moved(shop) & OrderLedger.fortnox_order_number.in_(sorted(found)))}
    return {order: invoice for order, invoice in found.items() if order in ours}


def _invoices_of_payments(fortnox: FortnoxClient, payments: set[str]) -> set[str]:
    numbers = set()
    for number in sorted(payments):
        try:
            numbers.add(str(fortnox.get_invoice_payment(number).get("InvoiceNumber") or ""))
        except FortnoxError as exc:
            log.info("order_status.payment_unreadable payment=%s error=%s", number, exc)
    return numbers - {""}
