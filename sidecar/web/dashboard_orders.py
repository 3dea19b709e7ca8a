"""The dashboard's orders: the export ledger, failures first, with what was sent (secrets
masked) and whether the Retry button applies; and exports and failures per day for the chart.
Queries only, plus the Retry button's glue (make the parked delivery due again, or export
again in the background when there is none)."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta
from typing import Any

from babel.dates import get_timezone
from flask import Flask
from peewee import Case

from sidecar.config import Config
from sidecar.db import database
from sidecar.models import ActivityEntry
from sidecar.models import InboxEntry
from sidecar.models import OrderLedger
from sidecar.models import OrderStep
from sidecar.models import Shop
from sidecar.sync.orders.fortnox_documents import Document
from sidecar.sync.orders.fortnox_documents import documents_of
from sidecar.web import dashboard_actions
from sidecar.web.i18n import TIMEZONE

log = logging.getLogger(__name__)

ORDERS_SHOWN = 50
ORDER_TOPICS = ("order.created", "order.updated", "order.restored")
SECRET_WORDS = ("password", "secret", "token", "authorization", "api_key", "apikey")
MASK = "••••"


@dataclass(frozen=True)
class SentStep:
    step: str
    state: str
    fortnox_number: str | None
    request: str  # pretty JSON, secrets masked; "" when nothing was sent
    error: str | None
    at: datetime


@dataclass(frozen=True)
class OrderRow:
    ledger: OrderLedger
    steps: tuple[SentStep, ...]
    parked_entry_id: int | None
    documents: tuple[Document, ...] = ()

    def cancelled_in_fortnox(self, kind: str) -> bool:
        return any(d.type == kind and d.cancelled for d in self.documents)

    @property
    def afterwards(self) -> tuple[Document, ...]:
        """Credits, corrections and refunds not booked: what came after the order and invoice."""
        return tuple(d for d in self.documents if d.type not in ("order", "invoice"))

    @property
    def failed(self) -> bool:
        return self.ledger.state == "failed" or bool(self.ledger.last_error)

    @property
    def retryable(self) -> bool:
        return self.parked_entry_id is not None or self.ledger.state == "failed"


@dataclass(frozen=True)
class ExportDay:
    day: date
    exported: int
    failed: int

    @property
    def total(self) -> int:
        return self.exported + self.failed


def masked(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: MASK if any(w in str(k).lower() for w in SECRET_WORDS) else masked(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    return value


def order_rows(shop: Shop, limit: int = ORDERS_SHOWN) -> list[OrderRow]:
    failing = Case(None, [((OrderLedger.state == "failed") | OrderLedger.last_error.is_null(False),
                           0)], 1)
    ledgers = list(OrderLedger.select().where(OrderLedger.shop == shop)
                   .order_by(failing, OrderLedger.updated_at.desc()).limit(limit))
    ids = [row.id for row in ledgers]
    steps: dict[int, list[SentStep]] = {i: [] for i in ids}
    for step in OrderStep.select().where(OrderStep.ledger.in_(ids)).order_by(OrderStep.id):
        request = json.dumps(masked(step.request), indent=2, ensure_ascii=False, default=str) \
            if step.request else ""
        steps[step.ledger_id].append(SentStep(step.step, step.state, step.fortnox_number,
                                              request, step.error, step.started_at))
    parked = parked_entries(shop, [row.woo_order_id for row in ledgers])
    return [OrderRow(row, tuple(steps[row.id]), parked.get(row.woo_order_id),
                     tuple(documents_of(row)))
            for row in ledgers]


def parked_entries(shop: Shop, order_ids: list[int]) -> dict[int, int]:
    """Woo order id → its newest parked delivery."""
    found: dict[int, int] = {}
    for entry in (InboxEntry.select(InboxEntry.id, InboxEntry.resource_id)
                  .where(InboxEntry.shop == shop, InboxEntry.status == "parked",
                         InboxEntry.topic.in_(ORDER_TOPICS),
                         InboxEntry.resource_id.in_(order_ids))
                  .order_by(InboxEntry.id)):
        found[int(entry.resource_id)] = entry.id
    return found


def exports_per_day(shop: Shop, *, now: datetime, days: int = 14) -> list[ExportDay]:
    """Orders exported and export failures per Swedish calendar day, oldest first."""
    zone = get_timezone(TIMEZONE)
    today = now.astimezone(zone).date()
    first = today - timedelta(days=days - 1)
    counts = {first + timedelta(days=n): [0, 0] for n in range(days)}
    since = now - timedelta(days=days + 1)
    for (moment,) in (OrderLedger.select(OrderLedger.exported_at)
                      .where(OrderLedger.shop == shop, OrderLedger.exported_at >= since).tuples()):
        day = moment.astimezone(zone).date()
        if day in counts:
            counts[day][0] += 1
    # A failed export leaves an error (or, while it is retried, a warning) about the order.
    for moment, details in (ActivityEntry.select(ActivityEntry.created_at, ActivityEntry.details)
                            .where(ActivityEntry.shop == shop, ActivityEntry.workflow == "orders",
                                   ActivityEntry.level.in_(("warning", "error")),
                                   ActivityEntry.created_at >= since).tuples()):
        day = moment.astimezone(zone).date()
        if day in counts and isinstance(details, dict) and "attempt" in details:
            counts[day][1] += 1
    return [ExportDay(day, ok, bad) for day, (ok, bad) in counts.items()]


def retry_order(app: Flask, shop: Shop, woo_order_id: int, *, now: datetime) -> bool:
    """The Retry button: the parked delivery is due again; without one, export again now in the
    background. The order's open errors wait for the outcome (a warning until then): exported,
    they are resolved; failing again, they are errors again. False: nothing to retry."""
    again = _retry(app, shop, woo_order_id, now=now)
    if again is None:
        return False
    if again:
        _export_in_background(app, shop, [woo_order_id])
    return True


def retry_cause(app: Flask, shop: Shop, cause: str, *, now: datetime) -> int:
    """"Retry all": every order whose open error has this cause; returns how many. Those
    without a parked delivery are exported one after another, in one background thread."""
    orders = sorted({int(about.partition(":")[2]) for (about,) in ActivityEntry.select(
        ActivityEntry.about).where(
        ActivityEntry.shop == shop, ActivityEntry.cause == cause, ActivityEntry.level == "error",
        ActivityEntry.resolved_at.is_null(), ActivityEntry.about.startswith("order:")).tuples()
        if about.partition(":")[2].isdigit()})
    retried = {order_id: _retry(app, shop, order_id, now=now) for order_id in orders}
    _export_in_background(app, shop, [order_id for order_id, again in retried.items() if again])
    return sum(again is not None for again in retried.values())


def _retry(app: Flask, shop: Shop, woo_order_id: int, *, now: datetime) -> bool | None:
    """None: nothing to retry; False: its parked delivery is due again; True: it must be
    exported again directly (failed without a delivery, e.g. a manual export)."""
    row = OrderLedger.get_or_none(OrderLedger.shop == shop,
                                  OrderLedger.woo_order_id == woo_order_id)
    entry = parked_entries(shop, [woo_order_id]).get(woo_order_id)
    if entry is not None:
        dashboard_actions.retry_delivery(app, shop, entry, now=now)
    elif row is None or row.state != "failed":
        return None
    ActivityEntry.update(level="warning", updated_at=now).where(
        ActivityEntry.shop == shop, ActivityEntry.woo_order_id == woo_order_id,
        ActivityEntry.level == "error", ActivityEntry.resolved_at.is_null()).execute()
    return entry is None


def _export_in_background(app: Flask, shop: Shop, order_ids: list[int]) -> None:
    if order_ids:
        threading.Thread(target=_export_again, args=(app.extensions["sidecar.config"],
                                                     shop.slug, order_ids),
                         name=f"retry-orders:{order_ids[0]}", daemon=True).start()


def _export_again(config: Config, slug: str, order_ids: list[int]) -> None:
    from sidecar.jobs import order_export  # the jobs glue builds the clients

    with database.connection_context():
        for woo_order_id in order_ids:
            try:
                order_export.export_now(slug, woo_order_id, config)
            except Exception as exc:  # noqa: BLE001 - the ledger and the dashboard have it
                log.warning("orders.retry_failed order=%s error=%s", woo_order_id, exc)
