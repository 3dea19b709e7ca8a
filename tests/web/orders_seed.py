"""Orders as the export leaves them in the ledger, many at once: for the order list's tests
and its benchmark (bench/pages.py)."""

from __future__ import annotations

from decimal import Decimal

from sidecar.models import OrderLedger
from sidecar.models import Shop

ORDERS = 1000


def seed_orders(shop: Shop, count: int = ORDERS) -> None:
    """`count` orders, ids 1001…: every 10th failed, every 7th not sent, the rest exported."""
    rows = []
    for n in range(count):
        order_id = 1001 + n
        state = "failed" if n % 10 == 0 else "skipped" if n % 7 == 0 else "exported"
        rows.append({
            "shop": shop, "woo_order_id": order_id, "external_key": f"wc-x-{order_id}",
            "state": state, "order_number": str(order_id),
            "customer_name": f"Kund {n:04d} Testsson", "customer_email": f"kund{n:04d}@example.se",
            "placed_on": f"2026-11-{1 + n % 28:02d}T12:{n % 60:02d}:00",
            "woo_total": Decimal("1044.75") + n, "currency": "SEK",
            "fortnox_invoice_number": str(5000 + n) if state == "exported" else None,
            "last_error": "SKU X is not an article in Fortnox" if state == "failed" else None,
        })
    with OrderLedger._meta.database.atomic():
        for start in range(0, len(rows), 200):
            OrderLedger.insert_many(rows[start:start + 200]).execute()
