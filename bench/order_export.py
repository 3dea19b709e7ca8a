"""Order export benchmark: the real sidecar under gunicorn between the two simulators.

500 orders (70 % from returning customers) in order+invoice mode, the Fortnox simulator with its
real rate limit (25 requests per 5 s) and 150 ms latency; then, on the same shop, invoice-only
orders from returning customers. Then, on a fresh sidecar: a burst of 300 orders (invoices, 70 %
returning customers, SKUs that are Fortnox articles) whose deliveries, created and updated, all
arrive within 2 s; and 3 orders placed while the sidecar is stopped. Prints one JSON object on
its last line:

    .venv/bin/python bench/order_export.py [--orders 500] [--invoice-orders 60]
                                           [--burst-orders 300] [--missed-orders 3]

Figures: Fortnox calls per order, drain time ÷ the rate-limit floor (total calls ÷ 5 per s),
429 answers, and duplicates (documents sharing an order's key), which must be 0. For the burst
(`burst`), the floor is the calls that must happen: one per document, one per customer created,
one per payment asked for; `drain_ratio_to_floor` is the drain time ÷ that floor at 5 per s,
`calls_ratio_to_floor` all calls ÷ that floor. `missed_webhooks`: seconds from the restart until
the orders placed while the sidecar was down are in Fortnox.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sidecar import settings as shop_settings
from sidecar.models import Shop
from sidecar.sim.fortnox import Knobs
from sidecar.sim.process import sidecar_database
from sidecar.webhooks.signature import sign
from tests.e2e.order_export_setup import SECRET
from tests.e2e.order_export_setup import Rig
from tests.e2e.order_export_setup import order_export_rig
from tests.e2e.test_order_export import catalogue
from tests.e2e.test_order_export import place

RATE_PER_SECOND = 25 / 5


def api_calls(rig: Rig) -> tuple[int, int]:
    """(Fortnox API requests, of which 429) so far; OAuth and /_sim are not API calls."""
    with rig.fortnox_state.lock:
        counts = dict(rig.fortnox_state.counters)
    api = {k: v for k, v in counts.items() if k[0].split(" ", 1)[1].startswith(("/3/", "/api/"))}
    return sum(api.values()), sum(v for (_, status), v in api.items() if status == 429)


def exported(rig: Rig) -> int:
    return rig.ledger_states().get("exported", 0)


def run_phase(rig: Rig, orders: list[dict[str, Any]], expected_total: int) -> dict[str, float]:
    calls_before, limited_before = api_calls(rig)
    started = time.monotonic()

    def send(part: list[dict[str, Any]]) -> None:
        with requests.Session() as http:
            for order in part:
                rig.deliver(http, "order.created", order["id"])

    senders = [threading.Thread(target=send, args=(orders[i::4],)) for i in range(4)]
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join()
    if not rig.wait_for(lambda: exported(rig) >= expected_total, timeout=280):
        raise SystemExit(f"not drained: {rig.ledger_states()}")
    drain = time.monotonic() - started
    calls_after, limited_after = api_calls(rig)
    calls = calls_after - calls_before
    return {"orders": len(orders), "calls": calls, "calls_per_order": calls / len(orders),
            "drain_seconds": drain, "floor_seconds": calls / RATE_PER_SECOND,
            "drain_ratio_to_floor": drain / (calls / RATE_PER_SECOND),
            "responses_429": limited_after - limited_before}


def duplicates(rig: Rig) -> int:
    documents = rig.fortnox_state.documents
    orders = Counter(o["ExternalInvoiceReference1"] for o in documents.orders.values()
                     if not o["Cancelled"])
    invoices = Counter(i["ExternalInvoiceReference1"] for i in documents.invoices.values()
                       if not i["Cancelled"])
    return sum(n - 1 for n in orders.values()) + sum(n - 1 for n in invoices.values())


def settled(rig: Rig, quiet_for: float = 3.0, timeout: float = 60.0) -> None:
    """Wait until the sidecar's start-up work (first job runs, checks) makes no more calls."""
    deadline = time.monotonic() + timeout
    last, since = api_calls(rig)[0], time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = api_calls(rig)[0]
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_for:
            return
    raise SystemExit("the sidecar kept calling Fortnox after its start")


def send_all(rig: Rig, deliveries: list[tuple[str, bytes]], senders: int = 8) -> float:
    """Post signed deliveries from `senders` threads; returns how long the sending took."""
    assert rig.sidecar is not None
    url = f"{rig.sidecar.url}/webhooks/woocommerce"
    started = time.monotonic()

    def send(part: list[tuple[str, bytes]]) -> None:
        with requests.Session() as http:
            for topic, body in part:
                answer = http.post(url, data=body, timeout=10, headers={
                    "X-WC-Webhook-Topic": topic, "X-WC-Webhook-Signature": sign(body, SECRET)})
                if answer.status_code >= 300:
                    raise SystemExit(f"delivery refused: {answer.status_code}")

    threads = [threading.Thread(target=send, args=(deliveries[i::senders],))
               for i in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def burst_and_missed(orders: int, missed: int, rng: random.Random) -> tuple[dict[str, Any],
                                                                            dict[str, Any]]:
    """A fresh shop: a burst of `orders` orders, then `missed` placed while it is down."""
    knobs = Knobs(latency_ms=150, rate_limit_enabled=True)
    with tempfile.TemporaryDirectory() as tmp, order_export_rig(Path(tmp), knobs=knobs) as rig:
        with rig.fortnox_state.lock:  # a shop whose SKUs are Fortnox articles
            for sku in ("MUG", "BEANS", "BOOK"):
                rig.fortnox_state.create_article({"ArticleNumber": sku, "Description": sku})
        rig.start()
        products = catalogue(rig)
        settled(rig)
        new_customers = int(orders * 0.3)
        buyers = [n if n < new_customers else rng.randrange(new_customers)
                  for n in range(orders)]
        placed = [place(rig, products, n, email=f"kund{buyer}@example.test")
                  for n, buyer in enumerate(buyers)]
        deliveries = [(topic, json.dumps(rig.woo_order(order["id"])).encode())
                      for order in placed for topic in ("order.created", "order.updated")]
        calls_before, limited_before = api_calls(rig)
        with rig.fortnox_state.lock:
            customers_before = len(rig.fortnox_state.customers)
            documents_before = (len(rig.fortnox_state.documents.orders)
                                + len(rig.fortnox_state.documents.invoices))
            payments_before = len(rig.fortnox_state.documents.payments)
        started = time.monotonic()
        sending = send_all(rig, deliveries)
        if not rig.wait_for(lambda: exported(rig) >= orders, timeout=600):
            raise SystemExit(f"burst not drained: {rig.ledger_states()}")
        drain = time.monotonic() - started
        calls_after, limited_after = api_calls(rig)
        with rig.fortnox_state.lock:
            floor = (len(rig.fortnox_state.customers) - customers_before
                     + len(rig.fortnox_state.documents.orders)
                     + len(rig.fortnox_state.documents.invoices) - documents_before
                     + len(rig.fortnox_state.documents.payments) - payments_before)
        calls = calls_after - calls_before
        burst_figures = {
            "orders": orders, "deliveries": len(deliveries),
            "deliveries_seconds": round(sending, 2), "calls": calls, "floor_calls": floor,
            "drain_seconds": round(drain, 1), "floor_seconds": round(floor / RATE_PER_SECOND, 1),
            "drain_ratio_to_floor": round(drain / (floor / RATE_PER_SECOND), 3),
            "calls_ratio_to_floor": round(calls / floor, 3),
            "responses_429": limited_after - limited_before, "duplicates": duplicates(rig)}

        assert rig.sidecar is not None
        rig.hooks("order.created", "order.updated")
        rig.sidecar.stop()
        for n in range(missed):
            place(rig, products, orders + n, email=f"sent-while-down{n}@example.test")
        rig.sender.flush(timeout=30)  # to nobody: the sidecar is down
        restarted = time.monotonic()
        rig.start("restarted.log")
        if not rig.wait_for(lambda: exported(rig) >= orders + missed, timeout=300):
            raise SystemExit(f"missed orders not exported: {rig.ledger_states()}")
        missed_figures = {"orders": missed,
                          "exported_after_restart_s": round(time.monotonic() - restarted, 1)}
    return burst_figures, missed_figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--invoice-orders", type=int, default=60)
    parser.add_argument("--burst-orders", type=int, default=300)
    parser.add_argument("--missed-orders", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(7)
    knobs = Knobs(latency_ms=150, rate_limit_enabled=True)
    with tempfile.TemporaryDirectory() as tmp, order_export_rig(
            Path(tmp), knobs=knobs, settings={"export.document_mode": "order_then_invoice"}
    ) as rig:
        rig.start()
        products = catalogue(rig)
        new_customers = int(args.orders * 0.3)
        emails = [f"kund{n if n < new_customers else rng.randrange(new_customers)}@example.test"
                  for n in range(args.orders)]
        orders = [place(rig, products, n, email=email) for n, email in enumerate(emails)]
        both = run_phase(rig, orders, args.orders)
        with sidecar_database(rig.env):
            shop_settings.save(Shop.select().first(), {"export.document_mode": "invoice"})
        returning = [place(rig, products, n, email=emails[n % new_customers])
                     for n in range(args.invoice_orders)]
        invoice_only = run_phase(rig, returning, args.orders + args.invoice_orders)
        figures = {
            "orders": both["orders"],
            "mode": "order_then_invoice",
            "calls_per_order": round(both["calls_per_order"], 3),
            "drain_seconds": round(both["drain_seconds"], 1),
            "floor_seconds": round(both["floor_seconds"], 1),
            "drain_ratio_to_floor": round(both["drain_ratio_to_floor"], 3),
            "responses_429": both["responses_429"] + invoice_only["responses_429"],
            "duplicates": duplicates(rig),
            "invoice_only_returning_orders": invoice_only["orders"],
            "invoice_only_calls_per_order": round(invoice_only["calls_per_order"], 3),
            "invoice_only_drain_ratio_to_floor": round(invoice_only["drain_ratio_to_floor"], 3),
        }
    figures["burst"], figures["missed_webhooks"] = burst_and_missed(
        args.burst_orders, args.missed_orders, rng)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
