"""Soak: hours of a shop's life compressed, with faults and crashes, then a check of the books.

The real sidecar (gunicorn) runs beside both simulators, with Fortnox's change feed on (the
simulated Topics API drops its connection every 25 s and repeats some events). Customers order
and get refunds (part of a line, back in stock or not, with the shipping or without; an amount;
the rest); someone in Fortnox invoices and cancels orders and changes prices and stock. Both
simulators fail a share of their requests (Fortnox: 429, 500, 503 and creates that time out
after they succeeded), and the sidecar is killed with SIGKILL and restarted every
`--kill-every` seconds. Then the faults stop, the sidecar is given time to catch up, and an
invariant checker compares both simulators (see `soak_invariants.py`). The last line is one
JSON verdict with `ok`.

    .venv/bin/python bench/soak.py [--minutes 2] [--kill-every 50] [--order-every 0.7]
                                   [--document-mode order|invoice|order_then_invoice]
                                   [--keep DIR]  (keeps the sidecar's logs and database there)
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from soak_invariants import check_books
from soak_invariants import wait_until_settled

from sidecar.demo import start_demo
from sidecar.sim.process import free_port
from sidecar.sim.process import start_sidecar

FORTNOX_FAULTS = {"error_rates": {"429": 0.03, "500": 0.03, "503": 0.03},
                  "create_timeout_probability": 0.03, "create_timeout_mode": "drop",
                  # The change feed: connections dropped now and then, events repeated.
                  "topics_drop_every_seconds": 25, "topics_repeat_probability": 0.05}
WOO_FAULTS = {"error_rates": {"500": 0.03, "503": 0.02}}
NO_FORTNOX_FAULTS = {"error_rates": {}, "create_timeout_probability": 0.0,
                     "topics_drop_every_seconds": 0, "topics_repeat_probability": 0.0}
NO_WOO_FAULTS = {"error_rates": {}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=2.0)
    parser.add_argument("--kill-every", type=float, default=50.0, help="seconds between kills")
    parser.add_argument("--order-every", type=float, default=0.7, help="seconds between orders")
    parser.add_argument("--settle-timeout", type=float, default=150.0)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--document-mode", default="order",
                        choices=("order", "invoice", "order_then_invoice"))
    parser.add_argument("--keep", type=Path, help="run in this directory and keep it")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    started = time.monotonic()
    kills = 0

    with tempfile.TemporaryDirectory(prefix="sidecar-soak-") as tmp:
        data_dir = (args.keep or Path(tmp)) / "data"
        demo = start_demo(data_dir, port=free_port(), seed=args.seed,
                          order_every=args.order_every, document_mode=args.document_mode,
                          refund_share=0.25)
        try:
            requests.post(f"{demo.fortnox.url}/_sim/knobs", json=FORTNOX_FAULTS, timeout=5)
            requests.post(f"{demo.woocommerce.url}/_sim/config", json=WOO_FAULTS, timeout=5)
            deadline = started + args.minutes * 60
            next_kill = time.monotonic() + args.kill_every * rng.uniform(0.7, 1.0)
            while time.monotonic() < deadline:
                time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))
                if time.monotonic() >= next_kill and deadline - time.monotonic() > 10:
                    demo.sidecar.stop(signal.SIGKILL)
                    kills += 1
                    time.sleep(rng.uniform(0.5, 2.0))
                    port = int(demo.sidecar.url.rsplit(":", 1)[1])
                    log_path = data_dir / f"sidecar-{kills}.log"
                    demo.sidecar = start_sidecar(demo.sidecar_env, log_path, port=port)
                    demo.sidecar.wait_healthy(timeout=60)
                    next_kill = time.monotonic() + args.kill_every * rng.uniform(0.7, 1.3)
            demo.traffic.stop()
            requests.post(f"{demo.fortnox.url}/_sim/knobs", json=NO_FORTNOX_FAULTS, timeout=5)
            requests.post(f"{demo.woocommerce.url}/_sim/config", json=NO_WOO_FAULTS, timeout=5)
            settle_s = wait_until_settled(demo, timeout=args.settle_timeout)
            verdict = check_books(demo)
        finally:
            demo.stop()
    verdict.update({"minutes": args.minutes, "kills": kills, "settle_s": round(settle_s, 1),
                    "wall_s": round(time.monotonic() - started, 1),
                    "feed_connections": demo.topics.connections,
                    "feed_events_delivered": len(demo.topics.delivered)})
    print(json.dumps(verdict, sort_keys=True))
    return 0 if verdict["ok"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
