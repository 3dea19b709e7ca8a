"""Operations on top of the choke point: exact matches, parameters, paths, answer shapes.

Every body sent here is also checked against Fortnox's OpenAPI spec.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC
from datetime import date
from datetime import datetime
from decimal import Decimal
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import requests_mock as rm

from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import StockBalance
from tests.contract.openapi import RequestChecker
from tests.contract.openapi import install_request_checker

BASE = "https://fortnox.test"


class StaticTokens:
    def access_token(self) -> str:
        return "token"

    def invalidate(self, token: str) -> None:
        raise AssertionError("no test here expects a 401")


@pytest.fixture(autouse=True)
def contract(monkeypatch: pytest.MonkeyPatch) -> Iterator[RequestChecker]:
    """Checks every request of every test here against Fortnox's spec."""
    checker = install_request_checker(monkeypatch)
    yield checker
    checker.assert_clean()


@pytest.fixture
def client() -> FortnoxClient:
    return FortnoxClient(BASE, StaticTokens(), sleep=lambda _: None)


def customers(*emails_and_numbers: tuple[str, str]) -> dict[str, object]:
    items = [
        {"CustomerNumber": str(n), "Email": email, "OrganisationNumber": org}
        for n, (email, org) in enumerate(emails_and_numbers, start=1)
    ]
    return {"MetaInformation": {"@TotalPages": 1, "@CurrentPage": 1}, "Customers": items}


def test_it_keeps_only_exact_email_matches_ignoring_case(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(
        f"{BASE}/3/customers",
        json=customers(("anna@example.se", ""), ("joanna@example.se", ""), ("ANNA@Example.SE", ""),
                       ("anna@example.se.evil", "")),
    )

    found = client.find_customers_by_email(" Anna@example.se ")

    assert [c["CustomerNumber"] for c in found] == ["1", "3"]
    assert requests_mock.last_request.qs["email"] == ["anna@example.se"]


def test_it_matches_organisation_numbers_however_they_are_punctuated(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(
        f"{BASE}/3/customers",
        json=customers(
            ("", "556677-8899"), ("", "5566778899"), ("", "16556677-8899"), ("", "556677-8898"),
            ("", "556677 8899"),
        ),
    )

    found = client.find_customers_by_organisation_number("5566778899")

    assert [c["CustomerNumber"] for c in found] == ["1", "2", "3", "5"]
    # Six digits are a substring of every punctuation Fortnox may have stored.
    assert requests_mock.last_request.qs["organisationnumber"] == ["556677"]


def test_it_does_not_search_for_an_empty_email(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    assert client.find_customers_by_email("  ") == []
    assert requests_mock.call_count == 0


def test_it_finds_orders_by_exact_external_reference_only(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    listed = [
        {"DocumentNumber": "1", "ExternalInvoiceReference1": "WC-shop-24", "Cancelled": False},
        {"DocumentNumber": "2", "ExternalInvoiceReference1": "WC-shop-245", "Cancelled": False},
        {"DocumentNumber": "3", "ExternalInvoiceReference1": "WC-shop-24", "Cancelled": True},
    ]
    requests_mock.get(f"{BASE}/3/orders", json={"Orders": listed})

    found = client.find_orders_by_external_reference("WC-shop-24")

    assert [o["DocumentNumber"] for o in found] == ["1", "3"]
    assert requests_mock.last_request.qs["externalinvoicereference1"] == ["wc-shop-24"]


def test_it_finds_invoices_by_exact_external_reference_only(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    listed = [
        {"DocumentNumber": "7", "ExternalInvoiceReference1": "XWC-shop-24"},
        {"DocumentNumber": "8", "ExternalInvoiceReference1": "WC-shop-24"},
    ]
    requests_mock.get(f"{BASE}/3/invoices", json={"Invoices": listed})

    found = client.find_invoices_by_external_reference("WC-shop-24")

    assert [i["DocumentNumber"] for i in found] == ["8"]


def test_it_lists_orders_modified_since_in_swedish_time_with_a_filter(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(f"{BASE}/3/orders", json={"Orders": [{"DocumentNumber": "1"}]})

    since = datetime(2024, 6, 1, 22, 15, tzinfo=UTC)
    orders = list(client.iter_orders(modified_since=since, filter="invoicecreated"))

    assert orders == [{"DocumentNumber": "1"}]
    query = requests_mock.last_request.qs
    assert query["lastmodified"] == ["2024-06-02 00:15"]
    assert query["filter"] == ["invoicecreated"]


def test_it_creates_an_order_wrapped_and_returns_it_unwrapped(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    created = {"Order": {"DocumentNumber": "101", "CustomerNumber": "10"}}
    requests_mock.post(f"{BASE}/3/orders", status_code=201, json=created)
    order = {
        "CustomerNumber": "10",
        "OrderDate": date(2024, 5, 1),
        "ExternalInvoiceReference1": "WC-shop-24",
        "YourOrderNumber": "24",
        "Currency": "SEK",
        "VATIncluded": True,
        "Freight": Decimal("49.00"),
        "OrderRows": [
            {"ArticleNumber": "HOODIE-M", "OrderedQuantity": Decimal("2"),
             "DeliveredQuantity": Decimal("2"), "Price": Decimal("399.20"), "VAT": Decimal("25"),
             "AccountNumber": 3001, "Description": "Hoodie, medium"},
        ],
    }

    assert client.create_order(order) == created["Order"]

    sent = json.loads(requests_mock.last_request.body)
    assert sent["Order"]["OrderDate"] == "2024-05-01"
    assert sent["Order"]["OrderRows"][0]["Price"] == 399.2


@pytest.mark.parametrize(
    "answer",
    [
        {"Order": {"DocumentNumber": "7", "InvoiceReference": "501"}},
        {"Invoice": {"DocumentNumber": "501", "OrderReference": "7"}},
    ],
    ids=["order-wrapper", "invoice-wrapper"],
)
def test_it_reads_the_new_invoice_number_from_either_createinvoice_answer(
    client: FortnoxClient, requests_mock: rm.Mocker, answer: dict[str, object]
) -> None:
    requests_mock.put(f"{BASE}/3/orders/7/createinvoice", json=answer)

    assert client.create_invoice_from_order("7") == "501"


def test_it_escapes_article_numbers_in_paths(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.put(f"{BASE}/3/articles/ART%2F1", json={"Article": {"ArticleNumber": "ART/1"}})

    client.update_article("ART/1", {"Description": "Mug", "Weight": 350, "Active": True})

    assert requests_mock.last_request.path == "/3/articles/art%2f1"


def test_it_puts_a_price_for_an_article_in_a_price_list(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.put(f"{BASE}/3/prices/A/MUG/0", json={"Price": {"Price": 79.2}})

    client.update_price("A", "MUG", Decimal("79.20"), from_quantity=0)

    assert json.loads(requests_mock.last_request.body) == {
        "Price": {"ArticleNumber": "MUG", "PriceList": "A", "Price": 79.2}
    }


def test_it_creates_a_missing_price_with_its_from_quantity(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.post(f"{BASE}/3/prices", status_code=201, json={"Price": {"Price": 79.2}})

    client.create_price("A", "MUG", Decimal("79.20"))

    assert json.loads(requests_mock.last_request.body)["Price"]["FromQuantity"] == 0


def test_it_reads_stock_balances_in_batches_as_decimals(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    def balances(request: rm.request._RequestObjectProxy, context: object) -> list[object]:
        # requests-mock lower-cases `qs`; article numbers are case-sensitive, so parse the URL.
        ids = parse_qs(urlsplit(request.url).query)["itemIds"][0].split(",")
        return [{"itemId": i, "stockPointCode": "MAIN", "inStock": 5, "availableStock": "3.50"}
                for i in ids]

    requests_mock.get(f"{BASE}/api/warehouse/status-v1/stockbalance", json=balances)
    item_ids = [f"SKU-{n}" for n in range(150)]

    found = client.get_stock_balances(item_ids, stock_point_codes=["MAIN"])

    assert len(found) == 150 and requests_mock.call_count == 2
    assert found[0] == StockBalance("SKU-0", "MAIN", Decimal(5), Decimal("3.50"))
    assert requests_mock.request_history[0].qs["stockpointcodes"] == ["main"]


def test_it_tells_whether_fortnox_lager_is_activated(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(f"{BASE}/api/warehouse/tenants-v4", json={"activated": True, "tenantId": 9})

    assert client.warehouse_activated() is True


def test_it_lists_active_stock_points(client: FortnoxClient, requests_mock: rm.Mocker) -> None:
    requests_mock.get(
        f"{BASE}/api/warehouse/stockpoints-v1", json=[{"code": "MAIN", "name": "Lager"}]
    )

    assert client.list_stock_points() == [{"code": "MAIN", "name": "Lager"}]
    assert requests_mock.last_request.qs["state"] == ["active"]


def test_it_unwraps_company_settings_and_lists_registers(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(f"{BASE}/3/settings/company",
                      json={"CompanySettings": {"DatabaseNumber": 1234}})
    requests_mock.get(f"{BASE}/3/wayofdeliveries",
                      json={"WayOfDeliveries": [{"Code": "PN", "Description": "PostNord"}]})

    assert client.get_company_settings() == {"DatabaseNumber": 1234}
    assert client.list_ways_of_delivery() == [{"Code": "PN", "Description": "PostNord"}]


def test_it_creates_and_bookkeeps_an_invoice_payment(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.post(f"{BASE}/3/invoicepayments", status_code=201,
                       json={"InvoicePayment": {"Number": "33"}})
    requests_mock.put(f"{BASE}/3/invoicepayments/33/bookkeep",
                      json={"InvoicePayment": {"Number": "33", "Booked": True}})

    payment = client.create_invoice_payment(
        {"InvoiceNumber": 501, "Amount": Decimal("847.40"), "PaymentDate": date(2024, 5, 2),
         "ModeOfPayment": "KORT"}
    )
    booked = client.bookkeep_invoice_payment(payment["Number"])

    assert booked["Booked"] is True


def test_it_creates_a_customer_with_a_body_fortnox_accepts(
    client: FortnoxClient, requests_mock: rm.Mocker, contract: RequestChecker
) -> None:
    requests_mock.post(f"{BASE}/3/customers", status_code=201,
                       json={"Customer": {"CustomerNumber": "10"}})

    client.create_customer(
        {"Name": "Åsa Öberg", "Email": "asa@example.se", "Type": "PRIVATE", "CountryCode": "SE",
         "ZipCode": "11122", "City": "Stockholm", "VATType": "SEVAT"}
    )

    assert contract.requests_seen == 1
