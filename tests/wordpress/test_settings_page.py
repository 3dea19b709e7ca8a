"""The plugin's settings page in a real WordPress: saved through options.php by a shop manager;
refused without a valid nonce or without the capability."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
import requests

from tests.wordpress.conftest import SECRET
from tests.wordpress.site import WordPressSite
from tests.wordpress.site import form_fields

pytestmark = pytest.mark.slow

SETTINGS = "/wp-admin/admin.php?page=fortnox-sidecar"
OPTIONS = "/wp-admin/options.php"
URL = "fortnox_sidecar_url"
SECRET_OPTION = "fortnox_sidecar_secret"
KEPT = "http://127.0.0.1:8123"


def settings_form(site: WordPressSite, http: requests.Session) -> dict[str, str]:
    page = http.get(site.url + SETTINGS, timeout=30)
    assert page.status_code == 200, page.text[:3000]
    return form_fields(page.text, "options.php")


def test_a_shop_manager_saves_the_settings_and_the_secret_is_never_shown(
        wordpress: WordPressSite) -> None:
    wordpress.set_option(URL, "")
    wordpress.set_option(SECRET_OPTION, "")
    with wordpress.log_in("shop_manager") as http:
        fields = settings_form(wordpress, http)
        saved = http.post(wordpress.url + OPTIONS, allow_redirects=False, timeout=30,
                          data={**fields, URL: " http://127.0.0.1:8123/ ", SECRET_OPTION: SECRET})
        page = http.get(urljoin(wordpress.url, saved.headers.get("Location", SETTINGS)), timeout=30)

    assert fields["option_page"] == "fortnox_sidecar"
    assert saved.status_code == 302, saved.text[:3000]
    assert "settings-updated=true" in saved.headers["Location"]
    assert wordpress.option(URL) == KEPT  # trimmed, without the trailing slash
    assert wordpress.option(SECRET_OPTION) == SECRET
    assert "Settings saved." in page.text
    assert f'value="{KEPT}"' in page.text
    assert "A secret is set." in page.text
    assert SECRET not in page.text
    # Saving also tried to create the webhooks, and says why it could not.
    assert "WooCommerce is not active, so no webhooks were created" in page.text


def test_an_invalid_url_is_refused_with_the_plugins_message_and_the_old_one_kept(
        wordpress: WordPressSite, admin: requests.Session) -> None:
    wordpress.set_option(URL, KEPT)
    fields = settings_form(wordpress, admin)

    saved = admin.post(wordpress.url + OPTIONS, allow_redirects=False, timeout=30,
                       data={**fields, URL: "ftp://127.0.0.1:8123", SECRET_OPTION: ""})
    page = admin.get(urljoin(wordpress.url, saved.headers["Location"]), timeout=30)

    assert wordpress.option(URL) == KEPT
    assert "The sidecar URL must be an http:// or https:// address" in page.text


@pytest.mark.parametrize("nonce", [None, "0123456789"], ids=["no nonce", "a made-up nonce"])
def test_a_save_without_a_valid_nonce_is_refused(
        wordpress: WordPressSite, admin: requests.Session, nonce: str | None) -> None:
    wordpress.set_option(URL, KEPT)
    fields = settings_form(wordpress, admin)
    del fields["_wpnonce"]
    if nonce is not None:
        fields["_wpnonce"] = nonce

    refused = admin.post(wordpress.url + OPTIONS, allow_redirects=False, timeout=30,
                         data={**fields, URL: "http://127.0.0.1:9999", SECRET_OPTION: ""})

    assert refused.status_code == 403
    assert "The link you followed has expired." in refused.text
    assert wordpress.option(URL) == KEPT


def test_a_user_without_manage_woocommerce_is_refused_even_with_a_valid_nonce(
        wordpress: WordPressSite) -> None:
    wordpress.set_option(URL, KEPT)
    with wordpress.log_in("editor") as http:
        page = http.get(wordpress.url + SETTINGS, timeout=30)
        nonce = wordpress.nonce(http, "fortnox_sidecar-options")
        refused = http.post(wordpress.url + OPTIONS, allow_redirects=False, timeout=30,
                            data={"option_page": "fortnox_sidecar", "action": "update",
                                  "_wpnonce": nonce, URL: "http://127.0.0.1:9999",
                                  SECRET_OPTION: ""})

    assert page.status_code == 403
    assert "Sorry, you are not allowed to access this page." in page.text
    assert refused.status_code == 403
    assert "Sorry, you are not allowed to manage options for this site." in refused.text
    assert wordpress.option(URL) == KEPT
