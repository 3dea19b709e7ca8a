"""What the dashboard shows, read from the database: jobs, problems first, recent activity and
activity per day. Queries only; the page decides nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from datetime import datetime
from datetime import timedelta

from babel.dates import get_timezone
from peewee import fn

from sidecar.jobs.lease import lease_name
from sidecar.jobs.registry import JOBS
from sidecar.jobs.registry import interval_for
from sidecar.jobs.registry import is_paused
from sidecar.models import ActivityEntry
from sidecar.models import InboxEntry
from sidecar.models import JobLease
from sidecar.models import JobRun
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.web.i18n import TIMEZONE
from sidecar.web.i18n import activity_text

PROBLEMS_SHOWN = 50
RECENT_SHOWN = 30
CHART_DAYS = 14


@dataclass(frozen=True)
class JobRow:
    name: str
    interval_seconds: int
    paused: bool
    last_run: JobRun | None
    next_at: datetime | None


@dataclass(frozen=True)
class Problem:
    """A failure the owner should see: an unresolved error, or a parked webhook delivery.

    An order's problem is retried through the order's own Retry (`order_id`), and all orders
    with the same cause at once (`same_cause` of them); an older parked delivery through its
    delivery (`inbox_entry_id`)."""

    at: datetime
    subject: str
    message: str
    hint: str
    inbox_entry_id: int | None  # retryable with the Retry button
    activity_id: int | None  # can be marked as handled
    order_id: int | None = None
    cause: str | None = None
    same_cause: int = 0
    repeats: int = 1


@dataclass(frozen=True)
class DayCount:
    day: date
    ok: int
    problems: int

    @property
    def total(self) -> int:
        return self.ok + self.problems


def job_rows(shop: Shop) -> list[JobRow]:
    rows = []
    for spec in JOBS.values():
        last = (JobRun.select().where(JobRun.job == spec.name, JobRun.shop == shop)
                .order_by(JobRun.started_at.desc()).first())
        lease = JobLease.get_or_none(JobLease.name == lease_name(spec.name, shop))
        rows.append(JobRow(spec.name, int(interval_for(spec, shop).total_seconds()),
                           is_paused(spec, shop), last, lease.not_before if lease else None))
    return rows


def problems(shop: Shop) -> list[Problem]:
    errors = list(ActivityEntry.select().where(
        ActivityEntry.shop == shop, ActivityEntry.level == "error",
        ActivityEntry.resolved_at.is_null()).order_by(ActivityEntry.created_at.desc())
        .limit(PROBLEMS_SHOWN))
    parked = {e.id: e for e in InboxEntry.select().where(
        InboxEntry.shop == shop, InboxEntry.status == "parked").limit(PROBLEMS_SHOWN)}
    retry_orders = _retryable_orders(shop, [_order_of(e) for e in errors])
    by_cause = _orders_per_cause(shop)
    with_entry = {_order_of(e) for e in errors} - {None}
    found = []
    for entry in errors:
        inbox_id = (entry.details or {}).get("inbox_entry")
        retryable = inbox_id if inbox_id in parked else None
        delivery = parked.pop(inbox_id, None)
        if delivery is not None and delivery.topic.startswith("order.") \
                and delivery.resource_id in with_entry:
            continue  # an older version's second entry for the order: one is enough
        order_id = _order_of(entry)
        found.append(Problem(
            entry.updated_at or entry.created_at, activity_text(entry, "subject"),
            activity_text(entry, "message"), activity_text(entry, "hint"), retryable, entry.id,
            order_id if order_id in retry_orders else None, entry.cause,
            by_cause.get(entry.cause or "", 0) if order_id in retry_orders else 0,
            int(entry.repeats or 1)))
    for row in parked.values():  # parked without an error entry (written by an older version)
        if row.topic.startswith("order.") and row.resource_id in retry_orders:
            continue  # the order's own entry has its Retry
        found.append(Problem(row.received_at, f"{row.topic} {row.resource_id or ''}".strip(),
                             row.last_error or "", "", row.id, None))
    return sorted(found, key=lambda p: p.at, reverse=True)


def _order_of(entry: ActivityEntry) -> int | None:
    kind, _, key = (entry.about or "").partition(":")
    if kind == "order" and key.isdigit():
        return int(key)
    if entry.about is None and entry.workflow == "orders" and entry.woo_order_id:
        return int(entry.woo_order_id)  # written by an older version
    return None


def _retryable_orders(shop: Shop, order_ids: list[int | None]) -> set[int]:
    """Of these orders, those the order's Retry applies to: failed, or with a parked delivery."""
    ids = [i for i in order_ids if i is not None]
    if not ids:
        return set()
    failed = {row.woo_order_id for row in OrderLedger.select(OrderLedger.woo_order_id).where(
        OrderLedger.shop == shop, OrderLedger.woo_order_id.in_(ids),
        OrderLedger.state == "failed")}
    parked = {row.resource_id for row in InboxEntry.select(InboxEntry.resource_id).where(
        InboxEntry.shop == shop, InboxEntry.status == "parked",
        InboxEntry.resource_id.in_(ids), InboxEntry.topic.startswith("order."))}
    return {int(i) for i in failed | parked}


def _orders_per_cause(shop: Shop) -> dict[str, int]:
    """Open order errors per cause: "Retry all" retries that many."""
    rows = (ActivityEntry.select(ActivityEntry.cause, fn.COUNT(ActivityEntry.id))
            .where(ActivityEntry.shop == shop, ActivityEntry.level == "error",
                   ActivityEntry.resolved_at.is_null(), ActivityEntry.cause.is_null(False),
                   ActivityEntry.about.startswith("order:"))
            .group_by(ActivityEntry.cause).tuples())
    return {cause: count for cause, count in rows}


def recent_activity(shop: Shop) -> list[ActivityEntry]:
    return list(ActivityEntry.select().where(ActivityEntry.shop == shop)
                .order_by(ActivityEntry.created_at.desc()).limit(RECENT_SHOWN))


def activity_per_day(shop: Shop, *, now: datetime, days: int = CHART_DAYS) -> list[DayCount]:
    """Entries per Swedish calendar day, the last ``days`` days, oldest first."""
    zone = get_timezone(TIMEZONE)
    today = now.astimezone(zone).date()
    first = today - timedelta(days=days - 1)
    counts = {first + timedelta(days=n): [0, 0] for n in range(days)}
    rows = (ActivityEntry.select(ActivityEntry.created_at, ActivityEntry.level)
            .where(ActivityEntry.shop == shop,
                   ActivityEntry.created_at >= now - timedelta(days=days + 1)).tuples())
    for created_at, level in rows:
        day = created_at.astimezone(zone).date()
        if day in counts:
            counts[day][level in ("warning", "error")] += 1
    return [DayCount(day, ok, bad) for day, (ok, bad) in counts.items()]
