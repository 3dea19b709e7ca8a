"""A batch of change-feed events, applied: duplicates dropped, grouped per shop and workflow,
handed to the sync code's entry points for changed ids, and each topic's offset stored.

Delivery is at least once, so an event already handled (same tenant, topic and offset, seen
lately or stored as the topic's last offset) is dropped; handling one twice would only cost
reads, as the sync code writes nothing that does not differ. A batch whose handling fails
wakes the polling job instead (it reads the same window, through its own cursor) and the
offsets move on: the failure is the job's to report and retry.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from typing import Any

from sidecar import settings
from sidecar.config import Config
from sidecar.fortnox_feed.protocol import ARTICLES
from sidecar.fortnox_feed.protocol import INVOICES
from sidecar.fortnox_feed.protocol import ORDERS
from sidecar.fortnox_feed.protocol import STOCK_BALANCES
from sidecar.fortnox_feed.protocol import Event
from sidecar.jobs import feed_health
from sidecar.jobs.fortnox_to_woo import clients_for
from sidecar.jobs.registry import JOBS
from sidecar.jobs.registry import is_paused
from sidecar.models import FeedOffset
from sidecar.models import Shop
from sidecar.sync.catalog import ProductSettings
from sidecar.sync.catalog import StockSettings
from sidecar.sync.catalog import sync_catalog_changes
from sidecar.sync.status import OrderStatusSettings
from sidecar.sync.status import sync_order_status_changes

log = logging.getLogger(__name__)

SEEN_KEPT = 50_000  # event keys remembered for spotting a repeat
Wake = Callable[[str, int], None]


class Deduper:
    """The events handled lately, by (tenant, topic, offset); the oldest are forgotten."""

    def __init__(self, size: int = SEEN_KEPT) -> None:
        self.size = size
        self._seen: OrderedDict[tuple[int, str, str], None] = OrderedDict()

    def first_time(self, event: Event) -> bool:
        if event.key in self._seen:
            return False
        self.remember(event.key)
        return True

    def remember(self, key: tuple[int, str, str]) -> None:
        self._seen[key] = None
        while len(self._seen) > self.size:
            self._seen.popitem(last=False)


@dataclass
class Changes:
    """What one shop's events in a batch name, and each topic's last event."""

    articles: dict[str, datetime | None] = field(default_factory=dict)
    stock_items: dict[str, datetime | None] = field(default_factory=dict)
    orders: set[str] = field(default_factory=set)
    invoices: set[str] = field(default_factory=set)
    payments: set[str] = field(default_factory=set)
    last: dict[str, Event] = field(default_factory=dict)

    def add(self, event: Event) -> None:
        self.last[event.topic] = event
        entity = event.entity_id
        if not entity:
            return
        if event.topic == ARTICLES and not event.type.startswith("article-deleted"):
            self.articles[entity] = _later(self.articles.get(entity), event.timestamp)
        elif event.topic == STOCK_BALANCES:
            self.stock_items[entity] = _later(self.stock_items.get(entity), event.timestamp)
        elif event.topic == ORDERS:
            self.orders.add(entity)
        elif event.topic == INVOICES and event.type.startswith("invoicepayment-"):
            self.payments.add(entity)
        elif event.topic == INVOICES:
            self.invoices.add(entity)


def group(events: Iterable[Event], shop_of_tenant: Mapping[int, int],
          dedupe: Deduper) -> dict[int, Changes]:
    """Per shop id, the new events' changes; events of unknown tenants and repeats dropped."""
    per_shop: dict[int, Changes] = {}
    for event in events:
        shop_id = shop_of_tenant.get(event.tenant_id)
        if shop_id is None or not dedupe.first_time(event):
            continue
        per_shop.setdefault(shop_id, Changes()).add(event)
    return per_shop


def apply_changes(shop: Shop, changes: Changes, config: Config, *, now: datetime,
                  wake: Wake | None = None) -> dict[str, Any]:
    """Hand the shop's changes to the sync code; then store where each topic got to."""
    counts: dict[str, Any] = {}
    clients = clients_for(shop, config)
    if clients is not None:
        fortnox, woo = clients
        values = settings.load(shop)
        products = (ProductSettings.from_values(values)
                    if not is_paused(JOBS["product_sync"], shop) else None)
        stock = (StockSettings.from_values(values)
                 if not is_paused(JOBS["stock_sync"], shop) else None)
        if (changes.articles or changes.stock_items) and (products or stock):
            counts["catalog"] = _guarded(shop, ("product_sync", "stock_sync"), wake, lambda: (
                sync_catalog_changes(shop, fortnox=fortnox, woo=woo, products=products,
                                     stock=stock, articles=changes.articles,
                                     stock_items=changes.stock_items, now=now).counts()))
        if (changes.orders or changes.invoices or changes.payments) and not is_paused(
                JOBS["order_status"], shop):
            status = OrderStatusSettings.from_values(values)
            counts["order_status"] = _guarded(shop, ("order_status",), wake, lambda: (
                sync_order_status_changes(shop, fortnox=fortnox, woo=woo, settings=status,
                                          now=now, orders=changes.orders,
                                          invoices=changes.invoices,
                                          payments=changes.payments)))
    save_offsets(shop.id, changes.last.values(), now)
    newest = max((e.timestamp for e in changes.last.values() if e.timestamp), default=now)
    feed_health.mark_event(shop.id, newest, now)
    return counts


def _guarded(shop: Shop, jobs: tuple[str, ...], wake: Wake | None,
             work: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Run `work`; if it fails, or some of it did, the polling jobs run now (they read the same
    window, and retry what the sync marked for retrying)."""
    try:
        counts = work()
    except Exception as exc:  # noqa: BLE001 - the jobs are the fallback; the listener goes on
        log.warning("feed.apply_failed shop=%s jobs=%s error=%s: %s", shop.id, ",".join(jobs),
                    type(exc).__name__, exc)
        counts = {"failed": 1}
    if counts.get("failed") and wake is not None:
        for job in jobs:
            wake(job, shop.id)
    return counts


def save_offsets(shop_id: int, events: Iterable[Event], now: datetime) -> None:
    for event in events:
        fields = {"offset": event.offset[:100], "event_at": event.timestamp, "updated_at": now}
        updated = FeedOffset.update(**fields).where(
            FeedOffset.shop == shop_id, FeedOffset.topic == event.topic).execute()
        if not updated:
            FeedOffset.insert(shop=shop_id, topic=event.topic, **fields
                              ).on_conflict_ignore().execute()


def stored_offsets(shop_ids: Iterable[int]) -> list[FeedOffset]:
    return list(FeedOffset.select().where(FeedOffset.shop.in_(sorted(set(shop_ids)))))


def replay_offsets(topics: Iterable[str], stored: Iterable[FeedOffset]) -> dict[str, str | None]:
    """Per topic, where a new subscription starts: the oldest stored offset among the shops
    (offsets are opaque: the time of their event says which is older), or now (None)."""
    oldest: dict[str, FeedOffset] = {}
    for row in stored:
        kept = oldest.get(row.topic)
        if kept is None or _older(row, kept):
            oldest[row.topic] = row
    return {topic: oldest[topic].offset if topic in oldest else None for topic in sorted(topics)}


def _older(row: FeedOffset, other: FeedOffset) -> bool:
    if row.event_at is None or other.event_at is None:
        return row.event_at is None and other.event_at is not None
    return bool(row.event_at < other.event_at)


def _later(earlier: datetime | None, moment: datetime | None) -> datetime | None:
    """The oldest change time of an entity in the batch: lists read from there."""
    if earlier is None:
        return moment
    return earlier if moment is None else min(earlier, moment)
