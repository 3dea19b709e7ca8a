"""The per-order ledger: one row per (shop, Woo order), its claim, and every step taken.

Why it exists: Fortnox has no idempotency keys, so the ledger is what stops one Woo order from
becoming two invoices. A worker claims the row by a conditional UPDATE (the row count says who
won) with a deadline, so two workers never export the same order at once and a worker that died
loses its claim when the deadline passes. Each step is written "started" before its request and
"done", "unknown" or "failed" after; a "started" step found later means the process died
mid-request, so its outcome is unknown too, and the next attempt searches Fortnox first.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from typing import Any

from sidecar.db import database
from sidecar.models import OrderLedger
from sidecar.models import OrderStep
from sidecar.models import Shop

CLAIM_FOR = timedelta(minutes=2)
RECHECK_BUSY = timedelta(seconds=15)  # an export usually ends well within its claim
UNSETTLED = ("started", "unknown")  # the request may have reached Fortnox

# Step names (OrderStep.step, at most 24 characters; refunds add their id: "credit:123"; the
# refund steps are in refunds.py).
CUSTOMER = "customer"
ARTICLE = "article"
ORDER = "order"
INVOICE = "invoice"
INVOICE_FROM_ORDER = "createinvoice"
BOOKKEEP = "bookkeep"
PAYMENT = "payment"
PAYMENT_BOOKKEEP = "payment_bookkeep"
CANCEL = "cancel"
WRITEBACK = "woo_writeback"


class OrderBusy(Exception):
    """Another worker holds this order's claim. That is no failure of the caller's: it tries
    again at ``wait_until`` (when the claim ends, or sooner), and this try doesn't count."""

    retryable = True

    def __init__(self, message: str, wait_until: datetime) -> None:
        super().__init__(message)
        self.wait_until = wait_until


def busy_until(ledger: OrderLedger, now: datetime) -> datetime:
    """When to look at a claimed order again: when the claim ends, at most RECHECK_BUSY on."""
    held_until = reload(ledger).claimed_until
    return now if held_until is None else min(held_until, now + RECHECK_BUSY)


def ledger_for(shop: Shop, order_id: int, external_key: str) -> OrderLedger:
    """The order's row, created on first sight (racing creators meet the unique index)."""
    OrderLedger.insert(shop=shop, woo_order_id=order_id,
                       external_key=external_key).on_conflict_ignore().execute()
    return OrderLedger.get((OrderLedger.shop == shop) & (OrderLedger.woo_order_id == order_id))


def claim(ledger: OrderLedger, *, worker: str, now: datetime,
          ttl: timedelta = CLAIM_FOR) -> bool:
    free = (OrderLedger.claimed_by.is_null() | (OrderLedger.claimed_until < now)
            | (OrderLedger.claimed_by == worker))
    won = (OrderLedger.update(claimed_by=worker, claimed_until=now + ttl,
                              attempts=OrderLedger.attempts + 1, updated_at=now)
           .where((OrderLedger.id == ledger.id) & free).execute())
    return won == 1


def release(ledger: OrderLedger, *, worker: str) -> None:
    (OrderLedger.update(claimed_by=None, claimed_until=None)
     .where((OrderLedger.id == ledger.id) & (OrderLedger.claimed_by == worker)).execute())


def reload(ledger: OrderLedger) -> OrderLedger:
    return OrderLedger.get_by_id(ledger.id)


def save(ledger: OrderLedger, now: datetime, **fields: Any) -> None:
    """Write fields on the row and on the object the caller holds."""
    fields["updated_at"] = now
    OrderLedger.update(**fields).where(OrderLedger.id == ledger.id).execute()
    for name, value in fields.items():
        setattr(ledger, name, value)


def latest_step(ledger: OrderLedger, step: str) -> OrderStep | None:
    return (OrderStep.select()
            .where((OrderStep.ledger == ledger.id) & (OrderStep.step == step))
            .order_by(OrderStep.id.desc()).first())


def outcome_unknown(ledger: OrderLedger, step: str) -> bool:
    """True when the last attempt at `step` may have created something in Fortnox."""
    last = latest_step(ledger, step)
    return last is not None and last.state in UNSETTLED


def begin(ledger: OrderLedger, step: str, now: datetime,
          request: Any = None) -> OrderStep:
    """Committed before the request goes out: a crash after this line is detectable."""
    return OrderStep.create(ledger=ledger.id, step=step, state="started", request=request,
                            started_at=now)


def finish(step: OrderStep, state: str, now: datetime, *, number: str | None = None,
           error: str | None = None, ledger: OrderLedger | None = None,
           **ledger_fields: Any) -> None:
    """Record how a step ended, with the ledger's new numbers in the same transaction."""
    with database.atomic():
        (OrderStep.update(state=state, fortnox_number=number, error=error, finished_at=now)
         .where(OrderStep.id == step.id).execute())
        if ledger is not None and ledger_fields:
            save(ledger, now, **ledger_fields)


def record(ledger: OrderLedger, step: str, state: str, now: datetime, *,
           number: str | None = None, error: str | None = None, request: Any = None) -> None:
    """A step that needed no request of its own (adopted, skipped, or needing the owner), or
    a summary of what was done (`request` then holds its facts)."""
    OrderStep.create(ledger=ledger.id, step=step, state=state, fortnox_number=number,
                     error=error, request=request, started_at=now, finished_at=now)


def step_done(ledger: OrderLedger, step: str) -> bool:
    last = latest_step(ledger, step)
    return last is not None and last.state == "done"
