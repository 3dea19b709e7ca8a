"""Orders: create, read, update, turn into an invoice, cancel, find by our reference."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from datetime import datetime
from typing import Any

from sidecar.fortnox.errors import FortnoxError
from sidecar.fortnox.transport import FortnoxTransport
from sidecar.fortnox.transport import JsonObject
from sidecar.fortnox.transport import unwrap
from sidecar.fortnox.wire import date_range
from sidecar.fortnox.wire import format_lastmodified
from sidecar.fortnox.wire import segment

ORDERS = "/3/orders"


class OrderOperations(FortnoxTransport):
    def get_order(self, document_number: str | int) -> JsonObject:
        return self._get_resource(f"{ORDERS}/{segment(document_number)}", "Order")

    def create_order(self, order: JsonObject) -> JsonObject:
        """POST, never repeated: on `FortnoxOutcomeUnknown` search by ExternalInvoiceReference1."""
        body = self._request("POST", ORDERS, json={"Order": order}, idempotent=False)
        return unwrap(body, "Order")

    def update_order(self, document_number: str | int, fields: JsonObject) -> JsonObject:
        """PUT of the given fields. Idempotent as long as rows are sent whole; RowIds are
        regenerated on every update, so a repeat that names old RowIds fails instead."""
        path = f"{ORDERS}/{segment(document_number)}"
        body = self._request("PUT", path, json={"Order": fields}, idempotent=True)
        return unwrap(body, "Order")

    def create_invoice_from_order(self, document_number: str | int) -> str:
        """Create the invoice for an order; returns the invoice's DocumentNumber.

        Never repeated: a lost answer means re-read the order's InvoiceReference. The spec says
        the answer is an Invoice, the maintained SDKs read an Order; both are understood.
        """
        path = f"{ORDERS}/{segment(document_number)}/createinvoice"
        return _invoice_number(self._request("PUT", path, idempotent=False))

    def cancel_order(self, document_number: str | int) -> JsonObject:
        # A repeated cancel is refused by Fortnox, so after a lost answer re-read the order.
        path = f"{ORDERS}/{segment(document_number)}/cancel"
        return unwrap(self._request("PUT", path, idempotent=False), "Order")

    def mark_order_warehouse_ready(self, document_number: str | int) -> JsonObject:
        """Fortnox Lager: lock the order's delivery (needs DeliveryState=delivery)."""
        path = f"{ORDERS}/{segment(document_number)}/warehouseready"
        return unwrap(self._request("PUT", path, idempotent=False), "Order")

    def iter_orders(
        self, *, modified_since: datetime | None = None, filter: str | None = None,
        from_date: date | None = None, to_date: date | None = None,
    ) -> Iterator[JsonObject]:
        """Order list items; `filter` is one of cancelled, expired, invoicecreated,
        invoicenotcreated; `from_date`/`to_date` bound the OrderDate (both days included)."""
        params: dict[str, Any] = date_range(from_date, to_date)
        if modified_since is not None:
            params["lastmodified"] = format_lastmodified(modified_since)
        if filter is not None:
            params["filter"] = filter
        return self._iter_pages(ORDERS, "Orders", params)

    def find_orders_by_external_reference(self, reference: str) -> list[JsonObject]:
        """Orders whose ExternalInvoiceReference1 is exactly `reference` (cancelled ones too)."""
        found = self._iter_pages(ORDERS, "Orders", {"externalinvoicereference1": reference})
        return [o for o in found if o.get("ExternalInvoiceReference1") == reference]


def _invoice_number(body: Any) -> str:
    if isinstance(body, dict) and isinstance(body.get("Invoice"), dict):
        number = body["Invoice"].get("DocumentNumber")
    else:
        number = unwrap(body, "Order").get("InvoiceReference")
    if number in (None, "", "0", 0):
        raise FortnoxError("Fortnox created no invoice number for the order", retryable=False)
    return str(number)
