"""The owner's order-status settings, Fortnox → WooCommerce: when an order is done or cancelled.

Declared once with defaults, as the section's schema `ORDER_STATUS`; read as a frozen object with
`OrderStatusSettings.from_values(settings.load(shop))`. The job's frequency and pause switch are
declared by the job registry, not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sidecar.settings import choice
from sidecar.settings import declared
from sidecar.settings import read_values
from sidecar.settings import section
from sidecar.settings import yes_no

# When a Fortnox order counts as done, by the owner's choice (see sidecar.sync.status.rules).
COMPLETION_RULES = ("delivered_or_done", "invoice_created", "marked_done", "fully_delivered",
                    "invoice_paid")


# A shop that saved these keeps what it saved; one that never did gets these defaults. They
# changed: "invoice_created" completed an invoice-only export at once, minutes after the
# purchase, and WooCommerce e-mailed the customer that the order was complete.
ORDER_STATUS = section({
    "order_status.completed_when": choice(COMPLETION_RULES, "delivered_or_done"),
    # On, off, or None: not chosen, so the document mode decides (see `completes`).
    "order_status.complete_orders": yes_no(None),
    "order_status.cancel_orders": yes_no(True),
})
SETTINGS = declared(ORDER_STATUS)


@dataclass(frozen=True)
class OrderStatusSettings:
    completed_when: str = "delivered_or_done"
    complete_orders: bool | None = None
    cancel_orders: bool = True

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> OrderStatusSettings:
        v = read_values(ORDER_STATUS, values)
        return cls(v["order_status.completed_when"], v["order_status.complete_orders"],
                   v["order_status.cancel_orders"])

    def completes(self, *, has_order: bool) -> bool:
        """Whether a done order is completed in WooCommerce: as the owner chose, or, not
        chosen, only for exports with a Fortnox order (an invoice-only export has nothing in
        Fortnox that says the goods left)."""
        return has_order if self.complete_orders is None else self.complete_orders

    @property
    def may_complete(self) -> bool:
        return self.complete_orders is not False
