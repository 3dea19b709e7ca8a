"""`sidecar demo`: the real sidecar beside simulated Fortnox and WooCommerce, with traffic.

Everything runs on this machine: both simulators in this process, the sidecar under gunicorn
as in production. A Swedish catalogue (25/12/6/0 % VAT, variations) exists in both systems,
Fortnox keeps stock in three stock points, customers place orders, and someone in Fortnox
completes and cancels orders and changes prices and stock; those changes reach the shop
through Fortnox's change feed (the simulated Topics API) within seconds. Open the printed
address and sign in with the printed login to watch it.
"""

from __future__ import annotations

import logging
import random
import shlex
import shutil
import signal
import threading
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from sidecar.sim.demo_traffic import DemoTraffic
from sidecar.sim.fortnox import FortnoxSimConfig
from sidecar.sim.fortnox import create_app as create_fortnox
from sidecar.sim.fortnox.topics_server import TopicsServer
from sidecar.sim.fortnox.topics_server import serve_topics
from sidecar.sim.process import SidecarProcess
from sidecar.sim.process import migrated_sidecar
from sidecar.sim.process import sidecar_database
from sidecar.sim.process import start_sidecar
from sidecar.sim.server import RunningServer
from sidecar.sim.server import serve_in_thread
from sidecar.sim.woocommerce import WooSimConfig
from sidecar.sim.woocommerce import create_app as create_woocommerce

log = logging.getLogger(__name__)

DEMO_EMAIL = "demo@example.se"
DEMO_PASSWORD = "demo-lösenord-2026"  # noqa: S105 - printed on screen for the demo shop
WEBHOOK_SECRET = "demo-webhook-secret-0123456789abcdef"  # noqa: S105 - demo only
VAT_BY_TAX_CLASS = {"": 25, "standard": 25, "reduced-rate": 12, "super-reduced-rate": 6,
                    "zero-rate": 0}
EXTRA_STOCK_POINT = {"code": "WEB", "name": "E-handelslager", "stockLocations": []}
# Frequent enough that a newcomer sees every workflow move within a minute or two.
DEMO_FREQUENCIES = {"order_status": 20, "product_sync": 45, "stock_sync": 30, "sweep_orders": 60}


@dataclass
class Demo:
    fortnox: RunningServer
    woocommerce: RunningServer
    sidecar: SidecarProcess
    sidecar_env: dict[str, str]
    traffic: DemoTraffic
    topics: TopicsServer

    def stop(self) -> None:
        self.traffic.stop()
        self.sidecar.stop()
        self.woocommerce.stop()
        self.topics.stop()
        self.fortnox.stop()


def start_demo(data_dir: Path, *, port: int = 8000, seed: int | None = None,
               order_every: float = 4.0, document_mode: str = "order_then_invoice",
               refund_share: float = 0.0, extra_env: dict[str, str] | None = None) -> Demo:
    """Start everything; the caller stops it with `Demo.stop()`."""
    if data_dir.exists():
        shutil.rmtree(data_dir)  # each demo starts from a clean shop
    fortnox_config = FortnoxSimConfig(seed_demo_data=False)
    fortnox = serve_in_thread(create_fortnox(fortnox_config))
    woocommerce = serve_in_thread(create_woocommerce(WooSimConfig(seed=True)))
    fortnox_state = fortnox.server.app.extensions["fortnox_sim"]
    # Fortnox's change feed: a change in simulated Fortnox reaches the shop within seconds.
    topics = serve_topics(fortnox_state)
    store = woocommerce.server.app.extensions["woocommerce_sim"].store
    mirror_catalogue(store, fortnox_state)

    env = migrated_sidecar(
        data_dir, webhook_secret=WEBHOOK_SECRET,
        SIDECAR_BIND=f"127.0.0.1:{port}", SIDECAR_PUBLIC_URL=f"http://127.0.0.1:{port}",
        SIDECAR_FORTNOX_API_URL=fortnox.url, SIDECAR_FORTNOX_AUTH_URL=f"{fortnox.url}/oauth-v1",
        SIDECAR_FORTNOX_CLIENT_ID=fortnox_config.client_id,
        SIDECAR_FORTNOX_CLIENT_SECRET=fortnox_config.client_secret,
        SIDECAR_FORTNOX_TOPICS_URL=topics.url, **(extra_env or {}),
    )
    connect_shop(env, woocommerce, store, tenant_id=str(fortnox_config.tenant_id),
                 document_mode=document_mode)
    # Before the sidecar starts: its first check of the shop's webhooks must find them.
    for topic in ("order.created", "order.updated", "order.deleted", "order.restored",
                  "product.created", "product.updated"):
        store.create_webhook({"name": f"Fortnox sidecar: {topic}", "topic": topic,
                              "secret": WEBHOOK_SECRET,
                              "delivery_url": f"http://127.0.0.1:{port}/webhooks/woocommerce"})
    sidecar = start_sidecar(env, data_dir / "sidecar.log", port=port)
    sidecar.wait_healthy(timeout=60)
    traffic = DemoTraffic(store, fortnox_state, fortnox.url, random.Random(seed),
                          order_every=order_every, refund_share=refund_share)
    traffic.start()
    return Demo(fortnox, woocommerce, sidecar, env, traffic, topics)


def mirror_catalogue(store: Any, fortnox: Any) -> None:
    """Every Woo SKU as a Fortnox article: same name, price excl. VAT in price list A, and stock
    spread over three stock points (the shop sells from two of them)."""
    fortnox.warehouse.add_stock_point(dict(EXTRA_STOCK_POINT))
    for product in list(store.products.values()):
        sku = product.get("sku")
        if not sku or product.get("type") == "variable":
            continue
        vat = VAT_BY_TAX_CLASS.get(store.effective_tax_class(product), 25)
        price = Decimal(product.get("regular_price") or "0")
        fortnox.create_article({"ArticleNumber": sku, "Description": product["name"][:50],
                                "VAT": vat, "StockGoods": not product.get("virtual"),
                                "WebshopArticle": True, "Weight": 400})
        fortnox.set_price("A", sku, Decimal(0), (price / (1 + Decimal(vat) / 100)).quantize(
            Decimal("0.01")))
        if not product.get("virtual"):
            total = int(product.get("stock_quantity") or 30)
            for point, share in (("MAIN", 0.6), ("STORE", 0.25), ("WEB", 0.15)):
                fortnox.set_stock(sku, Decimal(int(total * share)), stock_point=point)


def connect_shop(env: dict[str, str], woocommerce: RunningServer, store: Any, *,
                 tenant_id: str, document_mode: str) -> None:
    """What an owner does on the settings page, done directly: keys, Fortnox, settings, login."""
    from sidecar import settings
    from sidecar.config import Config
    from sidecar.fortnox_access.connect import configure_service_account
    from sidecar.models import Shop
    from sidecar.web.accounts import create_owner

    config = Config.from_env(env)
    with sidecar_database(env):
        shop = Shop.get()
        shop.name = "Kaffe & Kläder (demo)"
        shop.woo_url = woocommerce.url
        shop.woo_consumer_key = store.config.consumer_key
        shop.woo_consumer_secret = store.config.consumer_secret
        shop.woo_state = "connected"
        shop.save()
        configure_service_account(shop, config, tenant_id)
        wanted: dict[str, Any] = {
            "export.document_mode": document_mode,
            "export.way_of_delivery_rules": [["DHL*", "DHL"], ["PostNord*", "P"],
                                             ["local_pickup*", "HÄMT"]],
            # The web shop sells what lies in the main and the web stock points, not the store's.
            "stock.source": "warehouse",
            "stock.stock_points": ["MAIN", "WEB"],
        }
        for job, seconds in DEMO_FREQUENCIES.items():
            wanted[settings.job_interval_key(job)] = seconds
        settings.save(shop, wanted)
        create_owner(shop, DEMO_EMAIL, DEMO_PASSWORD)


def cli_environment(env: dict[str, str]) -> str:
    """`export SIDECAR_…=…`: what `sidecar` commands need to reach the demo's database."""
    return "export " + " ".join(f"{key}={shlex.quote(value)}" for key, value in sorted(env.items())
                                if key.startswith("SIDECAR_"))


def run_demo(data_dir: Path, *, port: int = 8000, duration: float | None = None) -> int:
    """`sidecar demo`: start, print how to watch, run until Ctrl-C (or `duration` seconds)."""
    demo = start_demo(data_dir, port=port)
    print(f"""
  The demo is running.

    Open      {demo.sidecar.url}/
    Sign in   {DEMO_EMAIL}
    Password  {DEMO_PASSWORD}

  Simulated Fortnox at {demo.fortnox.url} (its change feed at {demo.topics.url}),
  simulated WooCommerce at {demo.woocommerce.url}. Orders are placed every few seconds;
  changes made in Fortnox reach the shop within seconds. Press Ctrl-C to stop.

  The command line works against this demo in a shell with its environment:

    {cli_environment(demo.sidecar_env)}
    .venv/bin/sidecar jobs list
""", flush=True)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    try:
        stopping.wait(duration)
    except KeyboardInterrupt:
        pass
    finally:
        demo.stop()
    return 0

