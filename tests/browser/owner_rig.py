"""Both simulators and the real sidecar under gunicorn, as a new owner finds them: WooCommerce
keys entered and our webhooks in place, Fortnox not connected yet (the owner does that in the
browser). The Woo catalogue is mirrored into Fortnox (as `sidecar demo` does), plus one product
only WooCommerce has and one article only Fortnox has."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sidecar.demo import mirror_catalogue
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sim.fortnox import FortnoxSimConfig
from sidecar.sim.fortnox import Knobs
from sidecar.sim.fortnox import create_app as create_fortnox
from sidecar.sim.process import SidecarProcess
from sidecar.sim.process import free_port
from sidecar.sim.process import migrated_sidecar
from sidecar.sim.process import sidecar_database
from sidecar.sim.process import start_sidecar
from sidecar.sim.server import serve_in_thread
from sidecar.sim.woocommerce import WooSimConfig
from sidecar.sim.woocommerce import create_app as create_woocommerce
from sidecar.web.accounts import create_owner

SECRET = "browser-webhook-secret-0123456789abcdef"
ONLY_IN_WOO = "RW-NEW-MUG"
ONLY_IN_FORTNOX = "FN-TOTE-01"


@dataclass
class OwnerRig:
    sidecar: SidecarProcess
    env: dict[str, str]
    store: Any  # the WooCommerce simulator's store
    sender: Any  # its webhook sender
    fortnox: Any  # the Fortnox simulator's state
    company_name: str

    @property
    def url(self) -> str:
        return self.sidecar.url

    def place_order(self, sku: str, *, shipping: str = "DHL-1") -> int:
        product = next(p for p in self.store.products.values() if p.get("sku") == sku)
        order = self.store.place_order({
            "line_items": [{"product_id": product["id"], "quantity": 1}],
            "status": "processing", "payment_method": "bacs",
            "billing": {"first_name": "Kund", "last_name": "Testsson", "address_1": "Storgatan 1",
                        "city": "Uppsala", "postcode": "753 20", "country": "SE",
                        "email": "kund@example.test"},
            "shipping_lines": [{"method_id": "flat_rate", "method_title": shipping,
                                "total": "49.00"}],
        }, created_via="checkout")
        assert self.sender.flush(timeout=20)
        return int(order["id"])

    def ledger_state(self, order_id: int) -> str | None:
        with sidecar_database(self.env):
            row = OrderLedger.get_or_none(OrderLedger.woo_order_id == order_id)
            return None if row is None else str(row.state)


@contextmanager
def owner_rig(data_dir: Path, *, email: str, password: str) -> Iterator[OwnerRig]:
    fortnox_config = FortnoxSimConfig(seed_demo_data=False, knobs=Knobs(rate_limit_enabled=False))
    fortnox = serve_in_thread(create_fortnox(fortnox_config))
    woo = serve_in_thread(create_woocommerce(WooSimConfig(seed=True)))
    fortnox_state = fortnox.server.app.extensions["fortnox_sim"]
    woo_sim = woo.server.app.extensions["woocommerce_sim"]
    store = woo_sim.store
    mirror_catalogue(store, fortnox_state)
    store.create_product({"name": "Ny mugg", "sku": ONLY_IN_WOO, "regular_price": "199.00",
                          "tax_class": "", "manage_stock": True, "stock_quantity": 10})
    fortnox_state.create_article({"ArticleNumber": ONLY_IN_FORTNOX, "Description": "Tygkasse",
                                  "VAT": 25, "StockGoods": False, "WebshopArticle": True})
    fortnox_state.set_price("A", ONLY_IN_FORTNOX, Decimal(0), Decimal("79.20"))
    port = free_port()
    env = migrated_sidecar(
        data_dir, webhook_secret=SECRET,
        SIDECAR_PUBLIC_URL=f"http://127.0.0.1:{port}", SIDECAR_LOG_LEVEL="WARNING",
        SIDECAR_FORTNOX_API_URL=fortnox.url, SIDECAR_FORTNOX_AUTH_URL=f"{fortnox.url}/oauth-v1",
        SIDECAR_FORTNOX_CLIENT_ID=fortnox_config.client_id,
        SIDECAR_FORTNOX_CLIENT_SECRET=fortnox_config.client_secret)
    with sidecar_database(env):
        shop = Shop.get()
        Shop.update(woo_url=woo.url, woo_consumer_key=store.config.consumer_key,
                    woo_consumer_secret=store.config.consumer_secret).execute()
        create_owner(shop, email, password)
    sidecar = start_sidecar(env, data_dir / "sidecar.log", port=port)
    try:
        sidecar.wait_healthy(timeout=60)
        for topic in ("order.created", "order.updated"):
            store.create_webhook({"name": f"Fortnox sidecar: {topic}", "topic": topic,
                                  "secret": SECRET,
                                  "delivery_url": f"{sidecar.url}/webhooks/woocommerce"})
        yield OwnerRig(sidecar, env, store, woo_sim.sender, fortnox_state,
                       fortnox_config.company_name)
    finally:
        sidecar.stop()
        woo_sim.sender.stop()
        woo.stop()
        fortnox.stop()
