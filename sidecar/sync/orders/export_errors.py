"""Export failures in words the owner can act on, and whether a retry can help.

Fortnox answers in Swedish with numeric codes; the owner needs to know what to do. What a
failure means is decided once, for every workflow, in `sidecar.sync.failures`; here it becomes
the export's exception and the order's activity entry (one per order and cause).
"""

from __future__ import annotations

from datetime import datetime

from sidecar import activity
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import Shop
from sidecar.sync.failures import OWNER
from sidecar.sync.failures import PASSING
from sidecar.sync.failures import Failure
from sidecar.sync.failures import classify
from sidecar.sync.orders.woo_order import OrderNotMappable


class ExportFailed(Exception):
    """An export that stopped; `retryable` tells the inbox whether to try again. `problem` and
    `advice` are for the owner; `message` and `hint` are their English, for logs.

    `wait_until` (set for a side call that failed for a passing reason) puts the delivery off
    without counting the try: a side call never parks an order. `recorded` says the order's
    activity entry is written, so the inbox adds none of its own."""

    def __init__(self, problem: Message, *, advice: Message, retryable: bool,
                 cause: str = "", kind: str = "") -> None:
        super().__init__(problem.english())
        self.problem = problem
        self.advice = advice
        self.retryable = retryable
        self.cause = cause or problem.code
        self.kind = kind or (PASSING if retryable else OWNER)
        self.wait_until: datetime | None = None
        self.recorded = False
        self.details: dict[str, object] = {}  # a bug's: where it happened

    @classmethod
    def of(cls, failure: Failure) -> ExportFailed:
        failed = cls(failure.problem, advice=failure.advice, retryable=failure.retryable,
                     cause=failure.cause, kind=failure.kind)
        failed.details = dict(failure.details)
        return failed

    @property
    def message(self) -> str:
        return self.problem.english()

    @property
    def hint(self) -> str:
        return self.advice.english()


class SideCallFailed(Exception):
    """A read the export makes besides the document (the Lager check, the article register)
    failed. For a passing reason with nothing usable known from an earlier read, the order
    waits until `wait_until`, when the read is tried again; otherwise it fails as `failure`
    says (its hint naming the read)."""

    def __init__(self, failure: Failure, wait_until: datetime | None) -> None:
        super().__init__(failure.problem.english())
        self.failure = failure
        self.wait_until = wait_until if failure.kind == PASSING else None


def explain(error: Exception) -> ExportFailed:
    """The owner's version of an error raised during an export."""
    if isinstance(error, ExportFailed):
        return error
    if isinstance(error, OrderNotMappable):
        return ExportFailed(msg("order.not_mappable", reason=error.message), retryable=False,
                            advice=msg("hint.fix_order_or_settings"), cause="order.not_mappable")
    if isinstance(error, SideCallFailed):
        failed = ExportFailed.of(error.failure)
        failed.wait_until = error.wait_until
        return failed
    return ExportFailed.of(classify(error))


def record_activity(shop: Shop, order_id: int, *, level: str, message: Message,
                    hint: Message | None = None, now: datetime,
                    details: dict | None = None) -> None:
    activity.record(shop, level=level, workflow="orders",
                    subject=msg("subject.order", order=order_id), message=message, hint=hint,
                    woo_order_id=order_id, details=details, now=now)
