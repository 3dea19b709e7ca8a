"""What must hold after the soak, checked by comparing both simulators and the sidecar's inbox.

- Every order the shop took is in Fortnox exactly once (one order, at most one invoice; in
  invoice mode one invoice), with the shop's total to the öre.
- Every order marked done or cancelled in Fortnox is Completed or Cancelled in WooCommerce;
  no other order is Completed (invoicing alone, which the sidecar may do itself, is not done).
- Stock levels in WooCommerce equal Fortnox's for every SKU both have, as the owner's stock
  settings count them.
- Nothing is stuck in the inbox: no row pending, in progress or parked.
- Every refund is booked once, exactly and linked (soak_refunds.py); a Fortnox order's total is
  the shop's less the refunds taken off it before invoicing.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from decimal import ROUND_FLOOR
from decimal import Decimal
from typing import Any

from soak_refunds import check_refunds
from soak_refunds import refund_outcomes

from sidecar import settings
from sidecar.config import Config
from sidecar.fields import utcnow
from sidecar.jobs.registry import JOBS
from sidecar.jobs.runner import JobLocked
from sidecar.jobs.runner import run_job
from sidecar.models import InboxEntry
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sim.process import sidecar_database
from sidecar.sync.catalog.settings import StockSettings
from sidecar.sync.orders.mapping import order_reference

CATCH_UP_JOBS = ("sweep_orders", "process_inbox")


def _states(demo: Any) -> tuple[Any, Any]:
    store = demo.woocommerce.server.app.extensions["woocommerce_sim"].store
    fortnox = demo.fortnox.server.app.extensions["fortnox_sim"]
    return store, fortnox


def run_jobs(demo: Any, names: list[str], *, wait: float = 60.0) -> None:
    """Run jobs now, in this process, as `sidecar jobs run` would (without a process start
    per job). A job the sidecar is running at the moment is waited for, then run: a run that
    began before the last change may not have seen it."""
    config = Config.from_env(demo.sidecar_env)
    with sidecar_database(demo.sidecar_env):
        for name in names:
            for shop in Shop.select():
                deadline = time.monotonic() + wait
                while True:
                    try:
                        run_job(JOBS[name], shop, trigger="manual", config=config)
                        break
                    except JobLocked:
                        if time.monotonic() > deadline:
                            print(f"settling: {name} stayed busy in the sidecar",
                                  file=sys.stderr, flush=True)
                            break
                        time.sleep(0.5)


def inbox_open(demo: Any) -> int:
    with sidecar_database(demo.sidecar_env):
        return InboxEntry.select().where(InboxEntry.status.in_(("pending", "processing"))).count()


def unexported(demo: Any) -> list[str]:
    """Orders the ledger has no Fortnox number for, each with its state and last error."""
    store, _ = _states(demo)
    with sidecar_database(demo.sidecar_env):
        rows = {row.woo_order_id: row for row in OrderLedger.select()}
        missing = []
        for order_id, order in store.orders.items():
            row = rows.get(order_id)
            if row is None or not (row.fortnox_order_number or row.fortnox_invoice_number):
                state = f"{row.state}: {(row.last_error or '')[:80]}" if row else "no ledger row"
                inbox = [f"{e.topic}/{e.status}/{(e.last_error or '')[:60]}" for e in
                         InboxEntry.select().where(InboxEntry.resource_id == order_id)]
                missing.append(f"{order_id} ({order['status']}; {state}; inbox {inbox})")
    return missing


def fast_forward_retries(demo: Any) -> None:
    """Rows waiting out their retry backoff (up to hours) are made due now: the soak has no
    hours to wait, and a row that would only succeed later is still checked."""
    with sidecar_database(demo.sidecar_env):
        InboxEntry.update(next_attempt_at=utcnow()).where(
            InboxEntry.status == "pending").execute()
        # Claims of a SIGKILLed worker would lapse after 5 minutes; the soak can't wait that
        # long. Releasing a live claim too is safe: the ledger keeps a re-run from booking twice.
        InboxEntry.update(claimed_until=utcnow()).where(
            InboxEntry.status == "processing").execute()


def wait_until_settled(demo: Any, *, timeout: float) -> float:
    """Let the sidecar catch up with faults off: the sweep, the worker, then the Fortnox → Woo
    jobs, until every order is exported and the inbox is empty (or the timeout)."""
    started = time.monotonic()
    sync_jobs = [name for name in JOBS if name not in ("prune", *CATCH_UP_JOBS)]
    while time.monotonic() - started < timeout:
        fast_forward_retries(demo)
        run_jobs(demo, list(CATCH_UP_JOBS))
        open_rows, missing = inbox_open(demo), unexported(demo)
        print(f"settling: {time.monotonic() - started:.0f} s, inbox open {open_rows}, "
              f"orders not in Fortnox {len(missing)}: {', '.join(missing[:5])}",
              file=sys.stderr, flush=True)
        if open_rows == 0 and not missing:
            break
        time.sleep(2)
    for _ in range(2):  # status, products, stock: a second pass sees the first pass's writes
        run_jobs(demo, sync_jobs)
        print(f"settling: {time.monotonic() - started:.0f} s, Fortnox → Woo jobs run",
              file=sys.stderr, flush=True)
        fast_forward_retries(demo)
        run_jobs(demo, list(CATCH_UP_JOBS))  # what the status sync wrote comes back as work
    return time.monotonic() - started


def check_books(demo: Any) -> dict[str, Any]:
    store, fortnox = _states(demo)
    with sidecar_database(demo.sidecar_env):
        shop = Shop.get()
        slug = shop.slug
        stock_settings = StockSettings.from_values(settings.load(shop))
        inbox = Counter(row.status for row in InboxEntry.select(InboxEntry.status))
        outcomes = refund_outcomes(shop)
    documents = fortnox.documents
    orders_by_key: dict[str, list[dict[str, Any]]] = {}
    for order in documents.orders.values():
        orders_by_key.setdefault(order["ExternalInvoiceReference1"], []).append(order)
    invoices_by_key: Counter[str] = Counter(
        invoice["ExternalInvoiceReference1"] for invoice in documents.invoices.values()
        if str(invoice.get("Credit")).lower() != "true" and not invoice["Cancelled"])

    counts = Counter()
    status_mismatches = []
    for order_id, order in store.orders.items():
        counts["orders"] += 1
        key = order_reference(slug, order_id)
        # The Fortnox order, or in invoice mode the invoice (never one of its credits).
        in_fortnox = orders_by_key.get(key) or sorted(
            (i for i in documents.invoices.values()
             if i["ExternalInvoiceReference1"] == key and str(i.get("Credit")) != "true"
             and not i["Cancelled"]), key=lambda i: int(i["DocumentNumber"]))
        if not in_fortnox:
            counts["missing"] += 1
            continue
        if len(in_fortnox) > 1 or invoices_by_key[key] > 1:
            counts["duplicates"] += 1
        document = in_fortnox[0]
        fortnox_total = Decimal(document["Total"]) - Decimal(document.get("RoundOff") or 0)
        taken_off = sum((store.refunds[rid]["amount"] for rid, (state, kind, _) in
                         outcomes.get(order_id, {}).items()
                         if state == "done" and kind == "order"), Decimal(0))
        if fortnox_total != Decimal(order["totals"]["total"]) - taken_off:
            counts["wrong_totals"] += 1
        if _status_mismatch(document, order["status"]):
            status_mismatches.append({"order": order_id, "woo": order["status"],
                                      "fortnox_cancelled": document.get("Cancelled"),
                                      "fortnox_invoice": document.get("InvoiceReference")})
    counts["status_mismatch"] = len(status_mismatches)
    stock_mismatches = _stock_mismatches(store, fortnox, stock_settings)
    counts["stock_mismatch"] = len(stock_mismatches)
    counts["credit_invoices"] = sum(1 for invoice in documents.invoices.values()
                                    if str(invoice.get("Credit")).lower() == "true")
    refunds = check_refunds(store, documents, lambda order_id: order_reference(slug, order_id),
                            outcomes)
    stuck = inbox["pending"] + inbox["processing"] + inbox["parked"]
    failures = (counts["missing"] + counts["duplicates"] + counts["wrong_totals"]
                + counts["status_mismatch"] + counts["stock_mismatch"] + stuck
                + refunds["refunds_missing"] + refunds["refund_duplicates"]
                + refunds["refund_mismatch"] + refunds["restock_mismatch"])
    return {
        "ok": failures == 0 and counts["orders"] > 0,
        "orders": counts["orders"], "exported": counts["orders"] - counts["missing"],
        "missing": counts["missing"], "duplicates": counts["duplicates"],
        "wrong_totals": counts["wrong_totals"], "status_mismatch": counts["status_mismatch"],
        "stock_mismatch": counts["stock_mismatch"], "credit_invoices": counts["credit_invoices"],
        "inbox_pending": inbox["pending"], "inbox_processing": inbox["processing"],
        "inbox_parked": inbox["parked"], "inbox_done": inbox["done"],
        "stock_mismatches": stock_mismatches[:10], "status_mismatches": status_mismatches[:10],
        **refunds,
    }


def _status_mismatch(fortnox_order: dict[str, Any], woo_status: str) -> int:
    if fortnox_order.get("Cancelled") in (True, "true"):
        # A refunded order stays refunded: the money went back, which cancelling only says.
        return int(woo_status not in ("cancelled", "refunded"))
    if fortnox_order.get("WarehouseReady") in (True, "true"):
        # Marked done: the default rule completes it. Refunded orders stay refunded: a refund
        # outranks completion.
        return int(woo_status not in ("completed", "refunded"))
    # Not done in Fortnox (whether invoiced or not): nothing the sidecar did completes it.
    return int(woo_status == "completed")


def _stock_mismatches(store: Any, fortnox: Any, wanted: StockSettings) -> list[dict[str, Any]]:
    """Woo's stock_quantity against Fortnox's, as the owner's stock settings define it: the
    article's own quantity or the chosen stock points', available or in stock, in whole
    items and never below zero."""
    warehouse = fortnox.warehouse
    points = wanted.stock_points if wanted.source == "warehouse" and wanted.stock_points else (
        None,)
    mismatches = []
    for product in store.products.values():
        sku = product.get("sku")
        article = fortnox.articles.get(sku) if sku else None
        if not product.get("manage_stock") or article is None or not article.get("StockGoods"):
            continue
        quantity = sum((warehouse.in_stock(sku, point) - (
            warehouse.reserved_quantity(sku, point) if wanted.quantity == "available" else 0)
            for point in points), Decimal(0))
        expected = max(0, int(quantity.to_integral_value(rounding=ROUND_FLOOR)))
        if int(product.get("stock_quantity") or 0) != expected:
            mismatches.append({"sku": sku, "woo": product.get("stock_quantity"),
                               "expected": expected, "fortnox_in_stock": str(
                                   warehouse.in_stock(sku)),
                               "woo_modified": str(product.get("date_modified")),
                               "fortnox_modified": str(article.get("_modified", ""))})
    return mismatches
