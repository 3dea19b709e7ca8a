"""Export failures in words the owner can act on, and whether a retry can help.

Fortnox answers in Swedish with numeric codes; the owner needs to know what to do. Each failure
becomes an activity entry with Fortnox's (or WooCommerce's) own message and a plain hint.
"""

from __future__ import annotations

import re
from datetime import datetime

from sidecar.fortnox import FortnoxAuthError
from sidecar.fortnox import FortnoxError
from sidecar.fortnox import FortnoxPermissionDenied
from sidecar.fortnox import FortnoxRateLimited
from sidecar.fortnox import FortnoxTransient
from sidecar.models import ActivityEntry
from sidecar.models import Shop
from sidecar.sync.orders.woo_order import OrderNotMappable
from sidecar.woocommerce.errors import WooError

RETRY_SOON = "Nothing to do: the sidecar tries again by itself."
# Fortnox error codes → what the owner can do about them (fortnox-api.md §3, §8).
HINTS_BY_CODE = {
    2000428: "Article {detail} does not exist in Fortnox: create it, or allow description-only "
             "rows (Settings → Orders → Unknown articles).",
    2000423: "An account is missing from the Fortnox chart of accounts: add it in Fortnox, or "
             "change the account mapping in Settings.",
    2001304: "Account {detail} does not exist in Fortnox: add it to the chart of accounts, or "
             "change the account mapping in Settings.",
    2000427: "The currency is not registered in Fortnox: add it under Settings → Currencies in "
             "Fortnox.",
    2000429: "The terms of payment code does not exist in Fortnox: add it there or change it in "
             "Settings.",
    2000435: "The terms of delivery code does not exist in Fortnox: add it there or change the "
             "shipping mappings in Settings.",
    2000401: "The accounting period is locked in Fortnox: open it, or ask your accountant.",
    2000107: "A value is longer than Fortnox allows; tell us the order number so we can fix it.",
}


class ExportFailed(Exception):
    """An export that stopped; `retryable` tells the inbox whether to try again."""

    def __init__(self, message: str, *, hint: str, retryable: bool) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.retryable = retryable


def explain(error: Exception) -> ExportFailed:
    """The owner's version of an error raised during an export."""
    if isinstance(error, ExportFailed):
        return error
    if isinstance(error, OrderNotMappable):
        return ExportFailed(str(error), retryable=False,
                            hint="Change the order or the export settings, then press Retry.")
    if isinstance(error, FortnoxRateLimited):
        return ExportFailed(f"Fortnox is busy: {error}", hint=RETRY_SOON, retryable=True)
    if isinstance(error, FortnoxTransient):
        return ExportFailed(f"Fortnox did not answer properly: {error}", hint=RETRY_SOON,
                            retryable=True)
    if isinstance(error, FortnoxAuthError):
        return ExportFailed(f"Fortnox refused the sidecar's sign-in: {error}", retryable=False,
                            hint="Reconnect Fortnox on the settings page, then press Retry.")
    if isinstance(error, FortnoxPermissionDenied):
        return ExportFailed(f"Fortnox refused: {error}", retryable=False,
                            hint="The Fortnox user or licence lacks a right the export needs "
                                 "(orders, invoices, customers, articles); add it and reconnect.")
    if isinstance(error, FortnoxError):
        template = HINTS_BY_CODE.get(error.code if isinstance(error.code, int) else -1,
                                     "Fortnox rejected the document; fix what its message says, "
                                     "then press Retry.")
        return ExportFailed(f"Fortnox said: {error}", retryable=error.retryable,
                            hint=template.format(detail=_detail(error.message)))
    if isinstance(error, WooError):
        retryable = bool(getattr(error, "retryable", True))
        return ExportFailed(f"WooCommerce said: {error}", retryable=retryable,
                            hint=RETRY_SOON if retryable else
                            "Check the WooCommerce REST API keys in Settings.")
    return ExportFailed(f"{type(error).__name__}: {error}", hint=RETRY_SOON, retryable=True)


def _detail(message: str) -> str:
    found = re.search(r"\(([^)]+)\)|(\d{4})", message or "")
    return (found.group(1) or found.group(2)) if found else ""


def record_activity(shop: Shop, order_id: int, *, level: str, message: str, hint: str = "",
                    now: datetime, details: dict | None = None) -> None:
    ActivityEntry.create(shop=shop, created_at=now, level=level, workflow="orders",
                         subject=f"Order {order_id}", message=message, hint=hint,
                         woo_order_id=order_id, details=details)
