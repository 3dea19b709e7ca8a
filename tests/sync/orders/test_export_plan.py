"""Which orders export, and which Fortnox steps each payment method gets."""

from __future__ import annotations

from typing import Any

import pytest

from sidecar.sync.orders.plan import eligibility
from sidecar.sync.orders.plan import plan
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import parse_order
from tests.sync.shop import fixture_order


def order(**changes: Any):
    body = fixture_order("019-order-updated-24.body")  # processing, bacs, placed 2026-11-23
    body.update(changes)
    return parse_order(body)


@pytest.mark.parametrize(("changes", "settings", "eligible", "reason"), [
    ({}, {}, True, "status 'processing' triggers export"),
    ({"status": "completed"}, {}, True, "status 'completed' triggers export"),
    ({"status": "on-hold"}, {}, False, "status 'on-hold' is not an export trigger"),
    ({"status": "pending"}, {}, False, "never exported"),
    ({"status": "failed"}, {}, False, "never exported"),
    ({"status": "checkout-draft"}, {}, False, "never exported"),
    ({"status": "cancelled"}, {}, False, "never exported"),
    ({"status": "on-hold"}, {"export.trigger_statuses": ["on-hold"]}, True, "triggers"),
    ({}, {"export.first_order_date": "2026-11-24"}, False, "before the first order date"),
    ({}, {"export.first_order_date": "2026-11-23"}, True, "triggers"),
    ({}, {"export.payment_methods": {"bacs": {"skip": True}}}, False, "set to skip"),
])
def test_eligibility(changes, settings, eligible: bool, reason: str) -> None:
    result = eligibility(order(**changes), ExportSettings.from_values("s", settings))
    assert result.eligible is eligible and reason in str(result.reason)


def test_a_payment_method_overrides_the_document_mode_and_payment_steps() -> None:
    export = ExportSettings.from_values("s", {
        "export.document_mode": "order",
        "export.payment_methods": {"bacs": {
            "document_mode": "invoice", "bookkeep_invoice": True, "register_payment": True,
            "mode_of_payment": "BG", "terms_of_payment": "10"}}})
    steps = plan(order(), export)
    assert steps.steps == ("create_invoice", "bookkeep_invoice", "register_payment")
    assert (steps.mode_of_payment, steps.terms_of_payment) == ("BG", "10")


def test_an_unpaid_order_gets_no_payment_registered() -> None:
    export = ExportSettings.from_values("s", {"export.register_payment": True,
                                              "export.mode_of_payment": "BG"})
    steps = plan(order(date_paid=None), export)
    assert "register_payment" not in steps.steps and steps.notes


def test_order_mode_never_bookkeeps() -> None:
    export = ExportSettings.from_values("s", {"export.document_mode": "order",
                                              "export.bookkeep_invoice": True})
    steps = plan(order(), export)
    assert steps.steps == ("create_order",) and steps.notes
