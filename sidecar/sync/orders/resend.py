"""The WordPress plugin's "Send to Fortnox again": queue an order for the export once more.

The order is fetched from WooCommerce as it is now and stored in the inbox like a delivery, so
the one worker handles it. The export's ledger decides what that means: an order already in
Fortnox is not booked again; a failed one is tried again.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime

from sidecar.models import InboxEntry
from sidecar.models import Shop
from sidecar.webhooks import inbox
from sidecar.webhooks import intake
from sidecar.woocommerce import WooClient


def resend_order(shop: Shop, order_id: int, *, woo: WooClient, now: datetime) -> str:
    """Returns what happened, in words for the order note."""
    parked = (InboxEntry.select(InboxEntry.id)
              .where(InboxEntry.shop == shop, InboxEntry.resource_id == order_id,
                     InboxEntry.topic.startswith("order."), InboxEntry.status == "parked")
              .order_by(InboxEntry.id.desc()).first())
    if parked is not None and inbox.retry_parked(shop, parked.id, now=now):
        return "The failed export is being tried again."
    order = woo.get_order(order_id)
    raw = json.dumps(order, separators=(",", ":")).encode("utf-8")
    delivery = intake.classify("order.updated", raw)
    if delivery.action != "store":
        return f"Not sent: {delivery.reason or 'WooCommerce did not return the order'}."
    # Its own key: the same version may already be in the inbox, finished.
    again = intake.Delivery(delivery.action, delivery.topic, delivery.resource, order_id,
                            delivery.modified_gmt,
                            f"{delivery.dedupe_key}:resend:{secrets.token_hex(6)}")
    intake.record(shop, again, raw, "resend")
    return "Queued for Fortnox."
