"""Order export benchmark: the real sidecar under gunicorn between the two simulators.

500 orders (70 % from returning customers) in order+invoice mode, the Fortnox simulator with its
real rate limit (25 requests per 5 s) and 150 ms latency; then, on the same shop, invoice-only
orders from returning customers. Prints one JSON object on its last line:

    .venv/bin/python bench/order_export.py [--orders 500] [--invoice-orders 60]

Figures: Fortnox calls per order, drain time ÷ the rate-limit floor (total calls ÷ 5 per s),
429 answers, and duplicates (documents sharing an order's key), which must be 0.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--invoice-orders", type=int, default=60)
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
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
