"""When a Fortnox order (or invoice) means the Woo order is completed or cancelled. Pure.

WooCommerce e-mails the customer "your order is complete" when an order becomes Completed, so
the sidecar never completes an order because of something it did itself. The owner picks what
"done" means (`order_status.completed_when`):

- `delivered_or_done` (the default): the order is delivered in full, or marked done
  (`WarehouseReady`), in Fortnox. An order the sidecar sent already delivered (it sends the
  rows delivered, so Fortnox Lager draws the stock at once) counts only once marked done; an
  invoice-only export, only when its invoice is marked done.
- `invoice_created`: the order has an invoice (`InvoiceReference`); an invoice-only export has
  one from the start.
- `marked_done`: the order is marked ready in Fortnox (`WarehouseReady`).
- `fully_delivered`: the order is in delivery state and every article row is delivered in
  full (by someone in Fortnox, when the sidecar sent it undelivered); invoices always deliver.
- `invoice_paid`: the order's invoice is paid in full (`Balance` 0 and a final pay date).

Whether done orders are completed at all is `order_status.complete_orders`: on, off, or (not
chosen) only orders exported as a Fortnox order, never invoice-only ones. A cancelled order or
invoice cancels the Woo order; cancelling is checked first, so an order cancelled in Fortnox is
never reported done.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from sidecar.sync.status.settings import OrderStatusSettings

# Woo statuses an order may still move on from; anything else is final (or the owner's own).
OPEN_WOO_STATUSES = frozenset({"pending", "on-hold", "processing"})


@dataclass(frozen=True)
class StatusDecision:
    woo_status: str  # completed | cancelled
    reason: str  # what happened in Fortnox, for the order note and the dashboard


def decide(
    order: Mapping[str, Any] | None,
    invoice: Mapping[str, Any] | None,
    settings: OrderStatusSettings,
    *,
    sent_delivered: bool = True,
) -> StatusDecision | None:
    """What the Woo order should become, given our Fortnox order and/or invoice (None: none).
    `sent_delivered`: the sidecar created the order with every row delivered already."""
    if settings.cancel_orders:
        if order is not None and flag(order.get("Cancelled")):
            return StatusDecision("cancelled", f"Fortnox order {number(order)} was cancelled")
        if invoice is not None and flag(invoice.get("Cancelled")):
            return StatusDecision("cancelled", f"Fortnox invoice {number(invoice)} was cancelled")
    if not settings.completes(has_order=order is not None):
        return None
    reason = _completion(order, invoice, settings.completed_when, sent_delivered)
    return StatusDecision("completed", reason) if reason else None


def _completion(order: Mapping[str, Any] | None, invoice: Mapping[str, Any] | None,
                rule: str, sent_delivered: bool) -> str | None:
    if rule == "invoice_paid":
        if invoice is not None and is_paid(invoice):
            return f"Fortnox invoice {number(invoice)} is paid"
        return None
    if order is None:
        # Exported as an invoice only: it exists and is delivered by nature.
        if invoice is None:
            return None
        if rule in ("marked_done", "delivered_or_done"):
            return (f"Fortnox invoice {number(invoice)} was marked done"
                    if flag(invoice.get("WarehouseReady")) else None)
        return f"Fortnox invoice {number(invoice)} was created"
    if rule == "invoice_created":
        reference = invoice_reference(order)
        return f"Fortnox order {number(order)} was invoiced ({reference})" if reference else None
    done = (f"Fortnox order {number(order)} was marked done"
            if flag(order.get("WarehouseReady")) else None)
    delivered = (f"Fortnox order {number(order)} was delivered in full"
                 if not sent_delivered and is_fully_delivered(order) else None)
    if rule == "marked_done":
        return done
    if rule == "fully_delivered":
        return delivered
    if rule == "delivered_or_done":
        return delivered or done
    raise ValueError(f"unknown completion rule {rule!r}")


def is_fully_delivered(order: Mapping[str, Any]) -> bool:
    if str(order.get("DeliveryState") or "delivery") != "delivery":
        return False
    rows = [row for row in order.get("OrderRows") or [] if row.get("ArticleNumber")]
    return bool(rows) and all(
        quantity(row.get("DeliveredQuantity")) >= quantity(row.get("OrderedQuantity"))
        for row in rows)


def is_paid(invoice: Mapping[str, Any]) -> bool:
    return (not flag(invoice.get("Cancelled")) and quantity(invoice.get("Balance")) == 0
            and bool(invoice.get("FinalPayDate")))


def invoice_reference(order: Mapping[str, Any]) -> str | None:
    reference = str(order.get("InvoiceReference") or "")
    return None if reference in ("", "0") else reference


def number(document: Mapping[str, Any]) -> str:
    return str(document.get("DocumentNumber") or "?")


def flag(value: Any) -> bool:
    """Fortnox booleans come as JSON booleans, and some as the strings "true"/"false"."""
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def quantity(value: Any) -> Decimal:
    """A Fortnox number (quantity, amount) as Decimal; 0 when missing or unreadable."""
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal(0)
    except InvalidOperation:
        return Decimal(0)
