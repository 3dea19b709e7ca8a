"""Export failures in words the owner can act on, and whether a retry can help.

Fortnox answers in Swedish with numeric codes; the owner needs to know what to do. Each failure
becomes an activity entry with Fortnox's (or WooCommerce's) own message and a plain hint.
"""

from __future__ import annotations

import re
from datetime import datetime

from sidecar import activity
from sidecar.fortnox import FortnoxAuthError
from sidecar.fortnox import FortnoxError
from sidecar.fortnox import FortnoxPermissionDenied
from sidecar.fortnox import FortnoxRateLimited
from sidecar.fortnox import FortnoxTransient
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import Shop
from sidecar.sync.orders.woo_order import OrderNotMappable
from sidecar.woocommerce.errors import WooError

RETRY_SOON = msg("hint.retry_soon")
# Fortnox error codes with a hint of their own (fortnox-api.md §3, §8): `hint.fortnox.<code>`.
HINTED_CODES = (2000428, 2000423, 2001304, 2000427, 2000429, 2000435, 2000401, 2000107)


class ExportFailed(Exception):
    """An export that stopped; `retryable` tells the inbox whether to try again. `problem` and
    `advice` are for the owner; `message` and `hint` are their English, for logs."""

    def __init__(self, problem: Message, *, advice: Message, retryable: bool) -> None:
        super().__init__(problem.english())
        self.problem = problem
        self.advice = advice
        self.retryable = retryable

    @property
    def message(self) -> str:
        return self.problem.english()

    @property
    def hint(self) -> str:
        return self.advice.english()


def explain(error: Exception) -> ExportFailed:
    """The owner's version of an error raised during an export."""
    if isinstance(error, ExportFailed):
        return error
    if isinstance(error, OrderNotMappable):
        return ExportFailed(msg("order.not_mappable", reason=str(error)), retryable=False,
                            advice=msg("hint.fix_order_or_settings"))
    if isinstance(error, FortnoxRateLimited):
        return ExportFailed(msg("fortnox.busy", error=str(error)), advice=RETRY_SOON,
                            retryable=True)
    if isinstance(error, FortnoxTransient):
        return ExportFailed(msg("fortnox.no_proper_answer", error=str(error)), advice=RETRY_SOON,
                            retryable=True)
    if isinstance(error, FortnoxAuthError):
        return ExportFailed(msg("fortnox.sign_in_refused", error=str(error)), retryable=False,
                            advice=msg("hint.reconnect_fortnox"))
    if isinstance(error, FortnoxPermissionDenied):
        return ExportFailed(msg("fortnox.refused", error=str(error)), retryable=False,
                            advice=msg("hint.fortnox_rights"))
    if isinstance(error, FortnoxError):
        code = error.code if isinstance(error.code, int) else -1
        advice = (msg(f"hint.fortnox.{code}", detail=_detail(error.message))
                  if code in HINTED_CODES else msg("hint.fortnox_rejected"))
        return ExportFailed(msg("fortnox.said", error=str(error)), retryable=error.retryable,
                            advice=advice)
    if isinstance(error, WooError):
        retryable = bool(getattr(error, "retryable", True))
        return ExportFailed(msg("woo.said", error=str(error)), retryable=retryable,
                            advice=RETRY_SOON if retryable else msg("hint.check_woo_keys"))
    return ExportFailed(msg("error.unexpected", error=f"{type(error).__name__}: {error}"),
                        advice=RETRY_SOON, retryable=True)


def _detail(message: str) -> str:
    found = re.search(r"\(([^)]+)\)|(\d{4})", message or "")
    return (found.group(1) or found.group(2)) if found else ""


def record_activity(shop: Shop, order_id: int, *, level: str, message: Message,
                    hint: Message | None = None, now: datetime,
                    details: dict | None = None) -> None:
    activity.record(shop, now=now, level=level, workflow="orders",
                    subject=msg("subject.order", order=order_id), message=message, hint=hint,
                    woo_order_id=order_id, details=details)
