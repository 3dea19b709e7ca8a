"""The settings page shows what the checks against Fortnox found beside each setting: the
default cells with the account's name as Fortnox has it, the fix next to a missing account,
that Fortnox Lager is not available; and the order status rule says what WooCommerce e-mails."""

from __future__ import annotations

from flask.testing import FlaskClient

from sidecar import checks
from sidecar import settings
from sidecar.fields import utcnow
from sidecar.messages import msg
from sidecar.models import Shop
from sidecar.models import ShopCheck
from tests.web.conftest import post_form


def found(shop: Shop, *issues: dict) -> None:
    checks.answered(shop, checks.SETTINGS, now=utcnow(), next_at=None,
                    state=checks.PROBLEM if issues else checks.OK,
                    value={"issues": list(issues),
                           "account_names": {"3001": "Försäljning inom Sverige, 25 % moms",
                                             "3740": "Öres- och kronutjämning"}})


def account_issue(number: int) -> dict:
    return {"kind": "account", "code": str(number), "where": [],
            "problem": msg("check.account_missing", account=number,
                           uses=msg("use.rounding")).as_json(),
            "fix": msg("check.fix_account", account=number).as_json()}


def test_default_cells_name_the_account_and_a_missing_one_has_its_fix_beside_it(
        signed_in: FlaskClient, web_shop: Shop) -> None:
    found(web_shop, account_issue(3520))

    page = signed_in.get("/settings/accounts", headers={"Accept-Language": "sv"}).text

    # Fortnox is not connected here, so the cell is free text; its placeholder is the default
    assert 'placeholder="BAS 3001 Försäljning inom Sverige, 25 % moms"' in page
    issue = page[page.index('id="setting-export-accounts-se-shipping-25-issue"'):]
    assert issue.split("</p>")[0].endswith(
        "Aktivera konto 3520 i Fortnox, eller välj ett annat konto.")
    assert 'id="setting-export-accounts-se-goods-25-issue"' not in page
    assert 'id="accounts-checked"' in page


def test_an_unknown_code_is_shown_beside_its_setting(signed_in: FlaskClient,
                                                     web_shop: Shop) -> None:
    settings.save(web_shop, {"export.terms_of_payment": "K9"})
    found(web_shop, {"kind": "terms_of_payment", "code": "K9", "where": [],
                     "problem": msg("check.code_missing", register=msg(
                         "register.terms_of_payment"), code="K9",
                         uses=msg("use.all_orders")).as_json(),
                     "fix": msg("check.fix_code", code="K9", register=msg(
                         "register.terms_of_payment")).as_json()})

    page = signed_in.get("/settings/export").text

    note = page[page.index('id="setting-export-terms_of_payment-check"'):].split("</p>")[0]
    assert "Terms of payment K9 does not exist in Fortnox. It is used for every order." in note


def test_lager_not_available_is_said_once_beside_the_stock_point(signed_in: FlaskClient,
                                                                 web_shop: Shop) -> None:
    checks.answered(web_shop, checks.LAGER, value={"activated": False, "answer": "HTTP 404"},
                    now=utcnow(), next_at=None)

    page = signed_in.get("/settings/export").text

    assert page.count("Fortnox Lager is not available for this company") == 1
    assert "the Lager check got HTTP 404" in page


def test_the_status_rule_says_woocommerce_emails_and_unset_follows_the_document_mode(
        signed_in: FlaskClient, web_shop: Shop) -> None:
    page = signed_in.get("/settings/from-fortnox").text

    assert "WooCommerce e-mails the customer that the order is complete" in page
    assert '<option value="" selected>Yes, except orders sent as an invoice only' in page
    assert '<option value="delivered_or_done" selected>' in page

    post_form(signed_in, "/settings/sync/fortnox_to_woo", {
        "order_status.complete_orders": "off", "order_status.completed_when": "marked_done",
        "products.full_compare_hours": "24", "stock.full_compare_hours": "24",
        "stock.source": "article", "stock.quantity": "available"})

    assert settings.get(web_shop, "order_status.complete_orders") is False
    assert '<option value="off" selected>No' in signed_in.get("/settings/from-fortnox").text


def test_saving_the_stock_settings_asks_lager_again_and_checks_the_settings(
        signed_in: FlaskClient, web_shop: Shop) -> None:
    checks.answered(web_shop, checks.LAGER, value={"activated": True}, now=utcnow(),
                    next_at=None)

    post_form(signed_in, "/settings/sync/export", {
        "export.document_mode": "invoice", "export.trigger_statuses": "processing",
        "export.unknown_article": "stop", "export.shipping_as": "row",
        "export.customer.match_by": "email", "export.customer.guests": "own"})

    lager = checks.get(web_shop, checks.LAGER)
    assert lager.result is None and lager.state == checks.UNKNOWN  # asked again, not trusted
    assert ShopCheck.get(ShopCheck.name == checks.SETTINGS).next_at is not None
