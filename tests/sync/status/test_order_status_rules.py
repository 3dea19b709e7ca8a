"""When a Fortnox order means the Woo order is completed or cancelled: pure table tests."""

from __future__ import annotations

from typing import Any

import pytest

from sidecar.sync.status.rules import decide
from sidecar.sync.status.settings import OrderStatusSettings

OPEN = {"DocumentNumber": "7", "Cancelled": False, "InvoiceReference": "0",
        "WarehouseReady": False, "DeliveryState": "delivery",
        "OrderRows": [{"ArticleNumber": "MUG", "OrderedQuantity": "2", "DeliveredQuantity": "0"}]}
INVOICED = {**OPEN, "InvoiceReference": "40"}
DONE = {**OPEN, "WarehouseReady": True}
DELIVERED = {**OPEN, "OrderRows": [{"ArticleNumber": "MUG", "OrderedQuantity": "2",
                                    "DeliveredQuantity": "2.00"}, {"Description": "Text"}]}
RESERVED = {**DELIVERED, "DeliveryState": "reservation"}
CANCELLED = {**OPEN, "Cancelled": True}
UNPAID = {"DocumentNumber": "40", "Cancelled": False, "Balance": "125.00", "FinalPayDate": None}
PAID = {**UNPAID, "Balance": 0, "FinalPayDate": "2025-11-20"}


@pytest.mark.parametrize(("rule", "order", "invoice", "expected"), [
    ("invoice_created", OPEN, None, None),
    ("invoice_created", INVOICED, UNPAID, "completed"),
    ("marked_done", INVOICED, None, None),
    ("marked_done", DONE, None, "completed"),
    ("fully_delivered", OPEN, None, None),
    ("fully_delivered", DELIVERED, None, "completed"),
    ("fully_delivered", RESERVED, None, None),
    ("invoice_paid", INVOICED, UNPAID, None),
    ("invoice_paid", INVOICED, PAID, "completed"),
    ("invoice_paid", CANCELLED, PAID, "cancelled"),  # cancelling is checked first
    ("invoice_created", None, UNPAID, "completed"),  # exported as an invoice only
    ("invoice_created", None, {**UNPAID, "Cancelled": "true"}, "cancelled"),
    ("delivered_or_done", INVOICED, UNPAID, None),
    ("delivered_or_done", DONE, None, "completed"),
    ("delivered_or_done", DELIVERED, None, "completed"),
    ("delivered_or_done", None, UNPAID, None),
    ("delivered_or_done", None, {**UNPAID, "WarehouseReady": True}, "completed"),
])
def test_the_owners_rule_decides_what_the_woo_order_becomes(
    rule: str, order: dict[str, Any] | None, invoice: dict[str, Any] | None,
    expected: str | None,
) -> None:
    chosen = OrderStatusSettings(completed_when=rule, complete_orders=True)

    decision = decide(order, invoice, chosen, sent_delivered=False)

    assert (decision.woo_status if decision else None) == expected


def test_an_order_the_sidecar_sent_delivered_counts_as_done_only_when_marked_done() -> None:
    for rule in ("delivered_or_done", "fully_delivered"):
        chosen = OrderStatusSettings(completed_when=rule)
        assert decide(DELIVERED, None, chosen, sent_delivered=True) is None
    assert decide(DONE, None, OrderStatusSettings(), sent_delivered=True) is not None


def test_by_default_only_exports_with_a_fortnox_order_are_completed_but_all_are_cancelled(
        ) -> None:
    default = OrderStatusSettings()
    invoice_only_done = {**UNPAID, "WarehouseReady": True}

    assert default.completed_when == "delivered_or_done" and default.complete_orders is None
    assert decide(DONE, None, default).woo_status == "completed"
    assert decide(None, invoice_only_done, default) is None
    assert decide(None, {**UNPAID, "Cancelled": True}, default).woo_status == "cancelled"


def test_switched_off_moves_are_not_made() -> None:
    settings = OrderStatusSettings(complete_orders=False, cancel_orders=False)

    assert decide(CANCELLED, None, settings) is None
    assert decide(INVOICED, None, settings) is None
