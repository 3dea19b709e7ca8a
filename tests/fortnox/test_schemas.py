"""Reading Fortnox's answers: numbers exact from either form, and refusals that name the field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sidecar.fortnox import FortnoxError
from sidecar.fortnox.customers import customer_keys
from sidecar.fortnox.schemas import ACCOUNT
from sidecar.fortnox.schemas import ARTICLE
from sidecar.fortnox.schemas import DOCUMENT
from sidecar.fortnox.schemas import STOCK_BALANCE
from sidecar.fortnox.schemas import TENANT
from sidecar.fortnox.schemas import Account
from sidecar.fortnox.schemas import StockBalance
from sidecar.fortnox.schemas import read


def test_numbers_are_read_exactly_whether_sent_as_numbers_or_strings() -> None:
    balance = read(STOCK_BALANCE, {"itemId": "MUG", "stockPointCode": "MAIN",
                                   "inStock": "12.50", "availableStock": 3.1}, "stock balance")
    assert balance == StockBalance("MUG", "MAIN", Decimal("12.50"), Decimal("3.1"))


def test_missing_and_null_values_read_as_their_defaults_and_unknown_keys_are_ignored() -> None:
    article = read(ARTICLE, {"Description": "Mugg", "VAT": None, "QuantityInStock": "",
                             "@url": "https://api.fortnox.se/3/articles/MUG"}, "article")
    assert (article.description, article.vat, article.in_stock, article.available) == (
        "Mugg", None, Decimal(0), Decimal(0))
    assert read(ACCOUNT, {"Number": 3001, "Description": "Försäljning 25 %"}, "account") == (
        Account(3001, "Försäljning 25 %", True))
    assert read(TENANT, {}, "Lager answer")["activated"] is False


def test_a_document_reads_its_rows_and_flags_as_sent_or_as_read() -> None:
    document = read(DOCUMENT, {"DocumentNumber": 7, "Total": "125.00", "Cancelled": "false",
                               "VATIncluded": True, "InvoiceRows": [
                                   {"VAT": 25, "Price": Decimal("100"),
                                    "DeliveredQuantity": "1"}]}, "invoice")
    assert document["DocumentNumber"] == "7" and document["Total"] == Decimal("125.00")
    assert document["Cancelled"] is False and document["VATIncluded"] is True
    assert document["InvoiceRows"][0]["Price"] == Decimal(100)
    assert document["OrderRows"] == []


@pytest.mark.parametrize(("schema", "body", "words"), [
    (ACCOUNT, {"Description": "Kassa"}, "Fortnox's answer: Number is missing"),
    (ACCOUNT, {"Number": "¹⁰⁰⁰"}, "Fortnox's answer: Number is not a whole number"),
    (ACCOUNT, {"Number": 1910, "Active": "ja"}, "Active is not true or false: 'ja'"),
    (STOCK_BALANCE, {"itemId": "MUG", "inStock": "many"}, "inStock is not a number: 'many'"),
    (STOCK_BALANCE, {"itemId": "MUG", "inStock": True}, "inStock is not a number: True"),
    (STOCK_BALANCE, {"itemId": ["MUG"]}, "itemId is not text: ['MUG']"),
    (TENANT, {"activated": "yes"}, "activated is not true or false: 'yes'"),
    (ARTICLE, {"DisposableQuantity": "NaN"}, "DisposableQuantity is not a number: 'NaN'"),
    (DOCUMENT, {"Total": {"SEK": 1}}, "Total is not a number"),
    (DOCUMENT, {"InvoiceRows": [{"VAT": 25}, {"Price": "x"}]},
     "InvoiceRows[1].Price is not a number: 'x'"),
    (DOCUMENT, {"OrderRows": "none"}, "OrderRows Not a valid list."),
    (DOCUMENT, ["not", "an", "object"], "Fortnox's answer is not an object"),
])
def test_an_answer_the_sidecar_cannot_read_is_refused_naming_the_field(
        schema: Any, body: Any, words: str) -> None:
    with pytest.raises(FortnoxError) as refused:
        read(schema, body, "answer")
    assert words in str(refused.value)
    assert not refused.value.retryable


def test_a_customer_is_matched_by_its_keys_normalised() -> None:
    keys = customer_keys({"CustomerNumber": 12, "Email": " Anna@Example.SE ",
                          "OrganisationNumber": "19556677-8899", "Name": "Anna"})
    assert (keys.number, keys.email, keys.organisation_number) == (
        "12", "anna@example.se", "5566778899")
    with pytest.raises(FortnoxError, match="Email is not text"):
        customer_keys({"CustomerNumber": "12", "Email": ["anna@example.se"]})
