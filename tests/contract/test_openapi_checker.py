"""The contract checker catches what Fortnox would refuse and accepts what the client sends."""

from __future__ import annotations

from datetime import date
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
import requests_mock as rm

from sidecar.fortnox import FortnoxClient
from tests.contract.openapi import assert_body_matches_spec
from tests.contract.openapi import check_request
from tests.contract.openapi import find_operation
from tests.contract.openapi import install_request_checker

ORDER: dict[str, Any] = {
    "CustomerNumber": "10",
    "OrderDate": date(2024, 5, 1),
    "DeliveryDate": "2024-05-03",
    "ExternalInvoiceReference1": "WC-shop-24",
    "YourOrderNumber": "24",
    "Currency": "SEK",
    "VATIncluded": True,
    "Freight": Decimal("49.00"),
    "WayOfDelivery": "PN",
    "DeliveryName": "Åsa Öberg",
    "DeliveryCountry": "Sverige",
    "Remarks": "Lämna vid dörren",
    "OrderRows": [
        {"ArticleNumber": "HOODIE-M", "Description": "Hoodie, medium",
         "OrderedQuantity": Decimal("2"), "DeliveredQuantity": 2, "Price": Decimal("399.20"),
         "VAT": 25, "AccountNumber": 3001, "DiscountType": "AMOUNT", "Discount": 0},
        {"Description": "Tack för din beställning!"},
    ],
}
INVOICE: dict[str, Any] = {
    "CustomerNumber": "10",
    "InvoiceDate": "2024-05-01",
    "InvoiceType": "CASHINVOICE",
    "PaymentWay": "CARD",
    "ExternalInvoiceReference1": "WC-shop-24",
    "Language": "SV",
    "StockPointCode": "MAIN",
    "InvoiceRows": [
        {"ArticleNumber": "MUG", "DeliveredQuantity": Decimal("1"), "Price": Decimal("79.20"),
         "VAT": Decimal("25"), "AccountNumber": 3001, "StockPointCode": "MAIN"},
    ],
}
CUSTOMER: dict[str, Any] = {
    "Name": "Åsa Öberg",
    "Type": "PRIVATE",
    "Email": "asa@example.se",
    "Address1": "Storgatan 1",
    "ZipCode": "111 22",
    "City": "Stockholm",
    "CountryCode": "SE",
    "VATType": "SEVAT",
    "ShowPriceVATIncluded": True,
    "DefaultDeliveryTypes": {"Invoice": "EMAIL"},
}
ARTICLE: dict[str, Any] = {
    "ArticleNumber": "MUG",
    "Description": "Mugg, 35 cl",
    "Type": "STOCK",
    "StockGoods": True,
    "Weight": 350,
    "PurchasePrice": Decimal("31.50"),
    "EAN": "7310000000017",
    "WebshopArticle": True,
}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/3/orders", {"Order": ORDER}),
        ("PUT", "/3/orders/101", {"Order": {"Remarks": "Ändrad", "OrderRows": ORDER["OrderRows"]}}),
        ("POST", "/3/invoices", {"Invoice": INVOICE}),
        ("POST", "/3/customers", {"Customer": CUSTOMER}),
        ("PUT", "/3/customers/10", {"Customer": {"Email": "ny@example.se"}}),
        ("POST", "/3/articles", {"Article": ARTICLE}),
        ("PUT", "/3/articles/MUG%2F2", {"Article": {"Description": "Mugg", "Active": False}}),
        ("PUT", "/3/prices/A/MUG/0", {"Price": {"ArticleNumber": "MUG", "PriceList": "A",
                                                "Price": Decimal("79.20")}}),
        ("POST", "/3/invoicepayments", {"InvoicePayment": {
            "InvoiceNumber": 501, "Amount": Decimal("847.40"), "PaymentDate": date(2024, 5, 2)}}),
        ("PUT", "/3/orders/101/createinvoice", None),
        ("PUT", "/3/invoicepayments/33/bookkeep", None),
        ("GET", "/3/orders?externalinvoicereference1=WC-shop-24", None),
        ("GET", "/api/warehouse/status-v1/stockbalance", None),
    ],
)
def test_it_accepts_the_requests_the_client_sends(
    method: str, path: str, body: dict[str, Any] | None
) -> None:
    assert check_request(method, path, body) == []


def test_it_catches_an_unknown_field() -> None:
    problems = check_request("POST", "/3/orders", {"Order": {**ORDER, "CustomerEmail": "a@b.se"}})

    assert problems == ["POST /3/orders: body.Order.CustomerEmail is not a field of fortnox_Order"]


def test_it_catches_an_unknown_field_inside_a_row() -> None:
    row = {"ArticleNumber": "MUG", "OrderedQuantity": 1, "Sku": "MUG"}

    problems = check_request("POST", "/3/orders", {"Order": {**ORDER, "OrderRows": [row]}})

    assert problems == [
        "POST /3/orders: body.Order.OrderRows[0].Sku is not a field of fortnox_Order_OrderRow"
    ]


def test_it_catches_a_string_longer_than_fortnox_allows() -> None:
    body = {"Customer": {**CUSTOMER, "ZipCode": "1" * 11}}

    problems = check_request("POST", "/3/customers", body)

    assert problems == [
        "POST /3/customers: body.Customer.ZipCode is 11 characters long, more than 10"
    ]


def test_it_applies_the_invoice_limit_on_external_references_to_orders_too() -> None:
    problems = check_request(
        "POST", "/3/orders", {"Order": {**ORDER, "ExternalInvoiceReference1": "x" * 81}}
    )

    assert len(problems) == 1 and "more than 80" in problems[0]


def test_it_catches_a_value_outside_an_enum() -> None:
    problems = check_request("POST", "/3/customers", {"Customer": {**CUSTOMER, "VATType": "EU"}})

    assert len(problems) == 1
    assert "body.Customer.VATType is 'EU', not one of SEVAT, SEREVERSEDVAT" in problems[0]


@pytest.mark.parametrize(
    ("field", "value", "complaint"),
    [
        ("VATIncluded", "true", "not a boolean"),
        ("Freight", "49.00", "not a number"),
        ("CustomerNumber", 10, "not a string"),
        ("OrderDate", "2024-05-01T10:00:00", "not a date"),
        ("OrderDate", datetime(2024, 5, 1, 10, 0), "is a datetime"),
        ("OrderRows", {"ArticleNumber": "MUG"}, "not a list"),
        ("Remarks", None, "is null"),
    ],
)
def test_it_catches_a_value_of_the_wrong_type(field: str, value: Any, complaint: str) -> None:
    problems = check_request("POST", "/3/orders", {"Order": {**ORDER, field: value}})

    assert len(problems) == 1 and complaint in problems[0], problems


def test_it_catches_a_fractional_value_in_an_integer_field() -> None:
    row = {"ArticleNumber": "MUG", "DeliveredQuantity": 1, "VAT": Decimal("12.5")}

    problems = check_request("POST", "/3/invoices", {"Invoice": {**INVOICE, "InvoiceRows": [row]}})

    assert problems == [
        "POST /3/invoices: body.Invoice.InvoiceRows[0].VAT is 12.5, not a whole number"
    ]


def test_it_catches_an_account_number_out_of_range() -> None:
    row = {"ArticleNumber": "MUG", "DeliveredQuantity": 1, "AccountNumber": 300}

    problems = check_request("POST", "/3/invoices", {"Invoice": {**INVOICE, "InvoiceRows": [row]}})

    assert len(problems) == 1 and "below the minimum 1000" in problems[0]


def test_it_requires_required_fields_on_create_but_not_on_update() -> None:
    without_customer = {k: v for k, v in ORDER.items() if k != "CustomerNumber"}

    assert check_request("POST", "/3/orders", {"Order": without_customer}) == [
        "POST /3/orders: body.Order.CustomerNumber is required when creating"
    ]
    assert check_request("PUT", "/3/orders/101", {"Order": without_customer}) == []


def test_it_catches_read_only_totals_on_an_order() -> None:
    row = {**ORDER["OrderRows"][0], "Total": 798.4}

    problems = check_request(
        "POST", "/3/orders", {"Order": {**ORDER, "TotalVAT": 159.68, "OrderRows": [row]}}
    )

    assert sorted(problems) == [
        "POST /3/orders: body.Order.OrderRows[0].Total is read-only in Fortnox; do not send it",
        "POST /3/orders: body.Order.TotalVAT is read-only in Fortnox; do not send it",
    ]


def test_it_catches_writing_the_read_only_sales_price() -> None:
    problems = check_request("PUT", "/3/articles/MUG", {"Article": {"SalesPrice": 99}})

    assert problems == [
        "PUT /3/articles/MUG: body.Article.SalesPrice is read-only in Fortnox; do not send it"
    ]


def test_it_accepts_api_blank_to_clear_any_field() -> None:
    body = {"Customer": {"Email": "API_BLANK", "VATType": "API_BLANK", "ZipCode": "API_BLANK"}}

    assert check_request("PUT", "/3/customers/10", body) == []


def test_it_catches_an_operation_fortnox_does_not_have() -> None:
    assert check_request("DELETE", "/3/invoices/5", None) == [
        "DELETE /3/invoices/5: no such operation in Fortnox's OpenAPI spec"
    ]
    assert check_request("PUT", "/3/orders/5/createinvoice", {"Order": {}}) == [
        "PUT /3/orders/5/createinvoice: this operation takes no body"
    ]


def test_it_prefers_literal_path_segments_over_placeholders() -> None:
    sublist = find_operation("GET", "/3/prices/sublist/A/MUG")
    warehouse_ready = find_operation("PUT", "/3/orders/7/warehouseready")

    assert sublist is not None
    assert sublist.template == "/3/prices/sublist/{PriceList}/{ArticleNumber}"
    assert warehouse_ready is not None  # missing from the spec, documented by Fortnox


def test_it_raises_with_every_problem_listed() -> None:
    body = {"Customer": {**CUSTOMER, "VATType": "EU", "Nickname": "Åsa"}}

    with pytest.raises(AssertionError, match=r"(?s)VATType.*Nickname"):
        assert_body_matches_spec("POST", "/3/customers", body)


@pytest.mark.not_fortnox_contract  # sends a bad body on purpose, to see it caught
def test_it_checks_every_body_the_patched_client_sends(
    monkeypatch: pytest.MonkeyPatch, requests_mock: rm.Mocker
) -> None:
    checker = install_request_checker(monkeypatch)
    requests_mock.post("https://fortnox.test/3/orders", status_code=201, json={"Order": {}})
    requests_mock.get("https://fortnox.test/3/orders/1", json={"Order": {}})

    class Tokens:
        def access_token(self) -> str:
            return "token"

        def invalidate(self, token: str) -> None:
            pass

    client = FortnoxClient("https://fortnox.test", Tokens())
    client.get_order("1")
    client.create_order({"CustomerNumber": "10", "Colour": "red"})

    assert checker.requests_seen == 2
    assert checker.problems == ["POST /3/orders: body.Order.Colour is not a field of fortnox_Order"]
    with pytest.raises(AssertionError, match="Colour"):
        checker.assert_clean()
