"""Jobs glue for the order export: build the dependencies, call the use cases.

Inbox handlers (`order.created`, `order.updated`, `order.restored`, `order.deleted`) and the
reconciliation sweep. They get the deploy-time config from the job that runs them, read the
shop's settings per call, and always export the order as WooCommerce has it *now* (fetched by
id), so deliveries handled out of order can never export a stale version.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from sidecar import settings as shop_settings
from sidecar.config import Config
from sidecar.fields import utcnow
from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxError
from sidecar.fortnox_access import fortnox_client_for
from sidecar.fortnox_access.rate_limit import RateLimit
from sidecar.jobs.runner import process_holder
from sidecar.jobs.spec import JobContext
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import InboxEntry
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sync.orders import ExportFailed
from sidecar.sync.orders import ExportSettings
from sidecar.sync.orders import FortnoxFactsCache
from sidecar.sync.orders import export_order
from sidecar.sync.orders import record_activity
from sidecar.sync.orders.export_errors import SideCallFailed
from sidecar.sync.reconcile import check_webhooks
from sidecar.sync.reconcile import sweep_orders
from sidecar.woo_access import WooNotConfigured
from sidecar.woo_access import woo_client_for
from sidecar.woocommerce import WooClient
from sidecar.woocommerce.errors import WooNotFound

FACTS = FortnoxFactsCache()


def fortnox_for(shop: Shop, config: Config) -> FortnoxClient:
    requests_per_window, window = config.fortnox_rate_limit
    return fortnox_client_for(shop, config, rate_limit=RateLimit(requests_per_window, window))


def worker_name() -> str:
    """Claims an order's ledger row: this process (so a restart can tell it is gone) and thread."""
    return f"{process_holder()}/t{threading.get_native_id()}"


def export_settings(shop: Shop) -> ExportSettings:
    return ExportSettings.from_values(shop.slug, shop_settings.load(shop))


def handle_order(shop: Shop, entry: InboxEntry, payload: dict[str, Any], config: Config) -> str:
    """order.created / order.updated / order.restored: export or follow up the current order."""
    woo = _woo_or_none(shop)
    current = payload
    if woo is not None:
        try:
            current = woo.get_order(int(entry.resource_id or payload["id"]))
        except WooNotFound:
            return "the order no longer exists in WooCommerce"
    elif set(payload) <= {"id"}:
        return "WooCommerce is not connected; a bare id cannot be exported"
    return export_order(shop, current, fortnox=fortnox_for(shop, config), woo=woo,
                        settings=export_settings(shop), now=utcnow(), worker=worker_name(),
                        facts=FACTS)


def handle_order_deleted(shop: Shop, entry: InboxEntry, payload: dict[str, Any],
                         config: Config) -> str:
    """Trash in WooCommerce never deletes anything in Fortnox (booked documents can't be)."""
    order_id = int(entry.resource_id or payload.get("id") or 0)
    row = OrderLedger.get_or_none((OrderLedger.shop == shop)
                                  & (OrderLedger.woo_order_id == order_id))
    if row is None or not (row.fortnox_order_number or row.fortnox_invoice_number):
        return "not exported; nothing to do in Fortnox"
    numbers = ", ".join(f"{kind} {number}" for kind, number in (
        ("order", row.fortnox_order_number), ("invoice", row.fortnox_invoice_number)) if number)
    record_activity(shop, order_id, level="warning", now=utcnow(),
                    message=msg("order.trashed", order=order_id, documents=numbers),
                    hint=msg("hint.trashed"))
    return f"trashed; Fortnox {numbers} kept"


def run_sweep(shop: Shop, ctx: JobContext) -> dict[str, Any]:
    """The reconciliation sweep job: missed orders queued, our webhooks kept active."""
    try:
        woo = woo_client_for(shop)
    except WooNotConfigured:
        return {"skipped": 1}
    counts = sweep_orders(shop, woo=woo, settings=export_settings(shop), now=ctx.now,
                          renew=ctx.renew)
    counts.update(check_webhooks(shop, woo=woo, now=ctx.now))
    return counts


def _woo_or_none(shop: Shop) -> WooClient | None:
    try:
        return woo_client_for(shop)
    except WooNotConfigured:
        return None


class CommandError(Exception):
    """A CLI request that cannot be carried out; the message says why."""


def _shop(slug: str | None) -> Shop:
    shop = (Shop.get_or_none(Shop.slug == slug) if slug
            else Shop.select().order_by(Shop.id).first())
    if shop is None:
        raise CommandError(f"no shop {slug!r}" if slug else "no shop yet; run `sidecar migrate`")
    return shop


def _shop_and_woo(slug: str | None) -> tuple[Shop, WooClient]:
    shop = _shop(slug)
    try:
        return shop, woo_client_for(shop)
    except WooNotConfigured as exc:
        raise CommandError(str(exc)) from exc


def dry_run_order(slug: str | None, order_id: int, config: Config) -> dict[str, Any]:
    """`sidecar orders dry-run`: reads WooCommerce and (read-only) Fortnox, sends nothing."""
    from sidecar.sync.orders import dry_run

    shop = _shop(slug)
    notes: tuple[Message, ...] = ()
    try:
        payload = woo_client_for(shop).get_order(order_id)
    except WooNotConfigured as exc:
        # The export works from what WooCommerce delivers; so does its dry run.
        stored = _stored_delivery(shop, order_id)
        if stored is None:
            raise CommandError(str(exc)) from exc
        payload, notes = stored, (msg("dry_run.from_stored_delivery"),)
    skus = [str(i.get("sku") or "") for i in payload.get("line_items") or []
            if isinstance(i, dict)]
    facts, unread = None, None
    try:
        facts = FACTS.facts(shop, fortnox_for(shop, config), skus, now=utcnow())
    except FortnoxError as exc:  # not connected, or not answering: articles not known
        unread = msg("plain", text=str(exc))
    except SideCallFailed as exc:
        unread = exc.failure.problem
    return dry_run(shop, payload, settings=export_settings(shop), facts=facts,
                   unread=unread or "", notes=notes)


def _stored_delivery(shop: Shop, order_id: int) -> dict[str, Any] | None:
    """The order as WooCommerce last delivered it (webhook inbox), or None."""
    entries = (InboxEntry.select()
               .where((InboxEntry.shop == shop) & (InboxEntry.resource_id == order_id)
                      & InboxEntry.topic.startswith("order."))
               .order_by(InboxEntry.received_at.desc(), InboxEntry.id.desc()).limit(10))
    for entry in entries:  # our own writes are kept without a body
        try:
            body = json.loads(bytes(entry.body)) if entry.body else None
        except ValueError:
            continue
        if isinstance(body, dict) and body.get("line_items") is not None:
            return body
    return None


def export_now(slug: str | None, order_id: int, config: Config) -> str:
    """`sidecar orders export`: the same use case the inbox worker runs, for one order."""
    shop, woo = _shop_and_woo(slug)
    try:
        return export_order(shop, woo.get_order(order_id), fortnox=fortnox_for(shop, config),
                            woo=woo, settings=export_settings(shop), now=utcnow(),
                            worker=worker_name(), facts=FACTS)
    except ExportFailed as exc:
        raise CommandError(f"{exc.message} ({exc.hint})") from exc
