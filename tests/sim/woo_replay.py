"""Replay the captured WooCommerce REST exchanges (tests/fixtures/woocommerce/rest) against the
simulator, in capture order, over real HTTP with OAuth 1.0a.

The simulator starts as the real store was when the capture began: its products, variations,
orders, notes and webhooks are loaded (`POST /_sim/load`) from the captured answers, with the
id sequences where the store had them. The store's clock is frozen at each write's capture
time (`POST /_sim/clock {"freeze_at"}`), so date filters and "modified since" answers select
what they selected in the real store. The two kinds of writes the capture made without
recording them (its README, "Writes made to the store") are made here too.
"""

from __future__ import annotations

import copy
import json
import time
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests
from requests.auth import HTTPBasicAuth

from sidecar.sim.server import serve_in_thread
from sidecar.sim.woocommerce import WooSimConfig
from sidecar.sim.woocommerce import create_app
from sidecar.woocommerce.transport import OAuth1InQuery
from sidecar.woocommerce.transport import WooCommerceOAuth

REST = Path(__file__).resolve().parents[1] / "fixtures" / "woocommerce" / "rest"
KEY, SECRET = "ck_replay_key", "cs_replay_secret"
# Where the real store was served; the simulator's own address is written so in its answers.
CAPTURED_SITE = "http://127.0.0.1:8622"
# Before 028, the capture put variation 23 and product 126 back as they were (README, 2.).
RESTORE_BEFORE_028 = (
    ("PUT", "/wp-json/wc/v3/products/21/variations/23",
     {"regular_price": "249", "weight": "0.25", "tax_class": "parent", "stock_quantity": 11}),
    ("PUT", "/wp-json/wc/v3/products/126",
     {"regular_price": "129.50", "tax_class": "super-reduced-rate", "stock_quantity": 7}),
)
RESTORED_AT = "2026-12-07T14:36:00"
# Before 110, WooCommerce disabled webhook 6 itself: its deliveries to the stopped sidecar
# failed once more than woocommerce_max_webhook_delivery_failures (5) allows.
AUTO_DISABLED_AT = "2026-12-07T14:37:50"


@dataclass(frozen=True)
class Exchange:
    number: str
    name: str
    request: dict[str, Any]
    response: dict[str, Any]


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: Any


def exchanges() -> list[Exchange]:
    found = []
    for path in sorted(REST.glob("[0-9][0-9][0-9]-*.json")):
        data = json.loads(path.read_text())
        found.append(Exchange(path.name[:3], path.stem, data["request"], data["response"]))
    return found


def captured(number: str) -> Any:
    (path,) = REST.glob(f"{number}-*.json")
    return json.loads(path.read_text())["response"]["body"]


def initial_snapshot() -> dict[str, Any]:
    """The store before 001, from answers that show objects the capture had not yet changed."""
    products = [p for p in captured("002") if p["id"] in (14, 15, 16, 17)]
    # 18-20 were last modified at 13:55, before the capture started.
    products += [p for p in captured("052") if p["id"] in (18, 19, 20)]
    products.append(captured("006"))
    for variation in captured("007"):
        # Shown as their parent's class; WooCommerce keeps "parent" (026, 027).
        products.append({**variation, "tax_class": "parent"})
    orders = captured("043") + captured("045")  # 80, 81; 120-125 before the refunds
    template = next(o for o in orders if o["id"] == 81)
    modified = datetime.fromisoformat(template["date_modified_gmt"])
    for offset, order_id in enumerate(range(82, 120)):
        # The store had 46 orders modified after 13:22 UTC (043) and shows only 8 of them;
        # the others stand in as orders without lines, modified between 81 and 120.
        filler = copy.deepcopy(template)
        stamp = (modified + timedelta(seconds=offset + 1)).isoformat()
        filler.update(id=order_id, number=str(order_id), line_items=[],
                      date_modified_gmt=stamp)
        orders.append(filler)
    notes = {
        "125": [n for n in captured("060") if n["id"] not in (410, 411)],
        "122": [n for n in captured("061") if n["id"] != 408],
    }
    return {
        "products": products,
        "orders": orders,
        "notes": notes,
        "webhooks": captured("065"),
        "next_ids": {"post": 126, "item": 539, "meta": 480, "item_meta": 3971, "note": 408,
                     "webhook": 7},
    }


def capture_time(exchange: Exchange) -> str | None:
    """When a successful write happened in the real store, read from what it answered."""
    if exchange.request["method"] == "GET" or exchange.response["status"] >= 300:
        return None
    body = exchange.response["body"]
    if isinstance(body, dict) and ("update" in body or "create" in body):
        items = [i for key in ("create", "update") for i in body.get(key, []) if "error" not in i]
        body = items[0] if items else {}
    if not isinstance(body, dict):
        return None
    return body.get("date_modified_gmt") or body.get("date_created_gmt")


class Replay:
    """A simulator seeded as the real store was, and the requests to send it."""

    def __init__(self) -> None:
        config = WooSimConfig(
            consumer_key=KEY, consumer_secret=SECRET,
            allow_basic_auth=False,  # over plain http, as the real store (084, 085, 100)
            restrict_delivery_ports=True,  # deliveries to the stopped sidecar fail at once
            max_delivery_failures=10**6,  # until 110, which sets up the auto-disable
            delivery_timeout_seconds=2, ping_timeout_seconds=2,
        )
        self.app = create_app(config)
        self.server = serve_in_thread(self.app)
        self.session = requests.Session()
        self.control("load", initial_snapshot())

    def close(self) -> None:
        self.app.extensions["woocommerce_sim"].sender.stop()
        self.server.stop()

    def control(self, path: str, body: Any) -> Any:
        response = self.session.post(f"{self.server.url}/_sim/{path}", json=body, timeout=30)
        assert response.status_code < 300, response.text
        return response.json()

    def freeze(self, moment: str) -> None:
        self.control("clock", {"freeze_at": moment})

    def run(self) -> dict[str, Answer]:
        answers = {}
        for exchange in exchanges():
            self._before(exchange.number)
            moment = capture_time(exchange)
            if moment is not None:
                self.freeze(moment)
            answers[exchange.number] = self.send(exchange)
        return answers

    def _before(self, number: str) -> None:
        if number == "028":
            self.freeze(RESTORED_AT)
            for method, path, body in RESTORE_BEFORE_028:
                answer = self._send(method, path, {}, body, OAuth1InQuery(KEY, SECRET))
                assert answer.status == 200, answer.body
        if number == "110":
            self.control("webhooks/flush", {"timeout": 30})
            self.freeze(AUTO_DISABLED_AT)
            self.control("config", {"max_delivery_failures": 5})
            self.control("webhooks/6/fail", {"times": 7})
            self.control("config", {"max_delivery_failures": 10**6})

    def send(self, exchange: Exchange) -> Answer:
        request = exchange.request
        params = {k: str(v) for k, v in request["query"].items()}
        auth: Any = OAuth1InQuery(KEY, SECRET)
        kind = request.get("auth")
        if exchange.number == "082":
            auth = OAuth1InQuery("ck_unknown_key", SECRET)
        elif exchange.number == "083":
            auth = OAuth1InQuery(KEY, "cs_wrong_secret")
        elif exchange.number == "102":
            auth = HourOldOAuth(KEY, SECRET)
        elif kind == "basic":
            auth = HTTPBasicAuth(KEY, SECRET)
        elif kind == "querykeys":
            auth = None
            params.update(consumer_key=KEY, consumer_secret=SECRET)
        elif kind == "none":
            auth = None
        return self._send(request["method"], request["path"], params, request["body"], auth,
                          twice=exchange.number == "101")

    def _send(self, method: str, path: str, params: dict[str, str], body: Any, auth: Any,
              *, twice: bool = False) -> Answer:
        data = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if data is not None else {}
        prepared = self.session.prepare_request(requests.Request(
            method, self.server.url + path, params=params, data=data, headers=headers,
            auth=auth))
        if twice:  # the same signed request again: its nonce is used up (101)
            self.session.send(prepared, timeout=30)
        response = self.session.send(prepared, timeout=30)
        try:
            answer_body = response.json()
        except ValueError:
            answer_body = response.text
        kept = ("X-WP-Total", "X-WP-TotalPages", "Link", "Content-Type")
        return Answer(response.status_code,
                      {k: self._as_captured(response.headers[k])
                       for k in kept if k in response.headers},
                      self._as_captured(answer_body))

    def _as_captured(self, value: Any) -> Any:
        """The answer as if the simulator had been served where the real store was."""
        if isinstance(value, str):
            return value.replace(self.server.url, CAPTURED_SITE)
        if isinstance(value, list):
            return [self._as_captured(v) for v in value]
        if isinstance(value, dict):
            return {k: self._as_captured(v) for k, v in value.items()}
        return value


class HourOldOAuth(OAuth1InQuery):
    """OAuth 1.0a signed with a timestamp an hour old (102)."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        signer = WooCommerceOAuth(
            url=request.url, consumer_key=self.consumer_key,
            consumer_secret=self.consumer_secret, version="wc/v3", method=request.method,
            oauth_timestamp=int(time.time()) - 3600)
        request.url = signer.get_oauth_url()
        return request
