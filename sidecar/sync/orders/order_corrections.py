"""A refund of an order not invoiced yet: the Fortnox order is corrected instead of credited.

The Fortnox order keeps every row it has (each named by its RowId, which leaves it as it is:
the spec's rule for PUT with RowIds) and gets, after a text row "Återbetalning <id>", the
refund's rows with negative quantities, as Fortnox Hub corrects orders before invoicing. The
öre rows of the reconciliation are made again for the whole order, so the order's total and
VAT per rate are the sale less what was refunded, to the öre, and the invoice made from it later
is too. The text row is also how a lost answer is recognised: its refund is already in.

An order invoiced meanwhile (someone pressed "Skapa faktura" in Fortnox) is left alone; its
invoice is credited instead. A cancelled or warehouse-ready order cannot be changed. A refund
of the whole order before invoicing, or its cancellation, cancels the Fortnox order
(`cancel_fortnox_order`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxValidationError
from sidecar.messages import msg
from sidecar.models import OrderLedger
from sidecar.sync.orders import documents
from sidecar.sync.orders import ledger as steps
from sidecar.sync.orders.accounts import AccountDecision
from sidecar.sync.orders.credit_rows import CreditDraft
from sidecar.sync.orders.credit_rows import fortnox_rows
from sidecar.sync.orders.rounding import reconcile
from sidecar.sync.orders.rows import ZERO
from sidecar.sync.orders.rows import RowDraft

RECONCILIATION_TEXTS = ("Öresjustering moms", "Öresavrundning")


class OrderNotCorrectable(Exception):
    """The Fortnox order can no longer take the refund; `invoice` is set when it was invoiced."""

    def __init__(self, reason: str, invoice: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.invoice = invoice


@dataclass(frozen=True)
class Target:
    """What the corrected order must total: the sale less every refund applied to it."""

    total: Decimal
    vat_by_rate: Mapping[Decimal, Decimal]


def heading(refund_id: int) -> str:
    return f"Återbetalning {refund_id}"


def correct_order(row: OrderLedger, step: str, refund_id: int, draft: CreditDraft,
                  target: Target, *, vat_included: bool, rounding_account: int,
                  stock_point: str, fortnox: FortnoxClient, now: datetime) -> dict[str, Any]:
    """Put the refund's rows on the Fortnox order; returns the order as Fortnox has it."""
    number = str(row.fortnox_order_number)
    answer: dict[str, Any] = {}

    def find() -> str | None:
        current = fortnox.get_order(number)
        if any(r.get("Description") == heading(refund_id) for r in current.get("OrderRows")
               or []):
            answer.update(current)
            return number
        return None

    def send() -> str:
        current = fortnox.get_order(number)
        _check_editable(current)
        body = corrected_rows(current, draft, target, heading(refund_id),
                              vat_included=vat_included, rounding_account=rounding_account,
                              stock_point=stock_point)
        answer.update(fortnox.update_order(number, {"OrderRows": body}))
        return number

    documents._attempts(row, step, find=find, send=send, now=now, column=None,
                        request={"order": number, "refund": refund_id,
                                 "expected_total": target.total,
                                 "expected_vat": {str(rate): vat for rate, vat
                                                  in target.vat_by_rate.items()}})
    return answer or dict(fortnox.get_order(number))


def _check_editable(order: Mapping[str, Any]) -> None:
    found = obstacle(order)
    if found is not None:
        raise found


def obstacle(order: Mapping[str, Any]) -> OrderNotCorrectable | None:
    """Why the Fortnox order can no longer take a refund's rows, or None."""
    invoice = str(order.get("InvoiceReference") or "0")
    if invoice not in ("", "0"):
        return OrderNotCorrectable("invoiced", invoice)
    if documents._true(order.get("Cancelled")):
        return OrderNotCorrectable("cancelled")
    if documents._true(order.get("WarehouseReady")):
        return OrderNotCorrectable("warehouse_ready")
    return None


def corrected_rows(order: Mapping[str, Any], draft: CreditDraft, target: Target, text: str, *,
                   vat_included: bool, rounding_account: int, stock_point: str
                   ) -> list[dict[str, Any]]:
    """The order's rows by RowId, the refund's rows, and fresh öre rows for the whole."""
    kept = [r for r in order.get("OrderRows") or []
            if not str(r.get("Description") or "").startswith(RECONCILIATION_TEXTS)]
    modelled = [_as_draft(r) for r in kept if r.get("Total") not in (None, "", 0)]
    modelled += [RowDraft(source=r.source, description=r.description, quantity=-r.quantity,
                          price=r.price, discount=ZERO, vat=r.vat, vat_reason=r.vat_reason,
                          account=r.account) for r in draft.rows]

    def account_for_rate(rate: Decimal) -> AccountDecision:
        largest = max((r for r in modelled if r.vat == rate), key=lambda r: abs(r.total),
                      default=None)
        return largest.account if largest is not None else modelled[0].account

    extra, _ = reconcile(modelled, freight=documents.amount(dict(order), "Freight"),
                         vat_included=vat_included, target_total=target.total,
                         target_vat={r: v for r, v in target.vat_by_rate.items() if r},
                         account_for_rate=account_for_rate, rounding_account=rounding_account)
    refund_rows = fortnox_rows(draft, text, order_rows=True, stock_point=stock_point)
    fixes = [{"Description": r.description, "OrderedQuantity": r.quantity,
              "DeliveredQuantity": r.quantity, "Price": r.price, "VAT": int(r.vat),
              "AccountNumber": r.account.account} for r in extra]
    return [{"RowId": r["RowId"]} for r in kept] + refund_rows + fixes


def _as_draft(row: Mapping[str, Any]) -> RowDraft:
    """A row already on the order, for the arithmetic only: its total at its VAT rate."""
    return RowDraft(source=f"order row {row.get('RowId')}",
                    description=str(row.get("Description") or ""), quantity=Decimal(1),
                    price=documents.amount(dict(row), "Total"), discount=ZERO,
                    vat=documents.amount(dict(row), "VAT"), vat_reason="on the order",
                    account=AccountDecision(int(row.get("AccountNumber") or 0),
                                            msg("account.as_on_order")))


def cancel_fortnox_order(row: OrderLedger, *, fortnox: FortnoxClient, now: datetime) -> None:
    number = str(row.fortnox_order_number)

    def cancelled() -> str | None:
        return number if documents._true(fortnox.get_order(number).get("Cancelled")) else None

    def send() -> str:
        try:
            fortnox.cancel_order(number)
        except FortnoxValidationError:
            if not cancelled():  # e.g. invoiced in Fortnox meanwhile
                raise
        return number

    documents._attempts(row, steps.CANCEL, find=cancelled, send=send, now=now,
                        request={"cancel": number}, column=None)
