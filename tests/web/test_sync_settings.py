"""The sync settings on /settings: every part saves through the features' own validators, a
refusal is explained beside its field and saves nothing, the shipping preview says which rule
fits, and without Fortnox the lists fall back to free text with a note."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from sidecar import settings
from sidecar.models import Shop
from tests.web.conftest import post_form


def test_without_fortnox_the_lists_are_free_text_with_a_note(signed_in: FlaskClient) -> None:
    page = "".join(signed_in.get(f"/settings/{section}").text
                   for section in ("export", "accounts", "from-fortnox"))

    assert 'id="lists-note"' in page and "Fortnox is not connected" in page
    assert re.search(r'<input type="text" id="setting-export-rounding_account" '
                     r'name="export.rounding_account" value="3740"', page)
    assert 'name="export.accounts.se.goods.25"' in page
    assert 'name="export.payment_methods.method"' in page
    assert 'name="products.tax_class_by_vat.25"' in page


def test_the_generic_form_leaves_the_sync_settings_to_their_parts(
        signed_in: FlaskClient) -> None:
    page = signed_in.get("/settings/schedules").text
    general = page[page.index('id="general"'):]

    assert 'name="jobs.prune.paused"' in general
    assert 'name="export.document_mode"' not in general
    assert 'name="stock.sync"' not in general


def test_shipping_rules_are_saved_in_order_and_the_preview_names_the_rule(
        signed_in: FlaskClient, web_shop: Shop) -> None:
    response = post_form(signed_in, "/settings/sync/shipping", {
        "export.way_of_delivery_rules.pattern": ["DHL*", "post*", ""],
        "export.way_of_delivery_rules.code": ["DHL", "P", ""],
        "export.terms_of_delivery_rules.pattern": [""],
        "export.terms_of_delivery_rules.code": [""],
    })

    assert response.status_code == 302
    assert response.location == "/settings/shipping#part-shipping"
    assert settings.get(web_shop, "export.way_of_delivery_rules") == [["DHL*", "DHL"],
                                                                     ["post*", "P"]]
    preview = post_form(signed_in, "/settings/shipping-preview",
                        {"shipping_name": "PostNord Ombud"}).text
    assert "PostNord Ombud → way of delivery P (rule post*)" in preview
    assert "PostNord Ombud → no terms of delivery (no rule fits)" in preview


def test_a_rule_without_a_code_is_refused_in_words(signed_in: FlaskClient,
                                                    web_shop: Shop) -> None:
    response = post_form(signed_in, "/settings/sync/shipping", {
        "export.way_of_delivery_rules.pattern": ["DHL*"],
        "export.way_of_delivery_rules.code": [""]})

    assert response.status_code == 422
    assert ('id="setting-export-way_of_delivery_rules-error">Each rule needs both a shipping '
            'method and a code.') in response.text
    assert settings.get(web_shop, "export.way_of_delivery_rules") == []


def test_accounts_and_exceptions_are_saved_as_numbers(signed_in: FlaskClient,
                                                      web_shop: Shop) -> None:
    response = post_form(signed_in, "/settings/sync/accounts", {
        "export.accounts.se.goods.25": "3011", "export.accounts.eu.fee.0": "",
        "export.rounding_account": "3740",
        "export.accounts_by_sku.name": ["GIFT-1", ""], "export.accounts_by_sku.cell": ["se", "*"],
        "export.accounts_by_sku.account": ["3090", ""],
        "export.accounts_by_category.name": [""], "export.accounts_by_category.cell": ["*"],
        "export.accounts_by_category.account": [""]})

    assert response.status_code == 302
    assert settings.get(web_shop, "export.accounts") == {"se.goods.25": 3011}
    assert settings.get(web_shop, "export.accounts_by_sku") == {"GIFT-1": {"se": 3090}}


def test_a_bad_account_and_a_bad_date_are_explained_and_nothing_is_saved(
        signed_in: FlaskClient, web_shop: Shop) -> None:
    accounts = post_form(signed_in, "/settings/sync/accounts", {
        "export.accounts.se.goods.25": "12", "export.rounding_account": "3740"})
    export = post_form(signed_in, "/settings/sync/export", {
        "export.document_mode": "order", "export.first_order_date": "31/1",
        "export.trigger_statuses": "processing", "export.unknown_article": "stop"})

    assert accounts.status_code == 422
    assert "Choose an account number from 1000 to 9999." in accounts.text
    assert export.status_code == 422
    assert "Enter a date like 2025-01-31, or leave it empty." in export.text
    assert 'aria-invalid="true"' in export.text
    assert settings.get(web_shop, "export.document_mode") == "invoice"  # all or nothing


def test_the_export_part_saves_statuses_payment_rules_and_customer_choices(
        signed_in: FlaskClient, web_shop: Shop) -> None:
    response = post_form(signed_in, "/settings/sync/export", {
        "export.document_mode": "order_then_invoice",
        "export.trigger_statuses": ["processing", "on-hold"],
        "export.first_order_date": "2025-01-31", "export.unknown_article": "stop",
        "export.shipping_as": "freight", "export.our_reference": "Anna",
        "export.terms_of_payment": "30", "export.mode_of_payment": "",
        "export.bookkeep_invoice": "on",
        "export.payment_methods.method": ["cod", "swish", ""],
        "export.payment_methods.document_mode": ["order", "", ""],
        "export.payment_methods.terms_of_payment": ["", "", ""],
        "export.payment_methods.mode_of_payment": ["", "SWISH", ""],
        "export.payment_methods.skip": ["0"],
        "export.customer.match_by": "organisation_number",
        "export.customer.organisation_number_meta_key": "_org_nr",
        "export.customer.vat_number_meta_keys": "_vat, vat_number",
        "export.customer.guests": "own", "export.customer.shared_guest_customer_number": "",
        "export.stock.stock_point_code": "MAIN"})

    assert response.status_code == 302, response.text
    stored = settings.load(web_shop)
    assert stored["export.trigger_statuses"] == ["processing", "on-hold"]
    assert stored["export.payment_methods"] == {
        "cod": {"document_mode": "order", "skip": True}, "swish": {"mode_of_payment": "SWISH"}}
    assert stored["export.customer.vat_number_meta_keys"] == ["_vat", "vat_number"]
    assert stored["export.bookkeep_invoice"] is True
    assert stored["export.register_payment"] is False
    assert stored["export.stock.draw_down"] is False  # unticked box


def test_the_fortnox_to_woo_part_saves_tax_classes_and_stock_points(
        signed_in: FlaskClient, web_shop: Shop) -> None:
    response = post_form(signed_in, "/settings/sync/fortnox_to_woo", {
        "order_status.completed_when": "invoice_paid", "order_status.complete_orders": "on",
        "products.sync_price": "on", "products.price_list": "B",
        "products.tax_class_by_vat.25": "standard", "products.tax_class_by_vat.12": "reduced-rate",
        "products.tax_class_by_vat.6": "super-reduced-rate", "products.tax_class_by_vat.0": "",
        "products.full_compare_hours": "12", "stock.sync": "on", "stock.source": "warehouse",
        "stock.quantity": "available", "stock.stock_points": "WEB, MAIN", "stock.location": "",
        "stock.full_compare_hours": "24"})

    assert response.status_code == 302, response.text
    stored = settings.load(web_shop)
    assert stored["stock.stock_points"] == ["MAIN", "WEB"]
    assert stored["products.tax_class_by_vat"]["25"] == ""
    assert stored["products.sync_name"] is False
    assert stored["order_status.completed_when"] == "invoice_paid"


def test_an_unknown_part_is_not_found(signed_in: FlaskClient) -> None:
    assert post_form(signed_in, "/settings/sync/nothing", {}).status_code == 404


@pytest.mark.parametrize(("cell", "account", "words"), [
    ("se.goods.25", "3011", "se.goods.25 är ingen kolumn i tabellen"),
    ("se", "¹⁰⁰⁰", "Välj ett kontonummer från 1000 till 9999."),
])
def test_an_exception_with_a_cell_or_account_that_is_none_is_explained_in_swedish(
        signed_in: FlaskClient, web_shop: Shop, cell: str, account: str, words: str) -> None:
    post_form(signed_in, "/language", {"lang": "sv"})
    response = post_form(signed_in, "/settings/sync/accounts", {
        "export.rounding_account": "3740", "export.accounts_by_sku.name": ["MUG"],
        "export.accounts_by_sku.cell": [cell], "export.accounts_by_sku.account": [account]})

    assert response.status_code == 422
    assert words in response.text
    assert settings.get(web_shop, "export.accounts_by_sku") == {}
