"""HTTP mapping of the Fortnox REST API (`/3/...`) and Fortnox Lager (`/api/warehouse/...`).

Each view parses, calls one state method under the state lock, and renders. Authentication,
rate limiting and injected faults happen before the views, in `fortnox.py`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from flask import request

from sidecar.sim.fortnox import errors as codes
from sidecar.sim.fortnox.documents import INVOICE
from sidecar.sim.fortnox.documents import ORDER
from sidecar.sim.fortnox.documents import invoice_list_rules
from sidecar.sim.fortnox.documents import order_list_rules
from sidecar.sim.fortnox.errors import invalid
from sidecar.sim.fortnox.errors import not_found
from sidecar.sim.fortnox.listing import ListRules
from sidecar.sim.fortnox.listing import paginate
from sidecar.sim.fortnox.listing import select
from sidecar.sim.fortnox.listing import swedish_date
from sidecar.sim.fortnox.state import FortnoxState
from sidecar.sim.fortnox.values import plain
from sidecar.sim.fortnox.values import render
from sidecar.sim.fortnox.values import to_decimal

bp = Blueprint("fortnox_api", __name__)

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
CUSTOMER_LIST_KEYS = ("Address1", "Address2", "City", "CustomerNumber", "Email", "Name",
                      "OrganisationNumber", "Phone", "ZipCode")
ARTICLE_LIST_KEYS = ("ArticleNumber", "Description", "DisposableQuantity", "EAN", "Housework",
                     "PurchasePrice", "QuantityInStock", "ReservedQuantity", "SalesPrice",
                     "StockPlace", "StockValue", "Unit", "VAT", "WebshopArticle")
CUSTOMER_RULES = ListRules(
    search={"email": "Email", "organisationnumber": "OrganisationNumber", "name": "Name",
            "customernumber": "CustomerNumber", "zipcode": "ZipCode", "city": "City",
            "phone": "Phone1", "gln": "GLN", "glndelivery": "GLNDelivery"},
    filters={"active": lambda c: c["Active"], "inactive": lambda c: not c["Active"]},
    sort={"customernumber": "CustomerNumber", "name": "Name"},
    default_sort="CustomerNumber",
)
ARTICLE_RULES = ListRules(
    search={"articlenumber": "ArticleNumber", "description": "Description", "ean": "EAN",
            "suppliernumber": "SupplierNumber", "manufacturer": "Manufacturer",
            "manufacturerarticlenumber": "ManufacturerArticleNumber"},
    filters={"active": lambda a: a["Active"], "inactive": lambda a: not a["Active"]},
    sort={"articlenumber": "ArticleNumber", "quantityinstock": "QuantityInStock",
          "reservedquantity": "ReservedQuantity", "stockvalue": "StockValue"},
    default_sort="ArticleNumber",
)
# register path -> (list wrapper, item wrapper, spec schema of the request object)
REGISTERS = {
    "wayofdeliveries": ("WayOfDeliveries", "WayOfDelivery", "fortnox_WayOfDelivery"),
    "termsofdeliveries": ("TermsOfDeliveries", "TermsOfDelivery", "fortnox_TermsOfDelivery"),
    "termsofpayments": ("TermsOfPayments", "TermsOfPayment", "fortnox_TermsOfPayment"),
    "modesofpayments": ("ModesOfPayments", "ModeOfPayment", "fortnox_ModeOfPayment"),
    "currencies": ("Currencies", "Currency", "fortnox_Currency"),
    "units": ("Units", "Unit", "fortnox_Unit"),
    "accounts": ("Accounts", "Account", "fortnox_AccountPayload"),
    "pricelists": ("PriceLists", "PriceList", "fortnox_PriceList"),
}


def sim() -> FortnoxState:
    return current_app.extensions["fortnox_sim"]  # type: ignore[no-any-return]


def locked(view: Callable[..., Response]) -> Callable[..., Response]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        with sim().lock:
            return view(*args, **kwargs)

    return wrapper


def body_of(wrapper: str, schema: str) -> dict[str, Any]:
    """The object inside `{wrapper: {...}}`, checked against the spec."""
    raw = request.get_data()
    if not raw.strip():
        raise invalid(codes.EMPTY_OR_WRONG_BODY, "Ingen eller felaktig typ av data.")
    try:
        data = json.loads(raw, parse_float=Decimal)
    except ValueError:
        raise invalid(codes.JSON_SYNTAX_ERROR,
                      "Error deserializing JSON: JSON_ERROR_SYNTAX") from None
    if not isinstance(data, dict) or not isinstance(data.get(wrapper), dict):
        raise invalid(codes.EMPTY_OR_WRONG_BODY, "Ingen eller felaktig typ av data.")
    inner: dict[str, Any] = data[wrapper]
    sim().spec.check(schema, inner)
    return inner


def url_for_item(*parts: str) -> str:
    return request.host_url.rstrip("/") + "/3/" + "/".join(parts)


def one(wrapper: str, item: dict[str, Any], url: str, status: int = 200) -> Response:
    response = jsonify({wrapper: {"@url": url, **render(item)}})
    response.status_code = status
    return response


def many(wrapper: str, items: list[dict[str, Any]], rules: ListRules, keys: tuple[str, ...] | None,
         url: Callable[[dict[str, Any]], str]) -> Response:
    chosen = select(items, request.args, rules)
    page, meta = paginate(chosen, request.args)
    rendered = []
    for item in page:
        shown = render(item)
        if keys is not None:
            shown = {key: shown.get(key) for key in keys}
        rendered.append({"@url": url(item), **shown})
    return jsonify({"MetaInformation": meta, wrapper: rendered})


def date_range(items: list[dict[str, Any]], field_name: str) -> list[dict[str, Any]]:
    low, high = request.args.get("fromdate"), request.args.get("todate")
    return [i for i in items if (not low or (i[field_name] or "") >= low)
            and (not high or (i[field_name] or "") <= high)]


# Customers ---------------------------------------------------------------------------------

@bp.get("/3/customers")
@locked
def list_customers() -> Response:
    items = [{**c, "Phone": c.get("Phone1", "")} for c in sim().customers.values()]
    return many("Customers", items, CUSTOMER_RULES, CUSTOMER_LIST_KEYS,
                lambda c: url_for_item("customers", c["CustomerNumber"]))


@bp.get("/3/customers/<number>")
@locked
def get_customer(number: str) -> Response:
    return one("Customer", sim().customer(number), url_for_item("customers", number))


@bp.post("/3/customers")
@locked
def create_customer() -> Response:
    customer = sim().create_customer(body_of("Customer", "fortnox_Customer"))
    return one("Customer", customer, url_for_item("customers", customer["CustomerNumber"]), 201)


@bp.put("/3/customers/<number>")
@locked
def update_customer(number: str) -> Response:
    customer = sim().update_customer(number, body_of("Customer", "fortnox_Customer"))
    return one("Customer", customer, url_for_item("customers", number))


# Articles, price lists, prices -----------------------------------------------------------

@bp.get("/3/articles")
@locked
def list_articles() -> Response:
    state = sim()
    items = [state.article_view(a) for a in state.articles.values()]
    return many("Articles", items, ARTICLE_RULES, ARTICLE_LIST_KEYS,
                lambda a: url_for_item("articles", a["ArticleNumber"]))


@bp.get("/3/articles/<path:number>")
@locked
def get_article(number: str) -> Response:
    state = sim()
    return one("Article", state.article_view(state.article(number)),
               url_for_item("articles", number))


@bp.post("/3/articles")
@locked
def create_article() -> Response:
    state = sim()
    article = state.create_article(body_of("Article", "fortnox_Article"))
    return one("Article", state.article_view(article),
               url_for_item("articles", article["ArticleNumber"]), 201)


@bp.put("/3/articles/<path:number>")
@locked
def update_article(number: str) -> Response:
    state = sim()
    article = state.update_article(number, body_of("Article", "fortnox_Article"))
    return one("Article", state.article_view(article), url_for_item("articles", number))


def _price_url(price: dict[str, Any]) -> str:
    return url_for_item("prices", price["PriceList"], price["ArticleNumber"],
                        str(render(price["FromQuantity"])))


@bp.get("/3/prices/sublist/<price_list>/<path:article>")
@locked
def list_price_breaks(price_list: str, article: str) -> Response:
    state = sim()
    state.register_item("pricelists", price_list)
    state.article(article)
    items = [p for (pl, art, _), p in sorted(state.prices.items()) if pl == price_list
             and art == article]
    return many("Prices", items, ListRules(), None, _price_url)


@bp.post("/3/prices")
@locked
def create_price() -> Response:
    body = body_of("Price", "fortnox_Price")
    price = sim().set_price(str(body.get("PriceList", "")), str(body.get("ArticleNumber", "")),
                            to_decimal(body.get("FromQuantity", 0), "FromQuantity"),
                            to_decimal(body.get("Price", 0), "Price"))
    return one("Price", price, _price_url(price), 201)


@bp.route("/3/prices/<price_list>/<article>", methods=["GET", "PUT"])
@bp.route("/3/prices/<price_list>/<article>/<from_quantity>", methods=["GET", "PUT", "DELETE"])
@locked
def price(price_list: str, article: str, from_quantity: str = "0") -> Response:
    state = sim()
    quantity = to_decimal(from_quantity, "FromQuantity")
    if request.method == "GET":
        found = state.price(price_list, article, quantity)
        return one("Price", found, _price_url(found))
    if request.method == "DELETE":
        state.price(price_list, article, quantity)
        del state.prices[(price_list, article, quantity)]
        return Response(status=204)
    body = body_of("Price", "fortnox_Price")
    updated = state.set_price(price_list, article, quantity,
                              to_decimal(body.get("Price", 0), "Price"), create=False)
    return one("Price", updated, _price_url(updated))


# Registers: ways/terms of delivery, terms/modes of payment, currencies, units, accounts,
# price lists -------------------------------------------------------------------------------

def _register_views(name: str) -> None:
    list_wrapper, item_wrapper, schema = REGISTERS[name]
    code_field = "Number" if name == "accounts" else "Code"

    def item_url(item: dict[str, Any]) -> str:
        return url_for_item(name, str(item[code_field]))

    @locked
    def list_items() -> Response:
        rules = ListRules(sort={code_field.lower(): code_field}, default_sort=code_field)
        return many(list_wrapper, list(sim().register(name).values()), rules, None, item_url)

    @locked
    def get_item(code: str) -> Response:
        item = sim().register_item(name, code)
        return one(item_wrapper, item, item_url(item))

    @locked
    def create_item() -> Response:
        item = sim().save_register_item(name, body_of(item_wrapper, schema))
        return one(item_wrapper, item, item_url(item), 201)

    @locked
    def update_item(code: str) -> Response:
        item = sim().save_register_item(name, body_of(item_wrapper, schema), code)
        return one(item_wrapper, item, item_url(item))

    bp.add_url_rule(f"/3/{name}", f"list_{name}", list_items, methods=["GET"])
    bp.add_url_rule(f"/3/{name}", f"create_{name}", create_item, methods=["POST"])
    bp.add_url_rule(f"/3/{name}/<code>", f"get_{name}", get_item, methods=["GET"])
    bp.add_url_rule(f"/3/{name}/<code>", f"update_{name}", update_item, methods=["PUT"])


for _name in REGISTERS:
    _register_views(_name)


@bp.get("/3/companyinformation")
@locked
def company_information() -> Response:
    config = sim().config
    return jsonify({"CompanyInformation": {
        "Address": "Simulatorgatan 1", "City": "Stockholm", "CountryCode": "SE",
        "DatabaseNumber": config.tenant_id, "CompanyName": config.company_name,
        "OrganizationNumber": config.organisation_number, "VisitAddress": "Simulatorgatan 1",
        "VisitCity": "Stockholm", "VisitCountryCode": "SE", "VisitZipCode": "11122",
        "ZipCode": "11122",
    }})


@bp.get("/3/settings/company")
@locked
def company_settings() -> Response:
    config = sim().config
    return jsonify({"CompanySettings": {
        "Address": "Simulatorgatan 1", "BG": "123-4567", "BIC": "", "BranchCode": "",
        "City": "Stockholm", "ContactFirstName": "Sim", "ContactLastName": "Ulator",
        "Country": "Sverige", "CountryCode": "SE", "DatabaseNumber": str(config.tenant_id),
        "Domicile": "Stockholm", "Email": "info@sim.example", "Fax": "", "IBAN": "",
        "Name": config.company_name, "OrganizationNumber": config.organisation_number,
        "PG": "", "Phone1": "08-123 45 67", "Phone2": "", "TaxEnabled": True,
        "VATNumber": "SE" + config.organisation_number.replace("-", "") + "01",
        "VisitAddress": "", "VisitCity": "", "VisitCountry": "", "VisitCountryCode": "",
        "VisitName": "", "VisitZipCode": "", "WWW": "", "ZipCode": "11122",
    }})


# Orders -------------------------------------------------------------------------------------

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


# Fortnox Lager ---------------------------------------------------------------------------------

def _csv_args(name: str) -> list[str]:
    return [part for value in request.args.getlist(name) for part in value.split(",") if part]


@bp.get("/api/warehouse/tenants-v4")
@locked
def warehouse_tenant() -> Response:
    config = sim().config
    return jsonify({"activated": config.warehouse_activated, "tenantId": config.tenant_id})


@bp.get("/api/warehouse/stockpoints-v1")
@locked
def list_stock_points() -> Response:
    points = sim().warehouse.list_stock_points(request.args.get("q", ""),
                                               request.args.get("state", "ACTIVE"))
    return jsonify(plain(points))


@bp.post("/api/warehouse/stockpoints-v1")
@locked
def create_stock_point() -> Response:
    point = sim().warehouse.add_stock_point(request.get_json(silent=True) or {})
    response = jsonify(plain(point))
    response.status_code = 201
    return response


@bp.get("/api/warehouse/stockpoints-v1/<id_or_code>")
@locked
def get_stock_point(id_or_code: str) -> Response:
    return jsonify(plain(sim().warehouse.stock_point(id_or_code)))


@bp.put("/api/warehouse/stockpoints-v1/<id_or_code>")
@locked
def update_stock_point(id_or_code: str) -> Response:
    point = sim().warehouse.update_stock_point(id_or_code, request.get_json(silent=True) or {})
    return jsonify(plain(point))


@bp.get("/api/warehouse/stockpoints-v1/<id_or_code>/stocklocations")
@locked
def list_stock_locations(id_or_code: str) -> Response:
    query = request.args.get("q", "").lower()
    locations = [loc for loc in sim().warehouse.stock_point(id_or_code)["stockLocations"]
                 if query in f"{loc['code']} {loc['name']}".lower()]
    return jsonify(plain(locations))


@bp.get("/api/warehouse/stockpoints-v1/itemsummary/<path:item_id>")
@locked
def item_summary(item_id: str) -> Response:
    return jsonify(plain(sim().warehouse.item_summary(item_id, request.args.get("q", ""))))


@bp.get("/api/warehouse/status-v1/stockbalance")
@locked
def stock_balance() -> Response:
    balances = sim().warehouse.stock_balance(_csv_args("itemIds"), _csv_args("stockPointCodes"))
    return jsonify(plain(balances))


@bp.route("/3/<path:unknown>", methods=["GET", "POST", "PUT", "DELETE"])
def unknown_resource(unknown: str) -> Response:
    raise not_found(codes.NOT_FOUND_GENERIC, f"Resursen finns inte ({unknown})")
