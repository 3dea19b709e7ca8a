"""A credit invoice in Fortnox for one refund (or a cancellation), made at most once.

How Fortnox links credits (docs/fortnox-credits.md): `PUT /3/invoices/N/credit` copies the
whole invoice into a credit invoice and links the two (the original's CreditInvoiceReference,
the credit's InvoiceReference). An invoice holds one such link, so:

- the first credit of an invoice is made with `/credit` (after bookkeeping the invoice when
  Fortnox books on invoices and it is not booked: Fortnox credits only booked invoices), and its
  rows are then replaced with the refund's (step `credit_edit:<id>`), as Fortnox's help says to
  make a partial credit;
- a later credit is POSTed as a credit invoice naming the original in CreditInvoiceReference
  (the spec allows it; what Fortnox makes of it is not known) and in its text; should Fortnox
  refuse the field, it is sent again without it.

Either way the credit carries our key (the order's key plus `/refund-<id>`) in
ExternalInvoiceReference1 and `refund-<id>` in ExternalInvoiceReference2, and the ledger step
`credit:<id>` holds its number, so a lost answer is looked up (the original's reference, or the
key) before anything is sent again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxValidationError
from sidecar.models import OrderLedger
from sidecar.models import OrderStep
from sidecar.sync.orders import documents
from sidecar.sync.orders import ledger as steps
from sidecar.sync.orders.credit_rows import CreditDraft
from sidecar.sync.orders.credit_rows import fortnox_rows

log = logging.getLogger(__name__)

VIA_CREDIT = "credit"  # PUT /credit, then the rows replaced
VIA_POST = "post"  # POST /3/invoices


@dataclass(frozen=True)
class CreditHeader:
    """What the credit says besides its rows."""

    marker: str  # "refund-130", "cancel": our name for it, in ExternalInvoiceReference2
    heading: str  # its first (text) row, e.g. "Kredit av faktura 12, återbetalning 130"
    remarks: str
    invoice_date: str  # YYYY-MM-DD
    your_order_number: str
    vat_included: bool
    stock_point: str = ""


@dataclass(frozen=True)
class MadeCredit:
    number: str
    via: str
    document: dict[str, Any]  # the credit as Fortnox has it

    @property
    def linked(self) -> bool:
        """Fortnox shows it as the invoice's credit (`/credit` always; a POSTed one only
        if Fortnox took its CreditInvoiceReference, which is not known beforehand)."""
        return self.via == VIA_CREDIT or documents._true(self.document.get("Credit"))


def credit_key(row: OrderLedger, marker: str) -> str:
    """The credit's own key: the order's key names the order's one invoice, and a credit must
    never be taken for it."""
    return f"{row.external_key[:80 - len(marker) - 1]}/{marker}"


def our_credit_numbers(row: OrderLedger) -> set[str]:
    """Credit invoices this ledger made (any refund's or the cancellation's)."""
    return {str(s.fortnox_number) for s in OrderStep.select(OrderStep.fortnox_number).where(
        (OrderStep.ledger == row.id) & OrderStep.step.startswith("credit:")
        & (OrderStep.state == "done") & OrderStep.fortnox_number.is_null(False))}


def make_credit(row: OrderLedger, step: str, original: dict[str, Any], draft: CreditDraft,
                header: CreditHeader, *, fortnox: FortnoxClient, now: datetime) -> MadeCredit:
    """The credit for `step` ("credit:130"), made now or found from an earlier attempt."""
    invoice = str(row.fortnox_invoice_number)
    rows = fortnox_rows(draft, header.heading, stock_point=header.stock_point)
    fields = {"ExternalInvoiceReference1": credit_key(row, header.marker),
              "ExternalInvoiceReference2": header.marker,
              "YourOrderNumber": header.your_order_number[:30],
              "InvoiceDate": header.invoice_date, "DueDate": header.invoice_date,
              "Remarks": header.remarks[:1024], "VATIncluded": header.vat_included,
              "Freight": -draft.freight, "InvoiceRows": rows}
    via = _path(row, step, original)
    if via == VIA_CREDIT:
        return _via_credit(row, step, invoice, original, fields, fortnox=fortnox, now=now)
    payload = {"CustomerNumber": original.get("CustomerNumber") or row.customer_number,
               "Currency": original.get("Currency") or "SEK",
               "CreditInvoiceReference": invoice, **fields}
    for name in ("CurrencyRate", "CurrencyUnit", "OurReference", "YourReference"):
        if original.get(name) not in (None, ""):
            payload[name] = original[name]
    return _via_post(row, step, payload, fortnox=fortnox, now=now)


def _path(row: OrderLedger, step: str, original: dict[str, Any]) -> str:
    """Once chosen, a step keeps its path: a retry must look where the first try made it."""
    last = steps.latest_step(row, step)
    if last is not None and isinstance(last.request, dict) and last.request.get("via"):
        return str(last.request["via"])
    credited = str(original.get("CreditInvoiceReference") or "0") not in ("", "0")
    return VIA_POST if credited else VIA_CREDIT


def _via_credit(row: OrderLedger, step: str, invoice: str, original: dict[str, Any],
                fields: dict[str, Any], *, fortnox: FortnoxClient, now: datetime) -> MadeCredit:
    if (str(original.get("AccountingMethod") or "ACCRUAL") == "ACCRUAL"
            and not documents._true(original.get("Booked"))):
        documents.bookkeep(row, fortnox=fortnox, now=now)
    ours = our_credit_numbers(row)

    def find() -> str | None:
        reference = str(fortnox.get_invoice(invoice).get("CreditInvoiceReference") or "0")
        return None if reference in ("", "0") or reference in ours else reference

    def send() -> str:
        return str(fortnox.credit_invoice(invoice)["CreditInvoiceReference"])

    number, _ = documents._attempts(row, step, find=find, send=send, now=now, column=None,
                                    request={"via": VIA_CREDIT, "invoice": invoice})
    edit = step.replace("credit:", "credit_edit:", 1)
    answer: dict[str, Any] = {}

    def edited() -> str | None:
        current = fortnox.get_invoice(number)
        same = current.get("ExternalInvoiceReference2") == fields["ExternalInvoiceReference2"]
        answer.update(current if same else {})
        return number if same else None

    def put() -> str:
        answer.update(fortnox.update_invoice(number, fields))
        return number

    if not steps.step_done(row, edit):
        documents._attempts(row, edit, find=edited, send=put, now=now, column=None,
                            request=fields)
    return MadeCredit(number, VIA_CREDIT, answer or fortnox.get_invoice(number))


def _via_post(row: OrderLedger, step: str, payload: dict[str, Any], *,
              fortnox: FortnoxClient, now: datetime) -> MadeCredit:
    key = payload["ExternalInvoiceReference1"]
    answer: dict[str, Any] = {}

    def find() -> str | None:
        found = [d for d in fortnox.find_invoices_by_external_reference(key)
                 if not documents._true(d.get("Cancelled"))]
        return str(found[0]["DocumentNumber"]) if found else None

    def send() -> str:
        try:
            answer.update(fortnox.create_invoice(payload))
        except FortnoxValidationError as exc:
            # Nothing was made. If Fortnox will not take the link, the credit is made without
            # it: the ledger, the key and the text still tie it to the invoice.
            log.info("credit.link_refused ledger=%s error=%s", row.id, exc.message)
            unlinked = {k: v for k, v in payload.items() if k != "CreditInvoiceReference"}
            answer.update(fortnox.create_invoice(unlinked))
        return str(answer["DocumentNumber"])

    number, _ = documents._attempts(row, step, find=find, send=send, now=now, column=None,
                                    request={"via": VIA_POST, **payload})
    return MadeCredit(number, VIA_POST, answer or fortnox.get_invoice(number))


def totals_of(document: dict[str, Any]) -> tuple[Decimal, Decimal]:
    """(Total before öresavrundning, TotalVAT) of a Fortnox document."""
    return (documents.amount(document, "Total") - documents.amount(document, "RoundOff"),
            documents.amount(document, "TotalVAT"))
