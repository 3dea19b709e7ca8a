"""The owner's order-status settings, Fortnox → WooCommerce: when an order is done or cancelled.

Declared once with defaults and validators; read as a frozen object with
`OrderStatusSettings.from_values(settings.load(shop))`. The job's frequency and pause switch are
declared by the job registry, not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sidecar.settings import SettingSpec
from sidecar.settings import choice
from sidecar.settings import read_values
from sidecar.settings import yes_no

# When a Fortnox order counts as done, by the owner's choice (see sidecar.sync.status.rules).
COMPLETION_RULES = ("invoice_created", "marked_done", "fully_delivered", "invoice_paid")

SETTINGS: dict[str, SettingSpec] = {
    "order_status.completed_when": SettingSpec("invoice_created", choice(COMPLETION_RULES)),
    "order_status.complete_orders": SettingSpec(True, yes_no),
    "order_status.cancel_orders": SettingSpec(True, yes_no),
}


@dataclass(frozen=True)
class OrderStatusSettings:
    completed_when: str = "invoice_created"
    complete_orders: bool = True
    cancel_orders: bool = True

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> OrderStatusSettings:
        v = read_values(SETTINGS, values)
        return cls(v["order_status.completed_when"], v["order_status.complete_orders"],
                   v["order_status.cancel_orders"])
