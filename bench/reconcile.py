"""Reconciliation benchmark: 10,000 orders over 30 days, reconciled by `sidecar reconcile`.

The orders are seeded straight into the simulators' state and the sidecar's ledger (as the export
would leave them: each order placed by the WooCommerce simulator's checkout, mapped by the real
mapping, its invoice created in the Fortnox simulator, the ledger row and step written), so the
bench runs in a minute or two instead of 10,000 exports. A few problems are planted (amounts
changed in Fortnox, orders never sent) so single documents are read too. Then the real command
runs as its own process against the simulators over loopback, Fortnox's real rate limit on.
Prints one JSON object on its last line:

    .venv/bin/python bench/reconcile.py [--orders 10000] [--days 30]

Figures: orders in the report, Fortnox and WooCommerce HTTP requests (every attempt the
clients logged), wall time of the command, and its peak memory (RSS of the child process).
Targets: ≤ 60 Fortnox calls, ≤ 110 WooCommerce calls, ≤ 250 MB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sidecar import settings as shop_settings
from sidecar.db import database
from sidecar.models import OrderLedger
from sidecar.models import OrderStep
from sidecar.models import Shop
from sidecar.sim.fortnox import Knobs
from sidecar.sim.process import ROOT
from sidecar.sim.process import sidecar_database
from sidecar.sim.woocommerce.orders_json import order_json
from sidecar.sync.orders.mapping import ExportContext
from sidecar.sync.orders.mapping import map_order
from sidecar.sync.orders.mapping import order_reference
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import parse_order
from tests.e2e.order_export_setup import Rig
from tests.e2e.order_export_setup import order_export_rig

SETTINGS = {"export.document_mode": "invoice", "export.bookkeep_invoice": False}
CHANGED_IN_FORTNOX = 3
NEVER_SENT = 2
CHUNK = 200
# Linux carries a process's peak RSS across fork and exec, so a child forked from this (large)
# bench process would report the bench's size. A small go-between starts the command instead;
# the command's own peak is the go-between's RUSAGE_CHILDREN.
MEASURED = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:]); "
            "print('peak_rss_kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
            "file=sys.stderr); sys.exit(done.returncode)")


def seed(rig: Rig, orders: int, first: date, days: int) -> dict[str, int]:
    """Orders in WooCommerce, their invoices in Fortnox and their ledger rows."""
    store, state = rig.store, rig.fortnox_state
    products = [store.create_product({"name": name, "sku": sku, "regular_price": price,
                                      "tax_class": tax})
                for name, sku, price, tax in (("Kaffekopp", "MUG", "149.00", ""),
                                              ("Kaffebönor", "BEANS", "79.50", "reduced-rate"),
                                              ("Kokbok", "BOOK", "299.00", ""))]
    with state.lock:
        customers = [state.create_customer({"Name": f"Kund {n}"})["CustomerNumber"]
                     for n in range(50)]
    with sidecar_database(rig.env):
        shop = Shop.select().order_by(Shop.id).first()
        settings = ExportSettings.from_values(shop.slug, shop_settings.load(shop))
        ledgers: list[dict[str, Any]] = []
        steps: list[dict[str, Any]] = []
        for n in range(orders):
            day = first + timedelta(days=n * days // orders)
            moment = datetime(day.year, day.month, day.day, 8, 0, tzinfo=UTC) + timedelta(
                seconds=n % 36_000)
            with store.lock:
                store.clock_offset = moment - datetime.now(UTC)
                placed = store.place_order({
                    "line_items": [{"product_id": p["id"], "quantity": 1 + (n + i) % 2}
                                   for i, p in enumerate(products[: 1 + n % 3])],
                    "status": "processing", "payment_method": "bacs",
                    "billing": {"first_name": "Kund", "last_name": str(n % 50), "country": "SE",
                                "email": f"kund{n % 50}@example.test"},
                    "shipping_lines": [{"method_id": "flat_rate", "method_title": "Frakt",
                                        "total": "49.00"}]}, created_via="checkout")
                body = json.loads(json.dumps(order_json(placed, store, store.site), default=str))
            if n < NEVER_SENT:
                continue
            customer = customers[n % 50]
            invoice = map_order(parse_order(body), settings, ExportContext(customer)).invoice
            with state.lock:
                made = state.documents.create_invoice(invoice)
            ledgers.append({"shop": shop.id, "woo_order_id": placed["id"],
                            "external_key": order_reference(shop.slug, placed["id"]),
                            "state": "exported", "document_mode": "invoice",
                            "customer_number": customer,
                            "fortnox_invoice_number": made["DocumentNumber"],
                            "woo_total": Decimal(body["total"]), "currency": "SEK"})
            steps.append({"number": made["DocumentNumber"], "request": invoice})
        with database.atomic():
            for start in range(0, len(ledgers), CHUNK):
                OrderLedger.insert_many(ledgers[start:start + CHUNK]).execute()
            ids = {row.fortnox_invoice_number: row.id for row in OrderLedger.select(
                OrderLedger.id, OrderLedger.fortnox_invoice_number)}
            rows = [{"ledger": ids[s["number"]], "step": "invoice", "state": "done",
                     "fortnox_number": s["number"], "request": s["request"]} for s in steps]
            for start in range(0, len(rows), CHUNK):
                OrderStep.insert_many(rows[start:start + CHUNK]).execute()
    with state.lock:
        for number in list(state.documents.invoices)[:CHANGED_IN_FORTNOX]:
            invoice = state.documents.invoices[number]
            rows = [{"ArticleNumber": r["ArticleNumber"], "Description": r["Description"],
                     "DeliveredQuantity": str(r["DeliveredQuantity"]),
                     "Price": str(r["Price"] + 1), "VAT": str(r["VAT"])}
                    for r in invoice["InvoiceRows"]]
            state.documents.update_invoice(number, {"InvoiceRows": rows})
        state.counters.clear()
    with store.lock:
        store.clock_offset = timedelta(0)
    return {"planted": CHANGED_IN_FORTNOX + NEVER_SENT}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    today = datetime.now(UTC).date()
    first = today - timedelta(days=args.days + 1)
    last = first + timedelta(days=args.days - 1)
    with tempfile.TemporaryDirectory() as tmp, order_export_rig(
            Path(tmp), knobs=Knobs(), settings=SETTINGS) as rig:
        seeded_at = time.monotonic()
        planted = seed(rig, args.orders, first, args.days)
        seeding = time.monotonic() - seeded_at
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-c", MEASURED, sys.executable, "-m", "sidecar.cli", "reconcile",
             "--from", first.isoformat(),
             "--to", last.isoformat(), "--csv", str(Path(tmp) / "r.csv"),
             "--pdf", str(Path(tmp) / "r.pdf")],
            env={**rig.env, "SIDECAR_LOG_LEVEL": "INFO"}, cwd=ROOT, capture_output=True,
            text=True, timeout=900, check=False)
        wall = time.monotonic() - started
        peak_kb = int(next(line.split()[1] for line in result.stderr.splitlines()
                           if line.startswith("peak_rss_kb ")))
        with rig.fortnox_state.lock:
            served = sum(v for (path, _), v in rig.fortnox_state.counters.items()
                         if path.split(" ", 1)[1].startswith(("/3/", "/api/")))
    log = result.stdout.splitlines()
    summary = next((line for line in log if " orders, " in line and "problems" in line), "")
    if result.returncode not in (0, 1) or not summary:
        print(result.stdout[-3000:], result.stderr[-3000:], file=sys.stderr)
        return 1
    print(summary)
    print(f"seeded in {seeding:.0f} s; Fortnox answered {served} API requests")
    figures = {
        "orders": int(summary.split(": ", 1)[1].split(" ")[0]),
        "problems": int(summary.rsplit(", ", 1)[1].split(" ")[0]),
        "planted": planted["planted"],
        "fortnox_calls": sum(1 for line in log if "fortnox.request " in line),
        "woo_calls": sum(1 for line in log if "woo.request " in line),
        "wall_s": round(wall, 1),
        "peak_rss_mb": round(peak_kb / 1024, 1),
    }
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
