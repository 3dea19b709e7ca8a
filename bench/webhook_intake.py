"""Webhook intake throughput and latency: the sidecar under gunicorn, default config, loopback.

5,000 signed order deliveries from 32 concurrent senders (keep-alive connections, each sending
its next delivery when the last is answered; see `loadgen.py`), and the same load against a
no-op endpoint of the same server (the unsigned creation ping, answered without touching the
database) for comparison. Prints one JSON object on its last line.

    .venv/bin/python bench/webhook_intake.py [--deliveries N] [--senders N] [--workers N]
                                             [--threads N] [--close]

`--close` sends every request on its own connection with `Connection: close`, as WooCommerce
delivers webhooks (see the captured headers); by default each sender keeps its connection for
as long as the server does (gunicorn's sync workers, the default, close it after each answer).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from loadgen import blast
from loadgen import encode

from sidecar.config import Config
from sidecar.models import InboxEntry
from sidecar.sim.process import migrated_sidecar
from sidecar.sim.process import sidecar_database
from sidecar.sim.process import start_sidecar
from sidecar.webhooks.signature import sign

SECRET = "bench-webhook-secret-0123456789abcdef"
ROOT = Path(__file__).resolve().parents[1]
WEBHOOK_PATH = "/webhooks/woocommerce"
FIXTURE = ROOT / "tests" / "fixtures" / "woocommerce" / "017-order-created-24.body"


def order_bodies(count: int) -> list[bytes]:
    """Real-shaped order payloads (the captured order), each a distinct order."""
    order = json.loads(FIXTURE.read_bytes())
    bodies = []
    for n in range(count):
        order["id"] = 1000 + n
        order["date_modified_gmt"] = f"2026-11-23T10:{n // 60 % 60:02d}:{n % 60:02d}"
        bodies.append(json.dumps(order, separators=(",", ":")).replace("/", "\\/").encode())
    return bodies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=5000)
    parser.add_argument("--senders", type=int, default=32)
    parser.add_argument("--workers", type=int, help="SIDECAR_WORKERS (default: the sidecar's)")
    parser.add_argument("--threads", type=int, help="SIDECAR_THREADS (default: the sidecar's)")
    parser.add_argument("--close", action="store_true", help="a new connection per request")
    args = parser.parse_args(argv)
    extra_env = {name: str(value) for name, value in (("SIDECAR_WORKERS", args.workers),
                                                      ("SIDECAR_THREADS", args.threads)) if value}

    with tempfile.TemporaryDirectory(prefix="sidecar-bench-") as tmp:
        env = migrated_sidecar(Path(tmp), webhook_secret=SECRET, **extra_env)
        sidecar = start_sidecar(env, Path(tmp) / "sidecar.log")
        try:
            sidecar.wait_healthy()
            parts = urlsplit(sidecar.url)
            host, port, path = str(parts.hostname), int(parts.port or 80), WEBHOOK_PATH

            close = {"Connection": "close"} if args.close else {}

            def ping(n: int) -> bytes:
                return encode("POST", host, path, f"webhook_id={n}".encode(),
                              {"Content-Type": "application/x-www-form-urlencoded", **close})

            deliveries = [encode("POST", host, path, body, {
                "Content-Type": "application/json", "X-WC-Webhook-Topic": "order.created",
                "X-WC-Webhook-Signature": sign(body, SECRET), **close})
                for body in order_bodies(args.deliveries)]
            keep_alive = not args.close
            blast(host, port, [ping(n) for n in range(300)], args.senders,
                  keep_alive=keep_alive)  # warm-up
            noop_s, noop_lat, noop_status = blast(
                host, port, [ping(n) for n in range(args.deliveries)], args.senders,
                keep_alive=keep_alive)
            wall_s, latencies, statuses = blast(host, port, deliveries, args.senders,
                                                keep_alive=keep_alive)
        finally:
            sidecar.stop()
        with sidecar_database(env):
            stored = InboxEntry.select().where(InboxEntry.topic == "order.created").count()

    per_s = len(latencies) / wall_s
    noop_per_s = len(noop_lat) / noop_s
    result = {
        "sent": len(latencies),
        "acknowledged": sum(1 for s in statuses if s == 200),
        "stored": stored,
        "senders": args.senders,
        "workers": Config.from_env(env).workers,
        "threads": Config.from_env(env).threads,
        "connection_per_request": args.close,
        "wall_s": round(wall_s, 2),
        "per_s": round(per_s, 1),
        "noop_per_s": round(noop_per_s, 1),
        "ratio_to_noop": round(per_s / noop_per_s, 3),
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "noop_p50_ms": round(statistics.median(noop_lat), 1),
        "noop_p99_ms": round(percentile(noop_lat, 0.99), 1),
        "errors": sum(1 for s in statuses + noop_status if s != 200),
    }
    print(json.dumps(result))
    return 0 if stored == args.deliveries == result["acknowledged"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
