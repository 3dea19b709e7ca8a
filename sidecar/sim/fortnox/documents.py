"""Orders, invoices and invoice payments, with the rules Fortnox enforces on them.

- An order with an invoice (`InvoiceReference` other than "0"), a cancelled order and a
  warehouse-ready order can't be changed; an invoiced order can't be cancelled.
- A booked or cancelled invoice can't be changed; a booked invoice can't be cancelled.
- Rows: without `RowId` the sent rows replace the old ones; with `RowId`, listed ids are
  updated, rows without one added, omitted ones deleted. RowIds are new after every update.
- Stock: a document owns what it moved. Orders move stock by `DeliveryState` (`delivery`
  draws the delivered quantity, `reservation` reserves, `registration` does nothing);
  invoices always deliver. An invoice made from an order takes over what the order drew.
- An invoice's `Balance` drops when a payment is bookkept (`PUT .../bookkeep`).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING
from typing import Any

from sidecar.sim.fortnox import errors as codes
from sidecar.sim.fortnox.errors import invalid
from sidecar.sim.fortnox.errors import not_found
from sidecar.sim.fortnox.listing import MODIFIED
from sidecar.sim.fortnox.listing import ListRules
from sidecar.sim.fortnox.listing import swedish_date
from sidecar.sim.fortnox.money import RowInput
from sidecar.sim.fortnox.money import document_totals
from sidecar.sim.fortnox.money import round_ore
from sidecar.sim.fortnox.values import to_bool
from sidecar.sim.fortnox.values import to_date
from sidecar.sim.fortnox.values import to_decimal
from sidecar.sim.fortnox.values import to_text

if TYPE_CHECKING:
    from sidecar.sim.fortnox.state import FortnoxState

ZERO = Decimal("0")
VAT_CODES = {Decimal("25"): "MP1", Decimal("12"): "MP2", Decimal("6"): "MP3", ZERO: "MF"}
COUNTRY_NAMES = {"SE": "Sverige", "NO": "Norway", "DK": "Denmark", "FI": "Finland",
                 "DE": "Germany", "GB": "United Kingdom", "US": "United States",
                 "NL": "Netherlands", "FR": "France"}
REGISTER_FIELDS = {"Currency": "currencies", "PriceList": "pricelists",
                   "TermsOfPayment": "termsofpayments", "TermsOfDelivery": "termsofdeliveries",
                   "WayOfDelivery": "wayofdeliveries"}
HEADER_BOOLS = {"VATIncluded", "NotCompleted", "CopyRemarks", "EUQuarterlyReport", "HouseWork"}
HEADER_NUMBERS = {"Freight", "AdministrationFee", "CurrencyRate", "CurrencyUnit"}
HEADER_DATES = {"OrderDate", "DeliveryDate", "InvoiceDate", "DueDate", "OutboundDate"}
READ_ONLY = {
    "DocumentNumber", "Cancelled", "Sent", "InvoiceReference", "OfferReference", "OrderType",
    "Total", "TotalVAT", "TotalToPay", "Net", "Gross", "RoundOff", "FreightVAT",
    "AdministrationFeeVAT", "ContributionValue", "ContributionPercent", "WarehouseReady",
    "BasisTaxReduction", "TaxReduction", "Booked", "Balance", "Credit", "CreditInvoiceReference",
    "OrderReference", "FinalPayDate", "VoucherNumber", "VoucherSeries", "VoucherYear",
    "AccountingMethod", "LastRemindDate", "Reminders", "NoxFinans", "ContractReference",
}
ROW_NUMBERS = {"Price", "Discount", "VAT", "OrderedQuantity", "DeliveredQuantity"}
ROW_READ_ONLY = {"RowId", "Total", "TotalExcludingVAT", "PriceExcludingVAT", "ReservedQuantity",
                 "ContributionValue", "ContributionPercent", "Cost", "VATCode"}

COMMON_HEADER: dict[str, Any] = {
    "Address1": "", "Address2": "", "AdministrationFee": ZERO, "AdministrationFeeVAT": ZERO,
    "BasisTaxReduction": ZERO, "Cancelled": False, "City": "", "Comments": "", "CostCenter": "",
    "Country": "", "Currency": "SEK", "CurrencyRate": Decimal("1"), "CurrencyUnit": Decimal("1"),
    "CustomerName": "", "CustomerNumber": "", "DeliveryAddress1": "", "DeliveryAddress2": "",
    "DeliveryCity": "", "DeliveryCountry": "", "DeliveryDate": None, "DeliveryName": "",
    "DeliveryZipCode": "", "DocumentNumber": "", "EmailInformation": {
        "EmailAddressFrom": None, "EmailAddressTo": "", "EmailAddressCC": "",
        "EmailAddressBCC": "", "EmailSubject": "", "EmailBody": ""},
    "ExternalInvoiceReference1": "", "ExternalInvoiceReference2": "", "Freight": ZERO,
    "FreightVAT": ZERO, "Gross": ZERO, "HouseWork": False, "InvoiceReference": "0", "Labels": [],
    "Language": "SV", "Net": ZERO, "NotCompleted": False, "OfferReference": "0",
    "OrganisationNumber": "", "OurReference": "", "OutboundDate": None, "Phone1": "",
    "Phone2": "", "PriceList": "A", "PrintTemplate": "", "Project": "", "Remarks": "",
    "RoundOff": ZERO, "Sent": False, "StockPointCode": None, "StockPointId": None,
    "TaxReduction": None, "TaxReductionType": "none", "TermsOfDelivery": "", "TermsOfPayment": "",
    "TimeBasisReference": None, "Total": ZERO, "TotalToPay": ZERO, "TotalVAT": ZERO,
    "VATIncluded": False, "WarehouseReady": False, "WayOfDelivery": "", "YourOrderNumber": "",
    "YourReference": "", "ZipCode": "",
}
ORDER_HEADER = {**COMMON_HEADER, "CopyRemarks": False, "DeliveryState": "delivery",
                "OrderDate": "", "OrderRows": [], "OrderType": "Order"}
INVOICE_HEADER = {
    **COMMON_HEADER, "AccountingMethod": "ACCRUAL", "Balance": ZERO, "Booked": False,
    "ContractReference": "0", "Credit": "false", "CreditInvoiceReference": "0", "DueDate": "",
    "EUQuarterlyReport": False, "FinalPayDate": None, "InvoiceDate": "", "InvoicePeriodEnd": "",
    "InvoicePeriodStart": "", "InvoiceRows": [], "InvoiceType": "INVOICE",
    "LastRemindDate": None, "NoxFinans": False, "OCR": "", "OrderReference": "0",
    "PaymentWay": "", "Reminders": 0, "VoucherNumber": None, "VoucherSeries": None,
    "VoucherYear": None,
}
COMMON_ROW: dict[str, Any] = {
    "AccountNumber": None, "ArticleNumber": "", "CostCenter": "", "DeliveredQuantity": ZERO,
    "Description": "", "Discount": ZERO, "DiscountType": "PERCENT", "HouseWork": False,
    "HouseWorkHoursToReport": None, "HouseWorkType": None, "Price": ZERO, "Project": "",
    "RowId": None, "StockPointCode": None, "Total": ZERO, "Unit": "", "VAT": Decimal("25"),
    "VATCode": "MP1",
}
ORDER_ROW = {**COMMON_ROW, "OrderedQuantity": ZERO, "ReservedQuantity": ZERO,
             "StockPointId": None}
INVOICE_ROW = {**COMMON_ROW, "PriceExcludingVAT": ZERO, "TotalExcludingVAT": ZERO}
# Header fields an invoice made from an order copies.
COPIED_TO_INVOICE = (
    "CustomerNumber", "CustomerName", "Address1", "Address2", "ZipCode", "City", "Country",
    "Phone1", "Phone2", "OrganisationNumber", "DeliveryName", "DeliveryAddress1",
    "DeliveryAddress2", "DeliveryZipCode", "DeliveryCity", "DeliveryCountry", "DeliveryDate",
    "Currency", "CurrencyRate", "CurrencyUnit", "VATIncluded", "Freight", "AdministrationFee",
    "ExternalInvoiceReference1", "ExternalInvoiceReference2", "YourOrderNumber",
    "YourReference", "OurReference", "TermsOfPayment", "TermsOfDelivery", "WayOfDelivery",
    "PriceList", "Project", "CostCenter", "Language", "StockPointCode", "EmailInformation",
    "Labels", "PrintTemplate",
)
COPIED_ROW_FIELDS = ("ArticleNumber", "Description", "DeliveredQuantity", "Price", "Discount",
                     "DiscountType", "VAT", "AccountNumber", "Unit", "CostCenter", "Project",
                     "StockPointCode", "HouseWork", "HouseWorkType", "HouseWorkHoursToReport")


@dataclass(frozen=True)
class Kind:
    name: str
    rows_key: str
    not_found_code: int
    date_field: str
    header: dict[str, Any]
    row: dict[str, Any]


ORDER = Kind("Order", "OrderRows", codes.ORDER_NOT_FOUND, "OrderDate", ORDER_HEADER, ORDER_ROW)
INVOICE = Kind("Invoice", "InvoiceRows", codes.INVOICE_NOT_FOUND, "InvoiceDate", INVOICE_HEADER,
               INVOICE_ROW)


def _invoiced(order: dict[str, Any]) -> bool:
    return order["InvoiceReference"] not in ("", "0")


def order_list_rules(today: date) -> ListRules:
    return ListRules(
        search={"customername": "CustomerName", "customernumber": "CustomerNumber",
                "documentnumber": "DocumentNumber",
                "externalinvoicereference1": "ExternalInvoiceReference1",
                "externalinvoicereference2": "ExternalInvoiceReference2",
                "yourreference": "YourReference", "ourreference": "OurReference",
                "yourordernumber": "YourOrderNumber", "project": "Project",
                "costcenter": "CostCenter"},
        filters={
            "cancelled": lambda o: o["Cancelled"],
            "expired": lambda o: (not o["Cancelled"] and not _invoiced(o)
                                  and bool(o["DeliveryDate"])
                                  and o["DeliveryDate"] < today.isoformat()),
            "invoicecreated": _invoiced,
            "invoicenotcreated": lambda o: not _invoiced(o) and not o["Cancelled"],
        },
        sort={"customername": "CustomerName", "customernumber": "CustomerNumber",
              "orderdate": "OrderDate", "documentnumber": "DocumentNumber", "total": "Total"},
        default_sort="DocumentNumber",
    )


def invoice_list_rules(today: date) -> ListRules:
    def unpaid(i: dict[str, Any]) -> bool:
        return not i["Cancelled"] and i["Balance"] != ZERO

    return ListRules(
        search={"customername": "CustomerName", "customernumber": "CustomerNumber",
                "documentnumber": "DocumentNumber",
                "externalinvoicereference1": "ExternalInvoiceReference1",
                "externalinvoicereference2": "ExternalInvoiceReference2",
                "yourordernumber": "YourOrderNumber", "ocr": "OCR", "currency": "Currency",
                "yourreference": "YourReference", "ourreference": "OurReference",
                "invoicetype": "InvoiceType", "project": "Project", "costcenter": "CostCenter"},
        filters={
            "cancelled": lambda i: i["Cancelled"],
            "fullypaid": lambda i: not i["Cancelled"] and i["Balance"] == ZERO,
            "unpaid": unpaid,
            "unpaidoverdue": lambda i: unpaid(i) and i["DueDate"] < today.isoformat(),
            "unbooked": lambda i: not i["Booked"] and not i["Cancelled"],
        },
        sort={"customername": "CustomerName", "customernumber": "CustomerNumber",
              "documentnumber": "DocumentNumber", "invoicedate": "InvoiceDate", "ocr": "OCR",
              "total": "Total"},
        default_sort="DocumentNumber",
    )


def _ocr(number: str) -> str:
    """Number, length digit and Luhn check digit: the usual Swedish OCR reference."""
    digits = f"{number}{(len(number) + 2) % 10}"
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return f"{digits}{(10 - total % 10) % 10}"


class Documents:
    def __init__(self, state: FortnoxState) -> None:
        self.state = state
        self.orders: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        self.payments: dict[str, dict[str, Any]] = {}
        self.last_row_id = 0

    # Lookups -------------------------------------------------------------------------------

    def order(self, number: str) -> dict[str, Any]:
        if str(number) not in self.orders:
            raise not_found(codes.ORDER_NOT_FOUND, "Kan inte hitta ordern.")
        return self.orders[str(number)]

    def invoice(self, number: str, *, in_body: bool = False) -> dict[str, Any]:
        if str(number) not in self.invoices:
            if in_body:
                raise invalid(codes.INVOICE_NOT_FOUND, f"Kan inte hitta fakturan ({number})")
            raise not_found(codes.INVOICE_NOT_FOUND, "Kan inte hitta fakturan.")
        return self.invoices[str(number)]

    def payment(self, number: str) -> dict[str, Any]:
        if str(number) not in self.payments:
            raise not_found(codes.NOT_FOUND_GENERIC, "Kan inte hitta inbetalningen.")
        return self.payments[str(number)]

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
        if _invoiced(order):
            raise invalid(codes.DOCUMENT_LOCKED, "Ordern är fakturerad och kan inte makuleras")
        if order["Cancelled"]:
            raise invalid(codes.DOCUMENT_LOCKED, "Ordern är redan makulerad")
        order["Cancelled"] = True
        self._settle_stock(ORDER, order)
        order[MODIFIED] = self.state.now()
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
        return doc

    def create_invoice_from_order(self, number: str) -> dict[str, Any]:
        order = self.order(number)
        if _invoiced(order):
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
        return order

    def _check_order_editable(self, order: dict[str, Any]) -> None:
        if _invoiced(order):
            raise invalid(codes.DOCUMENT_LOCKED, "Ordern är fakturerad och kan inte ändras")
        if order["Cancelled"]:
            raise invalid(codes.DOCUMENT_LOCKED, "Ordern är makulerad och kan inte ändras")
        if order["WarehouseReady"]:
            raise invalid(codes.DOCUMENT_LOCKED, "Ordern är klarmarkerad och kan inte ändras")

    # Invoices ------------------------------------------------------------------------------

    def create_invoice(self, body: dict[str, Any]) -> dict[str, Any]:
        invoice = self._new_document(INVOICE, self.invoices, body)
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
        return invoice

    def credit_invoice(self, number: str) -> dict[str, Any]:
        """Make a credit invoice for the whole invoice; answer the original, now referencing it."""
        original = self.invoice(number)
        if original["Cancelled"] or original["Credit"] == "true":
            raise invalid(codes.DOCUMENT_LOCKED, "Fakturan kan inte krediteras")
        if original["CreditInvoiceReference"] not in ("", "0"):
            raise invalid(codes.DOCUMENT_LOCKED, "Fakturan är redan krediterad")
        body: dict[str, Any] = {key: copy.deepcopy(original[key]) for key in COPIED_TO_INVOICE}
        body["Freight"] = -original["Freight"]
        body["AdministrationFee"] = -original["AdministrationFee"]
        body[INVOICE.rows_key] = [
            {**{key: row[key] for key in COPIED_ROW_FIELDS},
             "DeliveredQuantity": -row["DeliveredQuantity"]}
            for row in original[INVOICE.rows_key]
        ]
        credit = self._new_document(INVOICE, self.invoices, body)
        credit["Credit"] = "true"
        credit["CreditInvoiceReference"] = original["DocumentNumber"]
        self._save(INVOICE, self.invoices, credit, body)
        original["CreditInvoiceReference"] = credit["DocumentNumber"]
        original[MODIFIED] = self.state.now()
        return original

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
        return payment

    # Building and saving documents -----------------------------------------------------------

    def _new_document(self, kind: Kind, store: dict[str, dict[str, Any]], body: dict[str, Any]
                      ) -> dict[str, Any]:
        customer_number = to_text(body.get("CustomerNumber"))
        if not customer_number:
            raise invalid(codes.REQUIRED_FIELD_MISSING, "Kundnummer måste anges")
        customer = self.state.customer(customer_number, in_body=True)
        number = to_text(body.get("DocumentNumber"))
        if number and (number in store or not number.isdigit()):
            raise invalid(codes.NUMBER_ALREADY_USED, f"Dokumentnummer {number} är upptaget")
        doc = copy.deepcopy(kind.header)
        if kind is ORDER:
            del doc["DeliveryState"]  # set after the body, from the company default
        doc.update({
            "DocumentNumber": number or self.state._next_number(set(store)),
            "_stock_moved": {}, "_stock_reserved": {}, "_paid": ZERO,
            kind.date_field: swedish_date(self.state.now()).isoformat(),
        })
        country = customer.get("CountryCode") or ""
        for doc_key, customer_key in (
            ("CustomerName", "Name"), ("Address1", "Address1"), ("Address2", "Address2"),
            ("ZipCode", "ZipCode"), ("City", "City"), ("Phone1", "Phone1"), ("Phone2", "Phone2"),
            ("OrganisationNumber", "OrganisationNumber"), ("DeliveryName", "DeliveryName"),
            ("DeliveryAddress1", "DeliveryAddress1"), ("DeliveryAddress2", "DeliveryAddress2"),
            ("DeliveryZipCode", "DeliveryZipCode"), ("DeliveryCity", "DeliveryCity"),
            ("Currency", "Currency"), ("PriceList", "PriceList"),
            ("TermsOfPayment", "TermsOfPayment"), ("TermsOfDelivery", "TermsOfDelivery"),
            ("WayOfDelivery", "WayOfDelivery"), ("YourReference", "YourReference"),
            ("OurReference", "OurReference"), ("VATIncluded", "ShowPriceVATIncluded"),
        ):
            if customer.get(customer_key) not in (None, ""):
                doc[doc_key] = customer[customer_key]
        doc["Country"] = COUNTRY_NAMES.get(country, country)
        return doc

    def _save(self, kind: Kind, store: dict[str, dict[str, Any]], doc: dict[str, Any],
              body: dict[str, Any]) -> dict[str, Any]:
        self._apply_header(kind, doc, body, creating=True)
        if doc["Currency"] != "SEK" and "CurrencyRate" not in body:
            currency = self.state.register_item("currencies", doc["Currency"])
            doc["CurrencyRate"] = currency["SellRate"]
            doc["CurrencyUnit"] = currency["Unit"]
        if kind is INVOICE:
            if not doc["DueDate"]:
                days = self.state.terms_days(doc["TermsOfPayment"] or "30")
                due = date.fromisoformat(doc["InvoiceDate"]) + timedelta(days=days)
                doc["DueDate"] = due.isoformat()
            doc["OCR"] = doc["OCR"] or _ocr(doc["DocumentNumber"])
        self._apply_rows(kind, doc, body.get(kind.rows_key, []), replacing=False)
        return self._commit(kind, store, doc)

    def _commit(self, kind: Kind, store: dict[str, dict[str, Any]], doc: dict[str, Any]
                ) -> dict[str, Any]:
        self._settle_stock(kind, doc)
        self._recompute(kind, doc)
        store[doc["DocumentNumber"]] = doc
        return doc

    def _apply_header(self, kind: Kind, doc: dict[str, Any], body: dict[str, Any], *,
                      creating: bool) -> None:
        for key, value in body.items():
            if key == kind.rows_key or key in READ_ONLY or key.startswith("@"):
                continue
            if key == "CustomerNumber":
                doc[key] = self.state.customer(to_text(value), in_body=True)["CustomerNumber"]
            elif key in HEADER_BOOLS:
                doc[key] = to_bool(value, key)
            elif key in HEADER_NUMBERS:
                doc[key] = to_decimal(value, key)
            elif key in HEADER_DATES:
                doc[key] = to_date(value, key) if to_text(value) else None
            elif key in REGISTER_FIELDS:
                doc[key] = self.state.check_code(REGISTER_FIELDS[key], value) or (
                    "SEK" if key == "Currency" else "")
            elif key == "StockPointCode":
                code = to_text(value)
                if code and code not in self.state.warehouse.stock_points:
                    raise invalid(codes.INVALID_PARAMETER, f"Lagerstället finns inte ({code})")
                doc[key] = code or None
            elif key == "DeliveryState" and kind is INVOICE:
                continue  # invoices are always delivered
            elif isinstance(value, dict):
                doc[key] = {**(doc.get(key) or {}), **copy.deepcopy(value)}
            elif isinstance(value, list):
                doc[key] = copy.deepcopy(value)
            else:
                doc[key] = to_text(value)
        if kind is ORDER and creating and "DeliveryState" not in doc:
            doc["DeliveryState"] = self.state.config.default_order_delivery_state

    def _apply_rows(self, kind: Kind, doc: dict[str, Any], rows_body: Any, *, replacing: bool
                    ) -> None:
        if not isinstance(rows_body, list) or not all(isinstance(r, dict) for r in rows_body):
            raise invalid(codes.WRONG_DATA_STRUCTURE, "Felaktig datastruktur.")
        previous = {row["RowId"]: row for row in doc[kind.rows_key]} if replacing else {}
        by_row_id = any("RowId" in row for row in rows_body)
        new_rows = []
        for row_body in rows_body:
            earlier = None
            if by_row_id and "RowId" in row_body:
                earlier = previous.get(int(to_decimal(row_body["RowId"], "RowId")))
                if earlier is None:
                    raise invalid(codes.INVALID_PARAMETER,
                                  f"Raden finns inte ({row_body['RowId']})")
            new_rows.append(self._build_row(kind, doc, row_body, earlier))
        for row in new_rows:
            self.last_row_id += 1
            row["RowId"] = self.last_row_id
        doc[kind.rows_key] = new_rows

    def _build_row(self, kind: Kind, doc: dict[str, Any], body: dict[str, Any],
                   earlier: dict[str, Any] | None) -> dict[str, Any]:
        row = copy.deepcopy(earlier) if earlier else copy.deepcopy(kind.row)
        for key, value in body.items():
            if key in ROW_READ_ONLY:
                continue
            if key in ROW_NUMBERS:
                row[key] = to_decimal(value, key)
            elif key == "AccountNumber":
                row[key] = self.state.check_account(value) if to_text(value) else None
            elif key == "DiscountType":
                if value not in ("AMOUNT", "PERCENT"):
                    raise invalid(codes.INVALID_PARAMETER, f"Ogiltig rabattyp ({value})")
                row[key] = value
            elif key == "HouseWork":
                row[key] = to_bool(value, key)
            elif isinstance(value, dict | list):
                row[key] = copy.deepcopy(value)
            else:
                row[key] = to_text(value) if value is not None else None
        fresh = earlier is None
        article = self.state.article(row["ArticleNumber"], in_body=True) \
            if row["ArticleNumber"] else None
        if kind is ORDER and fresh:
            if "DeliveredQuantity" not in body:
                row["DeliveredQuantity"] = row["OrderedQuantity"]
            if "OrderedQuantity" not in body:
                row["OrderedQuantity"] = row["DeliveredQuantity"]
        for key in ("DeliveredQuantity", "OrderedQuantity", "Price", "Discount"):
            if key in row:
                row[key] = round_ore(row[key])
        customer = self.state.customers.get(doc["CustomerNumber"], {})
        if fresh and article is not None:
            if "Description" not in body:
                row["Description"] = article["Description"]
            if "Unit" not in body:
                row["Unit"] = article.get("Unit") or ""
            if "VAT" not in body:
                row["VAT"] = article["VAT"]
            if "Price" not in body:
                row["Price"] = self._list_price(doc, article, row["DeliveredQuantity"])
        if fresh and "VAT" not in body and customer.get("VATType") in ("EUREVERSEDVAT", "EXPORT"):
            row["VAT"] = ZERO
        if row["VAT"] not in VAT_CODES:
            raise invalid(codes.INVALID_PARAMETER, f"Kunde inte hämta/hitta moms ({row['VAT']})")
        row["VATCode"] = VAT_CODES[row["VAT"]]
        if row["AccountNumber"] is None and (article is not None or row["Price"] != ZERO):
            row["AccountNumber"] = self._default_account(customer, article, row["VAT"])
        return row

    def _list_price(self, doc: dict[str, Any], article: dict[str, Any], quantity: Decimal
                    ) -> Decimal:
        price = self.state.price_for_quantity(doc["PriceList"] or "A", article["ArticleNumber"],
                                              quantity)
        if price is None:
            return ZERO
        if doc["Currency"] != "SEK" and doc["CurrencyRate"]:
            return round_ore(price / doc["CurrencyRate"])  # price lists are in kronor
        return price

    @staticmethod
    def _default_account(customer: dict[str, Any], article: dict[str, Any] | None,
                         vat: Decimal) -> int:
        from sidecar.sim.fortnox.state import SALES_ACCOUNT_BY_VAT

        article = article or {}
        by_vat_type = {"EUREVERSEDVAT": ("EUAccount", 3108), "EUVAT": ("EUVATAccount", 3106),
                       "EXPORT": ("ExportAccount", 3105)}
        vat_type = customer.get("VATType") or "SEVAT"
        if vat_type in by_vat_type:
            field_name, fallback = by_vat_type[vat_type]
            return int(article.get(field_name) or fallback)
        return int(article.get("SalesAccount") or SALES_ACCOUNT_BY_VAT[vat])

    def _settle_stock(self, kind: Kind, doc: dict[str, Any]) -> None:
        """Move stock by the difference between what the document holds and what it should."""
        state, warehouse = self.state, self.state.warehouse
        mode = "delivery" if kind is INVOICE else doc.get("DeliveryState") or "delivery"
        if doc["Cancelled"]:
            mode = "none"
        old_moved: dict[tuple[str, str, str], Decimal] = doc["_stock_moved"]
        old_reserved: dict[tuple[str, str], Decimal] = doc["_stock_reserved"]
        moved: dict[tuple[str, str, str], Decimal] = defaultdict(lambda: ZERO)
        reserved: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        for row in doc[kind.rows_key] if mode != "none" else []:
            article = state.articles.get(row["ArticleNumber"] or "")
            if article is None or not state.is_stock_article(article):
                continue
            point = state.stock_point_for(article, row.get("StockPointCode"),
                                          doc.get("StockPointCode"))
            key = (article["ArticleNumber"], point, state.default_location(article, point))
            if mode == "delivery":
                quantity = row["DeliveredQuantity"]
                if quantity > ZERO and not state.config.allow_negative_stock:
                    # Fortnox Lager saves what it cannot deliver as delivered quantity 0.
                    available = warehouse.balances[key] + old_moved.get(key, ZERO) - moved[key]
                    quantity = min(quantity, max(available, ZERO))
                    row["DeliveredQuantity"] = quantity
                moved[key] += quantity
            elif mode == "reservation":
                item_point = key[:2]
                available = (warehouse.in_stock(*item_point)
                             - warehouse.reserved_quantity(*item_point)
                             + old_reserved.get(item_point, ZERO) - reserved[item_point])
                quantity = max(ZERO, min(row["OrderedQuantity"], available))
                row["ReservedQuantity"] = quantity
                reserved[item_point] += quantity
        for key in set(old_moved) | set(moved):
            delta = moved.get(key, ZERO) - old_moved.get(key, ZERO)
            if delta:
                warehouse.move(*key, -delta)
                state.touch_article(key[0])
        for item_point in set(old_reserved) | set(reserved):
            delta = reserved.get(item_point, ZERO) - old_reserved.get(item_point, ZERO)
            if delta:
                warehouse.reserve(*item_point, delta)
                state.touch_article(item_point[0])
        doc["_stock_moved"] = {k: v for k, v in moved.items() if v}
        doc["_stock_reserved"] = {k: v for k, v in reserved.items() if v}

    def _recompute(self, kind: Kind, doc: dict[str, Any]) -> None:
        config = self.state.config
        rows = doc[kind.rows_key]
        totals = document_totals(
            [RowInput(price=row["Price"], quantity=row["DeliveredQuantity"], vat=row["VAT"],
                      discount=row["Discount"], discount_type=row["DiscountType"])
             for row in rows],
            vat_included=doc["VATIncluded"],
            freight=doc["Freight"],
            administration_fee=doc["AdministrationFee"],
            freight_vat_rate=config.freight_vat_rate,
            administration_fee_vat_rate=config.administration_fee_vat_rate,
            round_to_whole_kronor=config.round_totals_to_whole_kronor
            and doc["Currency"] == "SEK",
        )
        for row, amounts in zip(rows, totals.rows, strict=True):
            row["Total"] = amounts.total
            if kind is INVOICE:
                row["PriceExcludingVAT"] = amounts.price_excluding_vat
                row["TotalExcludingVAT"] = amounts.total_excluding_vat
        doc.update({
            "Net": totals.net, "Gross": totals.gross, "FreightVAT": totals.freight_vat,
            "AdministrationFeeVAT": totals.administration_fee_vat, "TotalVAT": totals.total_vat,
            "RoundOff": totals.round_off, "Total": totals.total, "TotalToPay": totals.total,
            MODIFIED: self.state.now(),
        })
        if kind is INVOICE and not doc["Cancelled"]:
            doc["Balance"] = totals.total - doc["_paid"]
