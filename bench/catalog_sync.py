"""Benchmark: the Fortnox → WooCommerce catalog sync (product data, then stock) on 10,000 SKUs.

    .venv/bin/python bench/catalog_sync.py [--skus 10000]

Both simulators run in this process, each on a loopback port in a thread (`serve_in_thread`),
and the sync talks to them over real HTTP. Fortnox's rate limit is switched off in the
simulator: at the real 25 requests per 5 s the first full read of 10,000 articles (one list
call per 500, one detail call per article for its weight) takes about 35 minutes, which says
nothing about the sidecar. The figures count requests, so they carry over. The peak RSS is this
process's, simulators included (an upper bound for the sidecar alone).

The catalog: 80 % simple products, 20 % variations (5 per variable product). The shop starts
as a slightly stale copy of Fortnox (a tenth of the prices and stock levels differ). Three
cycles, each the product sync followed by the stock sync, 30 simulated minutes apart (both
simulators' clocks are moved; the jobs' overlap window is 5 minutes):

- full: the first run of each job reads both catalogs whole;
- one_percent: 1 % of the SKUs changed in Fortnox half-way between the runs (half a price,
  half the stock);
- no_change: nothing changed.

Woo writes are batch requests: products in batches of 100, a variation only through its own
parent's batch endpoint. The 1 % cycle's `woo_write_floor` is the fewest requests WooCommerce's
API allows for its changes: ceil(changed simple products ÷ 100), plus one per parent of a
changed variation. The product sync writes the stock of the SKUs it compares in the same
batches (as the product job does), so the stock sync after it should find nothing left.

All of it runs twice. `cycles` is a plain catalog ("Artikel P00001"); `faithful` is the same
catalog as a real shop holds it (tests/fixtures/woocommerce/rest): names with "&", which
WooCommerce stores HTML-escaped ("Kaffe &amp; Co P00001"), and variations named by WooCommerce
after their attributes ("XL, Svart" through their parent, "Tröja 7 - XL, Svart" by id) while
Fortnox has descriptions of its own ("Tröja 7 XL svart"). Targets: the no-change cycle's
`woo_writes` 0, and the 1 % cycle's `woo_writes` ≤ its `woo_write_floor`, in both.
The last line of output is one JSON object with the figures.
"""

from __future__ import annotations

import json
import logging
import math
import random
import resource
import sys
import tempfile
import time
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sidecar import crypto  # noqa: E402
from sidecar.db import bind_database  # noqa: E402
from sidecar.fortnox import FortnoxClient  # noqa: E402
from sidecar.fortnox.auth import client_credentials  # noqa: E402
from sidecar.migrate import upgrade  # noqa: E402
from sidecar.models import Shop  # noqa: E402
from sidecar.sim.fortnox import FortnoxSimConfig  # noqa: E402
from sidecar.sim.fortnox import Knobs  # noqa: E402
from sidecar.sim.fortnox import create_app as create_fortnox  # noqa: E402
from sidecar.sim.server import serve_in_thread  # noqa: E402
from sidecar.sim.woocommerce import WooSimConfig  # noqa: E402
from sidecar.sim.woocommerce import create_app as create_woo  # noqa: E402
from sidecar.sync.catalog.product_sync import sync_products  # noqa: E402
from sidecar.sync.catalog.settings import ProductSettings  # noqa: E402
from sidecar.sync.catalog.settings import StockSettings  # noqa: E402
from sidecar.sync.catalog.stock_sync import sync_stock  # noqa: E402
from sidecar.woocommerce import WooClient  # noqa: E402

VARIATIONS_PER_PARENT = 5
SIZES = ("S", "M", "L", "XL", "XXL")
CYCLE_GAP = timedelta(minutes=30)
WRITE_METHODS = ("POST ", "PUT ", "PATCH ", "DELETE ")


class StaticTokens:
    def __init__(self, token: str) -> None:
        self.token = token

    def access_token(self) -> str:
        return self.token

    def invalidate(self, token: str) -> None:
        pass


def catalog(skus: int, rng: random.Random) -> list[dict[str, Any]]:
    """Every SKU with its Fortnox values; variations carry their parent's index and size."""
    variations = skus // 5
    items = []
    for index in range(skus - variations):
        items.append({"sku": f"P{index:05d}", "parent": None, "size": None})
    for index in range(variations):
        items.append({"sku": f"V{index:05d}", "parent": index // VARIATIONS_PER_PARENT,
                      "size": SIZES[index % VARIATIONS_PER_PARENT]})
    for item in items:
        item.update(price=Decimal(rng.randrange(1000, 100000)) / 100,
                    weight=rng.randrange(50, 5000), stock=rng.randrange(0, 200),
                    vat=rng.choice(("25", "25", "25", "12", "6")))
    return items


def description(item: dict[str, Any], faithful: bool) -> str:
    """The Fortnox article's description; in faithful mode one WooCommerce escapes, or for a
    variation one unlike the name WooCommerce gives it."""
    if not faithful:
        return f"Artikel {item['sku']}"
    if item["parent"] is None:
        return f"Kaffe & Co {item['sku']}"
    return f"Tröja {item['parent']} {item['size']} svart"


def seed_fortnox(state: Any, items: list[dict[str, Any]], faithful: bool) -> None:
    with state.lock:
        for item in items:
            state.create_article({"ArticleNumber": item["sku"],
                                  "Description": description(item, faithful),
                                  "VAT": item["vat"], "Weight": item["weight"],
                                  "StockGoods": True})
            state.set_price("A", item["sku"], Decimal(0), item["price"])
            state.set_stock(item["sku"], Decimal(item["stock"]))


def seed_woo(store: Any, items: list[dict[str, Any]], rng: random.Random, faithful: bool) -> None:
    """The shop as a stale copy: a tenth of prices and stock levels differ from Fortnox. Names
    go through the simulator's create, so WooCommerce's escaping applies."""
    classes = {"25": "", "12": "reduced-rate", "6": "super-reduced-rate"}
    parents: dict[int, int] = {}
    with store.lock:
        for item in items:
            gross = (item["price"] * (1 + Decimal(item["vat"]) / 100)).quantize(Decimal("0.01"))
            if rng.random() < 0.1:
                gross += 1
            fields = {"regular_price": str(gross), "weight": str(Decimal(item["weight"]) / 1000),
                      "tax_class": classes[item["vat"]], "manage_stock": True,
                      "stock_quantity": item["stock"] + (1 if rng.random() < 0.1 else 0)}
            if item["parent"] is None:
                product = store.create_product({"name": description(item, faithful), **fields})
            else:
                parent = parents.get(item["parent"])
                if parent is None:
                    parent = parents[item["parent"]] = store.create_product(
                        {"name": f"Tröja {item['parent']}" if faithful
                         else f"Variabel {item['parent']}", "type": "variable",
                         "attributes": [{"name": "Storlek", "options": list(SIZES)},
                                        {"name": "Färg", "options": ["Svart"]}]
                         if faithful else []})["id"]
                attributes = [{"name": "Storlek", "option": item["size"]},
                              {"name": "Färg", "option": "Svart"}] if faithful else []
                product = store.create_product({**fields, "attributes": attributes},
                                               parent_id=parent)
            # Set directly: the simulator's SKU check scans the whole shop on every create.
            product["sku"] = item["sku"]


def counts(fortnox_state: Any, woo_sim: Any) -> tuple[int, int, int]:
    with fortnox_state.lock:
        fortnox_calls = sum(n for (route, _), n in fortnox_state.counters.items()
                            if not route.startswith("POST /oauth"))
    with woo_sim.log_lock:
        routes = {k: n for k, n in woo_sim.counters.items() if k.split(" ")[0] in
                  ("GET", "POST", "PUT", "PATCH", "DELETE")}
    woo_writes = sum(n for k, n in routes.items() if k.startswith(WRITE_METHODS))
    return fortnox_calls, sum(routes.values()), woo_writes


def set_clocks(fortnox_state: Any, woo_sim: Any, offset: timedelta) -> None:
    with fortnox_state.lock:
        fortnox_state.clock_offset = offset
    with woo_sim.store.lock:
        woo_sim.store.clock_offset = offset


def clear(fortnox_state: Any, woo_sim: Any) -> None:
    with fortnox_state.lock:
        fortnox_state.counters.clear()
    with woo_sim.log_lock:
        woo_sim.counters.clear()


def run_cycles(skus: int, *, faithful: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """The three cycles on a fresh pair of simulators: (figures per cycle, details)."""
    rng = random.Random(20251123)
    fortnox_app = create_fortnox(FortnoxSimConfig(
        seed_demo_data=False, request_log_size=100,
        knobs=Knobs(rate_limit_enabled=False, token_lifetime_seconds=24 * 3600)))
    woo_app = create_woo(WooSimConfig())
    fortnox_state = fortnox_app.extensions["fortnox_sim"]
    woo_sim = woo_app.extensions["woocommerce_sim"]
    items = catalog(skus, rng)
    # The catalog exists long before the sidecar first reads it: made a day earlier.
    set_clocks(fortnox_state, woo_sim, -timedelta(days=1))
    seed_fortnox(fortnox_state, items, faithful)
    seed_woo(woo_sim.store, items, rng, faithful)
    set_clocks(fortnox_state, woo_sim, timedelta(0))
    fortnox_server, woo_server = serve_in_thread(fortnox_app), serve_in_thread(woo_app)

    data_dir = Path(tempfile.mkdtemp(prefix="catalog-bench-"))
    database = bind_database(f"sqlite:///{data_dir / 'sidecar.db'}")
    database.connect()
    upgrade(database)
    shop = Shop.create(name="Bench", slug="bench")
    sim_config = FortnoxSimConfig()
    token = client_credentials(requests.Session(), f"{fortnox_server.url}/oauth-v1/token",
                               sim_config.client_id, sim_config.client_secret, "1234567")
    fortnox = FortnoxClient(fortnox_server.url, StaticTokens(token.access_token))
    woo = WooClient(woo_server.url, woo_sim.config.consumer_key, woo_sim.config.consumer_secret)

    cycles: dict[str, dict[str, Any]] = {}
    details: dict[str, Any] = {}
    floor = None
    for number, name in enumerate(("full", "one_percent", "no_change")):
        offset = CYCLE_GAP * number
        if name == "one_percent":
            # The Fortnox user's changes land between two runs (here half-way).
            set_clocks(fortnox_state, woo_sim, offset - CYCLE_GAP / 2)
            changed = change_one_percent(fortnox_state, items, rng)
            details["changed_skus"] = len(changed)
            # WooCommerce takes at most 100 objects per batch, and variations only through
            # their parent's batch endpoint: no sync can write these changes in fewer requests.
            simple = sum(1 for item in changed if item["parent"] is None)
            parents = {item["parent"] for item in changed if item["parent"] is not None}
            floor = math.ceil(simple / 100) + len(parents)
        set_clocks(fortnox_state, woo_sim, offset)
        clear(fortnox_state, woo_sim)
        now = datetime.now(UTC) + offset
        started = time.perf_counter()
        # As the product job does: the stock of the SKUs it compares goes in the same batches.
        products = sync_products(shop, fortnox=fortnox, woo=woo, settings=ProductSettings(),
                                 now=now, stock=StockSettings())
        stock = sync_stock(shop, fortnox=fortnox, woo=woo, settings=StockSettings(), now=now)
        wall = time.perf_counter() - started
        fortnox_calls, woo_calls, woo_writes = counts(fortnox_state, woo_sim)
        cycles[name] = {
            "fortnox_calls": fortnox_calls, "woo_calls": woo_calls, "woo_writes": woo_writes,
            "wall_s": round(wall, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        if name == "one_percent":
            cycles[name]["woo_write_floor"] = floor
        details[name] = {"products": products.counts(), "stock": stock.counts()}
        mode = "faithful" if faithful else "plain"
        print(f"{mode} {name}: {cycles[name]} products={products.counts()} "
              f"stock={stock.counts()}", flush=True)
    fortnox_server.stop()
    woo_server.stop()
    database.close()
    return cycles, details


def main(skus: int = 10_000) -> dict[str, Any]:
    logging.disable(logging.INFO)  # a line per request would dominate the run
    crypto.configure("bench-secret-key-" + "z" * 32)
    cycles, details = run_cycles(skus, faithful=False)
    faithful, faithful_details = run_cycles(skus, faithful=True)
    return {"skus": skus, "variations": skus // 5, "cycles": cycles, "faithful": faithful,
            "details": {"plain": details, "faithful": faithful_details}}


def change_one_percent(state: Any, items: list[dict[str, Any]],
                       rng: random.Random) -> list[dict[str, Any]]:
    """1 % of the SKUs change in Fortnox, as its user would: half a price, half the stock."""
    chosen = rng.sample(items, len(items) // 100)
    with state.lock:
        for index, item in enumerate(chosen):
            if index % 2 == 0:
                item["price"] += 10
                state.set_price("A", item["sku"], Decimal(0), item["price"], create=False)
            else:
                item["stock"] += 5
                state.set_stock(item["sku"], Decimal(item["stock"]))
    return chosen


if __name__ == "__main__":
    size = int(sys.argv[sys.argv.index("--skus") + 1]) if "--skus" in sys.argv else 10_000
    print(json.dumps(main(size)))
