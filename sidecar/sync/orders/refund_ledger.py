"""What the ledger knows of an order's refunds: one summary step per refund, `refund:<id>`.

A refund ends in one of these, recorded with its facts (`request`) once its documents exist:

- `done`, kind `credit`: credit invoice `number` for invoice `invoice`;
- `done`, kind `order`: Fortnox order `number` corrected before invoicing;
- `done`, kind `order_cancelled`: the whole order refunded before invoicing, its order cancelled;
- `noted`: nothing to book (the order never reached Fortnox; its invoice is cancelled there);
- `needs_owner`: the owner must decide (the invoice was credited by hand in Fortnox, the order
  is locked or changed there).

A refund whose reason may pass (`noted` because the order was not exported yet, `needs_owner`
because the Fortnox order was locked) is looked at again on the next follow-up. The facts
include the units each refund's credit returned to stock, so a later refund's share of
WooCommerce's running restock count is known.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from sidecar.models import OrderLedger
from sidecar.models import OrderStep
from sidecar.sync.orders import ledger as steps

DONE = "done"
NOTED = "noted"
NEEDS_OWNER = "needs_owner"
# Kinds of outcome that may pass, so the refund is looked at again.
PASSING = {"not_exported", "order_locked", "order_changed"}


def summary_step(refund_id: int | str) -> str:
    return f"refund:{refund_id}"


def summary(row: OrderLedger, refund_id: int | str) -> OrderStep | None:
    return steps.latest_step(row, summary_step(refund_id))


def facts_of(step: OrderStep | None) -> dict[str, Any]:
    return step.request if step is not None and isinstance(step.request, dict) else {}


def settled(row: OrderLedger, refund_id: int) -> bool:
    """True when the refund needs nothing more (a legacy credit made before summaries, too)."""
    last = summary(row, refund_id)
    if last is None:
        legacy = steps.latest_step(row, f"credit:{refund_id}")
        return (legacy is not None and legacy.state == DONE
                and not (isinstance(legacy.request, dict) and legacy.request.get("via")))
    kind = facts_of(last).get("kind")
    if last.state == NOTED and kind == "not_exported":
        return not (row.fortnox_order_number or row.fortnox_invoice_number)
    return not (last.state == NEEDS_OWNER and kind in PASSING)


def already_told(row: OrderLedger, refund_id: int, kind: str) -> bool:
    return any(facts_of(s).get("kind") == kind for s in _summaries(row, refund_id))


def outcomes(row: OrderLedger) -> Iterator[tuple[int, OrderStep]]:
    """The latest summary of every refund of the order."""
    latest: dict[str, OrderStep] = {}
    for step in OrderStep.select().where((OrderStep.ledger == row.id)
                                         & OrderStep.step.startswith("refund:")
                                         ).order_by(OrderStep.id):
        latest[step.step] = step
    for name, step in latest.items():
        tail = name.partition(":")[2]
        if tail.isdigit():
            yield int(tail), step


def restock_used(row: OrderLedger) -> dict[int, Decimal]:
    """Order line id → units the booked refunds' documents already returned to stock."""
    used: dict[int, Decimal] = {}
    for _, step in outcomes(row):
        if step.state == DONE:
            for line, units in (facts_of(step).get("restocked") or {}).items():
                used[int(line)] = used.get(int(line), Decimal(0)) + Decimal(str(units))
    return used


def order_corrections(row: OrderLedger) -> list[dict[str, Any]]:
    """Facts of the refunds taken off the Fortnox order before invoicing."""
    return [facts_of(step) for _, step in outcomes(row)
            if step.state == DONE and facts_of(step).get("kind") == "order"]


def record(row: OrderLedger, refund_id: int, state: str, now: Any, *, kind: str,
           number: str | None = None, error: str | None = None, **facts: Any) -> None:
    steps.record(row, summary_step(refund_id), state, now, number=number, error=error,
                 request={"kind": kind, **facts})


def _summaries(row: OrderLedger, refund_id: int) -> list[OrderStep]:
    return list(OrderStep.select().where((OrderStep.ledger == row.id)
                                         & (OrderStep.step == summary_step(refund_id))))
