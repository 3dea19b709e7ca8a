"""Orders made the way WooCommerce makes them, and a Fortnox simulator to send them to.

Orders come from the WooCommerce simulator's own checkout arithmetic (WC_Cart_Totals in Decimal),
rendered as the REST/webhook body, so every test order has WooCommerce's real öre differences.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sidecar.fortnox.wire import encode_body
from sidecar.sim.fortnox import FortnoxSimConfig
from sidecar.sim.fortnox import Knobs
from sidecar.sim.fortnox import create_app
from sidecar.sim.woocommerce import WooSimConfig
from sidecar.sim.woocommerce import WooStore
from sidecar.sim.woocommerce.orders_json import order_json
from tests.contract.openapi import check_request

FIXTURES = Path(__file__).parents[1] / "fixtures" / "woocommerce"
SWEDISH_BILLING = {"first_name": "Anna", "last_name": "Svensson", "address_1": "Storgatan 12",
                   "city": "Uppsala", "postcode": "753 20", "country": "SE",
                   "email": "Anna.Svensson@Example.test", "phone": "+46701234567"}


@dataclass(frozen=True)
class Product:
    sku: str
    price: str
    tax_class: str = ""  # "", "reduced-rate", "super-reduced-rate", "zero-rate"
    virtual: bool = False
    name: str = ""


@dataclass
class Cart:
    lines: list[tuple[Product, int]]
    coupons: list[dict[str, Any]] = field(default_factory=list)
    shipping: list[dict[str, Any]] = field(default_factory=list)
    fees: list[dict[str, Any]] = field(default_factory=list)
    billing: dict[str, str] = field(default_factory=lambda: dict(SWEDISH_BILLING))
    shipping_address: dict[str, str] | None = None
    meta: list[dict[str, Any]] = field(default_factory=list)
    status: str = "processing"
    payment_method: str = "bacs"
    customer_id: int = 0
    customer_note: str = ""


def woo_order(cart: Cart, *, prices_include_tax: bool = True, currency: str = "SEK"
              ) -> dict[str, Any]:
    """The REST body of an order placed with this cart in a fresh simulated shop."""
    store = WooStore(WooSimConfig(prices_include_tax=prices_include_tax, currency=currency))
    made: dict[str, dict[str, Any]] = {}
    for product, _ in cart.lines:
        if product.sku not in made:
            made[product.sku] = store.create_product({
                "name": product.name or f"Produkt {product.sku}", "sku": product.sku,
                "regular_price": product.price, "tax_class": product.tax_class,
                "virtual": product.virtual})
    shipping_address = cart.shipping_address if cart.shipping_address is not None \
        else {k: v for k, v in cart.billing.items() if k != "email"}
    order = store.place_order({
        "line_items": [{"sku": p.sku, "quantity": q} for p, q in cart.lines],
        "coupon_lines": cart.coupons, "shipping_lines": cart.shipping, "fee_lines": cart.fees,
        "billing": cart.billing, "shipping": shipping_address, "meta_data": cart.meta,
        "status": cart.status, "payment_method": cart.payment_method,
        "customer_id": cart.customer_id, "customer_note": cart.customer_note,
    }, created_via="checkout")
    body = order_json(order, store, store.site)
    return json.loads(json.dumps(body, default=str))  # as it arrives: plain JSON


def fixture_order(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_bytes())


def contract_problems(resource: str, body: dict[str, Any]) -> list[str]:
    wrapper = {"orders": "Order", "invoices": "Invoice", "customers": "Customer"}[resource]
    return check_request("POST", f"/3/{resource}", {wrapper: body})


class FortnoxSim:
    """An in-process Fortnox simulator reached through its HTTP routes (no sockets)."""

    def __init__(self, **config: Any) -> None:
        config.setdefault("seed_demo_data", False)
        config.setdefault("knobs", Knobs(rate_limit_enabled=False))
        self.app = create_app(FortnoxSimConfig(**config))
        self.state = self.app.extensions["fortnox_sim"]
        self.client = self.app.test_client()
        basic = base64.b64encode(b"sim-client-id:sim-client-secret").decode()
        answer = self.client.post("/oauth-v1/token", data={"grant_type": "client_credentials"},
                                  headers={"Authorization": f"Basic {basic}",
                                           "TenantId": "1234567"})
        self.headers = {"Authorization": f"Bearer {answer.json['access_token']}",
                        "Content-Type": "application/json"}

    def post(self, path: str, wrapper: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = self.client.post(path, data=encode_body({wrapper: body}), headers=self.headers)
        assert answer.status_code in (200, 201), answer.get_data(as_text=True)
        return dict(answer.json[wrapper])

    def create_customer(self, payload: dict[str, Any]) -> str:
        return str(self.post("/3/customers", "Customer", payload)["CustomerNumber"])

    def create_article(self, article_number: str, *, stock: bool = False,
                       quantity: str = "10") -> None:
        self.post("/3/articles", "Article", {"ArticleNumber": article_number,
                                             "Description": article_number,
                                             "StockGoods": stock})
        if stock:
            self.state.warehouse.move(article_number, "MAIN", "", Decimal(quantity))


def before_round_off(document: dict[str, Any]) -> Decimal:
    """Fortnox's document total before its whole-kronor öresavrundning."""
    return Decimal(str(document["Total"])) - Decimal(str(document["RoundOff"]))
