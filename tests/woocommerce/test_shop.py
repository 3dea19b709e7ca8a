"""Shop settings and the sidecar's webhooks."""

from __future__ import annotations

import pytest

from sidecar.woocommerce import ShopSettings
from sidecar.woocommerce import Webhook
from sidecar.woocommerce import WooClient
from sidecar.woocommerce import WooInvalidResponse

STORE = "https://shop.example"
API = f"{STORE}/wp-json/wc/v3"
DELIVERY_URL = "https://sidecar.example/webhooks/woocommerce"


@pytest.fixture
def woo() -> WooClient:
    """A client for an https shop."""
    return WooClient(STORE, "ck_test", "cs_test", sleep=lambda _: None)


def setting(setting_id: str, value: str, default: str = "") -> dict:
    return {
        "id": setting_id,
        "label": setting_id,
        "type": "select",
        "default": default,
        "value": value,
    }


def mount_settings(requests_mock, *, include_tax: str = "yes") -> None:
    requests_mock.get(
        f"{API}/settings/general",
        json=[
            setting("woocommerce_store_address", "Storgatan 1"),
            setting("woocommerce_currency", "SEK", default="USD"),
        ],
    )
    requests_mock.get(
        f"{API}/settings/tax",
        json=[
            setting("woocommerce_calc_taxes", "yes"),
            setting("woocommerce_prices_include_tax", include_tax, default="no"),
        ],
    )
    requests_mock.get(
        f"{API}/settings/products",
        json=[
            setting("woocommerce_weight_unit", "kg"),
        ],
    )


def webhook_json(webhook_id: int, status: str = "active", topic: str = "order.updated") -> dict:
    return {
        "id": webhook_id,
        "name": "Fortnox sidecar",
        "status": status,
        "topic": topic,
        "resource": topic.split(".")[0],
        "event": topic.split(".")[1],
        "hooks": ["woocommerce_update_order"],
        "delivery_url": DELIVERY_URL,
    }


def test_it_reads_the_shop_settings(woo, requests_mock):
    mount_settings(requests_mock)

    assert woo.shop_settings() == ShopSettings(
        currency="SEK", prices_include_tax=True, weight_unit="kg"
    )


def test_it_reads_prices_excluding_tax(woo, requests_mock):
    mount_settings(requests_mock, include_tax="no")

    assert woo.shop_settings().prices_include_tax is False


def test_it_says_which_setting_is_missing(woo, requests_mock):
    mount_settings(requests_mock)
    requests_mock.get(f"{API}/settings/products", json=[])

    with pytest.raises(WooInvalidResponse, match="woocommerce_weight_unit"):
        woo.shop_settings()


def test_it_lists_webhooks_so_disabled_ones_can_be_noticed(woo, requests_mock):
    requests_mock.get(
        f"{API}/webhooks",
        json=[webhook_json(1), webhook_json(2, status="disabled", topic="order.created")],
        headers={"X-WP-TotalPages": "1"},
    )

    webhooks = woo.list_webhooks()

    assert [(w.id, w.topic, w.is_active) for w in webhooks] == [
        (1, "order.updated", True),
        (2, "order.created", False),
    ]
    assert "status=all" in requests_mock.last_request.url


def test_it_creates_a_webhook_with_our_own_secret(woo, requests_mock):
    requests_mock.post(f"{API}/webhooks", status_code=201, json=webhook_json(5))

    webhook = woo.create_webhook(
        name="Fortnox sidecar",
        topic="order.updated",
        delivery_url=DELIVERY_URL,
        secret="a-long-plain-secret-0123456789",
    )

    assert webhook == Webhook(5, "Fortnox sidecar", "active", "order.updated", DELIVERY_URL, None)
    assert requests_mock.last_request.json() == {
        "name": "Fortnox sidecar",
        "topic": "order.updated",
        "delivery_url": DELIVERY_URL,
        "secret": "a-long-plain-secret-0123456789",
        "api_version": "wp_api_v3",
    }
    assert requests_mock.call_count == 1


def test_it_pauses_a_new_webhook_with_a_second_request(woo, requests_mock):
    # WooCommerce creates every webhook active, whatever the body says.
    requests_mock.post(f"{API}/webhooks", status_code=201, json=webhook_json(5))
    requests_mock.put(f"{API}/webhooks/5", json=webhook_json(5, status="paused"))

    webhook = woo.create_webhook(
        name="Fortnox sidecar",
        topic="order.updated",
        delivery_url=DELIVERY_URL,
        secret="s3cr3t-s3cr3t",
        status="paused",
    )

    assert webhook.status == "paused"
    assert requests_mock.last_request.json() == {"status": "paused"}


def test_it_reactivates_a_disabled_webhook_changing_nothing_else(woo, requests_mock):
    requests_mock.put(f"{API}/webhooks/2", json=webhook_json(2, status="active"))

    webhook = woo.update_webhook(2, status="active")

    assert webhook.is_active
    assert requests_mock.last_request.json() == {"status": "active"}


def test_it_repairs_a_webhook_url_and_secret(woo, requests_mock):
    requests_mock.put(f"{API}/webhooks/2", json=webhook_json(2))

    woo.update_webhook(2, delivery_url=DELIVERY_URL, secret="new-secret-123", topic="order.updated")

    assert requests_mock.last_request.json() == {
        "topic": "order.updated",
        "delivery_url": DELIVERY_URL,
        "secret": "new-secret-123",
    }


def test_it_refuses_to_create_a_webhook_without_a_secret(woo):
    with pytest.raises(ValueError, match="secret"):
        woo.create_webhook(name="x", topic="order.updated", delivery_url=DELIVERY_URL, secret="")
