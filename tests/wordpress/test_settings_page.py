"""The plugin's settings page in a real WordPress: saved through options.php by a shop manager;
refused without a valid nonce or without the capability."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
import requests

from sidecar.fields import utcnow
from sidecar.models import Shop
from sidecar.security import shop_keys
from sidecar.sim.process import SidecarProcess
from sidecar.sim.process import sidecar_database
from tests.wordpress.site import WordPressSite
from tests.wordpress.site import form_fields

pytestmark = pytest.mark.slow

SETTINGS = "/wp-admin/admin.php?page=fortnox-sidecar"
OPTIONS = "/wp-admin/options.php"
URL = "fortnox_sidecar_url"
SECRET_OPTION = "fortnox_sidecar_secret"
PAIRING = "fortnox_sidecar_pairing_code"
SECRETS = {"webhook_secret": SECRET_OPTION, "link_secret": "fortnox_sidecar_link_secret",
           "plugin_secret": "fortnox_sidecar_plugin_secret"}
KEPT = "http://127.0.0.1:8123"


def settings_form(site: WordPressSite, http: requests.Session) -> dict[str, str]:
    page = http.get(site.url + SETTINGS, timeout=30)
    assert page.status_code == 200, page.text[:3000]
    return form_fields(page.text, "options.php")


def test_a_shop_manager_pairs_the_plugin_with_a_code_and_no_secret_is_shown(
        wordpress: WordPressSite, sidecar_env: dict[str, str], sidecar: SidecarProcess) -> None:
    for option in (URL, *SECRETS.values()):
        wordpress.set_option(option, "")
    with sidecar_database(sidecar_env):
        code = shop_keys.new_pairing_code(Shop.get(), now=utcnow())
    with wordpress.log_in("shop_manager") as http:
        fields = settings_form(wordpress, http)
        saved = http.post(wordpress.url + OPTIONS, allow_redirects=False, timeout=30,
                          data={**fields, URL: f" {sidecar.url}/ ", PAIRING: code})
        page = http.get(urljoin(wordpress.url, saved.headers.get("Location", SETTINGS)), timeout=30)
        again = http.post(wordpress.url + OPTIONS, allow_redirects=False, timeout=30,
                          data={**settings_form(wordpress, http), URL: sidecar.url,
                                PAIRING: code})
        refused = http.get(urljoin(wordpress.url, again.headers.get("Location", SETTINGS)),
                           timeout=30)
    with sidecar_database(sidecar_env):
        shop = Shop.get()
        expected = {key: getattr(shop, key) for key in SECRETS}

    assert fields["option_page"] == "fortnox_sidecar"
    assert saved.status_code == 302, saved.text[:3000]
    assert wordpress.option(URL) == sidecar.url  # trimmed, without the trailing slash
    assert {key: wordpress.option(option) for key, option in SECRETS.items()} == expected
    assert not wordpress.option(PAIRING)  # the code is never stored
    assert "Paired." in page.text
    assert all(secret not in page.text for secret in expected.values())
    assert "The sidecar refused the pairing code (HTTP status 403)" in refused.text
    # Saving also tried to create the webhooks, and says why it could not.
    assert "WooCommerce is not active, so no webhooks were created" in page.text


def test_an_invalid_url_is_refused_with_the_plugins_message_and_the_old_one_kept(
        wordpress: WordPressSite, admin: requests.Session) -> None:
    wordpress.set_option(URL, KEPT)
    fields = settings_form(wordpress, admin)

    saved = admin.post(wordpress.url + OPTIONS, allow_redirects=False, timeout=30,
                       data={**fields, URL: "ftp://127.0.0.1:8123", PAIRING: ""})
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
                         data={**fields, URL: "http://127.0.0.1:9999", PAIRING: ""})

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
                                  PAIRING: ""})

    assert page.status_code == 403
    assert "Sorry, you are not allowed to access this page." in page.text
    assert refused.status_code == 403
    assert "Sorry, you are not allowed to manage options for this site." in refused.text
    assert wordpress.option(URL) == KEPT
