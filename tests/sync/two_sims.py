"""Both simulators over real HTTP on loopback, and clients aimed at them.

Import both fixture functions into a test module (`sim_servers_fixture`, `sims_fixture`).
The servers live for the session; each test gets both shops reset. Fortnox's rate limit is off
here (the limiter has its own tests) so a test never waits out a window.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import requests

from sidecar.fortnox import FortnoxClient
from sidecar.fortnox.auth import client_credentials
from sidecar.sim.fortnox import FortnoxSimConfig
from sidecar.sim.fortnox import FortnoxState
from sidecar.sim.fortnox import Knobs
from sidecar.sim.fortnox import create_app as create_fortnox_app
from sidecar.sim.server import RunningServer
from sidecar.sim.server import serve_in_thread
from sidecar.sim.woocommerce import WooSim
from sidecar.sim.woocommerce import WooSimConfig
from sidecar.sim.woocommerce import create_app as create_woo_app
from sidecar.woocommerce import WooClient

TENANT = "1234567"  # the Fortnox simulator's tenant with a service account


class StaticTokens:
    """A token provider holding one client-credentials token (tests only)."""

    def __init__(self, token: str) -> None:
        self.token = token

    def access_token(self) -> str:
        return self.token

    def invalidate(self, token: str) -> None:
        pass


@dataclass
class Sims:
    fortnox_server: RunningServer
    woo_server: RunningServer
    fortnox_state: FortnoxState
    woo_sim: WooSim
    token: str = ""

    @property
    def fortnox_url(self) -> str:
        return self.fortnox_server.url

    @property
    def woo_url(self) -> str:
        return self.woo_server.url

    def fortnox(self) -> FortnoxClient:
        if not self.token:
            config = FortnoxSimConfig()
            granted = client_credentials(requests.Session(), f"{self.fortnox_url}/oauth-v1/token",
                                         config.client_id, config.client_secret, TENANT)
            self.token = granted.access_token
        return FortnoxClient(self.fortnox_url, StaticTokens(self.token))

    def woo(self) -> WooClient:
        config = self.woo_sim.config
        return WooClient(self.woo_url, config.consumer_key, config.consumer_secret)

    # Fortnox, as its user would set things up -------------------------------------------

    def article(self, number: str, description: str, *, price: str | None = None,
                vat: str = "25", weight: int | None = None, stock: str | None = None,
                stock_place: str = "", price_list: str = "A") -> None:
        body: dict[str, Any] = {"ArticleNumber": number, "Description": description, "VAT": vat,
                                "StockGoods": stock is not None, "StockPlace": stock_place}
        if weight is not None:
            body["Weight"] = weight
        state = self.fortnox_state
        with state.lock:
            state.create_article(body)
            if price is not None:
                state.set_price(price_list, number, Decimal(0), Decimal(price))
            if stock is not None:
                state.set_stock(number, Decimal(stock))

    def fortnox_gui(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        answer = requests.post(f"{self.fortnox_url}/_sim/{path}", json=body or {}, timeout=10)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def place_order(self, sku: str = "MUG") -> tuple[int, str]:
        """A processing Woo order and the Fortnox order made for it: (Woo id, Fortnox number).
        The SKU must exist on both sides."""
        store, state = self.woo_sim.store, self.fortnox_state
        with store.lock:
            woo = store.place_order({
                "line_items": [{"sku": sku, "quantity": 2}], "status": "processing",
                "billing": {"first_name": "Anna", "email": "anna@example.se"}},
                created_via="checkout")
        with state.lock:
            customer = state.create_customer({"Name": "Anna"})["CustomerNumber"]
            order = state.documents.create_order({
                "CustomerNumber": customer, "ExternalInvoiceReference1": f"wc-shop-{woo['id']}",
                "OrderRows": [{"ArticleNumber": sku, "OrderedQuantity": "2",
                               "DeliveredQuantity": "0", "Price": "100"}]})
        return int(woo["id"]), str(order["DocumentNumber"])

    # WooCommerce, as its admin would --------------------------------------------------------

    def woo_product(self, sku: str, name: str, **fields: Any) -> dict[str, Any]:
        store = self.woo_sim.store
        with store.lock:
            return store.create_product({"sku": sku, "name": name, **fields})

    def woo_variable(self, name: str, variations: dict[str, dict[str, Any]]) -> dict[str, Any]:
        """A variable product; its variations by SKU (their attribute is the SKU's tail)."""
        store = self.woo_sim.store
        with store.lock:
            parent = store.create_product({"name": name, "type": "variable", "attributes": [
                {"name": "Storlek", "options": [s.rsplit("-", 1)[-1] for s in variations],
                 "variation": True}]})
            for sku, fields in variations.items():
                store.create_product({"sku": sku, "attributes": [
                    {"name": "Storlek", "option": sku.rsplit("-", 1)[-1]}], **fields},
                    parent_id=parent["id"])
            return parent

    def woo_state(self, sku: str) -> dict[str, Any]:
        found = self.woo_sim.store.find_sku(sku)
        assert found is not None, sku
        return found

    def woo_writes(self) -> list[str]:
        """The REST writes the shop received (method and path)."""
        with self.woo_sim.log_lock:
            return [f"{e['method']} {e['path']}" for e in self.woo_sim.request_log
                    if e["method"] != "GET"]


@pytest.fixture(scope="session", name="sim_servers")
def sim_servers_fixture() -> Iterator[Sims]:
    fortnox_app = create_fortnox_app(FortnoxSimConfig(
        seed_demo_data=False, knobs=Knobs(rate_limit_enabled=False)))
    woo_app = create_woo_app(WooSimConfig())
    fortnox_server, woo_server = serve_in_thread(fortnox_app), serve_in_thread(woo_app)
    yield Sims(fortnox_server, woo_server, fortnox_app.extensions["fortnox_sim"],
               woo_app.extensions["woocommerce_sim"])
    fortnox_server.stop()
    woo_server.stop()


@pytest.fixture(name="sims")
def sims_fixture(sim_servers: Sims) -> Sims:
    """Both simulators, emptied: a Fortnox company without articles, a shop without products
    (prices entered with VAT, weights in kg)."""
    state = sim_servers.fortnox_state
    with state.lock:
        state.reset()
    woo = sim_servers.woo_sim
    woo.reset()
    woo.config.prices_include_tax = True
    woo.config.weight_unit = "kg"
    return sim_servers
