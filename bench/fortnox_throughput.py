"""Fortnox throughput under the shared rate limit: how close to 25 requests per 5 s do we get?

The Fortnox simulator runs with its real limit (25 per sliding 5 s per tenant). A shop is
connected with a service account on a temporary SQLite database; then 2 processes of 4 threads
each make 1,000 mixed calls (GETs of customers, articles and orders, some creates) through
`fortnox_client_for`, so every request passes the database-backed limiter. Prints one JSON
object on its last line: requests, wall_s, per_s, ratio_to_limit (per_s / 5), responses_429,
the rate after the opening burst of 25 (steady_ratio_to_limit) and the most requests the
simulator saw in any 5 s window.

    .venv/bin/python bench/fortnox_throughput.py [--calls N] [--processes N] [--threads N]
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sidecar import crypto  # noqa: E402
from sidecar.config import Config  # noqa: E402
from sidecar.db import bind_database  # noqa: E402
from sidecar.fortnox import FortnoxClient  # noqa: E402
from sidecar.fortnox_access import fortnox_client_for  # noqa: E402
from sidecar.fortnox_access.connect import configure_service_account  # noqa: E402
from sidecar.migrate import upgrade  # noqa: E402
from sidecar.models import Shop  # noqa: E402
from sidecar.sim.fortnox import FortnoxSimConfig  # noqa: E402
from sidecar.sim.fortnox import create_app  # noqa: E402
from sidecar.sim.server import serve_in_thread  # noqa: E402

SECRET_KEY = "bench-secret-key-pE5rK2wQ8zL1xC7vN4bM9tY3hU6jD0gS"
LIMIT, WINDOW = 25, 5.0  # Fortnox's, and the simulator's default


def config_for(data_dir: Path, sim_url: str) -> Config:
    sim = FortnoxSimConfig()
    return Config.for_tests(data_dir, fortnox_client_id=sim.client_id,
                            fortnox_client_secret=sim.client_secret, fortnox_api_url=sim_url,
                            fortnox_auth_url=sim_url + "/oauth-v1")


def one_call(client: FortnoxClient, n: int, tag: str, known: dict[str, list[str]]) -> None:
    """The mix: mostly reads, as a sync run does, and one create in ten."""
    kind = n % 10
    if kind in (0, 1):
        list(client.iter_customers())
    elif kind in (2, 3):
        client.get_article(known["articles"][n % len(known["articles"])])
    elif kind in (4, 5):
        list(client.iter_orders())
    elif kind in (6, 7):
        client.get_customer(known["customers"][n % len(known["customers"])])
    elif kind == 8:
        list(client.iter_articles())
    elif n % 20 == 9:
        client.create_customer({"Name": f"Bench kund {tag}-{n}", "City": "Uppsala"})
    else:
        client.create_article({"ArticleNumber": f"B{tag}X{n}", "Description": "Bench artikel"})


def worker(job: dict[str, Any]) -> dict[str, Any]:
    """One process: `threads` threads share `calls` calls."""
    crypto.configure(SECRET_KEY)
    database = bind_database(job["database_url"])
    config = config_for(Path(job["data_dir"]), job["sim_url"])
    numbers = iter(range(job["calls"]))
    lock = threading.Lock()
    errors: list[str] = []

    def run() -> None:
        with database.connection_context():
            client = fortnox_client_for(Shop.get_by_id(job["shop_id"]), config)
            time.sleep(max(0.0, job["start_at"] - time.time()))
            while True:
                with lock:
                    n = next(numbers, None)
                if n is None:
                    return
                try:
                    one_call(client, n, job["tag"], job["known"])
                except Exception as exc:  # noqa: BLE001 - counted and reported, not fatal
                    errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=run) for _ in range(job["threads"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"finished_at": time.time(), "errors": errors}


def busiest_window(times: list[float]) -> int:
    """The most requests in any WINDOW seconds (what Fortnox would count)."""
    times = sorted(times)
    most, first = 0, 0
    for last, stamp in enumerate(times):
        while stamp - times[first] >= WINDOW:
            first += 1
        most = max(most, last - first + 1)
    return most


def steady_rate(times: list[float]) -> float:
    times = sorted(times)
    if len(times) <= LIMIT:
        return 0.0
    return (len(times) - LIMIT) / (times[-1] - times[0])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    sim = serve_in_thread(create_app(FortnoxSimConfig(request_log_size=args.calls + 100)))
    with tempfile.TemporaryDirectory(prefix="fortnox-bench-") as tmp:
        data_dir = Path(tmp)
        config = config_for(data_dir, sim.url)
        crypto.configure(SECRET_KEY)
        database = bind_database(config.database_url)
        with database.connection_context():
            upgrade(database)
            shop = Shop.create(name="Bench", slug="bench")
            configure_service_account(shop, config, str(FortnoxSimConfig().tenant_id))
            client = fortnox_client_for(Shop.get_by_id(shop.id), config)
            known = {"customers": [c["CustomerNumber"] for c in client.iter_customers()],
                     "articles": [a["ArticleNumber"] for a in client.iter_articles()]}
        time.sleep(WINDOW)  # the set-up requests leave the window before the clock starts
        requests.delete(f"{sim.url}/_sim/requests", timeout=5)

        share = [args.calls // args.processes + (i < args.calls % args.processes)
                 for i in range(args.processes)]
        start_at = time.time() + 2.0  # every process imported and connected by then
        workers = [
            subprocess.Popen(
                [sys.executable, __file__, "--worker", json.dumps({
                    "database_url": config.database_url, "data_dir": tmp, "sim_url": sim.url,
                    "shop_id": shop.id, "known": known, "calls": calls, "tag": str(i),
                    "threads": args.threads, "start_at": start_at,
                })],
                stdout=subprocess.PIPE, text=True, cwd=ROOT)
            for i, calls in enumerate(share)
        ]
        reports = [json.loads(w.communicate()[0].strip().splitlines()[-1]) for w in workers]

    counters = requests.get(f"{sim.url}/_sim/counters", timeout=5).json()
    log = requests.get(f"{sim.url}/_sim/requests", params={"path": "/3/"}, timeout=5).json()
    sim.stop()
    made = sum(count for route, statuses in counters["requests"].items()
               if " /3/" in route or " /api/" in route for count in statuses.values())
    wall = max(r["finished_at"] for r in reports) - start_at
    errors = [e for r in reports for e in r["errors"]]
    accepted = [datetime.fromisoformat(e["time"]).timestamp() for e in log if e["status"] != 429]
    figures = {
        "calls": args.calls,
        "processes": args.processes,
        "threads_per_process": args.threads,
        "requests": made,
        "wall_s": round(wall, 2),
        "per_s": round(made / wall, 3),
        "ratio_to_limit": round(made / wall / (LIMIT / WINDOW), 3),
        "responses_429": counters["rate_limited"],
        # After the first full window: the rate the limiter sustains, without the opening burst.
        "steady_ratio_to_limit": round(steady_rate(accepted) / (LIMIT / WINDOW), 3),
        "max_in_any_5s_window": busiest_window(accepted),
        "errors": len(errors),
    }
    for error in errors[:5]:
        print(f"error: {error}", file=sys.stderr)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
