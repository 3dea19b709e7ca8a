"""Change feed: how fast a change in Fortnox is in the shop, at what cost in Fortnox calls, with
polling as the fallback, and what an idle hour costs.

    .venv/bin/python bench/change_feed.py [--stock-changes 200] [--status-changes 50]
                                          [--gap 0.4] [--interval 30] [--keep DIR]

- push: the real sidecar (gunicorn, two workers) beside both simulators and the simulated
  Topics API, Fortnox's real rate limit on. 200 stock changes (each on its own article) and 50
  order status changes (40 invoiced, 10 cancelled orders the sidecar exported) are made in the
  Fortnox simulator one at a time, with exponential gaps of mean `--gap` seconds. Per change,
  the time until WooCommerce shows it; and the Fortnox API calls the sidecar made in that time,
  counted by the simulator, per change.
- fallback: the same, with the simulator refusing every Topics API connection: the polling
  jobs at the owner's interval (`--interval`, stock and order status) bring the changes over.
- idle: one simulated hour without a change. The jobs' schedule is stepped through an hour of
  simulated time and each job runs (its real code, its real calls to the simulator) when due,
  at the pace the scheduler would give it: once with the feed on (kept alive as the listener
  keeps it), once with polling only. Counts Fortnox API calls (token requests aside).

The last line is one JSON object: {"push": {...}, "fallback": {...}, "idle": {...}}.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from dataclasses import field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from sidecar import settings
from sidecar.config import Config
from sidecar.fields import utcnow
from sidecar.fortnox_access.connect import configure_service_account
from sidecar.jobs import feed_health
from sidecar.jobs.registry import JOBS
from sidecar.jobs.runner import JobLocked
from sidecar.jobs.runner import run_job
from sidecar.models import FeedStatus
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sim.fortnox import FortnoxSimConfig
from sidecar.sim.fortnox import create_app as create_fortnox_sim
from sidecar.sim.fortnox.topics_server import serve_topics
from sidecar.sim.process import migrated_sidecar
from sidecar.sim.process import sidecar_database
from sidecar.sim.process import start_sidecar
from sidecar.sim.server import serve_in_thread
from sidecar.sim.woocommerce import WooSimConfig
from sidecar.sim.woocommerce import create_app as create_woo_sim

COVERED = ("order_status", "product_sync", "stock_sync")
ORDER_ITEM = "ORDER-ITEM"
WAIT_FOR_CHANGE = 120.0


@dataclass
class Rig:
    env: dict[str, str]
    fortnox_url: str
    fortnox: Any  # the simulator's state
    store: Any  # the WooCommerce simulator's store
    orders: list[tuple[int, str]]  # (Woo id, Fortnox number) exported
    stop: Callable[[], None]
    topics: Any = None

    def api_calls(self) -> int:
        with self.fortnox.lock:
            return sum(count for (route, _), count in self.fortnox.counters.items()
                       if route.split(" ", 1)[1].startswith(("/3/", "/api/")))

    def clear_calls(self) -> None:
        with self.fortnox.lock:
            self.fortnox.counters.clear()
            self.fortnox.request_log.clear()


@contextmanager
def rig(data_dir: Path, *, articles: int, orders: int, interval: int, refuse_feed: bool):
    sim_config = FortnoxSimConfig(seed_demo_data=False)
    fortnox_app = create_fortnox_sim(sim_config)
    state = fortnox_app.extensions["fortnox_sim"]
    woo_app = create_woo_sim(WooSimConfig())
    store = woo_app.extensions["woocommerce_sim"].store
    fortnox, woo = serve_in_thread(fortnox_app), serve_in_thread(woo_app)
    topics = serve_topics(state)
    with state.lock:
        state.knobs.topics_refuse_connections = refuse_feed
    store.config.prices_include_tax = True
    for n in range(articles):
        sku = f"ART-{n:03d}"
        with state.lock:
            state.create_article({"ArticleNumber": sku, "Description": f"Artikel {n}",
                                  "VAT": 25, "StockGoods": True})
            state.set_price("A", sku, Decimal(0), Decimal(80))
            state.set_stock(sku, Decimal(50))
        with store.lock:
            store.create_product({"sku": sku, "name": f"Artikel {n}", "regular_price": "100.00",
                                  "manage_stock": True, "stock_quantity": 50})
    with state.lock:
        state.create_article({"ArticleNumber": ORDER_ITEM, "Description": "Orderrad",
                              "VAT": 25})
        customer = state.create_customer({"Name": "Kund"})["CustomerNumber"]
    with store.lock:
        store.create_product({"sku": ORDER_ITEM, "name": "Orderrad", "regular_price": "100.00"})
    exported = []
    for _ in range(orders):
        with store.lock:
            order = store.place_order({"line_items": [{"sku": ORDER_ITEM, "quantity": 1}],
                                       "status": "processing",
                                       "billing": {"first_name": "Kund",
                                                   "email": "kund@example.se"}},
                                      created_via="checkout")
        with state.lock:
            document = state.documents.create_order({
                "CustomerNumber": customer, "OrderRows": [
                    {"ArticleNumber": ORDER_ITEM, "OrderedQuantity": "1",
                     "DeliveredQuantity": "1", "Price": "80"}]})
        exported.append((int(order["id"]), str(document["DocumentNumber"])))
    env = migrated_sidecar(
        data_dir, SIDECAR_FORTNOX_CLIENT_ID=sim_config.client_id,
        SIDECAR_FORTNOX_CLIENT_SECRET=sim_config.client_secret,
        SIDECAR_FORTNOX_API_URL=fortnox.url, SIDECAR_FORTNOX_AUTH_URL=f"{fortnox.url}/oauth-v1",
        SIDECAR_FORTNOX_TOPICS_URL=topics.url, SIDECAR_LOG_LEVEL="WARNING")
    with sidecar_database(env):
        shop = Shop.get()
        Shop.update(woo_url=woo.url, woo_consumer_key=store.config.consumer_key,
                    woo_consumer_secret=store.config.consumer_secret,
                    woo_state="connected").where(Shop.id == shop.id).execute()
        configure_service_account(Shop.get_by_id(shop.id), Config.from_env(env),
                                  str(sim_config.tenant_id))
        for woo_id, number in exported:
            OrderLedger.create(shop=shop, woo_order_id=woo_id, external_key=f"wc-{woo_id}",
                               state="done", document_mode="order",
                               fortnox_order_number=number)
        settings.save(Shop.get_by_id(shop.id), {
            settings.job_interval_key("stock_sync"): interval,
            settings.job_interval_key("order_status"): interval,
            settings.job_interval_key("product_sync"): 900,
            **{settings.job_paused_key(name): True
               for name in ("sweep_orders", "process_inbox", "prune")}})
    sidecar = start_sidecar(env, data_dir / "sidecar.log")
    result = Rig(env, fortnox.url, state, store, exported, sidecar.stop, topics)
    try:
        sidecar.wait_healthy(timeout=60)
        wait_until_quiet(result, feed_on=not refuse_feed)
        yield result
    finally:
        sidecar.stop()
        topics.stop()
        fortnox.stop()
        woo.stop()


def wait_until_quiet(rig: Rig, *, feed_on: bool, quiet: float = 4.0, limit: float = 120) -> None:
    """The first runs of the jobs are done (no Fortnox call for `quiet` s), the feed is on."""
    deadline = time.monotonic() + limit
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        calls = rig.api_calls()
        if calls != last:
            last, since = calls, time.monotonic()
        on = True
        if feed_on:
            with sidecar_database(rig.env):
                on = feed_health.is_on(FeedStatus.get_or_none(), utcnow())
        if on and time.monotonic() - since >= quiet:
            return
        time.sleep(0.5)
    raise TimeoutError("the sidecar did not settle")


@dataclass
class Change:
    kind: str  # stock | status
    path: str
    body: dict[str, Any]
    check: Callable[[], bool]
    made_at: float = 0.0
    seen_at: float | None = None


@dataclass
class Watcher:
    changes: list[Change] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopped: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stopped.is_set():
            with self.lock:
                pending = [c for c in self.changes if c.seen_at is None]
            now = time.monotonic()
            for change in pending:
                if change.check():
                    change.seen_at = now
            time.sleep(0.05)


def planned_changes(rig: Rig, rng: random.Random, stock: int, status: int) -> list[Change]:
    store = rig.store
    changes = []
    for n in rng.sample(range(len(rig.fortnox.articles) - 1), stock):
        sku, quantity = f"ART-{n:03d}", rng.choice([q for q in range(0, 45)])

        def stock_check(sku: str = sku, quantity: int = quantity) -> bool:
            product = store.find_sku(sku)
            return product is not None and product.get("stock_quantity") == quantity
        changes.append(Change("stock", f"/_sim/articles/{sku}", {"QuantityInStock": quantity},
                              stock_check))
    for index, (woo_id, number) in enumerate(rng.sample(rig.orders, status)):
        action, wanted = ("cancel", "cancelled") if index % 5 == 4 else ("invoice", "completed")

        def status_check(woo_id: int = woo_id, wanted: str = wanted) -> bool:
            return bool(store.orders[woo_id]["status"] == wanted)
        changes.append(Change("status", f"/_sim/orders/{number}/{action}", {}, status_check))
    rng.shuffle(changes)
    return changes


def run_changes(rig: Rig, changes: list[Change], rng: random.Random, gap: float
                ) -> dict[str, Any]:
    rig.clear_calls()
    watcher = Watcher(changes)
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    http = requests.Session()
    started = time.monotonic()
    for change in changes:
        time.sleep(rng.expovariate(1 / gap))
        change.made_at = time.monotonic()
        answer = http.post(rig.fortnox_url + change.path, json=change.body, timeout=10)
        answer.raise_for_status()
    deadline = time.monotonic() + WAIT_FOR_CHANGE
    while time.monotonic() < deadline and any(c.seen_at is None for c in changes):
        time.sleep(0.2)
    watcher.stopped.set()
    thread.join()
    calls = rig.api_calls()
    latencies = sorted((c.seen_at - c.made_at) if c.seen_at else math.inf for c in changes)
    return {"changes": len(changes), "unseen": sum(1 for c in changes if c.seen_at is None),
            "p50_s": round(statistics.median(latencies), 2),
            "p95_s": round(latencies[int(len(latencies) * 0.95) - 1], 2),
            "max_s": round(latencies[-1], 2),
            "stock_p95_s": _p95(c for c in changes if c.kind == "stock"),
            "status_p95_s": _p95(c for c in changes if c.kind == "status"),
            "fortnox_calls": calls, "fortnox_calls_per_change": round(calls / len(changes), 3),
            "minutes": round((time.monotonic() - started) / 60, 1)}


def _p95(changes: Any) -> float:
    values = sorted((c.seen_at - c.made_at) if c.seen_at else math.inf for c in changes)
    return round(values[max(int(len(values) * 0.95) - 1, 0)], 2) if values else 0.0


def simulated_hour(rig: Rig, *, feed: bool) -> int:
    """Fortnox API calls of the covered jobs in one simulated hour without changes."""
    config = Config.from_env(rig.env)
    rig.clear_calls()
    with sidecar_database(rig.env):
        shop = Shop.get()
        start = utcnow()
        topics = set().union(*feed_health.JOB_TOPICS.values())
        FeedStatus.delete().execute()
        next_due = dict.fromkeys(COVERED, start)
        for second in range(0, 3600):
            now = start + timedelta(seconds=second)
            if feed and second % 30 == 0:  # the listener's ping, as it keeps the state
                feed_health.mark_on([shop.id], topics, now)
            for name in COVERED:
                if now < next_due[name]:
                    continue
                spec = JOBS[name]
                try:
                    run_job(spec, shop, trigger="schedule", clock=lambda now=now: now,
                            config=config)
                except JobLocked:
                    pass
                next_due[name] = now + feed_health.polling_interval(spec, shop, now)
    return rig.api_calls()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stock-changes", type=int, default=200)
    parser.add_argument("--status-changes", type=int, default=50)
    parser.add_argument("--gap", type=float, default=0.4, help="mean seconds between changes")
    parser.add_argument("--interval", type=int, default=30,
                        help="the owner's polling interval for stock and order status, s")
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="run in this directory and keep it")
    args = parser.parse_args(argv)
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="sidecar-feed-bench-") as tmp:
        base = args.keep or Path(tmp)
        sizes = {"articles": args.stock_changes + 10, "orders": args.status_changes + 5,
                 "interval": args.interval}
        for phase, refuse in (("push", False), ("fallback", True)):
            rng = random.Random(args.seed)
            with rig(base / phase, refuse_feed=refuse, **sizes) as running:
                changes = planned_changes(running, rng, args.stock_changes,
                                          args.status_changes)
                figures[phase] = run_changes(running, changes, rng, args.gap)
                figures[phase]["interval_s"] = args.interval
                print(f"{phase}: {figures[phase]}", file=sys.stderr, flush=True)
                if phase == "push":
                    running.stop()  # the simulated hour runs the jobs here, alone
                    figures["idle"] = {
                        "fortnox_calls_push": simulated_hour(running, feed=True),
                        "fortnox_calls_polling_only": simulated_hour(running, feed=False),
                        "interval_s": args.interval}
                    print(f"idle: {figures['idle']}", file=sys.stderr, flush=True)
    print(json.dumps(figures, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
