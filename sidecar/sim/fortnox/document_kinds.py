"""What orders and invoices look like: default headers and rows, the fields the API reads and
writes, and what an invoice made from an order (or a credit invoice) copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sidecar.sim.fortnox import errors as codes

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


def invoiced(order: dict[str, Any]) -> bool:
    return order["InvoiceReference"] not in ("", "0")
