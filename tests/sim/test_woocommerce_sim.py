"""The WooCommerce simulator over real HTTP: auth, paging, batch, checkout totals, webhooks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from flask import request
from woocommerce import API

from sidecar.sim.server import RunningServer
from sidecar.sim.server import serve_in_thread
from sidecar.sim.woocommerce import WooSimConfig
from sidecar.sim.woocommerce import create_app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "woocommerce"
KEY = "ck_test_key"
SECRET = "cs_test_secret"
HOOK_SECRET = "realwoo-webhook-secret"
WC_HEADERS = {
    "x-wc-webhook-source",
    "x-wc-webhook-topic",
    "x-wc-webhook-resource",
    "x-wc-webhook-event",
    "x-wc-webhook-signature",
    "x-wc-webhook-id",
    "x-wc-webhook-delivery-id",
}


class Shop:
    """A running simulator plus helpers that talk to it like a client would."""

    def __init__(self, server: RunningServer) -> None:
        self.url = server.url
        self.api = f"{server.url}/wp-json/wc/v3"

    def get(self, path: str, **params: Any) -> requests.Response:
        return requests.get(f"{self.api}/{path}", params=params, auth=(KEY, SECRET), timeout=10)

    def send(self, method: str, path: str, body: Any = None, **params: Any) -> requests.Response:
        return requests.request(
            method, f"{self.api}/{path}", json=body, params=params, auth=(KEY, SECRET), timeout=10
        )

    def control(self, path: str, body: Any = None) -> Any:
        response = requests.post(f"{self.url}/_sim/{path}", json=body or {}, timeout=30)
        assert response.status_code < 300, response.text
        return response.json()

    def checkout(self, **cart: Any) -> dict[str, Any]:
        return self.control("checkout", cart)


class Receiver:
    """A tiny webhook endpoint that keeps the raw bytes of what it was sent."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.status = 200
        self.lock = threading.Lock()
        app = Flask("receiver")

        @app.post("/<path:path>")
        def hook(path: str) -> tuple[str, int]:
            with self.lock:
                self.received.append(
                    {"path": path, "headers": dict(request.headers), "body": request.get_data()}
                )
            return "ok", self.status

        self.server = serve_in_thread(app)
        self.url = self.server.url

    def deliveries(self, topic: str | None = None) -> list[dict[str, Any]]:
        with self.lock:
            found = [r for r in self.received if "X-Wc-Webhook-Topic" in r["headers"]]
        return [r for r in found if topic is None or r["headers"]["X-Wc-Webhook-Topic"] == topic]


@pytest.fixture(name="shop_server")
def _shop_server() -> Iterator[tuple[Shop, Flask]]:
    """A seeded simulator on a loopback port."""
    config = WooSimConfig(
        consumer_key=KEY, consumer_secret=SECRET, seed=True, delivery_timeout_seconds=5
    )
    app = create_app(config)
    server = serve_in_thread(app)
    yield Shop(server), app
    app.extensions["woocommerce_sim"].sender.stop()
    server.stop()


@pytest.fixture(name="shop")
def _shop(shop_server: tuple[Shop, Flask]) -> Shop:
    return shop_server[0]


@pytest.fixture(name="receiver")
def _receiver() -> Iterator[Receiver]:
    """A webhook receiver on another loopback port."""
    receiver = Receiver()
    yield receiver
    receiver.server.stop()


def _signature(body: bytes, secret: str = HOOK_SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _php_json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).replace("/", "\\/").encode()


def _webhook(shop: Shop, receiver: Receiver, topic: str) -> dict[str, Any]:
    response = shop.send(
        "POST",
        "webhooks",
        {
            "name": topic,
            "topic": topic,
            "delivery_url": f"{receiver.url}/hooks",
            "secret": HOOK_SECRET,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


# -- authentication -----------------------------------------------------------------------------


def test_woocommerce_package_signs_with_oauth_over_http_and_a_wrong_secret_is_refused(shop: Shop):
    wcapi = API(url=shop.url, consumer_key=KEY, consumer_secret=SECRET, timeout=10)
    listed = wcapi.get("products", params={"per_page": 2, "orderby": "id", "order": "asc"})
    assert listed.status_code == 200, listed.text
    assert [p["sku"] for p in listed.json()] == ["RW-MUG-001", "RW-FOOD-001"]

    product_id = listed.json()[0]["id"]
    updated = wcapi.put(f"products/{product_id}", {"regular_price": "159.00"})
    assert updated.status_code == 200, updated.text
    assert updated.json()["price"] == "159.00"

    wrong = API(url=shop.url, consumer_key=KEY, consumer_secret="cs_wrong", timeout=10)
    refused = wrong.get("products")
    assert refused.status_code == 401
    assert refused.json() == {
        "code": "woocommerce_rest_authentication_error",
        "message": "Invalid signature - provided signature does not match.",
        "data": {"status": 401},
    }


def test_basic_auth_works_and_missing_or_wrong_credentials_get_woocommerce_errors(shop: Shop):
    assert shop.get("orders").status_code == 200

    anonymous = requests.get(f"{shop.api}/orders", timeout=10)
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "woocommerce_rest_cannot_view"

    wrong = requests.get(f"{shop.api}/orders", auth=(KEY, "nope"), timeout=10)
    assert wrong.status_code == 401
    assert wrong.json()["message"] == "Consumer secret is invalid."
    assert wrong.headers["WWW-Authenticate"].startswith("Basic realm=")


# -- REST behaviour -----------------------------------------------------------------------------


def test_paging_headers_and_the_per_page_limit(shop: Shop):
    first = shop.get("products", per_page=4)
    second = shop.get("products", per_page=4, page=2)
    assert (first.headers["X-WP-Total"], first.headers["X-WP-TotalPages"]) == ("5", "2")
    assert len(first.json()) == 4 and len(second.json()) == 1
    assert 'rel="next"' in first.headers["Link"]

    too_many = shop.get("products", per_page=101)
    assert too_many.status_code == 400
    assert too_many.json()["code"] == "rest_invalid_param"


def test_modified_after_compares_gmt_when_dates_are_gmt(shop: Shop):
    old = shop.checkout(line_items=[{"sku": "RW-MUG-001", "quantity": 1}])
    shop.control("clock", {"advance_seconds": 7200})
    touched = shop.checkout(line_items=[{"sku": "RW-BOOK-001", "quantity": 1}])
    watermark_gmt = old["date_modified_gmt"]

    since = shop.get("orders", modified_after=watermark_gmt, dates_are_gmt="true")
    assert [o["id"] for o in since.json()] == [touched["id"]]

    # The same string read as site-local time (Stockholm, ahead of UTC) reaches back to the
    # earlier order as well, as WordPress compares it with the local column.
    local = shop.get("orders", modified_after=watermark_gmt)
    assert {o["id"] for o in local.json()} == {old["id"], touched["id"]}
    assert touched["date_modified"] != touched["date_modified_gmt"]


def test_batch_is_limited_to_100_items_and_reports_errors_per_item(shop: Shop):
    too_big = shop.send(
        "POST", "products/batch", {"create": [{"name": f"P{i}"} for i in range(101)]}
    )
    assert too_big.status_code == 413
    assert too_big.json()["code"] == "woocommerce_rest_request_entity_too_large"

    mug = shop.get("products", sku="RW-MUG-001").json()[0]
    result = shop.send(
        "POST",
        "products/batch",
        {
            "create": [
                {"name": "Ny", "sku": "RW-NEW-1"},
                {"name": "Dubblett", "sku": "RW-MUG-001"},
            ],
            "update": [{"id": mug["id"], "stock_quantity": 7}, {"id": 999999, "name": "x"}],
        },
    )
    assert result.status_code == 200
    body = result.json()
    assert body["create"][0]["sku"] == "RW-NEW-1"
    # As captured (029): the product holding the SKU and the next free one are named.
    assert body["create"][1] == {
        "id": 0,
        "error": {
            "code": "product_invalid_sku",
            "message": "Invalid or duplicated SKU.",
            "data": {"status": 400, "resource_id": mug["id"], "unique_sku": "RW-MUG-001-1"},
        },
    }
    assert body["update"][0]["stock_quantity"] == 7
    assert body["update"][1]["id"] == 999999
    assert body["update"][1]["error"]["code"] == "woocommerce_rest_product_invalid_id"


def test_variations_have_their_own_route_and_are_found_by_sku(shop: Shop):
    by_sku = shop.get("products", sku="RW-TEE-WHT-L").json()
    assert len(by_sku) == 1 and by_sku[0]["type"] == "variation"
    variation, parent_id = by_sku[0], by_sku[0]["parent_id"]

    listed = shop.get(f"products/{parent_id}/variations", per_page=100)
    assert listed.headers["X-WP-Total"] == "6"

    wrong_route = shop.send("PUT", f"products/{variation['id']}", {"stock_quantity": 3})
    assert wrong_route.status_code == 404
    assert wrong_route.json()["code"] == "woocommerce_rest_invalid_product_id"

    updated = shop.send(
        "PUT", f"products/{parent_id}/variations/{variation['id']}", {"stock_quantity": 0}
    )
    assert updated.status_code == 200
    assert (updated.json()["stock_quantity"], updated.json()["stock_status"]) == (0, "outofstock")


# -- checkout arithmetic (reference §8 and the captured orders) -----------------------------------


def test_checkout_with_prices_including_vat_matches_the_captured_order(shop: Shop):
    # The cart of captured order 24: 2 × 149 (25 %), 79 (12 %), 299 (6 %), a 249 tee, 49 freight.
    order = shop.checkout(
        line_items=[
            {"sku": "RW-MUG-001", "quantity": 2},
            {"sku": "RW-FOOD-001", "quantity": 1},
            {"sku": "RW-BOOK-001", "quantity": 1},
            {"sku": "RW-TEE-BLK-M", "quantity": 1},
        ],
        shipping_lines=[{"method_id": "flat_rate", "method_title": "Fast frakt", "cost": "49"}],
    )
    captured = json.loads((FIXTURES / "017-order-created-24.body").read_bytes())
    for field in ("total", "total_tax", "cart_tax", "shipping_total", "shipping_tax"):
        assert order[field] == captured[field], field
    simplify = [
        (t["rate_percent"], t["tax_total"], t["shipping_tax_total"]) for t in captured["tax_lines"]
    ]
    assert [
        (t["rate_percent"], t["tax_total"], t["shipping_tax_total"]) for t in order["tax_lines"]
    ] == simplify
    assert [li["taxes"][0]["total"] for li in order["line_items"]] == [
        "59.6",
        "8.464286",
        "16.924528",
        "49.8",
    ]
    assert order["line_items"][1]["price"] == captured["line_items"][1]["price"]


def test_inclusive_vat_is_rounded_per_line_half_down(shop: Shop):
    created = shop.send(
        "POST",
        "products",
        {"name": "Te", "sku": "TEA-1", "regular_price": "37.90", "tax_class": "reduced-rate"},
    )
    assert created.status_code == 201
    order = shop.checkout(line_items=[{"sku": "TEA-1", "quantity": 7}])
    # 7 × 37.90 at 12 % carries 28.425 of VAT, stored as 28.42; the gross stays 265.30.
    assert (order["total"], order["total_tax"]) == ("265.30", "28.42")


def test_percent_coupon_and_inherited_shipping_vat(shop: Shop):
    shop.send("POST", "products", {"name": "Mugg", "sku": "M-99", "regular_price": "99.90"})
    order = shop.checkout(
        line_items=[{"sku": "M-99", "quantity": 3}, {"sku": "RW-FOOD-001", "quantity": 1}],
        coupon_lines=[{"code": "tio"}],
        shipping_lines=[{"method_id": "flat_rate", "method_title": "Fast frakt", "cost": "49"}],
    )
    # Worked by hand from WC_Discounts: 29.97 + 7.90 off the gross lines; 25 % line tax
    # 53.946 -> 53.95, 12 % 7.6178... -> 7.62; freight inherits 25 % as a standard item ships.
    assert [li["total_tax"] for li in order["line_items"]] == ["53.95", "7.62"]
    assert [li["total"] for li in order["line_items"]] == ["215.78", "63.48"]
    assert order["shipping_tax"] == "12.25"
    assert order["total"] == "402.08"
    assert order["coupon_lines"][0]["code"] == "tio"


def test_prices_excluding_vat_fees_and_zero_rate_freight(shop: Shop):
    shop.control("config", {"prices_include_tax": False})
    shop.send("POST", "products", {"name": "Skruv", "sku": "S-1", "regular_price": "99.90"})
    order = shop.checkout(
        line_items=[{"sku": "S-1", "quantity": 3}],
        shipping_lines=[{"method_id": "flat_rate", "method_title": "Frakt", "cost": "49"}],
        fee_lines=[{"name": "Fakturaavgift", "amount": "29"}],
    )
    # 299.70 net at 25 % = 74.925 -> 74.93 (half up without inclusive prices); fee 29 + 7.25.
    assert order["prices_include_tax"] is False
    assert order["line_items"][0]["total_tax"] == "74.93"
    assert order["fee_lines"][0]["total_tax"] == "7.25"
    assert order["total"] == "472.13"  # 299.70 + 74.93 + 49 + 12.25 + 29 + 7.25
    shop.control("config", {"prices_include_tax": True})

    zero = shop.checkout(
        line_items=[{"sku": "RW-BOOK-001", "quantity": 1}],
        shipping_lines=[{"method_id": "flat_rate", "method_title": "Frakt", "cost": "49"}],
    )
    assert zero["shipping_tax"] == "2.94"  # only a 6 % item ships, so freight takes 6 %


# -- webhooks -----------------------------------------------------------------------------------


def test_webhook_ping_and_signed_delivery_look_like_woocommerce(shop: Shop, receiver: Receiver):
    webhook = _webhook(shop, receiver, "order.created")
    ping = receiver.received[0]
    assert ping["body"] == f"webhook_id={webhook['id']}".encode()
    assert ping["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert not WC_HEADERS & {h.lower() for h in ping["headers"]}

    order = shop.checkout(
        line_items=[{"sku": "RW-TEE-BLK-M", "quantity": 1}],
        billing={"first_name": "Anna", "city": "Göteborg", "email": "anna@example.test"},
        meta_data=[{"key": "_billing_org_nr", "value": "556677-8899"}],
    )
    shop.control("webhooks/flush")
    [delivery] = receiver.deliveries("order.created")
    body, headers = delivery["body"], delivery["headers"]

    assert headers["X-Wc-Webhook-Signature"] == _signature(body)
    assert WC_HEADERS <= {h.lower() for h in headers}
    assert headers["User-Agent"] == "WooCommerce/8.4.0 Hookshot (WordPress/6.4.2)"
    assert headers["X-Wc-Webhook-Source"] == shop.url + "/"
    assert b"\\/" in body and b"G\\u00f6teborg" in body
    assert body == _php_json(json.loads(body))  # compact, slashes escaped: PHP's byte format

    payload = json.loads(body)
    captured = json.loads((FIXTURES / "017-order-created-24.body").read_bytes())
    assert list(payload) == list(captured)
    assert list(payload["line_items"][0]) == list(captured["line_items"][0])
    assert payload["id"] == order["id"]
    assert {"key": "_billing_org_nr", "value": "556677-8899"}.items() <= payload["meta_data"][
        0
    ].items()


def test_order_updates_echo_back_and_a_deleted_order_sends_only_its_id(
    shop: Shop, receiver: Receiver
):
    _webhook(shop, receiver, "order.updated")
    _webhook(shop, receiver, "order.deleted")
    order = shop.checkout(line_items=[{"sku": "RW-MUG-001", "quantity": 1}])
    shop.control("webhooks/flush")
    assert len(receiver.deliveries("order.updated")) == 1  # created + paid coalesce into one

    # The sidecar's own write comes back as order.updated, like on a real store.
    done = shop.send("PUT", f"orders/{order['id']}", {"status": "completed"})
    assert done.status_code == 200
    shop.control("webhooks/flush")
    echoed = json.loads(receiver.deliveries("order.updated")[-1]["body"])
    assert echoed["status"] == "completed" and echoed["date_completed"] is not None

    assert shop.send("DELETE", f"orders/{order['id']}").status_code == 200
    shop.control("webhooks/flush")
    [deleted] = receiver.deliveries("order.deleted")
    assert deleted["body"] == f'{{"id":{order["id"]}}}'.encode()
    assert deleted["headers"]["X-Wc-Webhook-Signature"] == _signature(deleted["body"])


def test_webhook_is_disabled_after_the_failure_threshold(shop: Shop, receiver: Receiver):
    receiver.status = 500
    webhook = _webhook(shop, receiver, "order.updated")
    shop.control("config", {"webhooks_synchronous": True})

    def place() -> None:
        shop.checkout(line_items=[{"sku": "RW-BOOK-001", "quantity": 1}])

    for _ in range(6):
        place()
    assert shop.get(f"webhooks/{webhook['id']}").json()["status"] == "active"
    place()  # failures 1-6 raise the count to 6; the 7th in a row disables
    assert shop.get(f"webhooks/{webhook['id']}").json()["status"] == "disabled"

    deliveries = requests.get(f"{shop.url}/_sim/deliveries", timeout=10).json()
    failed = [d for d in deliveries if d["kind"] == "delivery" and not d["ok"]]
    assert [d["status_code"] for d in failed] == [500] * 7
    place()
    assert len(receiver.deliveries()) == 7  # a disabled webhook delivers nothing


def test_refund_and_notes(shop: Shop, receiver: Receiver):
    _webhook(shop, receiver, "order.updated")
    order = shop.checkout(line_items=[{"sku": "RW-MUG-001", "quantity": 2}])
    shop.control("webhooks/flush")
    shop.control(f"orders/{order['id']}/refunds", {"amount": "49.00", "reason": "Fraktrabatt"})
    shop.control("webhooks/flush")
    refunded = json.loads(receiver.deliveries("order.updated")[-1]["body"])
    assert refunded["refunds"][0]["total"] == "-49.00"
    assert refunded["status"] == "processing"

    # Notes are newest first; within one second, in the order they were written (as captured).
    shop.control("clock", {"advance_seconds": 5})
    note = shop.send("POST", f"orders/{order['id']}/notes", {"note": "Exporterad till Fortnox"})
    assert note.status_code == 201
    notes = shop.get(f"orders/{order['id']}/notes").json()
    assert notes[0]["note"] == "Exporterad till Fortnox"
    assert any("Pending payment to Processing" in n["note"] for n in notes)
