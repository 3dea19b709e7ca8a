"""What reading an order costs: every captured WooCommerce order loaded by its schema.

The orders are the real store's webhook deliveries and REST answers in
tests/fixtures/woocommerce/ (each order body found there, webhook and REST). Each is loaded
`--rounds` times, one timing per load; the figures are over all loads. A load is timed by the
CPU time of the thread that reads (what reading costs the export, whatever else the machine
runs), and by the wall clock (`*_wall_*`: on a shared machine its p99 is mostly the moments
another process had the core). Refunds are reported the same way. Prints one JSON object on
its last line.

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
               rounds: int) -> tuple[list[float], list[float]]:
    """(CPU, wall) microseconds of each load."""
    for body in objects:  # warm up: imports, caches
        load(body)
    cpu, wall = [], []
    for _ in range(rounds):
        for body in objects:
            started, started_cpu = time.perf_counter_ns(), time.thread_time_ns()
            load(body)
            cpu.append((time.thread_time_ns() - started_cpu) / 1000)
            wall.append((time.perf_counter_ns() - started) / 1000)
    return cpu, wall


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args(argv)
    orders, refunds = fixture_objects()
    order_us, order_wall = timings_us(orders, parse_order, args.rounds)
    refund_us, refund_wall = timings_us(refunds, lambda body: parse_refund(body, {}),
                                        args.rounds)
    lines = [len(order["line_items"]) for order in orders]
    print(f"{len(orders)} orders ({min(lines)}-{max(lines)} items), {len(refunds)} refunds, "
          f"{args.rounds} rounds", file=sys.stderr)
    print(json.dumps({
        "orders": len(orders),
        "refunds": len(refunds),
        "loads": len(order_us),
        "order_load_us_p50": round(statistics.median(order_us), 1),
        "order_load_us_p99": round(percentile(order_us, 0.99), 1),
        "order_load_wall_us_p50": round(statistics.median(order_wall), 1),
        "order_load_wall_us_p99": round(percentile(order_wall, 0.99), 1),
        "refund_load_us_p50": round(statistics.median(refund_us), 1),
        "refund_load_us_p99": round(percentile(refund_us, 0.99), 1),
        "refund_load_wall_us_p99": round(percentile(refund_wall, 0.99), 1),
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
