"""The Fortnox simulator over real HTTP: auth, limits, errors, lists, documents, stock, knobs."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import urlparse

import pytest
import requests

from sidecar.sim.fortnox import FortnoxSimConfig
from sidecar.sim.fortnox import FortnoxState
from sidecar.sim.fortnox import Knobs
from sidecar.sim.fortnox import create_app
from sidecar.sim.fortnox.listing import swedish_time_zone
from sidecar.sim.server import serve_in_thread

CLIENT = ("test-client", "test-secret")
TENANT = 777001
OTHER_TENANT = 777002
REDIRECT = "http://shop.example/fortnox/callback"


@dataclass
class Sim:
    """A running simulator: base URL, in-process state, and a session with a service token."""

    url: str
    state: FortnoxState
    api: requests.Session

    def control(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, f"{self.url}/_sim{path}", timeout=5, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.api.get(f"{self.url}{path}", timeout=5, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", 5)
        return self.api.post(f"{self.url}{path}", json=body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        return self.api.put(f"{self.url}{path}", json=body, timeout=5, **kwargs)


def service_token(url: str, tenant: int = TENANT) -> str:
    answer = requests.post(f"{url}/oauth-v1/token", auth=CLIENT, timeout=5,
                           data={"grant_type": "client_credentials"},
                           headers={"TenantId": str(tenant)})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


@pytest.fixture
def make_sim() -> Iterator[Callable[..., Sim]]:
    """Start simulators with config overrides; each is stopped after the test."""
    servers = []

    def start(**overrides: Any) -> Sim:
        settings: dict[str, Any] = {
            "client_id": CLIENT[0], "client_secret": CLIENT[1], "tenant_id": TENANT,
            "service_account_tenants": (TENANT, OTHER_TENANT), "seed_demo_data": False,
            "redirect_uris": (REDIRECT,),
        }
        settings.update(overrides)
        app = create_app(FortnoxSimConfig(**settings))
        server = serve_in_thread(app)
        servers.append(server)
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {service_token(server.url)}"
        return Sim(url=server.url, state=app.extensions["fortnox_sim"], api=session)

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def sim(make_sim: Callable[..., Sim]) -> Sim:
    """A simulator with default rules, an empty company and a service-account token."""
    return make_sim()


def seed(sim: Sim, **data: Any) -> dict[str, Any]:
    answer = sim.control("POST", "/seed", json=data)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def seed_shop(sim: Sim) -> None:
    seed(sim,
         customers=[{"CustomerNumber": "100", "Name": "Anna Andersson",
                     "Email": "anna@example.se"}],
         articles=[{"ArticleNumber": "MUG", "Description": "Kaffemugg", "StockGoods": True},
                   {"ArticleNumber": "BOOK", "Description": "Kokbok", "VAT": 6,
                    "StockGoods": True}],
         prices=[{"ArticleNumber": "MUG", "Price": "79.20"}],
         stock=[{"ArticleNumber": "MUG", "Quantity": 10}])


def order_body(*rows: dict[str, Any], **header: Any) -> dict[str, Any]:
    return {"Order": {"CustomerNumber": "100", "OrderRows": list(rows), **header}}


def error_of(response: requests.Response) -> dict[str, Any]:
    return dict(response.json()["ErrorInformation"])


# OAuth ------------------------------------------------------------------------------------


def consent(sim: Sim, scope: str = "customer order") -> str:
    page = requests.get(f"{sim.url}/oauth-v1/auth", timeout=5, params={
        "client_id": CLIENT[0], "redirect_uri": REDIRECT, "scope": scope, "state": "xyz",
        "response_type": "code", "access_type": "offline"})
    assert page.status_code == 200
    assert "Allow" in page.text and 'method="post"' in page.text
    allowed = requests.post(f"{sim.url}/oauth-v1/auth", timeout=5, allow_redirects=False, data={
        "client_id": CLIENT[0], "redirect_uri": REDIRECT, "scope": scope, "state": "xyz",
        "decision": "allow"})
    assert allowed.status_code == 302
    location = urlparse(allowed.headers["Location"])
    assert location.netloc == "shop.example"
    query = parse_qs(location.query)
    assert query["state"] == ["xyz"]
    return query["code"][0]


def token_request(sim: Sim, auth: tuple[str, str] = CLIENT, **form: str) -> requests.Response:
    return requests.post(f"{sim.url}/oauth-v1/token", auth=auth, data=form, timeout=5)


def test_the_authorization_code_dance_gives_rotating_single_use_refresh_tokens(sim: Sim) -> None:
    code = consent(sim)
    first = token_request(sim, grant_type="authorization_code", code=code, redirect_uri=REDIRECT)
    assert first.status_code == 200
    tokens = first.json()
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 3600
    claims_part = tokens["access_token"].split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(claims_part + "=" * (-len(claims_part) % 4)))
    assert claims["tenantId"] == TENANT
    reused_code = token_request(sim, grant_type="authorization_code", code=code,
                                redirect_uri=REDIRECT)
    assert reused_code.status_code == 400 and reused_code.json()["error"] == "invalid_grant"

    refreshed = token_request(sim, grant_type="refresh_token",
                              refresh_token=tokens["refresh_token"])
    assert refreshed.status_code == 200
    assert refreshed.json()["refresh_token"] != tokens["refresh_token"]
    reused = token_request(sim, grant_type="refresh_token", refresh_token=tokens["refresh_token"])
    assert reused.status_code == 400
    assert reused.json() == {"error": "invalid_grant", "error_description": "Invalid refresh token"}

    bearer = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    assert requests.get(f"{sim.url}/3/customers", headers=bearer, timeout=5).status_code == 200
    # Scopes are enforced: this consent did not include "article".
    denied = requests.get(f"{sim.url}/3/articles", headers=bearer, timeout=5)
    assert denied.status_code == 403 and error_of(denied)["code"] == 2000663


def test_the_token_endpoint_rejects_wrong_clients_and_redirects(sim: Sim) -> None:
    wrong = token_request(sim, auth=(CLIENT[0], "nope"), grant_type="client_credentials")
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    code = consent(sim)
    mismatch = token_request(sim, grant_type="authorization_code", code=code,
                             redirect_uri="http://evil.example/")
    assert mismatch.status_code == 400 and mismatch.json()["error"] == "invalid_grant"


def test_client_credentials_need_a_consented_tenant_and_give_no_refresh_token(sim: Sim) -> None:
    answer = requests.post(f"{sim.url}/oauth-v1/token", auth=CLIENT, timeout=5,
                           data={"grant_type": "client_credentials"},
                           headers={"TenantId": str(TENANT)})
    assert answer.status_code == 200 and "refresh_token" not in answer.json()
    stranger = requests.post(f"{sim.url}/oauth-v1/token", auth=CLIENT, timeout=5,
                             data={"grant_type": "client_credentials"},
                             headers={"TenantId": "999"})
    assert stranger.status_code == 400


def test_expired_and_unknown_tokens_get_fortnox_401_body(sim: Sim) -> None:
    assert sim.get("/3/customers").status_code == 200
    sim.control("POST", "/clock", json={"advance_seconds": 3601})
    expired = sim.get("/3/customers")
    assert expired.status_code == 401 and expired.json() == {"message": "unauthorized"}
    fresh = {"Authorization": f"Bearer {service_token(sim.url)}"}
    assert requests.get(f"{sim.url}/3/customers", headers=fresh, timeout=5).status_code == 200
    sim.control("POST", "/expire-tokens")
    assert requests.get(f"{sim.url}/3/customers", headers=fresh, timeout=5).status_code == 401
    unknown = requests.get(f"{sim.url}/3/customers", headers={"Authorization": "Bearer x"},
                           timeout=5)
    assert unknown.status_code == 401


# Rate limit -------------------------------------------------------------------------------


def test_the_sliding_window_answers_429_per_tenant(make_sim: Callable[..., Sim]) -> None:
    sim = make_sim(knobs=Knobs(rate_limit_requests=3, rate_limit_window_seconds=0.6))
    statuses = [sim.get("/3/customers").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert sim.get("/3/customers").json() == {"message": "Too Many Requests"}
    other = {"Authorization": f"Bearer {service_token(sim.url, OTHER_TENANT)}"}
    assert requests.get(f"{sim.url}/3/customers", headers=other, timeout=5).status_code == 200
    time.sleep(0.65)
    assert sim.get("/3/customers").status_code == 200
    assert sim.control("GET", "/counters").json()["rate_limited"] == 2
    sim.control("POST", "/knobs", json={"rate_limit_enabled": False})
    assert all(sim.get("/3/customers").status_code == 200 for _ in range(6))


# Errors and validation --------------------------------------------------------------------


def test_errors_come_in_fortnox_shapes_and_codes(sim: Sim) -> None:
    seed_shop(sim)
    missing = sim.get("/3/articles/NOPE")
    assert missing.status_code == 404
    assert missing.json() == {"ErrorInformation": {
        "Error": 1, "Message": "Kan inte hitta artikeln.", "Code": 2000428}}
    assert sim.get("/3/customers/404").json()["ErrorInformation"]["Code"] == 2000433

    unknown_customer = sim.post("/3/orders", {"Order": {"CustomerNumber": "999"}})
    assert unknown_customer.status_code == 400 and error_of(unknown_customer)["code"] == 2000433
    unknown_article = sim.post("/3/orders", order_body({"ArticleNumber": "NOPE",
                                                        "OrderedQuantity": 1}))
    assert unknown_article.status_code == 400 and error_of(unknown_article)["code"] == 2000428
    bad_filter = sim.get("/3/invoices", params={"filter": "doesntexist"})
    assert bad_filter.status_code == 400 and error_of(bad_filter)["code"] == 2000587
    too_long = sim.post("/3/orders", order_body(ExternalInvoiceReference1="x" * 81))
    assert too_long.status_code == 400 and error_of(too_long)["code"] == 2000107
    unknown_field = sim.post("/3/customers", {"Customer": {"Name": "A", "Nmae": "typo"}})
    assert unknown_field.status_code == 400 and error_of(unknown_field)["code"] == 2001399
    bad_enum = sim.post("/3/customers", {"Customer": {"Name": "A", "VATType": "MOMS"}})
    assert bad_enum.status_code == 400
    no_wrapper = sim.post("/3/customers", {"Name": "A"})
    assert error_of(no_wrapper)["code"] == 2001392
    bad_json = sim.api.post(f"{sim.url}/3/customers", data=b"{oops", timeout=5,
                            headers={"Content-Type": "application/json"})
    assert error_of(bad_json)["code"] == 2002115
    not_a_number = sim.post("/3/orders", order_body({"ArticleNumber": "MUG",
                                                     "OrderedQuantity": "two"}))
    assert error_of(not_a_number)["code"] == 2000108
    assert sim.state.documents.orders == {}  # nothing half-created


def test_without_the_spec_length_checks_are_off(make_sim: Callable[..., Sim], caplog: Any,
                                                tmp_path: Any) -> None:
    sim = make_sim(spec_path=tmp_path / "missing.json")
    assert "spec_missing" in caplog.text
    seed_shop(sim)
    assert sim.post("/3/orders", order_body(ExternalInvoiceReference1="x" * 81)).status_code == 201


# Lists ----------------------------------------------------------------------------------------


def test_lists_page_and_filter_by_lastmodified_in_swedish_time(sim: Sim) -> None:
    seed(sim, customers=[{"Name": f"Kund {n}"} for n in range(7)])
    page = sim.get("/3/customers", params={"limit": 3, "page": 3}).json()
    assert page["MetaInformation"] == {"@TotalResources": 7, "@TotalPages": 3,
                                       "@CurrentPage": 3}
    assert [c["CustomerNumber"] for c in page["Customers"]] == ["7"]
    assert set(page["Customers"][0]) >= {"@url", "Name", "Email", "OrganisationNumber"}
    assert sim.get("/3/customers", params={"limit": 501}).status_code == 400

    sim.control("POST", "/clock", json={"advance_seconds": 600})
    assert sim.put("/3/customers/2", {"Customer": {"City": "Lund"}}).status_code == 200
    since = (sim.state.now() - timedelta(minutes=5)).astimezone(swedish_time_zone())
    changed = sim.get("/3/customers", params={"lastmodified": since.strftime("%Y-%m-%d %H:%M")})
    assert [c["CustomerNumber"] for c in changed.json()["Customers"]] == ["2"]
    # The same moment read as UTC would be an hour or two off and include nothing or too much.
    descending = sim.get("/3/customers", params={"sortby": "customernumber",
                                                 "sortorder": "descending"}).json()
    assert descending["Customers"][0]["CustomerNumber"] == "7"


def test_search_is_a_case_insensitive_substring(sim: Sim) -> None:
    seed(sim, customers=[{"Name": "A", "Email": "a@b.se"}, {"Name": "X", "Email": "XA@b.se"},
                         {"Name": "C", "Email": "c@b.se"}])
    found = sim.get("/3/customers", params={"email": "a@b.se"}).json()["Customers"]
    assert sorted(c["Email"] for c in found) == ["XA@b.se", "a@b.se"]
    seed_shop(sim)
    for key in ("WC-1", "WC-12"):
        sim.post("/3/orders", order_body(ExternalInvoiceReference1=key))
    orders = sim.get("/3/orders", params={"externalinvoicereference1": "WC-1"}).json()["Orders"]
    assert sorted(o["ExternalInvoiceReference1"] for o in orders) == ["WC-1", "WC-12"]


def test_invoice_and_order_lists_filter_by_document_date_both_days_included(sim: Sim) -> None:
    seed_shop(sim)
    for day in ("2026-01-31", "2026-02-01", "2026-02-28", "2026-03-01"):
        row = {"ArticleNumber": "MUG", "DeliveredQuantity": 1, "Price": 10}
        sim.post("/3/invoices", {"Invoice": {"CustomerNumber": "100", "InvoiceDate": day,
                                             "InvoiceRows": [row]}})
        sim.post("/3/orders", order_body({**row, "OrderedQuantity": 1}, OrderDate=day))
    february = {"fromdate": "2026-02-01", "todate": "2026-02-28", "limit": 500}

    invoices = sim.get("/3/invoices", params=february).json()
    orders = sim.get("/3/orders", params={**february, "limit": 1, "page": 2}).json()

    assert [i["InvoiceDate"] for i in invoices["Invoices"]] == ["2026-02-01", "2026-02-28"]
    assert orders["MetaInformation"]["@TotalResources"] == 2
    assert [o["OrderDate"] for o in orders["Orders"]] == ["2026-02-28"]


# Orders, invoices, stock ----------------------------------------------------------------------


def test_an_invoiced_order_cannot_be_changed_or_cancelled(sim: Sim) -> None:
    seed_shop(sim)
    order = sim.post("/3/orders", order_body({"ArticleNumber": "MUG", "OrderedQuantity": 2}))
    assert order.status_code == 201
    number = order.json()["Order"]["DocumentNumber"]
    assert order.json()["Order"]["InvoiceReference"] == "0"
    invoiced = sim.put(f"/3/orders/{number}/createinvoice")
    assert invoiced.status_code == 200
    invoice_number = invoiced.json()["Order"]["InvoiceReference"]
    invoice = sim.get(f"/3/invoices/{invoice_number}").json()["Invoice"]
    assert invoice["OrderReference"] == number and invoice["Total"] == 198
    assert sim.put(f"/3/orders/{number}", {"Order": {"Remarks": "x"}}).status_code == 400
    assert sim.put(f"/3/orders/{number}/cancel").status_code == 400
    assert sim.put(f"/3/orders/{number}/createinvoice").status_code == 400
    listed = sim.get("/3/orders", params={"filter": "invoicecreated"}).json()["Orders"]
    assert [o["DocumentNumber"] for o in listed] == [number]

    other = sim.post("/3/orders", order_body({"ArticleNumber": "MUG", "OrderedQuantity": 1}))
    other_number = other.json()["Order"]["DocumentNumber"]
    cancelled = sim.put(f"/3/orders/{other_number}/cancel")
    assert cancelled.json()["Order"]["Cancelled"] is True
    assert sim.put(f"/3/orders/{other_number}/createinvoice").status_code == 400


def stock_of(sim: Sim, article: str) -> Decimal:
    return Decimal(str(sim.get(f"/3/articles/{article}").json()["Article"]["QuantityInStock"]))


def test_stock_moves_when_stock_articles_are_delivered(sim: Sim) -> None:
    seed_shop(sim)
    order = sim.post("/3/orders", order_body({"ArticleNumber": "MUG", "OrderedQuantity": 3},
                                             {"ArticleNumber": "BOOK", "OrderedQuantity": 1}))
    number = order.json()["Order"]["DocumentNumber"]
    assert stock_of(sim, "MUG") == 7 and stock_of(sim, "BOOK") == -1
    balance = sim.get("/api/warehouse/status-v1/stockbalance",
                      params={"itemIds": "MUG", "stockPointCodes": "MAIN"}).json()
    assert balance == [{"itemId": "MUG", "stockPointCode": "MAIN", "inStock": 7,
                        "availableStock": 7}]
    sim.put(f"/3/orders/{number}", {"Order": {"OrderRows": [
        {"ArticleNumber": "MUG", "OrderedQuantity": 5}]}})
    assert stock_of(sim, "MUG") == 5 and stock_of(sim, "BOOK") == 0
    sim.put(f"/3/orders/{number}/createinvoice")
    assert stock_of(sim, "MUG") == 5  # the invoice took over what the order drew
    direct = sim.post("/3/invoices", {"Invoice": {"CustomerNumber": "100", "InvoiceRows": [
        {"ArticleNumber": "MUG", "DeliveredQuantity": 2, "StockPointCode": "STORE"}]}})
    assert direct.status_code == 201
    assert sim.get("/api/warehouse/status-v1/stockbalance",
                   params={"itemIds": "MUG", "stockPointCodes": "STORE"}).json()[0]["inStock"] == -2
    sim.put(f"/3/invoices/{direct.json()['Invoice']['DocumentNumber']}/cancel")
    assert stock_of(sim, "MUG") == 5

    reserving = sim.post("/3/orders", order_body({"ArticleNumber": "MUG", "OrderedQuantity": 2},
                                                 DeliveryState="reservation"))
    article = sim.get("/3/articles/MUG").json()["Article"]
    assert article["QuantityInStock"] == 5 and article["ReservedQuantity"] == 2
    sim.put(f"/3/orders/{reserving.json()['Order']['DocumentNumber']}/cancel")
    assert sim.get("/3/articles/MUG").json()["Article"]["ReservedQuantity"] == 0


def test_without_negative_stock_lager_delivers_only_what_is_there(
        make_sim: Callable[..., Sim]) -> None:
    sim = make_sim(allow_negative_stock=False)
    seed_shop(sim)
    order = sim.post("/3/orders", order_body({"ArticleNumber": "MUG", "OrderedQuantity": 12}))
    row = order.json()["Order"]["OrderRows"][0]
    assert row["OrderedQuantity"] == "12" and row["DeliveredQuantity"] == "10"
    assert stock_of(sim, "MUG") == 0


# Totals -----------------------------------------------------------------------------------------


def totals(document: dict[str, Any]) -> tuple[Any, ...]:
    return (document["Net"], document["TotalVAT"], document["RoundOff"], document["Total"])


def test_totals_match_a_recorded_fortnox_invoice(sim: Sim) -> None:
    seed_shop(sim)
    invoice = sim.post("/3/invoices", {"Invoice": {
        "CustomerNumber": "100", "Freight": 25, "AdministrationFee": 50, "VATIncluded": False,
        "InvoiceRows": [{"ArticleNumber": "BOOK", "DeliveredQuantity": 1, "Price": 100,
                         "VAT": 25}]}}).json()["Invoice"]
    assert (invoice["FreightVAT"], invoice["AdministrationFeeVAT"]) == (6.25, 12.5)
    assert totals(invoice) == (100, 43.75, 0.25, 219)
    assert invoice["Balance"] == 219 and invoice["InvoiceRows"][0]["AccountNumber"] == 3001


@pytest.mark.parametrize(("vat_included", "rows", "expected"), [
    # VAT-inclusive prices: 2 × 99.90 at 25 % and 49.50 at 12 %. VAT is taken out per rate
    # (39.96 and 5.30); the 249.30 is rounded to 249 with RoundOff -0.30.
    (True, [("99.90", "2", "25"), ("49.50", "1", "12")], (204.04, 45.26, -0.3, 249)),
    # 3 × 123.45 less 10 % = 333.315 → 333.32; VAT 83.33; 416.65 → 417.
    (False, [("123.45", "3", "25", "10")], (333.32, 83.33, 0.35, 417)),
    # Price and quantity are rounded half-up first: 10.125 → 10.13, 1.005 → 1.01 → 10.23;
    # 6 % VAT 0.61; 10.84 → 11.
    (False, [("10.125", "1.005", "6")], (10.23, 0.61, 0.16, 11)),
])
def test_totals_round_rows_to_ore_and_totals_to_kronor(
        sim: Sim, vat_included: bool, rows: list[tuple[str, ...]], expected: tuple[Any, ...]
) -> None:
    seed_shop(sim)
    order_rows = [{"Description": "rad", "Price": row[0], "OrderedQuantity": row[1],
                   "VAT": int(row[2]), "Discount": row[3] if len(row) > 3 else 0,
                   "DiscountType": "PERCENT"} for row in rows]
    order = sim.post("/3/orders", order_body(*order_rows, VATIncluded=vat_included))
    assert order.status_code == 201, order.text
    assert totals(order.json()["Order"]) == expected


def test_foreign_currency_documents_are_not_rounded_to_whole_units(sim: Sim) -> None:
    seed_shop(sim)
    order = sim.post("/3/orders", order_body({"ArticleNumber": "MUG", "OrderedQuantity": 1},
                                             Currency="EUR")).json()["Order"]
    assert order["CurrencyRate"] == 11.55
    assert order["OrderRows"][0]["Price"] == 6.86  # 79.20 kronor in euro
    assert (order["RoundOff"], order["Total"]) == (0, 8.58)
    unknown = sim.post("/3/orders", order_body(Currency="XYZ"))
    assert error_of(unknown)["code"] == 2000427


# Invoices, payments, prices ---------------------------------------------------------------------


def test_invoices_bookkeep_credit_and_get_paid(sim: Sim) -> None:
    seed_shop(sim)
    invoice = sim.post("/3/invoices", {"Invoice": {"CustomerNumber": "100", "InvoiceRows": [
        {"ArticleNumber": "MUG", "DeliveredQuantity": 2}]}}).json()["Invoice"]
    number = invoice["DocumentNumber"]
    assert invoice["Total"] == 198 and invoice["OCR"]
    payment = sim.post("/3/invoicepayments", {"InvoicePayment": {
        "InvoiceNumber": int(number), "Amount": 198, "PaymentDate": invoice["InvoiceDate"],
        "ModeOfPayment": "BG"}})
    assert payment.status_code == 201, payment.text
    assert sim.get(f"/3/invoices/{number}").json()["Invoice"]["Balance"] == 198
    sim.put(f"/3/invoicepayments/{payment.json()['InvoicePayment']['Number']}/bookkeep")
    paid = sim.get("/3/invoices", params={"filter": "fullypaid"}).json()["Invoices"]
    assert [i["DocumentNumber"] for i in paid] == [number]

    assert sim.put(f"/3/invoices/{number}/bookkeep").json()["Invoice"]["Booked"] is True
    assert sim.put(f"/3/invoices/{number}", {"Invoice": {"Remarks": "x"}}).status_code == 400
    assert sim.put(f"/3/invoices/{number}/cancel").status_code == 400
    credited = sim.put(f"/3/invoices/{number}/credit").json()["Invoice"]
    credit = sim.get(f"/3/invoices/{credited['CreditInvoiceReference']}").json()["Invoice"]
    assert credit["Credit"] == "true" and credit["Total"] == -198
    assert stock_of(sim, "MUG") == 10  # the credit invoice brought the mugs back


def test_prices_are_read_and_written_per_list_and_quantity(sim: Sim) -> None:
    seed_shop(sim)
    assert sim.get("/3/prices/A/BOOK/0").json()["ErrorInformation"]["Code"] == 2000430
    assert sim.put("/3/prices/A/BOOK/0", {"Price": {"Price": 99}}).status_code == 404
    created = sim.post("/3/prices", {"Price": {"ArticleNumber": "BOOK", "PriceList": "A",
                                               "FromQuantity": 0, "Price": 199}})
    assert created.status_code == 201
    assert sim.put("/3/prices/A/BOOK/0", {"Price": {"Price": "189.5"}}).status_code == 200
    assert sim.get("/3/prices/A/BOOK").json()["Price"]["Price"] == 189.5
    assert sim.get("/3/articles/BOOK").json()["Article"]["SalesPrice"] == 189.5
    sim.post("/3/prices", {"Price": {"ArticleNumber": "BOOK", "PriceList": "A",
                                     "FromQuantity": 10, "Price": 150}})
    order = sim.post("/3/orders", order_body({"ArticleNumber": "BOOK", "OrderedQuantity": 12}))
    assert order.json()["Order"]["OrderRows"][0]["Price"] == 150


def test_registers_company_and_warehouse_resources_are_served(sim: Sim) -> None:
    accounts = sim.get("/3/accounts", params={"limit": 500}).json()["Accounts"]
    numbers = {a["Number"] for a in accounts}
    assert {3001, 3002, 3003, 3004, 3105, 3106, 3108, 2611, 2621, 2631, 1930, 1580} <= numbers
    assert sim.get("/3/settings/company").json()["CompanySettings"]["DatabaseNumber"] == str(
        TENANT)
    assert sim.get("/3/companyinformation").json()["CompanyInformation"]["DatabaseNumber"] == \
        TENANT
    assert sim.get("/3/wayofdeliveries/P").json()["WayOfDelivery"]["Description"] == "Postpaket"
    assert sim.post("/3/wayofdeliveries", {"WayOfDelivery": {"Code": "SCHENKER",
                                                             "Description": "Schenker"}}
                    ).status_code == 201
    assert sim.get("/3/currencies/EUR").json()["Currency"]["SellRate"] == 11.55
    points = sim.get("/api/warehouse/stockpoints-v1").json()
    assert {p["code"] for p in points} == {"MAIN", "STORE"}
    locations = sim.get("/api/warehouse/stockpoints-v1/MAIN/stocklocations").json()
    assert {loc["code"] for loc in locations} == {"A1", "B1"}
    assert sim.get("/api/warehouse/tenants-v4").json() == {"activated": True, "tenantId": TENANT}
    missing = sim.get("/api/warehouse/stockpoints-v1/NOPE")
    assert missing.status_code == 404 and set(missing.json()) == {"error", "message", "id"}


# Knobs, GUI actions, observation ------------------------------------------------------------------


def test_an_error_rate_of_one_fails_every_request(sim: Sim) -> None:
    sim.control("POST", "/knobs", json={"error_rates": {"503": 1.0}})
    assert {sim.get("/3/customers").status_code for _ in range(5)} == {503}
    sim.control("POST", "/knobs", json={"error_rates": {"500": 1.0}})
    assert error_of(sim.get("/3/customers"))["code"] == 1000003
    sim.control("POST", "/knobs", json={"error_rates": {}})
    assert sim.get("/3/customers").status_code == 200
    assert sim.control("POST", "/knobs", json={"no_such_knob": 1}).status_code == 400


def test_create_then_time_out_commits_the_order(sim: Sim) -> None:
    seed_shop(sim)
    sim.control("POST", "/knobs", json={"create_timeout_probability": 1.0,
                                        "create_timeout_mode": "drop"})
    with pytest.raises(requests.ConnectionError):
        sim.post("/3/orders", order_body(ExternalInvoiceReference1="WC-7"))
    delayed = sim.control("POST", "/knobs", json={"create_timeout_mode": "delay",
                                                  "create_timeout_delay_seconds": 0.6})
    assert delayed.json()["create_timeout_mode"] == "delay"
    with pytest.raises(requests.ReadTimeout):
        sim.post("/3/orders", order_body(ExternalInvoiceReference1="WC-8"), timeout=0.2)
    sim.control("POST", "/knobs", json={"create_timeout_probability": 0.0})
    found = sim.get("/3/orders", params={"externalinvoicereference1": "WC-"}).json()["Orders"]
    assert sorted(o["ExternalInvoiceReference1"] for o in found) == ["WC-7", "WC-8"]


def test_gui_actions_change_state_without_a_token(sim: Sim) -> None:
    seed_shop(sim)
    number = sim.post("/3/orders", order_body({"ArticleNumber": "MUG", "OrderedQuantity": 1},
                                              DeliveryState="registration")
                      ).json()["Order"]["DocumentNumber"]
    assert stock_of(sim, "MUG") == 10
    delivered = sim.control("POST", f"/orders/{number}/deliver").json()
    assert delivered["DeliveryState"] == "delivery" and stock_of(sim, "MUG") == 9
    assert sim.control("POST", f"/orders/{number}/done").json()["WarehouseReady"] is True
    assert sim.put(f"/3/orders/{number}", {"Order": {"Remarks": "x"}}).status_code == 400
    invoice_number = sim.control("POST", f"/orders/{number}/invoice").json()["InvoiceReference"]
    paid = sim.control("POST", f"/invoices/{invoice_number}/payments", json={})
    assert paid.json()["Booked"] is True
    assert sim.get(f"/3/invoices/{invoice_number}").json()["Invoice"]["Balance"] == 0

    before = sim.state.now()
    sim.control("POST", "/clock", json={"advance_seconds": 120})
    changed = sim.control("POST", "/articles/MUG", json={"Price": 89, "QuantityInStock": 40})
    assert changed.json()["SalesPrice"] == 89 and changed.json()["QuantityInStock"] == 40
    since = (before + timedelta(minutes=1)).astimezone(swedish_time_zone())
    recent = sim.get("/3/articles", params={"lastmodified": since.strftime("%Y-%m-%d %H:%M")})
    assert [a["ArticleNumber"] for a in recent.json()["Articles"]] == ["MUG"]
    assert sim.control("POST", "/orders/999/cancel").status_code == 404


def test_requests_are_observed_logged_and_counted(make_sim: Callable[..., Sim]) -> None:
    seen: list[tuple[str, str, dict[str, Any] | None]] = []
    sim = make_sim(request_observer=lambda method, path, body: seen.append((method, path, body)))
    seed_shop(sim)
    number = sim.post("/3/customers", {"Customer": {"Name": "Bo"}}).json()["Customer"][
        "CustomerNumber"]
    sim.get(f"/3/customers/{number}")
    assert seen[0] == ("POST", "/3/customers", {"Customer": {"Name": "Bo"}})
    assert seen[1] == ("GET", f"/3/customers/{number}", None)
    log = sim.control("GET", "/requests", params={"path": "/3/customers"}).json()
    assert log[0]["body"] == {"Customer": {"Name": "Bo"}} and log[0]["status"] == 201
    assert log[0]["tenant"] == TENANT
    counters = sim.control("GET", "/counters").json()["requests"]
    assert counters["GET /3/customers/<number>"] == {"200": 1}
    sim.control("POST", "/reset")
    assert sim.get("/3/customers").json()["Customers"] == []  # the token survived the reset
