"""Invoices and invoice payments: create, read, update, bookkeep, credit, find by reference."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from datetime import datetime
from typing import Any

from sidecar.fortnox.transport import FortnoxTransport
from sidecar.fortnox.transport import JsonObject
from sidecar.fortnox.transport import unwrap
from sidecar.fortnox.wire import date_range
from sidecar.fortnox.wire import format_lastmodified
from sidecar.fortnox.wire import segment

INVOICES = "/3/invoices"
PAYMENTS = "/3/invoicepayments"


class InvoiceOperations(FortnoxTransport):
    def get_invoice(self, document_number: str | int) -> JsonObject:
        return self._get_resource(f"{INVOICES}/{segment(document_number)}", "Invoice")

    def create_invoice(self, invoice: JsonObject) -> JsonObject:
        """POST, never repeated: on `FortnoxOutcomeUnknown` search by ExternalInvoiceReference1."""
        body = self._request("POST", INVOICES, json={"Invoice": invoice}, idempotent=False)
        return unwrap(body, "Invoice")

    def update_invoice(self, document_number: str | int, fields: JsonObject) -> JsonObject:
        """PUT of the given fields (only while the invoice is not booked); idempotent."""
        path = f"{INVOICES}/{segment(document_number)}"
        body = self._request("PUT", path, json={"Invoice": fields}, idempotent=True)
        return unwrap(body, "Invoice")

    def bookkeep_invoice(self, document_number: str | int) -> JsonObject:
        # Not repeated: a second bookkeep is refused; after a lost answer re-read `Booked`.
        path = f"{INVOICES}/{segment(document_number)}/bookkeep"
        return unwrap(self._request("PUT", path, idempotent=False), "Invoice")

    def credit_invoice(self, document_number: str | int) -> JsonObject:
        """Create a credit invoice; the answer's CreditInvoiceReference names it.

        Never repeated: a second call could credit twice. After a lost answer re-read the
        invoice's CreditInvoiceReference.
        """
        path = f"{INVOICES}/{segment(document_number)}/credit"
        return unwrap(self._request("PUT", path, idempotent=False), "Invoice")

    def iter_invoices(
        self, *, modified_since: datetime | None = None, filter: str | None = None,
        from_date: date | None = None, to_date: date | None = None, credit: bool | None = None,
    ) -> Iterator[JsonObject]:
        """Invoice list items; `filter` is one of cancelled, fullypaid, unpaid, unpaidoverdue,
        unbooked; `from_date`/`to_date` bound the InvoiceDate (both days included); `credit`
        True lists credit invoices only (the list items do not say which invoice a credit
        credits: read the credit's InvoiceReference)."""
        params: dict[str, Any] = date_range(from_date, to_date)
        if modified_since is not None:
            params["lastmodified"] = format_lastmodified(modified_since)
        if filter is not None:
            params["filter"] = filter
        if credit is not None:
            params["credit"] = "true" if credit else "false"
        return self._iter_pages(INVOICES, "Invoices", params)

    def find_invoices_by_external_reference(self, reference: str) -> list[JsonObject]:
        """Invoices whose ExternalInvoiceReference1 is exactly `reference` (cancelled ones too)."""
        found = self._iter_pages(INVOICES, "Invoices", {"externalinvoicereference1": reference})
        return [i for i in found if i.get("ExternalInvoiceReference1") == reference]

    def create_invoice_payment(self, payment: JsonObject) -> JsonObject:
        """POST, never repeated: after an unknown outcome list the invoice's payments first."""
        body = self._request("POST", PAYMENTS, json={"InvoicePayment": payment}, idempotent=False)
        return unwrap(body, "InvoicePayment")

    def get_invoice_payment(self, number: str | int) -> JsonObject:
        return self._get_resource(f"{PAYMENTS}/{segment(number)}", "InvoicePayment")

    def bookkeep_invoice_payment(self, number: str | int) -> JsonObject:
        path = f"{PAYMENTS}/{segment(number)}/bookkeep"
        return unwrap(self._request("PUT", path, idempotent=False), "InvoicePayment")

    def iter_invoice_payments(
        self, *, invoice_number: str | int | None = None, modified_since: datetime | None = None
    ) -> Iterator[JsonObject]:
        params: dict[str, Any] = {}
        if invoice_number is not None:
            params["invoicenumber"] = str(invoice_number)
        if modified_since is not None:
            params["lastmodified"] = format_lastmodified(modified_since)
        return self._iter_pages(PAYMENTS, "InvoicePayments", params)
