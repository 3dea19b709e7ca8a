"""The reconciliation sweep: what a missed or disabled webhook would have lost, found again.

WooCommerce retries nothing and disables a webhook after repeated failures (woocommerce.md
§1.5), so the sweep pages the shop's orders changed since its cursor and stores every one that
still needs work in the inbox, exactly as a delivery of that version would be stored (same
dedupe key, so a webhook that did arrive makes the sweep's copy a no-op). Paging is keyset-style:
each page is asked for afresh from the newest change seen, because an order edited during the
walk moves to the end of a page-numbered list and would shift another one past us. It also keeps
our webhooks active, and raises an alarm when it cannot.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

from sidecar import activity
from sidecar import checks
from sidecar.db import database
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import ActivityEntry
from sidecar.models import OrderLedger
from sidecar.models import OrderStep
from sidecar.models import Shop
from sidecar.models import SyncCursor
from sidecar.sync.orders import refund_ledger
from sidecar.sync.orders.export import export_eligibility
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import parse_order
from sidecar.webhooks import intake
from sidecar.woocommerce import WooClient
from sidecar.woocommerce.errors import WooError

CURSOR = "woo.orders.modified_after"
OVERLAP = timedelta(minutes=5)
FIRST_LOOK_BACK = timedelta(days=7)
FINISHED = ("exported", "cancelled", "credited")
OUR_NAME_PREFIX = "Fortnox sidecar:"
OUR_PATH = "/webhooks/woocommerce"
WEBHOOKS = msg("subject.webhooks")


def sweep_orders(shop: Shop, *, woo: WooClient, settings: ExportSettings, now: datetime,
                 renew: Callable[[], None] = lambda: None) -> dict[str, int]:
    cursor = SyncCursor.get_or_none((SyncCursor.shop == shop) & (SyncCursor.name == CURSOR))
    since = (utc(cursor.value) - OVERLAP) if cursor else now - FIRST_LOOK_BACK
    counts = {"seen": 0, "queued": 0}
    seen: set[tuple[int, str]] = set()
    while True:
        page = next(iter(woo.iter_order_pages(modified_after=since)), [])
        fresh = [o for o in page if (o["id"], o.get("date_modified_gmt")) not in seen]
        if not fresh:
            break
        newest = since
        with database.atomic():
            for order in fresh:
                seen.add((order["id"], order.get("date_modified_gmt")))
                counts["seen"] += 1
                counts["queued"] += _queue_if_needed(shop, order, settings)
                newest = max(newest, _modified(order))
            _advance(shop, cursor, newest, now)
        renew()
        cursor = SyncCursor.get((SyncCursor.shop == shop) & (SyncCursor.name == CURSOR))
        # The next page starts a second before the newest change seen (WooCommerce compares
        # whole seconds, exclusively); what we saw already is skipped by `seen`.
        since = newest - timedelta(seconds=1)
    return counts


def needs_work(shop: Shop, order: dict[str, Any], settings: ExportSettings) -> bool:
    row = OrderLedger.get_or_none((OrderLedger.shop == shop)
                                  & (OrderLedger.woo_order_id == order["id"]))
    exported = row is not None and bool(row.fortnox_order_number or row.fortnox_invoice_number)
    if exported:
        return bool(_follow_up_due(row, order)) or row.state not in FINISHED
    if row is not None and row.state == "failed":
        return False  # parked: the owner's retry, not the sweep, sends it again
    try:
        return export_eligibility(parse_order(order), settings).eligible
    except Exception:  # noqa: BLE001 - an unreadable order is reported when it is exported
        return True


def _follow_up_due(row: OrderLedger, order: dict[str, Any]) -> str:
    """What an exported order still needs in Fortnox ("refunds 130,131", "cancel"), or ""."""
    pending = sorted(int(r.get("id") or 0) for r in order.get("refunds") or []
                     if int(r.get("id") or 0) and not refund_ledger.settled(row, int(r["id"])))
    if pending:
        return "refunds " + ",".join(map(str, pending))
    cancelled = order.get("status") == "cancelled" and row.state not in (
        "cancelled", "credited") and not OrderStep.select().where(
        (OrderStep.ledger == row.id) & (OrderStep.step == "cancel")).exists()
    return "cancel" if cancelled else ""


def _queue_if_needed(shop: Shop, order: dict[str, Any], settings: ExportSettings) -> int:
    if not needs_work(shop, order, settings):
        return 0
    raw = json.dumps(order).encode("utf-8")
    delivery = intake.classify("order.updated", raw)
    if delivery.action != "store":
        return 0
    row = OrderLedger.get_or_none((OrderLedger.shop == shop)
                                  & (OrderLedger.woo_order_id == order["id"]))
    due = _follow_up_due(row, order) if row is not None else ""
    if due:
        # A refund or cancellation in the same second as our own write to the order has the
        # version the inbox already holds (its key is id + date_modified, whole seconds): the
        # follow-up gets a key of its own, once per thing due.
        suffix = due.replace(" ", "-")
        if len(delivery.dedupe_key) + len(suffix) >= 200:
            suffix = hashlib.sha256(suffix.encode()).hexdigest()[:16]
        delivery = intake.Delivery(delivery.action, delivery.topic, delivery.resource,
                                   delivery.resource_id, delivery.modified_gmt,
                                   f"{delivery.dedupe_key}:{suffix}")
    return int(intake.record(shop, delivery, raw, "sweep"))


def utc(text: str) -> datetime:
    """WooCommerce's *_gmt fields are UTC without an offset; our cursor carries one."""
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _modified(order: dict[str, Any]) -> datetime:
    text = str(order.get("date_modified_gmt") or "")
    return utc(text) if text else datetime.min.replace(tzinfo=UTC)


def _advance(shop: Shop, cursor: SyncCursor | None, newest: datetime, now: datetime) -> None:
    value = newest.isoformat()
    if cursor is None:
        SyncCursor.insert(shop=shop, name=CURSOR, value=value,
                          updated_at=now).on_conflict_ignore().execute()
    elif value > cursor.value:
        SyncCursor.update(value=value, updated_at=now).where(SyncCursor.id == cursor.id).execute()


def check_webhooks(shop: Shop, *, woo: WooClient, now: datetime) -> dict[str, int]:
    """Re-activate our webhooks that WooCommerce paused or disabled; alarm when we can't."""
    try:
        ours = [w for w in woo.list_webhooks() if w.delivery_url.rstrip("/").endswith(OUR_PATH)
                and w.name.startswith(OUR_NAME_PREFIX)]
    except WooError as exc:
        _alarm(shop, msg("webhooks.unlisted", error=str(exc)), now)
        return {"webhooks_unchecked": 1}
    if not ours:
        _alarm(shop, msg("webhooks.missing"), now)
        checks.answered(shop, checks.WEBHOOKS, value={"ours": 0}, now=now, next_at=None,
                        state=checks.PROBLEM)
        return {"webhooks_missing": 1}
    repaired = failed = 0
    for webhook in ours:
        if webhook.is_active:
            continue
        try:
            woo.update_webhook(webhook.id, status="active")
            repaired += 1
        except WooError as exc:
            failed += 1
            _alarm(shop, msg("webhooks.not_reactivated", name=repr(webhook.name),
                             status=webhook.status, error=str(exc)), now)
    if repaired:
        activity.record(shop, now=now, level="info", workflow="webhooks", subject=WEBHOOKS,
                        message=msg("webhooks.reactivated", count=repaired))
    if not failed:
        _all_clear(shop, now)
    checks.answered(shop, checks.WEBHOOKS, value={"ours": len(ours), "inactive": failed},
                    now=now, next_at=None, state=checks.PROBLEM if failed else checks.OK)
    return {"webhooks_reactivated": repaired}


def _all_clear(shop: Shop, now: datetime) -> None:
    """Our webhooks are there and active: earlier alarms about them no longer hold."""
    ActivityEntry.update(resolved_at=now).where(
        (ActivityEntry.shop == shop) & (ActivityEntry.workflow == "webhooks")
        & (ActivityEntry.subject == WEBHOOKS.english()) & (ActivityEntry.level == "error")
        & ActivityEntry.resolved_at.is_null()).execute()


def _alarm(shop: Shop, message: Message, now: datetime) -> None:
    """One entry per kind of trouble, updated while it lasts; `_all_clear` resolves it."""
    activity.problem(shop, about=activity.about_job("sweep_orders"), cause=message.code,
                     now=now, level="error", workflow="webhooks", subject=WEBHOOKS,
                     message=message, hint=msg("hint.webhooks_settings"))
