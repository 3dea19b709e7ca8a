"""The WordPress plugin's "Send to Fortnox again": signed by the shop, queued once more."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from sidecar.models import InboxEntry
from sidecar.models import Shop
from sidecar.sim.server import RunningServer
from sidecar.sim.server import serve_in_thread
from sidecar.sim.woocommerce import WooSimConfig
from sidecar.sim.woocommerce import create_app as create_woo_sim
from sidecar.webhooks.signature import sign


@pytest.fixture(name="woo")
def _woo(web_shop: Shop) -> Iterator[RunningServer]:
    """The WooCommerce simulator with one order, connected to the shop."""
    server = serve_in_thread(create_woo_sim(WooSimConfig(seed=True)))
    store = server.server.app.extensions["woocommerce_sim"].store
    product = next(p for p in store.products.values() if p.get("sku"))
    store.place_order({"line_items": [{"product_id": product["id"], "quantity": 1}],
                       "status": "processing"}, created_via="checkout")
    web_shop.woo_url = server.url
    web_shop.woo_consumer_key = store.config.consumer_key
    web_shop.woo_consumer_secret = store.config.consumer_secret
    web_shop.save()
    yield server
    server.stop()


def order_id_in(woo: RunningServer) -> int:
    return int(next(iter(woo.server.app.extensions["woocommerce_sim"].store.orders)))


def resend(client: FlaskClient, shop: Shop, order_id: int, *, secret: str | None = None,
           requested_at: int | None = None, body_order_id: int | None = None):  # type: ignore[no-untyped-def]
    body = json.dumps({"order_id": order_id if body_order_id is None else body_order_id,
                       "requested_at": int(time.time()) if requested_at is None else requested_at,
                       "wp_user": 1}, separators=(",", ":")).encode()
    return client.post(f"/api/orders/{order_id}/resend", data=body, headers={
        "Content-Type": "application/json",
        "X-Sidecar-Signature": sign(body, secret or shop.webhook_secret)})


def test_a_signed_request_queues_the_order_as_it_is_now(client: FlaskClient, web_shop: Shop,
                                                        woo: RunningServer) -> None:
    order_id = order_id_in(woo)

    response = resend(client, web_shop, order_id)
    again = resend(client, web_shop, order_id)

    assert response.status_code == 202, response.text
    assert response.get_json() == {"message": "Queued for Fortnox."}
    assert again.status_code == 202
    rows = list(InboxEntry.select().where(InboxEntry.resource_id == order_id))
    assert len(rows) == 2  # each request is work; the export's ledger prevents a second booking
    assert all(row.status == "pending" and json.loads(row.body)["id"] == order_id for row in rows)


def test_a_parked_export_is_retried_instead(client: FlaskClient, web_shop: Shop,
                                            woo: RunningServer) -> None:
    order_id = order_id_in(woo)
    parked = InboxEntry.create(shop=web_shop, topic="order.updated", resource_id=order_id,
                               dedupe_key=f"order:{order_id}:x", body=b"{}", status="parked",
                               attempts=8, last_error="Article missing")

    response = resend(client, web_shop, order_id)

    assert response.get_json() == {"message": "The failed export is being tried again."}
    parked = InboxEntry.get_by_id(parked.id)
    assert (parked.status, parked.attempts) == ("pending", 0)
    assert InboxEntry.select().count() == 1


@pytest.mark.parametrize(
    ("kwargs", "status", "error"),
    [
        ({"secret": "someone-elses-secret-0123456789"}, 401, "signature does not match"),
        ({"requested_at": int(time.time()) - 3600}, 400, "too old"),
        ({"body_order_id": 999}, 400, "does not match the address"),
    ],
)
def test_it_refuses_what_the_plugin_did_not_sign_or_that_is_stale(
    client: FlaskClient, web_shop: Shop, woo: RunningServer, kwargs: dict, status: int,  # type: ignore[type-arg]
    error: str,
) -> None:
    response = resend(client, web_shop, order_id_in(woo), **kwargs)

    assert response.status_code == status
    assert error in response.get_json()["error"]
    assert InboxEntry.select().count() == 0


def test_without_woocommerce_keys_it_says_so(client: FlaskClient, web_shop: Shop) -> None:
    response = resend(client, web_shop, 12)

    assert response.status_code == 502
    assert "enter the store URL" in response.get_json()["error"]


@pytest.mark.parametrize(("body", "error"), [
    (b"order 7", "body is not JSON"),
    (b'{"order_id": 7}', "requested_at is missing"),
    (b'{"order_id": 7, "requested_at": "1765100000"}', "requested_at is missing"),
    (b'{"order_id": 7, "requested_at": true}', "requested_at is missing"),
    (b'{"order_id": "7", "requested_at": 1765100000}', "does not match the address"),
    (b'[7]', "does not match the address"),
])
def test_a_signed_request_of_the_wrong_shape_is_refused_in_words(
        client: FlaskClient, web_shop: Shop, body: bytes, error: str) -> None:
    response = client.post("/api/orders/7/resend", data=body, headers={
        "Content-Type": "application/json",
        "X-Sidecar-Signature": sign(body, web_shop.webhook_secret)})

    assert response.status_code == 400
    assert error in response.get_json()["error"]
    assert InboxEntry.select().count() == 0
