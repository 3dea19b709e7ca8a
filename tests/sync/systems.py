"""Both simulators on loopback ports and real clients aimed at them, for the export's tests.

The Fortnox client gets a service-account token from the simulator (a static token provider:
the database-backed one is tested in tests/fortnox_access); the WooCommerce client uses the
simulated shop's REST keys. Orders are placed through the WooCommerce simulator's checkout.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import requests

from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import auth
from sidecar.models import Shop
from sidecar.sim.fortnox import FortnoxSimConfig
from sidecar.sim.fortnox import FortnoxState
from sidecar.sim.fortnox import Knobs
from sidecar.sim.fortnox import create_app as create_fortnox_sim
from sidecar.sim.server import serve_in_thread
from sidecar.sim.woocommerce import WooSimConfig
from sidecar.sim.woocommerce import WooStore
from sidecar.sim.woocommerce import create_app as create_woo_sim
from sidecar.sync.orders.fortnox_facts import FortnoxFactsCache
from sidecar.sync.orders.settings import ExportSettings
from sidecar.woocommerce import WooClient

BILLING = {"first_name": "Anna", "last_name": "Svensson", "address_1": "Storgatan 12",
           "city": "Uppsala", "postcode": "753 20", "country": "SE",
           "email": "anna@example.test", "phone": "+46701234567"}


class StaticToken:
    """A token provider holding one service-account token."""

    def __init__(self, token: str) -> None:
        self.token = token

    def access_token(self) -> str:
        return self.token

    def invalidate(self, token: str) -> None:
        pass


def sim_token(url: str, config: FortnoxSimConfig) -> str:
    granted = auth.client_credentials(requests.Session(), url + "/oauth-v1/token",
                                      config.client_id, config.client_secret, config.tenant_id)
    return granted.access_token


@dataclass
class Systems:
    fortnox_url: str
    woo_url: str
    fortnox_state: FortnoxState
    store: WooStore
    fortnox: FortnoxClient
    woo: WooClient
    facts: FortnoxFactsCache

    def settings(self, shop: Shop, **values: Any) -> ExportSettings:
        return ExportSettings.from_values(shop.slug, {f"export.{k}": v for k, v in values.items()})

    def products(self, *specs: tuple[str, str, str]) -> list[dict[str, Any]]:
        """(sku, price, tax class) → WooCommerce products."""
        return [self.store.create_product({"name": f"Produkt {sku}", "sku": sku,
                                           "regular_price": price, "tax_class": tax_class})
                for sku, price, tax_class in specs]

    def place(self, lines: list[tuple[dict[str, Any], int]], *, status: str = "processing",
              billing: dict[str, str] | None = None, **extra: Any) -> dict[str, Any]:
        order = self.store.place_order({
            "line_items": [{"product_id": p["id"], "quantity": q} for p, q in lines],
            "billing": billing or BILLING, "status": status, "payment_method": "bacs",
            "shipping_lines": [{"method_id": "flat_rate", "method_title": "Fast frakt",
                                "total": "49.00"}], **extra}, created_via="checkout")
        return self.woo.get_order(order["id"])

    def invoices(self) -> list[dict[str, Any]]:
        return list(self.fortnox_state.documents.invoices.values())

    def orders(self) -> list[dict[str, Any]]:
        return list(self.fortnox_state.documents.orders.values())

    def calls(self) -> int:
        with self.fortnox_state.lock:
            return sum(self.fortnox_state.counters.values())

    def knobs(self, **changes: Any) -> None:
        with self.fortnox_state.lock:
            self.fortnox_state.knobs.update(changes)


@contextmanager
def running_systems(shop: Shop, **fortnox_config: Any) -> Iterator[Systems]:
    config = FortnoxSimConfig(seed_demo_data=False,
                              knobs=Knobs(rate_limit_enabled=False), **fortnox_config)
    fortnox_app = create_fortnox_sim(config)
    woo_app = create_woo_sim(WooSimConfig())
    fortnox_server, woo_server = serve_in_thread(fortnox_app), serve_in_thread(woo_app)
    woo_sim = woo_app.extensions["woocommerce_sim"]
    try:
        Shop.update(woo_url=woo_server.url, woo_consumer_key=woo_sim.store.config.consumer_key,
                    woo_consumer_secret=woo_sim.store.config.consumer_secret
                    ).where(Shop.id == shop.id).execute()
        client = FortnoxClient(fortnox_server.url,
                               StaticToken(sim_token(fortnox_server.url, config)),
                               timeout=(2.0, 5.0), sleep=lambda s: None)
        woo = WooClient(woo_server.url, woo_sim.store.config.consumer_key,
                        woo_sim.store.config.consumer_secret)
        yield Systems(fortnox_server.url, woo_server.url, fortnox_app.extensions["fortnox_sim"],
                      woo_sim.store, client, woo, FortnoxFactsCache())
    finally:
        fortnox_server.stop()
        woo_server.stop()


def before_round_off(document: dict[str, Any]) -> Decimal:
    return Decimal(str(document["Total"])) - Decimal(str(document["RoundOff"]))
