"""What reading an order costs: every captured WooCommerce order loaded by its schema.

The orders are the real store's webhook deliveries and REST answers in
tests/fixtures/woocommerce/ (each order body found there, webhook and REST). Each is loaded
`--rounds` times, one timing per load; the figures are over all loads. Refunds are reported
the same way. Prints one JSON object on its last line.

    .venv/bin/python bench/schemas.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from sidecar.sync.orders.woo_order import parse_order
from sidecar.sync.orders.woo_refund import parse_refund

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "woocommerce"


def bodies() -> Iterator[Any]:
    for path in sorted(FIXTURES.glob("*.body")):
        if not path.name.split("-")[1] == "ping":  # pings are form-encoded
            yield json.loads(path.read_bytes())
    for path in sorted((FIXTURES / "rest").glob("*.json")):
        body = json.loads(path.read_bytes())["response"]["body"]
        yield from body if isinstance(body, list) else [body]


def fixture_objects() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(orders, refunds), each distinct body once."""
    orders: dict[str, dict[str, Any]] = {}
    refunds: dict[str, dict[str, Any]] = {}
    for body in bodies():
        if not isinstance(body, dict) or "line_items" not in body:
            continue
        kind = orders if "order_key" in body else refunds
        kind.setdefault(json.dumps(body, sort_keys=True), body)
    return list(orders.values()), list(refunds.values())


def timings_us(objects: list[dict[str, Any]], load: Callable[[Any], Any],
               rounds: int) -> list[float]:
    for body in objects:  # warm up: imports, caches
        load(body)
    found = []
    for _ in range(rounds):
        for body in objects:
            started = time.perf_counter_ns()
            load(body)
            found.append((time.perf_counter_ns() - started) / 1000)
    return found


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args(argv)
    orders, refunds = fixture_objects()
    order_us = timings_us(orders, parse_order, args.rounds)
    refund_us = timings_us(refunds, lambda body: parse_refund(body, {}), args.rounds)
    lines = [len(order["line_items"]) for order in orders]
    print(f"{len(orders)} orders ({min(lines)}-{max(lines)} items), {len(refunds)} refunds, "
          f"{args.rounds} rounds", file=sys.stderr)
    print(json.dumps({
        "orders": len(orders),
        "refunds": len(refunds),
        "loads": len(order_us),
        "order_load_us_p50": round(statistics.median(order_us), 1),
        "order_load_us_p99": round(percentile(order_us, 0.99), 1),
        "refund_load_us_p50": round(statistics.median(refund_us), 1),
        "refund_load_us_p99": round(percentile(refund_us, 0.99), 1),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
