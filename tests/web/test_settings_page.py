"""/settings: job schedules saved POST-redirect-GET, mistakes shown beside the field, the
WooCommerce keys write-only, the shared secret shown once after making a new one."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from marshmallow import fields

from sidecar import settings
from sidecar.models import Shop
from sidecar.web import settings_form
from tests.web.conftest import WEBHOOK_SECRET
from tests.web.conftest import post_form

INTERVAL = settings.job_interval_key("prune")
PAUSED = settings.job_paused_key("prune")


def form_values(shop: Shop, **changes: str) -> dict[str, str]:
    """What the form posts untouched: every value as shown, checked boxes as 'on'."""
    stored = settings.load(shop)
    values = {k: ("on" if stored[k] is True else str(stored[k]))
              for k in settings_form.generic_specs() if stored[k] is not False}
    values.update(changes)
    return values


def test_the_page_lists_every_jobs_frequency_and_pause_switch(signed_in: FlaskClient) -> None:
    page = signed_in.get("/settings/schedules").text

    for key in settings_form.generic_specs():
        assert f'name="{key}"' in page
    assert 'name="jobs.prune.paused"' in page
    assert re.search(r'<label for="setting-jobs-prune-interval_seconds">', page)
    assert "Clean-up" in page and "Webhook inbox" in page


def test_a_later_feature_s_settings_appear_without_a_form_of_their_own(
    signed_in: FlaskClient, web_shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(settings.SPECS, "later.reference",
                        settings.SettingSpec("", fields.String()))
    monkeypatch.setitem(settings.SPECS, "later.table",  # a mapping: needs its own form
                        settings.SettingSpec({}, fields.Dict()))

    page = signed_in.get("/settings/schedules").text
    response = post_form(signed_in, "/settings",
                         form_values(web_shop, **{"later.reference": "Anna"}))

    assert 'name="later.reference"' in page
    assert 'name="later.table"' not in page
    assert response.status_code == 302
    assert settings.get(web_shop, "later.reference") == "Anna"
    assert settings.get(web_shop, "later.table") == {}


def test_a_new_frequency_is_saved_and_shown_after_a_redirect(signed_in: FlaskClient,
                                                            web_shop: Shop) -> None:
    response = post_form(signed_in, "/settings", form_values(web_shop, **{INTERVAL: "3600"}))

    assert response.status_code == 302
    assert response.location == "/settings/schedules"
    assert settings.get(web_shop, INTERVAL) == 3600
    page = signed_in.get("/settings/schedules").text
    assert "Settings saved." in page
    assert 'value="3600"' in page


def test_an_unticked_box_pauses_nothing_and_a_ticked_one_pauses(signed_in: FlaskClient,
                                                               web_shop: Shop) -> None:
    post_form(signed_in, "/settings", form_values(web_shop, **{PAUSED: "on"}))
    assert settings.get(web_shop, PAUSED) is True

    values = form_values(web_shop)
    values.pop(PAUSED)
    post_form(signed_in, "/settings", values)
    assert settings.get(web_shop, PAUSED) is False


def test_wrong_values_are_explained_beside_their_fields_and_nothing_is_saved(
    signed_in: FlaskClient, web_shop: Shop
) -> None:
    other = settings.job_interval_key("process_inbox")
    response = post_form(signed_in, "/settings",
                         form_values(web_shop, **{INTERVAL: "often", other: "0"}))

    assert response.status_code == 422
    page = response.text
    assert "Nothing was saved." in page
    assert re.search(r'id="setting-jobs-prune-interval_seconds-error">'
                     r"Enter a whole number, like 60.<", page)
    assert re.search(r'id="setting-jobs-process_inbox-interval_seconds-error">'
                     r"Enter a number from 1 to 604800.<", page)
    assert 'value="often"' in page  # what the owner typed stays in the field
    assert 'aria-invalid="true"' in page
    assert settings.get(web_shop, INTERVAL) == settings.specs()[INTERVAL].default
    assert settings.get(web_shop, other) == settings.specs()[other].default


def test_the_woocommerce_keys_are_write_only(signed_in: FlaskClient, web_shop: Shop) -> None:
    response = post_form(signed_in, "/settings/woocommerce", {
        "store_url": "https://butik.example.se/", "consumer_key": "ck_abc123",
        "consumer_secret": "cs_def456"})

    assert response.status_code == 302
    shop = Shop.get_by_id(web_shop.id)
    assert (shop.woo_url, shop.woo_consumer_key, shop.woo_consumer_secret) == (
        "https://butik.example.se", "ck_abc123", "cs_def456")
    page = signed_in.get("/settings").text
    assert "ck_abc123" not in page and "cs_def456" not in page
    assert page.count("Set. Leave empty to keep it.") == 2

    post_form(signed_in, "/settings/woocommerce", {"store_url": "https://butik.example.se",
                                                   "consumer_key": "", "consumer_secret": ""})
    assert Shop.get_by_id(web_shop.id).woo_consumer_key == "ck_abc123"


def test_a_wrong_woocommerce_key_is_explained_and_not_saved(signed_in: FlaskClient,
                                                           web_shop: Shop) -> None:
    response = post_form(signed_in, "/settings/woocommerce", {
        "store_url": "butik", "consumer_key": "cs_swapped", "consumer_secret": ""})

    assert response.status_code == 422
    assert "Enter the shop&#39;s address" in response.text
    assert "starts with ck_" in response.text
    assert Shop.get_by_id(web_shop.id).woo_consumer_key is None


def test_a_new_shared_secret_is_shown_once(signed_in: FlaskClient, web_shop: Shop) -> None:
    assert WEBHOOK_SECRET not in signed_in.get("/settings").text

    response = post_form(signed_in, "/settings/webhook-secret")

    new_secret = Shop.get_by_id(web_shop.id).webhook_secret
    assert response.status_code == 302
    assert new_secret != WEBHOOK_SECRET and len(new_secret) >= 16
    assert new_secret in signed_in.get("/settings").text
    assert new_secret not in signed_in.get("/settings").text


def test_the_page_keeps_places_for_the_fortnox_connection_and_the_export(
    signed_in: FlaskClient,
) -> None:
    assert 'id="fortnox"' in signed_in.get("/settings").text
    assert 'id="export"' in signed_in.get("/settings/export").text
