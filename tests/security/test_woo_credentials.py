"""The stored WooCommerce keys go only to the address they were saved for, and another host's
error text is never shown."""

from __future__ import annotations

from flask.testing import FlaskClient

from sidecar.models import SecurityEvent
from sidecar.models import Shop
from sidecar.web.woo_check import describe
from sidecar.woocommerce.errors import WooTransient
from sidecar.woocommerce.errors import WooValidationError
from tests.web.conftest import post_form


def saved(shop: Shop) -> Shop:
    shop.woo_url = "https://butik.example.se"
    shop.woo_consumer_key = "ck_saved"
    shop.woo_consumer_secret = "cs_saved"
    shop.save()
    return shop


def test_a_new_host_without_the_keys_entered_again_is_refused(signed_in: FlaskClient,
                                                              web_shop: Shop) -> None:
    saved(web_shop)

    response = post_form(signed_in, "/settings/woocommerce",
                         {"store_url": "http://127.0.0.1:22", "consumer_key": "",
                          "consumer_secret": ""})

    assert response.status_code == 422
    assert "Enter both keys again for the new address" in response.text
    assert Shop.get_by_id(web_shop.id).woo_url == "https://butik.example.se"


def test_a_new_host_with_new_keys_is_saved_and_logged(signed_in: FlaskClient,
                                                      web_shop: Shop) -> None:
    saved(web_shop)

    response = post_form(signed_in, "/settings/woocommerce",
                         {"store_url": "https://ny.example.se", "consumer_key": "ck_new",
                          "consumer_secret": "cs_new"})

    assert response.status_code == 302
    shop = Shop.get_by_id(web_shop.id)
    assert (shop.woo_url, shop.woo_consumer_key) == ("https://ny.example.se", "ck_new")
    actions = {e.action for e in SecurityEvent.select()}
    assert {"security.woo_url_changed", "security.woo_keys_changed"} <= actions


def test_the_same_host_keeps_its_keys(signed_in: FlaskClient, web_shop: Shop) -> None:
    saved(web_shop)

    response = post_form(signed_in, "/settings/woocommerce",
                         {"store_url": "https://butik.example.se/", "consumer_key": "",
                          "consumer_secret": ""})

    assert response.status_code == 302
    assert Shop.get_by_id(web_shop.id).woo_consumer_key == "ck_saved"


def test_another_hosts_error_text_is_not_shown(signed_in: FlaskClient) -> None:
    banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2"
    with signed_in.application.test_request_context():
        transient = describe(WooTransient(f"The shop failed: {banner}", status=502))
        refused = describe(WooValidationError(banner, status=400, code="bad code!"))

    assert banner not in transient and "HTTP 502" in transient
    assert banner not in refused and "HTTP 400" in refused and "bad code" not in refused
