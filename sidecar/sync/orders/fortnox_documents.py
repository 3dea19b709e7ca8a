"""The Fortnox documents of one order, as the ledger knows them: what exists, for the owner.

The dashboard and the WordPress plugin say what exists in Fortnox, not what the sidecar did:
"Kreditfaktura 63 för faktura 12 (återbetalning 116)", "Faktura 12 makulerad i Fortnox". The
list comes from the ledger row (the order, the invoice) and its steps: each refund's summary
(`refund:<id>`), the credit of a cancellation, and what the order status sync learnt was done
in Fortnox by hand (`fortnox_cancelled`, `fortnox_credit`). The plugin gets it as JSON in the
order meta `fortnox_documents` (writeback.py).
"""

from __future__ import annotations

from dataclasses import asdict
from dataclasses import dataclass
from typing import Any

from sidecar.models import OrderLedger
from sidecar.models import OrderStep

ORDER = "order"
INVOICE = "invoice"
CREDIT_INVOICE = "credit_invoice"
ORDER_CORRECTION = "order_correction"
REFUND_NOT_BOOKED = "refund_not_booked"
# Steps the order status sync records when it sees what was done in Fortnox by hand.
FORTNOX_CANCELLED = "fortnox_cancelled"
FORTNOX_CREDIT = "fortnox_credit"


@dataclass(frozen=True)
class Document:
    type: str  # ORDER, INVOICE, CREDIT_INVOICE, ORDER_CORRECTION, REFUND_NOT_BOOKED
    number: str = ""
    invoice: str = ""  # the invoice a credit invoice credits
    refund: int = 0  # the WooCommerce refund it books (0: a cancellation, or none)
    cancelled: bool = False  # cancelled (makulerad) in Fortnox
    by_hand: bool = False  # made in Fortnox, not by the sidecar
    # A credit Fortnox does not show as the invoice's (POSTed, and Fortnox ignored the link).
    unlinked: bool = False
    reason: str = ""  # why a refund was not booked (refund_ledger kinds)

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in ("", 0, False)}


def documents_of(row: OrderLedger) -> list[Document]:
    """Order, invoice, then credits and corrections in the order they were made."""
    found = list(OrderStep.select().where(OrderStep.ledger == row.id).order_by(OrderStep.id))
    cancelled = {(_facts(s).get("document"), s.fortnox_number) for s in found
                 if s.step == FORTNOX_CANCELLED}
    documents = []
    if row.fortnox_order_number:
        by_us = row.state == "cancelled" and not row.fortnox_invoice_number
        documents.append(Document(ORDER, str(row.fortnox_order_number), cancelled=by_us or (
            ORDER, row.fortnox_order_number) in cancelled))
    if row.fortnox_invoice_number:
        documents.append(Document(INVOICE, str(row.fortnox_invoice_number), cancelled=(
            INVOICE, row.fortnox_invoice_number) in cancelled))
    ours = {s.fortnox_number for s in found if s.step.startswith("credit:") and s.state == "done"}
    latest: dict[str, OrderStep] = {}
    for step in found:
        if step.step == FORTNOX_CREDIT and step.fortnox_number in ours:
            continue  # seen by the status sync while ours was being recorded
        if step.step.startswith("refund:") or step.step in ("cancel", FORTNOX_CREDIT):
            latest[step.step if step.step != FORTNOX_CREDIT else f"{step.step}:{step.id}"] = step
    for name, step in sorted(latest.items(), key=lambda item: item[1].id):
        document = _from_step(name, step, row)
        if document is not None:
            documents.append(document)
    return documents


def _from_step(name: str, step: OrderStep, row: OrderLedger) -> Document | None:
    facts = _facts(step)
    kind = facts.get("kind")
    refund = int(name.partition(":")[2]) if name.startswith("refund:") else 0
    number = str(step.fortnox_number or "")
    if name.startswith(FORTNOX_CREDIT):
        return Document(CREDIT_INVOICE, number, invoice=str(facts.get("invoice") or ""),
                        by_hand=True)
    if step.state == "done" and kind == "credit":
        return Document(CREDIT_INVOICE, number, invoice=str(facts.get("invoice") or ""),
                        refund=refund, unlinked=facts.get("linked") is False)
    if step.state == "done" and kind == "order":
        return Document(ORDER_CORRECTION, number, refund=refund)
    if refund and step.state in ("noted", "needs_owner"):
        return Document(REFUND_NOT_BOOKED, refund=refund, reason=str(kind or ""))
    return None


def _facts(step: OrderStep) -> dict[str, Any]:
    return step.request if isinstance(step.request, dict) else {}
