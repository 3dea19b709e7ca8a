"""Orders, invoices and invoice payments, with the rules Fortnox enforces on them.

- An order with an invoice (`InvoiceReference` other than "0"), a cancelled order and a
  warehouse-ready order can't be changed; an invoiced order can't be cancelled.
- A booked or cancelled invoice can't be changed; a booked invoice can't be cancelled.
- Credits (docs/fortnox-credits.md): `PUT .../credit` copies the whole invoice with negated
  quantities into a credit invoice (`Credit` "true", `InvoiceReference` the original) and links
  it on the original (`CreditInvoiceReference`); an invoice holds one such link, so a second
  `/credit` is refused, as is crediting a credit invoice, a cancelled one, or an unbooked one
  under accrual accounting. A credit invoice POSTed with `CreditInvoiceReference` is linked as
  the `credit_reference_on_post` knob says, because Fortnox's behaviour there is unknown.
- Rows: without `RowId` the sent rows replace the old ones; with `RowId`, listed ids are
  updated, rows without one added, omitted ones deleted. RowIds are new after every update.
- Stock: a document owns what it moved. Orders move stock by `DeliveryState` (`delivery`
  draws the delivered quantity, `reservation` reserves, `registration` does nothing);
  invoices always deliver. An invoice made from an order takes over what the order drew.
- An invoice's `Balance` drops when a payment is bookkept (`PUT .../bookkeep`).
"""

from __future__ import annotations

import copy
from typing import Any

from sidecar.sim.fortnox import errors as codes
from sidecar.sim.fortnox.document_kinds import COPIED_ROW_FIELDS
from sidecar.sim.fortnox.document_kinds import COPIED_TO_INVOICE
from sidecar.sim.fortnox.document_kinds import INVOICE
from sidecar.sim.fortnox.document_kinds import ORDER
from sidecar.sim.fortnox.document_kinds import ZERO
from sidecar.sim.fortnox.document_kinds import Kind
from sidecar.sim.fortnox.document_kinds import invoiced
from sidecar.sim.fortnox.document_store import DocumentStore
from sidecar.sim.fortnox.errors import invalid
from sidecar.sim.fortnox.events import INVOICES
from sidecar.sim.fortnox.listing import MODIFIED
from sidecar.sim.fortnox.listing import swedish_date
from sidecar.sim.fortnox.money import round_ore
from sidecar.sim.fortnox.values import to_date
from sidecar.sim.fortnox.values import to_decimal
from sidecar.sim.fortnox.values import to_text


class Documents(DocumentStore):
    """A company's orders, invoices and invoice payments, and what may be done with them.

    Looking documents up, building them from a body and saving them is `DocumentStore`'s part.
    """

    # Orders --------------------------------------------------------------------------------

    def create_order(self, body: dict[str, Any]) -> dict[str, Any]:
        order = self._new_document(ORDER, self.orders, body)
        return self._save(ORDER, self.orders, order, body)

    def update_order(self, number: str, body: dict[str, Any]) -> dict[str, Any]:
        order = self.order(number)
        self._check_order_editable(order)
        draft = copy.deepcopy(order)
        self._apply_header(ORDER, draft, body, creating=False)
        if ORDER.rows_key in body:
            self._apply_rows(ORDER, draft, body[ORDER.rows_key], replacing=True)
        return self._commit(ORDER, self.orders, draft)

    def cancel_order(self, number: str) -> dict[str, Any]:
        order = self.order(number)
        if invoiced(order):
            raise invalid(codes.DOCUMENT_LOCKED, "Ordern är fakturerad och kan inte makuleras")
        if order["Cancelled"]:
            raise invalid(codes.DOCUMENT_LOCKED, "Ordern är redan makulerad")
        order["Cancelled"] = True
        self._settle_stock(ORDER, order)
        order[MODIFIED] = self.state.now()
        self._changed(ORDER, order, "cancelled")
        return order

    def mark_order_delivered(self, number: str) -> dict[str, Any]:
        """GUI action: deliver everything ordered."""
        order = self.order(number)
        self._check_order_editable(order)
        order["DeliveryState"] = "delivery"
        for row in order[ORDER.rows_key]:
            row["DeliveredQuantity"] = row["OrderedQuantity"]
        return self._commit(ORDER, self.orders, order)

    def mark_warehouse_ready(self, kind: Kind, number: str) -> dict[str, Any]:
        doc = self.order(number) if kind is ORDER else self.invoice(number)
        if kind is ORDER and doc["DeliveryState"] != "delivery":
            raise invalid(codes.INVALID_PARAMETER, "Ordern måste ha leveransstatus leverans")
        if doc["Cancelled"]:
            raise invalid(codes.DOCUMENT_LOCKED, "Dokumentet är makulerat")
        doc["WarehouseReady"] = True
        doc[MODIFIED] = self.state.now()
        self._changed(kind, doc, "updated")
        return doc

    def create_invoice_from_order(self, number: str) -> dict[str, Any]:
        order = self.order(number)
        if invoiced(order):
            raise invalid(codes.DOCUMENT_LOCKED, "Ordern är redan fakturerad")
        if order["Cancelled"]:
            raise invalid(codes.DOCUMENT_LOCKED, "Ordern är makulerad")
        body: dict[str, Any] = {key: copy.deepcopy(order[key]) for key in COPIED_TO_INVOICE}
        if order["CopyRemarks"]:
            body["Remarks"] = order["Remarks"]
        body[INVOICE.rows_key] = [
            {key: row[key] for key in COPIED_ROW_FIELDS}
            for row in order[ORDER.rows_key]
            if row["DeliveredQuantity"] != ZERO or not row["ArticleNumber"]
        ]
        invoice = self._new_document(INVOICE, self.invoices, body)
        invoice["OrderReference"] = order["DocumentNumber"]
        # The invoice takes over the stock the order drew; the order's reservations end.
        invoice["_stock_moved"] = order["_stock_moved"]
        order["_stock_moved"] = {}
        for (item, point), qty in order["_stock_reserved"].items():
            self.state.warehouse.reserve(item, point, -qty)
        order["_stock_reserved"] = {}
        self._save(INVOICE, self.invoices, invoice, body)
        order["InvoiceReference"] = invoice["DocumentNumber"]
        order[MODIFIED] = self.state.now()
        self._changed(ORDER, order, "updated")
        return order

    def _check_order_editable(self, order: dict[str, Any]) -> None:
        if invoiced(order):
            raise invalid(codes.DOCUMENT_LOCKED, "Ordern är fakturerad och kan inte ändras")
        if order["Cancelled"]:
            raise invalid(codes.DOCUMENT_LOCKED, "Ordern är makulerad och kan inte ändras")
        if order["WarehouseReady"]:
            raise invalid(codes.DOCUMENT_LOCKED, "Ordern är klarmarkerad och kan inte ändras")

    # Invoices ------------------------------------------------------------------------------

    def create_invoice(self, body: dict[str, Any]) -> dict[str, Any]:
        invoice = self._new_document(INVOICE, self.invoices, body)
        self._link_posted_credit(invoice, body)
        return self._save(INVOICE, self.invoices, invoice, body)

    def update_invoice(self, number: str, body: dict[str, Any]) -> dict[str, Any]:
        invoice = self.invoice(number)
        if invoice["Booked"] or invoice["Cancelled"]:
            raise invalid(codes.DOCUMENT_LOCKED, "Fakturan är bokförd eller makulerad")
        draft = copy.deepcopy(invoice)
        self._apply_header(INVOICE, draft, body, creating=False)
        if INVOICE.rows_key in body:
            self._apply_rows(INVOICE, draft, body[INVOICE.rows_key], replacing=True)
        return self._commit(INVOICE, self.invoices, draft)

    def bookkeep_invoice(self, number: str) -> dict[str, Any]:
        invoice = self.invoice(number)
        if invoice["Cancelled"]:
            raise invalid(codes.DOCUMENT_LOCKED, "Fakturan är makulerad")
        if invoice["Booked"]:
            raise invalid(codes.DOCUMENT_LOCKED, "Fakturan är redan bokförd")
        invoice["Booked"] = True
        invoice["VoucherSeries"] = "B"
        invoice["VoucherNumber"] = sum(1 for i in self.invoices.values() if i["Booked"])
        invoice["VoucherYear"] = 1
        invoice[MODIFIED] = self.state.now()
        self._changed(INVOICE, invoice, "bookkeep")
        return invoice

    def cancel_invoice(self, number: str) -> dict[str, Any]:
        invoice = self.invoice(number)
        if invoice["Booked"]:
            raise invalid(codes.DOCUMENT_LOCKED, "En bokförd faktura kan inte makuleras")
        if invoice["Cancelled"]:
            raise invalid(codes.DOCUMENT_LOCKED, "Fakturan är redan makulerad")
        invoice["Cancelled"] = True
        invoice["Balance"] = ZERO
        self._settle_stock(INVOICE, invoice)
        invoice[MODIFIED] = self.state.now()
        self._changed(INVOICE, invoice, "cancelled")
        return invoice

    def credit_invoice(self, number: str) -> dict[str, Any]:
        """Make a credit invoice for the whole invoice; answer the original, now referencing it."""
        original = self.invoice(number)
        if original["Cancelled"] or original["Credit"] == "true":
            raise invalid(codes.DOCUMENT_LOCKED, "Fakturan kan inte krediteras")
        if original["CreditInvoiceReference"] not in ("", "0"):
            raise invalid(codes.DOCUMENT_LOCKED, "Fakturan är redan krediterad")
        if original["AccountingMethod"] == "ACCRUAL" and not original["Booked"]:
            # Fortnox offers no credit of an unbooked invoice under accrual accounting.
            raise invalid(codes.DOCUMENT_LOCKED,
                          "Fakturan måste vara bokförd innan den kan krediteras")
        body: dict[str, Any] = {key: copy.deepcopy(original[key]) for key in COPIED_TO_INVOICE}
        body["Freight"] = -original["Freight"]
        body["AdministrationFee"] = -original["AdministrationFee"]
        body[INVOICE.rows_key] = [_negated(row) for row in original[INVOICE.rows_key]]
        credit = self._new_document(INVOICE, self.invoices, body)
        credit["Credit"] = "true"
        credit["InvoiceReference"] = original["DocumentNumber"]
        self._save(INVOICE, self.invoices, credit, body)
        original["CreditInvoiceReference"] = credit["DocumentNumber"]
        original[MODIFIED] = self.state.now()
        self._changed(INVOICE, original, "updated")
        return original

    def _link_posted_credit(self, invoice: dict[str, Any], body: dict[str, Any]) -> None:
        """`CreditInvoiceReference` in a POST: the spec lets it be sent, no source shows what
        Fortnox makes of it, so the knob picks one of the three plausible answers."""
        reference = to_text(body.get("CreditInvoiceReference"))
        if reference in ("", "0"):
            return
        mode = self.state.knobs.credit_reference_on_post
        if mode == "reject":
            raise invalid(codes.INVALID_PARAMETER,
                          f"Ogiltigt värde för kreditfakturareferens ({reference})")
        original = self.invoice(reference, in_body=True)
        if mode == "link" and original["Credit"] != "true":
            invoice["Credit"] = "true"
            invoice["InvoiceReference"] = original["DocumentNumber"]

    # Payments ------------------------------------------------------------------------------

    def create_payment(self, body: dict[str, Any]) -> dict[str, Any]:
        if not to_text(body.get("InvoiceNumber")):
            raise invalid(codes.REQUIRED_FIELD_MISSING, "Fakturanummer måste anges")
        invoice = self.invoice(to_text(body["InvoiceNumber"]), in_body=True)
        if invoice["Cancelled"]:
            raise invalid(codes.DOCUMENT_LOCKED, "Fakturan är makulerad")
        if "Amount" not in body:
            raise invalid(codes.REQUIRED_FIELD_MISSING, "Belopp måste anges")
        amount = round_ore(to_decimal(body["Amount"], "Amount"))
        rate = to_decimal(body.get("CurrencyRate", invoice["CurrencyRate"]), "CurrencyRate")
        mode = self.state.check_code("modesofpayments", body.get("ModeOfPayment"))
        account = body.get("ModeOfPaymentAccount")
        if account is None and mode:
            account = self.state.register_item("modesofpayments", mode)["AccountNumber"]
        payment_date = to_date(body["PaymentDate"], "PaymentDate") if body.get("PaymentDate") \
            else swedish_date(self.state.now()).isoformat()
        if payment_date < invoice["InvoiceDate"]:
            raise invalid(codes.INVALID_PARAMETER,
                          "Betalningsdatum kan inte vara före fakturadatum")
        number = str(len(self.payments) + 1)
        payment = {
            "Number": number,
            "InvoiceNumber": int(invoice["DocumentNumber"]),
            "Amount": amount,
            "AmountCurrency": round_ore(to_decimal(body["AmountCurrency"], "AmountCurrency"))
            if "AmountCurrency" in body else round_ore(amount / rate),
            "Booked": False,
            "Currency": invoice["Currency"],
            "CurrencyRate": rate,
            "CurrencyUnit": invoice["CurrencyUnit"],
            "ExternalInvoiceReference1": invoice["ExternalInvoiceReference1"],
            "ExternalInvoiceReference2": invoice["ExternalInvoiceReference2"],
            "InvoiceCustomerName": invoice["CustomerName"],
            "InvoiceCustomerNumber": invoice["CustomerNumber"],
            "InvoiceDueDate": invoice["DueDate"],
            "InvoiceOCR": invoice["OCR"],
            "InvoiceTotal": str(invoice["Total"]),
            "ModeOfPayment": mode,
            "ModeOfPaymentAccount": int(to_decimal(account, "ModeOfPaymentAccount"))
            if account not in (None, "") else None,
            "PaymentDate": payment_date,
            "Source": "manual",
            "VoucherNumber": None,
            "VoucherSeries": None,
            "VoucherYear": None,
            "WriteOffs": copy.deepcopy(body.get("WriteOffs") or []),
            MODIFIED: self.state.now(),
        }
        self.payments[number] = payment
        return payment

    def bookkeep_payment(self, number: str) -> dict[str, Any]:
        payment = self.payment(number)
        if payment["Booked"]:
            raise invalid(codes.DOCUMENT_LOCKED, "Inbetalningen är redan bokförd")
        invoice = self.invoice(str(payment["InvoiceNumber"]))
        paid = payment["Amount"] if invoice["Currency"] == "SEK" else payment["AmountCurrency"]
        invoice["_paid"] += paid
        invoice["Balance"] = invoice["Total"] - invoice["_paid"]
        if invoice["Balance"] <= ZERO:
            invoice["FinalPayDate"] = payment["PaymentDate"]
        invoice[MODIFIED] = self.state.now()
        payment["Booked"] = True
        payment["VoucherSeries"] = "C"
        payment["VoucherNumber"] = sum(1 for p in self.payments.values() if p["Booked"])
        payment["VoucherYear"] = 1
        payment[MODIFIED] = self.state.now()
        self.state.emit(INVOICES, "invoicepayment-bookkeep-v1", number)
        self._changed(INVOICE, invoice, "updated")
        return payment


def _negated(row: dict[str, Any]) -> dict[str, Any]:
    """A row of a credit copy: the quantity negated, and an amount discount with it, so the
    row's total is the original's negated."""
    copied = {key: row[key] for key in COPIED_ROW_FIELDS}
    copied["DeliveredQuantity"] = -row["DeliveredQuantity"]
    if row["DiscountType"] == "AMOUNT":
        copied["Discount"] = -row["Discount"]
    return copied
