"""`/3/orders`, `/3/invoices` and `/3/invoicepayments`, with their actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint
from flask import Response

from sidecar.sim.fortnox.document_kinds import INVOICE
from sidecar.sim.fortnox.document_kinds import ORDER
from sidecar.sim.fortnox.document_kinds import ZERO
from sidecar.sim.fortnox.document_kinds import invoiced
from sidecar.sim.fortnox.listing import ListRules
from sidecar.sim.fortnox.listing import swedish_date
from sidecar.sim.fortnox.rest import body_of
from sidecar.sim.fortnox.rest import date_range
from sidecar.sim.fortnox.rest import locked
from sidecar.sim.fortnox.rest import many
from sidecar.sim.fortnox.rest import one
from sidecar.sim.fortnox.rest import sim
from sidecar.sim.fortnox.rest import url_for_item

bp = Blueprint("fortnox_documents", __name__)

# List item fields, from the spec's *ListItem schemas.
ORDER_LIST_KEYS = ("Cancelled", "Currency", "CustomerName", "CustomerNumber", "DeliveryDate",
                   "DocumentNumber", "ExternalInvoiceReference1", "ExternalInvoiceReference2",
                   "OrderDate", "OrderType", "Project", "Sent", "Total")
INVOICE_LIST_KEYS = ("Balance", "Booked", "Cancelled", "CostCenter", "Currency", "CurrencyRate",
                     "CurrencyUnit", "CustomerName", "CustomerNumber", "DocumentNumber",
                     "DueDate", "ExternalInvoiceReference1", "ExternalInvoiceReference2",
                     "FinalPayDate", "InvoiceDate", "InvoiceType", "NoxFinans", "OCR", "Project",
                     "Sent", "TermsOfPayment", "Total", "VoucherNumber", "VoucherSeries",
                     "VoucherYear", "WayOfDelivery")


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
            "expired": lambda o: (not o["Cancelled"] and not invoiced(o)
                                  and bool(o["DeliveryDate"])
                                  and o["DeliveryDate"] < today.isoformat()),
            "invoicecreated": invoiced,
            "invoicenotcreated": lambda o: not invoiced(o) and not o["Cancelled"],
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
                "invoicetype": "InvoiceType", "project": "Project", "costcenter": "CostCenter",
                "credit": "Credit"},
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



@bp.get("/3/orders")
@locked
def list_orders() -> Response:
    state = sim()
    items = date_range(list(state.documents.orders.values()), "OrderDate")
    return many("Orders", items, order_list_rules(swedish_date(state.now())), ORDER_LIST_KEYS,
                lambda o: url_for_item("orders", o["DocumentNumber"]))


@bp.get("/3/orders/<number>")
@locked
def get_order(number: str) -> Response:
    return one("Order", sim().documents.order(number), url_for_item("orders", number))


@bp.post("/3/orders")
@locked
def create_order() -> Response:
    order = sim().documents.create_order(body_of("Order", "fortnox_Order"))
    return one("Order", order, url_for_item("orders", order["DocumentNumber"]), 201)


@bp.put("/3/orders/<number>")
@locked
def update_order(number: str) -> Response:
    order = sim().documents.update_order(number, body_of("Order", "fortnox_Order"))
    return one("Order", order, url_for_item("orders", number))


@bp.put("/3/orders/<number>/<any(createinvoice, cancel, warehouseready):action>")
@locked
def order_action(number: str, action: str) -> Response:
    documents = sim().documents
    if action == "createinvoice":
        # The spec says an Invoice comes back; the C# SDK and WooCommerce Fortnox Hub read an
        # Order with InvoiceReference set. Production clients win: an Order.
        order = documents.create_invoice_from_order(number)
    elif action == "cancel":
        order = documents.cancel_order(number)
    else:
        order = documents.mark_warehouse_ready(ORDER, number)
    return one("Order", order, url_for_item("orders", number))


# Invoices and payments ----------------------------------------------------------------------

@bp.get("/3/invoices")
@locked
def list_invoices() -> Response:
    state = sim()
    items = date_range(list(state.documents.invoices.values()), "InvoiceDate")
    return many("Invoices", items, invoice_list_rules(swedish_date(state.now())),
                INVOICE_LIST_KEYS, lambda i: url_for_item("invoices", i["DocumentNumber"]))


@bp.get("/3/invoices/<number>")
@locked
def get_invoice(number: str) -> Response:
    return one("Invoice", sim().documents.invoice(number), url_for_item("invoices", number))


@bp.post("/3/invoices")
@locked
def create_invoice() -> Response:
    invoice = sim().documents.create_invoice(body_of("Invoice", "fortnox_InvoicePayload"))
    return one("Invoice", invoice, url_for_item("invoices", invoice["DocumentNumber"]), 201)


@bp.put("/3/invoices/<number>")
@locked
def update_invoice(number: str) -> Response:
    invoice = sim().documents.update_invoice(number,
                                             body_of("Invoice", "fortnox_InvoicePayload"))
    return one("Invoice", invoice, url_for_item("invoices", number))


@bp.put("/3/invoices/<number>/<any(bookkeep, cancel, credit, warehouseready):action>")
@locked
def invoice_action(number: str, action: str) -> Response:
    documents = sim().documents
    invoice = {
        "bookkeep": documents.bookkeep_invoice,
        "cancel": documents.cancel_invoice,
        "credit": documents.credit_invoice,
        "warehouseready": lambda n: documents.mark_warehouse_ready(INVOICE, n),
    }[action](number)
    return one("Invoice", invoice, url_for_item("invoices", number))


@bp.get("/3/invoicepayments")
@locked
def list_payments() -> Response:
    items = list(sim().documents.payments.values())
    rules = ListRules(search={"invoicenumber": "InvoiceNumber"}, sort={"number": "Number"},
                      default_sort="Number")
    return many("InvoicePayments", items, rules, None,
                lambda p: url_for_item("invoicepayments", p["Number"]))


@bp.get("/3/invoicepayments/<number>")
@locked
def get_payment(number: str) -> Response:
    return one("InvoicePayment", sim().documents.payment(number),
               url_for_item("invoicepayments", number))


@bp.post("/3/invoicepayments")
@locked
def create_payment() -> Response:
    payment = sim().documents.create_payment(body_of("InvoicePayment",
                                                     "fortnox_InvoicePayment"))
    return one("InvoicePayment", payment, url_for_item("invoicepayments", payment["Number"]),
               201)


@bp.put("/3/invoicepayments/<number>/bookkeep")
@locked
def bookkeep_payment(number: str) -> Response:
    payment = sim().documents.bookkeep_payment(number)
    return one("InvoicePayment", payment, url_for_item("invoicepayments", number))

