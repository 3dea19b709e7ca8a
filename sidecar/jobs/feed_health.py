"""The change feed's state per shop, and the polling jobs' pace that follows from it.

While the feed is on for a shop (subscribed to a job's topics, and confirmed alive within
`ALIVE_WITHIN` by an event or a ping) the order-status, product and stock jobs are only a
safety net: they run every `change_feed.safety_interval_seconds` (default hourly, never more
often than the owner's own interval). When the connection has been down for longer than the
owner's interval, or Fortnox refused the shop's token, or the feed never came up, they run at
the owner's interval again. The scheduler asks `polling_interval`; the listener
(`sidecar.jobs.change_feed`) writes the state through the `mark_*` functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from datetime import timedelta

from sidecar import settings
from sidecar.fortnox_feed.protocol import ARTICLES
from sidecar.fortnox_feed.protocol import INVOICES
from sidecar.fortnox_feed.protocol import ORDERS
from sidecar.fortnox_feed.protocol import STOCK_BALANCES
from sidecar.jobs.spec import JobSpec
from sidecar.jobs.spec import interval_for
from sidecar.messages import Message
from sidecar.models import FeedStatus
from sidecar.models import Shop
from sidecar.settings import declared
from sidecar.settings import section
from sidecar.settings import whole_number

ON, OFF, REFUSED = "on", "off", "refused"
# The listener confirms the connection at least every 30 s; older means it is gone.
ALIVE_WITHIN = timedelta(minutes=2)
SAFETY_INTERVAL = "change_feed.safety_interval_seconds"
SETTINGS = declared(section({SAFETY_INTERVAL: whole_number(60, 7 * 24 * 3600, 3600)}))
# The topics a job's changes arrive on. Stock: an article's own quantity may move without an
# article event (Fortnox Lager), so both topics count.
JOB_TOPICS: dict[str, tuple[str, ...]] = {
    "order_status": (ORDERS, INVOICES),
    "product_sync": (ARTICLES,),
    "stock_sync": (ARTICLES, STOCK_BALANCES),
}


def polling_interval(spec: JobSpec, shop: Shop, now: datetime,
                     status: FeedStatus | None = None) -> timedelta:
    """How often the job runs for the shop now: the owner's interval, or the slow safety
    interval while the feed brings the job's changes."""
    owner = interval_for(spec, shop)
    topics = JOB_TOPICS.get(spec.name)
    if topics is None:
        return owner
    status = status if status is not None else FeedStatus.get_or_none(FeedStatus.shop == shop)
    if not feed_covers(status, topics, owner, now):
        return owner
    return max(owner, timedelta(seconds=settings.get(shop, SAFETY_INTERVAL)))


def feed_covers(status: FeedStatus | None, topics: Iterable[str], owner: timedelta,
                now: datetime) -> bool:
    if status is None or status.state == REFUSED or not set(topics) <= set(status.topics or ()):
        return False
    if is_on(status, now):
        return True
    down_since = status.down_since or status.alive_at
    return down_since is not None and now - down_since <= owner


def is_on(status: FeedStatus | None, now: datetime) -> bool:
    return (status is not None and status.state == ON and status.alive_at is not None
            and now - status.alive_at <= ALIVE_WITHIN)


def status_of(shop: Shop) -> FeedStatus | None:
    return FeedStatus.get_or_none(FeedStatus.shop == shop)


# Written by the listener ----------------------------------------------------------------------

def mark_on(shop_ids: Iterable[int], topics: Iterable[str], now: datetime) -> None:
    ids = _ensure(shop_ids, now)
    FeedStatus.update(state=ON, topics=sorted(set(topics)), alive_at=now, down_since=None,
                      problem=None, updated_at=now).where(FeedStatus.shop.in_(ids)).execute()


def mark_alive(shop_ids: Iterable[int], now: datetime) -> None:
    FeedStatus.update(alive_at=now, updated_at=now).where(
        FeedStatus.shop.in_(list(shop_ids)), FeedStatus.state == ON).execute()


def mark_event(shop_id: int, at: datetime, now: datetime) -> None:
    FeedStatus.update(last_event_at=at, alive_at=now, updated_at=now).where(
        FeedStatus.shop == shop_id).execute()


def mark_off(shop_ids: Iterable[int], now: datetime, problem: Message | None) -> None:
    """Down (or not up yet): since when is kept from the first moment it was down."""
    _leave(shop_ids, OFF, now, problem)


def mark_refused(shop_ids: Iterable[int], now: datetime, problem: Message) -> None:
    """Fortnox would not take the shop's token: the jobs run at the owner's pace."""
    _leave(shop_ids, REFUSED, now, problem)


def _leave(shop_ids: Iterable[int], state: str, now: datetime, problem: Message | None) -> None:
    ids = _ensure(shop_ids, now)
    problem_json = problem.as_json() if problem is not None else None
    FeedStatus.update(state=state, down_since=now, problem=problem_json, updated_at=now).where(
        FeedStatus.shop.in_(ids), FeedStatus.down_since.is_null()).execute()
    FeedStatus.update(state=state, problem=problem_json, updated_at=now).where(
        FeedStatus.shop.in_(ids)).execute()


def _ensure(shop_ids: Iterable[int], now: datetime) -> list[int]:
    ids = sorted(set(shop_ids))
    known = {row.shop_id for row in FeedStatus.select(FeedStatus.shop).where(
        FeedStatus.shop.in_(ids))}
    missing = [{"shop": shop_id, "state": OFF, "down_since": now, "updated_at": now}
               for shop_id in ids if shop_id not in known]
    if missing:
        FeedStatus.insert_many(missing).on_conflict_ignore().execute()
    return ids

