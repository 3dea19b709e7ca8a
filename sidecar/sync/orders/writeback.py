"""The Fortnox numbers written back to the WooCommerce order (meta the WordPress plugin shows,
and a private order note), each write remembered so its `order.updated` echo is no work.

`fortnox_documents` is every document the order has in Fortnox as a JSON list (see
fortnox_documents.py): the plugin shows credit invoices, corrections and what was cancelled
in Fortnox from it; the three older keys stay for what reads them."""

from __future__ import annotations

import json
from datetime import datetime

from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sync.orders import ledger as steps
from sidecar.sync.orders.fortnox_documents import CREDIT_INVOICE
from sidecar.sync.orders.fortnox_documents import ORDER_CORRECTION
from sidecar.sync.orders.fortnox_documents import documents_of
from sidecar.sync.orders.woo_order import WooOrder
from sidecar.woo_access import remember_order_write
from sidecar.woocommerce import WooClient
from sidecar.woocommerce.errors import WooError


def wanted_meta(row: OrderLedger) -> dict[str, str]:
    documents = [d.as_json() for d in documents_of(row)]
    return {"fortnox_order_number": row.fortnox_order_number or "",
            "fortnox_invoice_number": row.fortnox_invoice_number or "",
            "fortnox_status": row.state,
            "fortnox_documents": json.dumps(documents, sort_keys=True, separators=(",", ":"),
                                            ensure_ascii=False)}


def write_back(shop: Shop, row: OrderLedger, order: WooOrder, *, woo: WooClient,
               now: datetime) -> bool:
    """Write the meta when it differs from what the order carries; True when written."""
    if not (row.fortnox_order_number or row.fortnox_invoice_number):
        return False
    meta = wanted_meta(row)
    if all(str(order.meta.get(key) or "") == value for key, value in meta.items()):
        return False
    last = steps.latest_step(row, steps.WRITEBACK)
    if last is not None and last.state == "done" and last.request == meta:
        return False  # written already; this payload predates our write
    step = steps.begin(row, steps.WRITEBACK, now, meta)
    try:
        updated = woo.update_order_meta(order.id, meta)
        remember_order_write(shop, updated)
        woo.add_order_note(order.id, note_text(row))
    except WooError as exc:
        steps.finish(step, "failed", now, error=str(exc))
        raise
    steps.finish(step, "done", now)
    return True


def note_text(row: OrderLedger) -> str:
    parts = [f"{name} {number}" for name, number in (
        ("order", row.fortnox_order_number), ("invoice", row.fortnox_invoice_number)) if number]
    verb = {"exported": "Exported to Fortnox", "cancelled": "Cancelled in Fortnox",
            "credited": "Credited in Fortnox"}.get(row.state, f"Fortnox: {row.state}")
    more = []
    for document in documents_of(row):
        if document.type == CREDIT_INVOICE and document.refund:
            more.append(f"Credit invoice {document.number} for invoice {document.invoice} "
                        f"(refund {document.refund}).")
        elif document.type == ORDER_CORRECTION:
            more.append(f"Order {document.number} corrected before invoicing (refund "
                        f"{document.refund}).")
    return " ".join([f"{verb}: " + ", ".join(parts) + ".", *more])
