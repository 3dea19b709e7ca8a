"""Whether an order is exported, and which Fortnox steps apply to it.

Both are pure: the use case asks `eligibility()` before doing anything, then follows `plan()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.sync.orders.settings import NEVER_EXPORTED
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import WooOrder

CREATE_ORDER = "create_order"
CREATE_INVOICE_FROM_ORDER = "create_invoice_from_order"
CREATE_INVOICE = "create_invoice"
BOOKKEEP_INVOICE = "bookkeep_invoice"
REGISTER_PAYMENT = "register_payment"
GIFT_CARD_PAYMENT = "gift_card_payment"


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: Message  # in words for the owner; English in str()


@dataclass(frozen=True)
class ExportPlan:
    """The steps, in order, and the payment terms the documents carry."""

    document_mode: str
    steps: tuple[str, ...]
    terms_of_payment: str = ""
    mode_of_payment: str = ""
    notes: tuple[Message, ...] = ()
    gift_card_account: int = 0

    @property
    def makes_order(self) -> bool:
        return CREATE_ORDER in self.steps

    @property
    def makes_invoice_payload(self) -> bool:
        return CREATE_INVOICE in self.steps


def order_date(order: WooOrder) -> date | None:
    """The day the order was placed, in the shop's own time zone (as the owner sees it)."""
    try:
        return date.fromisoformat(order.date_created[:10])
    except ValueError:
        return None


def eligibility(order: WooOrder, settings: ExportSettings) -> Eligibility:
    """Eligible, or the reason not, in words for the dashboard."""
    if order.status in NEVER_EXPORTED:
        return Eligibility(False, msg("eligibility.never", status=order.status))
    if order.status not in settings.trigger_statuses:
        wanted = ", ".join(settings.trigger_statuses)
        return Eligibility(False, msg("eligibility.not_a_trigger", status=order.status,
                                      wanted=wanted))
    placed = order_date(order)
    if settings.first_order_date is not None:
        if placed is None:
            return Eligibility(False, msg("eligibility.no_date"))
        if placed < settings.first_order_date:
            return Eligibility(False, msg("eligibility.before_first_date",
                                          placed=placed.isoformat(),
                                          first=settings.first_order_date.isoformat()))
    rules = settings.payment_methods.get(order.payment_method)
    if rules is not None and rules.skip:
        return Eligibility(False, msg("eligibility.payment_skipped",
                                      method=order.payment_method))
    return Eligibility(True, msg("eligibility.trigger", status=order.status))


def plan(order: WooOrder, settings: ExportSettings) -> ExportPlan:
    """Which steps apply, from the owner's defaults and the payment method's own rules."""
    rules = settings.payment_methods.get(order.payment_method)

    def pick(name: str, default):  # the payment method's value when it sets one
        value = getattr(rules, name) if rules is not None else None
        return default if value is None else value

    mode = pick("document_mode", settings.document_mode)
    bookkeep = pick("bookkeep_invoice", settings.bookkeep_invoice)
    pay = pick("register_payment", settings.register_payment)
    mode_of_payment = pick("mode_of_payment", settings.mode_of_payment)
    steps = {"order": [CREATE_ORDER], "invoice": [CREATE_INVOICE],
             "order_then_invoice": [CREATE_ORDER, CREATE_INVOICE_FROM_ORDER]}[mode]
    notes: list[Message] = []
    if mode == "order" and (bookkeep or pay):
        notes.append(msg("plan.no_invoice_no_payment"))
    elif mode != "order":
        if bookkeep:
            steps.append(BOOKKEEP_INVOICE)
        if order.gift_card_payments:  # a gift card paid part of it (gift_cards.py)
            steps.append(GIFT_CARD_PAYMENT)
        if pay and not order.date_paid:
            notes.append(msg("plan.not_paid_yet"))
        elif pay and not mode_of_payment:
            notes.append(msg("plan.no_mode_of_payment"))
        elif pay:
            steps.append(REGISTER_PAYMENT)
    return ExportPlan(
        document_mode=mode,
        steps=tuple(steps),
        terms_of_payment=pick("terms_of_payment", settings.terms_of_payment),
        mode_of_payment=mode_of_payment,
        notes=tuple(notes),
        gift_card_account=settings.gift_card_account,
    )
