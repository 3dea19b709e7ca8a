"""Owner pages benchmark: the order list over 1,000 orders, loaded as a browser would.

The real sidecar under gunicorn (default config) on an SQLite database in a temporary
directory, 1,000 orders in its ledger as the export leaves them, an owner signed in over HTTP
on loopback. Each page is loaded `--loads` times in a row (after one unmeasured load); the
figure is the 95th percentile of the wall time of a whole answer. Prints one JSON object on
its last line:

    .venv/bin/python bench/pages.py [--orders 1000] [--loads 50]

Keys: `orders_page_ms` (the list's first page, target ≤ 300), `orders_search_ms` (a search
by part of a customer's name), `orders_filter_ms` (orders with a problem, page 2), each the
p95 in milliseconds, and `orders`, `loads`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sidecar.models import Shop
from sidecar.sim.process import migrated_sidecar
from sidecar.sim.process import sidecar_database
from sidecar.sim.process import start_sidecar
from sidecar.web.accounts import create_owner
from tests.web.orders_seed import seed_orders

EMAIL = "agare@example.se"
PASSWORD = "ett långt lösenord för mätningen"
PAGES = {
    "orders_page_ms": "/orders",
    "orders_search_ms": "/orders?q=Kund+04",
    "orders_filter_ms": "/orders?state=problem&page=2",
}


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def signed_in(url: str) -> requests.Session:
    http = requests.Session()
    page = http.get(f"{url}/auth/sign-in", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token, page[:300]
    answer = http.post(f"{url}/auth/sign-in", allow_redirects=False, timeout=10,
                       data={"email": EMAIL, "password": PASSWORD, "csrf_token": token[1]})
    assert answer.status_code == 302, answer.text[:300]
    return http


def measure(http: requests.Session, url: str, loads: int) -> float:
    assert http.get(url, timeout=30).status_code == 200  # warm: templates compiled
    times = []
    for _ in range(loads):
        started = time.perf_counter()
        answer = http.get(url, timeout=30)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200 and 'id="order-list"' in answer.text, answer.status_code
    return round(p95(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--loads", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as scratch:
        data_dir = Path(scratch)
        env = migrated_sidecar(data_dir, SIDECAR_LOG_LEVEL="WARNING")
        with sidecar_database(env):
            shop = Shop.get()
            Shop.update(woo_url="https://butik.example.se").execute()
            create_owner(shop, EMAIL, PASSWORD)
            seed_orders(shop, args.orders)
        sidecar = start_sidecar(env, data_dir / "sidecar.log")
        try:
            sidecar.wait_healthy(timeout=60)
            http = signed_in(sidecar.url)
            figures = {key: measure(http, sidecar.url + path, args.loads)
                       for key, path in PAGES.items()}
        finally:
            sidecar.stop()
    print(json.dumps({**figures, "orders": args.orders, "loads": args.loads}))


if __name__ == "__main__":
    main()
