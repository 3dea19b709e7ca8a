"""Order status, Fortnox → WooCommerce: completed or cancelled in Fortnox, so in the shop too.

Only orders this sidecar exported (an `OrderLedger` row with a Fortnox number) are looked at;
everything else in Fortnox is left alone. Each run lists the orders and invoices Fortnox changed
since the cursor (minus an overlap), decides per order with `order_status_rules.decide`, and
moves the Woo order forward only from an open status (pending, on-hold, processing). A moved
order gets an `OrderStatusChange` row and is never moved again, whatever happens later. An
order that failed for a passing reason (a timeout, a 5xx) is marked on its ledger row and looked
at again on the next run, whether or not Fortnox lists it as changed by then. What someone
cancelled or credited in Fortnox by hand is recorded too (made_in_fortnox.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any

from peewee import fn

from sidecar import activity
from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxError
from sidecar.messages import msg
from sidecar.models import OrderLedger
from sidecar.models import OrderStatusChange
from sidecar.models import OrderStep
from sidecar.models import Shop
from sidecar.sync.cursors import read_cursor
from sidecar.sync.cursors import write_cursor
from sidecar.sync.failures import classify
from sidecar.sync.status.made_in_fortnox import learn_what_was_done
from sidecar.sync.status.rules import OPEN_WOO_STATUSES
from sidecar.sync.status.rules import StatusDecision
from sidecar.sync.status.rules import decide
from sidecar.sync.status.rules import invoice_reference
from sidecar.sync.status.rules import is_paid
from sidecar.sync.status.rules import quantity
from sidecar.sync.status.settings import OrderStatusSettings
from sidecar.woo_access import remember_order_write
from sidecar.woocommerce import WooClient
from sidecar.woocommerce import WooError
from sidecar.woocommerce import WooNotFound

log = logging.getLogger(__name__)

CURSOR = "order_status.fortnox.lastmodified"
# Fortnox's lastmodified has minute precision in Swedish local time; a few minutes of overlap
# covers that and clock skew, and OrderStatusChange rows make seeing an order twice harmless.
OVERLAP = timedelta(minutes=5)
CHUNK = 500  # ids per IN (...) query
STATUS_CAUSE = "status."  # the causes of this sync's problems start so


@dataclass
class Candidate:
    ledger: OrderLedger
    order_number: str | None
    invoice_number: str | None


def sync_order_status(
    shop: Shop,
    *,
    fortnox: FortnoxClient,
    woo: WooClient,
    settings: OrderStatusSettings,
    now: datetime,
) -> dict[str, int]:
    """One run; returns counts (completed, cancelled, unchanged, already_final, failed, and
    learnt: documents found cancelled or credited in Fortnox by hand)."""
    counts = {"completed": 0, "cancelled": 0, "unchanged": 0, "already_final": 0, "failed": 0,
              "learnt": 0}
    start = read_cursor(shop, CURSOR) or _first_export(shop)
    if start is None:  # nothing exported yet: nothing of ours can have changed
        write_cursor(shop, CURSOR, now)
        return counts
    since = start - OVERLAP
    changed_orders = _changed_orders(fortnox, since, settings)
    changed_invoices = {_number(i): i for i in fortnox.iter_invoices(modified_since=since)}
    paid_orders = _orders_of_paid_invoices(fortnox, changed_invoices, settings)
    counts["learnt"] = learn_what_was_done(shop, fortnox=fortnox, woo=woo,
                                           changed_invoices=changed_invoices, since=since,
                                           now=now)
    settle(shop, fortnox=fortnox, woo=woo, settings=settings, now=now, counts=counts,
           candidates=_candidates(shop, changed_orders, changed_invoices, paid_orders, now),
           changed_invoices=changed_invoices)
    # An order that failed waits on its ledger row, so the cursor always moves on: under steady
    # faults, a run must not re-read everything Fortnox changed since the first failure.
    write_cursor(shop, CURSOR, now)
    return counts


def settle(shop: Shop, *, fortnox: FortnoxClient, woo: WooClient,
           settings: OrderStatusSettings, now: datetime, counts: dict[str, int],
           candidates: Iterable[Candidate], changed_invoices: dict[str, dict[str, Any]]) -> None:
    """Decide each candidate and move its Woo order; a passing failure marks it for the next
    run. Adds to `counts` (completed, cancelled, unchanged, already_final, failed)."""
    for candidate in candidates:
        retry = False
        try:
            decision = _decide(fortnox, candidate, changed_invoices, settings)
            outcome = _apply(shop, woo, candidate.ledger, decision, now) if decision else \
                "unchanged"
        except (FortnoxError, WooError) as exc:
            outcome = "failed"
            retry = exc.retryable
            _report_failure(shop, candidate.ledger, exc, now)
        else:
            activity.resolve(shop, activity.about_order(candidate.ledger.woo_order_id),
                             how=msg("resolved.status_followed"), now=now,
                             cause_prefix=STATUS_CAUSE)
        _mark_for_retry(candidate.ledger, now if retry else None)
        counts[outcome] += 1


def _changed_orders(fortnox: FortnoxClient, since: datetime,
                    settings: OrderStatusSettings) -> dict[str, dict[str, Any]]:
    """Fortnox orders changed since ``since`` that may move a Woo order, by number.

    Each candidate costs a read of the whole order, and in a busy shop most changed orders are
    simply new. Where the owner's rule allows, Fortnox's own filters (cancelled, invoice
    created) leave only the orders that can move; "marked done" and "delivered in full" can be
    seen in the whole order only, so then every changed order is a candidate."""
    filters: list[str | None] = ["cancelled"] if settings.cancel_orders else []
    if settings.may_complete and settings.completed_when == "invoice_created":
        filters.append("invoicecreated")
    elif settings.may_complete and settings.completed_when != "invoice_paid":
        filters = [None]  # paid invoices are found through the invoice list instead
    return {_number(order): order for kind in filters
            for order in fortnox.iter_orders(modified_since=since, filter=kind)}


def _first_export(shop: Shop) -> datetime | None:
    first = (OrderLedger.select(fn.MIN(OrderLedger.created_at))
             .where(OrderLedger.shop == shop).scalar())
    return OrderLedger.created_at.python_value(first) if first is not None else None


def _orders_of_paid_invoices(fortnox: FortnoxClient, invoices: dict[str, dict[str, Any]],
                             settings: OrderStatusSettings) -> dict[str, str]:
    """Fortnox order number → invoice number, for paid invoices made from an order in Fortnox
    (the list does not say which order; the invoice itself does)."""
    if settings.completed_when != "invoice_paid" or not settings.may_complete:
        return {}
    found: dict[str, str] = {}
    known = _known_invoice_numbers(invoices)
    for number, invoice in invoices.items():
        if is_paid(invoice) and number not in known:
            reference = str(fortnox.get_invoice(number).get("OrderReference") or "")
            if reference not in ("", "0"):
                found[reference] = number
    return found


def _known_invoice_numbers(invoices: dict[str, dict[str, Any]]) -> set[str]:
    known: set[str] = set()
    for chunk in _chunks(list(invoices)):
        known.update(row.fortnox_invoice_number for row in OrderLedger.select(
            OrderLedger.fortnox_invoice_number).where(
            OrderLedger.fortnox_invoice_number.in_(chunk)))
    return known


def _candidates(shop: Shop, orders: dict[str, Any], invoices: dict[str, Any],
                paid_orders: dict[str, str], now: datetime) -> Iterable[Candidate]:
    """Ledger rows not yet moved whose documents Fortnox lists as changed, and those due for
    another try, each once."""
    moved = OrderStatusChange.select(OrderStatusChange.woo_order_id).where(
        OrderStatusChange.shop == shop)
    not_moved = (OrderLedger.shop == shop) & OrderLedger.woo_order_id.not_in(moved)
    # Read each query whole: a SELECT left open holds an SQLite read snapshot, and the
    # caller's writes during the loop then fail "database is locked" once others wrote. The
    # retries go first, before this run marks any row for the next.
    batches = [list(OrderLedger.select().where(not_moved & (OrderLedger.status_retry_at <= now)))]
    order_numbers = list(set(orders) | set(paid_orders))
    for column, numbers in ((OrderLedger.fortnox_order_number, order_numbers),
                            (OrderLedger.fortnox_invoice_number, list(invoices))):
        batches.extend(list(OrderLedger.select().where(not_moved & column.in_(chunk)))
                       for chunk in _chunks(numbers))
    seen: set[int] = set()
    for batch in batches:
        for ledger in batch:
            if ledger.woo_order_id in seen:
                continue
            seen.add(ledger.woo_order_id)
            invoice = ledger.fortnox_invoice_number or paid_orders.get(
                ledger.fortnox_order_number or "")
            yield Candidate(ledger, ledger.fortnox_order_number, invoice)


def _decide(fortnox: FortnoxClient, candidate: Candidate, changed_invoices: dict[str, Any],
            settings: OrderStatusSettings) -> StatusDecision | None:
    order = fortnox.get_order(candidate.order_number) if candidate.order_number else None
    invoice_number = candidate.invoice_number or (invoice_reference(order) if order else None)
    invoice = None
    if invoice_number:
        # The whole invoice when its own fields decide; the list item is enough to see it.
        needs_detail = settings.completed_when in ("invoice_paid", "marked_done",
                                                   "delivered_or_done") or not order
        invoice = (fortnox.get_invoice(invoice_number) if needs_detail
                   else changed_invoices.get(invoice_number))
    return decide(order, invoice, settings, sent_delivered=sent_delivered(candidate.ledger))


def sent_delivered(ledger: OrderLedger) -> bool:
    """Whether the sidecar created the Fortnox order with every row delivered (it does, so
    that Fortnox Lager draws the stock at once): then "delivered in full" is its own doing and
    says nothing about the goods leaving. Unknown (adopted, older rows): assumed so."""
    step = (OrderStep.select(OrderStep.request)
            .where(OrderStep.ledger == ledger.id, OrderStep.step == "order",
                   OrderStep.request.is_null(False))
            .order_by(OrderStep.id.desc()).first())
    sent = step.request if step is not None and isinstance(step.request, dict) else None
    if sent is None:
        return True
    rows = [row for row in sent.get("OrderRows") or [] if isinstance(row, dict)]
    return str(sent.get("DeliveryState") or "delivery") == "delivery" and all(
        quantity(row.get("DeliveredQuantity")) >= quantity(row.get("OrderedQuantity"))
        for row in rows)


def _apply(shop: Shop, woo: WooClient, ledger: OrderLedger, decision: StatusDecision,
           now: datetime) -> str:
    order_id = int(ledger.woo_order_id)
    try:
        current = str(woo.get_order(order_id).get("status") or "")
    except WooNotFound:
        current = "deleted"
    if current not in OPEN_WOO_STATUSES:
        # Final already (or the owner's own status): never moved back, never looked at again.
        _remember(shop, order_id, current or "unknown", f"already {current} in WooCommerce", now)
        return "already_final"
    updated = woo.update_order_status(order_id, decision.woo_status)
    remember_order_write(shop, updated)  # its order.updated echo is not export work
    woo.add_order_note(order_id, f"{decision.reason}: set to {decision.woo_status} by the "
                                 "Fortnox sidecar.")  # a note does not save the order
    _remember(shop, order_id, decision.woo_status, decision.reason, now)
    activity.record(shop, level="info", workflow="order_status",
                    subject=msg("subject.order", order=order_id), woo_order_id=order_id,
                    message=msg("status.order_set", order=order_id,
                                status=msg(f"woo_status.{decision.woo_status}"),
                                reason=decision.reason))
    log.info("order_status.changed shop=%s woo_order=%s status=%s", shop.id, order_id,
             decision.woo_status)
    return decision.woo_status


def _remember(shop: Shop, order_id: int, status: str, reason: str, now: datetime) -> None:
    OrderStatusChange.insert(shop=shop, woo_order_id=order_id, woo_status=status[:24],
                             reason=reason[:200], changed_at=now).on_conflict_ignore().execute()


def _mark_for_retry(ledger: OrderLedger, moment: datetime | None) -> None:
    if ledger.status_retry_at != moment:
        OrderLedger.update(status_retry_at=moment).where(OrderLedger.id == ledger.id).execute()


def _report_failure(shop: Shop, ledger: OrderLedger, exc: FortnoxError | WooError,
                    now: datetime) -> None:
    """One entry per order and cause: a passing failure waits for the next run (a warning),
    one that needs the owner is an error; either is resolved when the order goes through."""
    order_id = int(ledger.woo_order_id)
    failure = classify(exc)
    retry = msg("hint.status_retry_next_run") if failure.retryable else \
        msg("hint.status_fix_cause")
    activity.problem(shop, about=activity.about_order(order_id),
                     cause=f"{STATUS_CAUSE}{failure.cause}",
                     level="warning" if failure.retryable else "error", workflow="order_status",
                     subject=msg("subject.order", order=order_id), woo_order_id=order_id,
                     message=msg("status.failed", order=order_id, error=str(exc)), hint=retry,
                     now=now)
    log.warning("order_status.failed shop=%s woo_order=%s error=%s", shop.id, order_id, exc)


def _number(document: dict[str, Any]) -> str:
    return str(document.get("DocumentNumber") or "")


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]
