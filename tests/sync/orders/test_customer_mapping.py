"""Billing details → Fortnox customer card, match keys and a hash of what we send."""

from __future__ import annotations

from typing import Any

from sidecar.sync.orders.customer_mapping import map_customer
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import parse_order
from tests.sync.shop import contract_problems
from tests.sync.shop import fixture_order

DEFAULTS = ExportSettings.from_values("shop", {})


def order_with(billing: dict[str, Any] | None = None, meta: list[dict[str, Any]] | None = None,
               shipping: dict[str, Any] | None = None) -> dict[str, Any]:
    body = fixture_order("019-order-updated-24.body")
    body["billing"].update(billing or {})
    body["shipping"].update(shipping or {})
    body["meta_data"] = meta or []
    return body


def test_a_consumer_gets_a_private_card_with_prices_including_vat() -> None:
    customer = map_customer(parse_order(order_with()), DEFAULTS)
    assert customer.payload["Type"] == "PRIVATE"
    assert customer.payload["ShowPriceVATIncluded"] is True
    assert customer.payload["CountryCode"] == "SE" and customer.payload["VATType"] == "SEVAT"
    assert customer.match.email == "anna.svensson@example.test"
    assert contract_problems("customers", customer.payload) == []


def test_a_company_name_or_organisation_number_makes_a_company_card() -> None:
    body = order_with({"company": "Kaffe AB"},
                      meta=[{"key": "_organisation_number", "value": "556677-8899"}])
    customer = map_customer(parse_order(body), DEFAULTS)
    assert customer.payload["Type"] == "COMPANY"
    assert customer.payload["Name"] == "Kaffe AB"
    assert customer.payload["YourReference"] == "Anna Svensson"
    assert customer.payload["OrganisationNumber"] == "5566778899"
    assert customer.match.organisation_number == "5566778899"


def test_the_organisation_number_meta_key_is_the_owners_choice() -> None:
    body = order_with(meta=[{"key": "billing_orgnr", "value": "556677-8899"}])
    custom = ExportSettings.from_values(
        "shop", {"export.customer.organisation_number_meta_key": "billing_orgnr",
                 "export.customer.match_by": "organisation_number"})
    customer = map_customer(parse_order(body), custom)
    assert customer.match.organisation_number == "5566778899"
    assert customer.match.order_of_keys == ("organisation_number", "email")
    assert map_customer(parse_order(body), DEFAULTS).match.organisation_number == ""


def test_an_order_without_names_still_gives_the_card_a_name() -> None:
    body = order_with({"first_name": "", "last_name": "", "company": ""})
    customer = map_customer(parse_order(body), DEFAULTS)
    assert customer.payload["Name"] == "anna.svensson@example.test"
    assert customer.warnings


def test_a_long_foreign_postcode_is_left_out_rather_than_cut() -> None:
    body = order_with({"postcode": "12345-678901", "country": "US"})
    customer = map_customer(parse_order(body), DEFAULTS)
    assert "ZipCode" not in customer.payload
    assert any("postcode" in str(w) for w in customer.warnings)


def test_the_hash_changes_with_the_card_and_only_with_it() -> None:
    first = map_customer(parse_order(order_with()), DEFAULTS)
    again = map_customer(parse_order(order_with()), DEFAULTS)
    moved = map_customer(parse_order(order_with({"address_1": "Nygatan 1"})), DEFAULTS)
    assert first.fields_hash == again.fields_hash != moved.fields_hash


def test_a_name_of_only_unprintable_characters_falls_back_to_the_email() -> None:
    body = order_with({"first_name": "\x0e\x1a", "last_name": " ", "company": ""})
    customer = map_customer(parse_order(body), DEFAULTS)
    assert customer.payload["Name"] == "anna.svensson@example.test"
    assert any("no usable billing name" in str(w) for w in customer.warnings)
    assert contract_problems("customers", customer.payload) == []
