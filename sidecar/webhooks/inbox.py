"""The inbox as a work queue: claim one row at a time, finish it, retry it, park it.

A claim is a conditional UPDATE whose row count says who won, so any number of workers in any
number of processes never handle the same row at once. A claim carries a deadline; a row whose
worker died is claimable again once the deadline passed.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

from peewee import Expression

from sidecar.models import InboxEntry
from sidecar.models import Shop

CLAIM_FOR = timedelta(minutes=5)
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=2)


def _due(now: datetime) -> Expression:
    return (InboxEntry.status == "pending") & (InboxEntry.next_attempt_at <= now)


def _abandoned(now: datetime) -> Expression:
    return (InboxEntry.status == "processing") & (InboxEntry.claimed_until < now)


def _claimable(now: datetime) -> Expression:
    return _due(now) | _abandoned(now)


def has_claimable(shop: Shop, topics: list[str], now: datetime) -> bool:
    # Asked on every wake-up: two lookups along the (shop, status, topic, next attempt) index
    # rather than one query whose OR would read every index entry of the shop.
    return any(
        InboxEntry.select(InboxEntry.id)
        .where(InboxEntry.shop == shop, InboxEntry.topic.in_(topics), condition)
        .exists()
        for condition in (_due(now), _abandoned(now)))


def claim_next(shop: Shop, topics: list[str], *, worker: str, now: datetime) -> InboxEntry | None:
    """Claim the oldest due row of these topics, or None when there is nothing to do."""
    candidates = (
        InboxEntry.select(InboxEntry.id)
        .where(InboxEntry.shop == shop, InboxEntry.topic.in_(topics), _claimable(now))
        .order_by(InboxEntry.next_attempt_at, InboxEntry.id)
        .limit(10)
    )
    for candidate in list(candidates):
        won = (
            InboxEntry.update(status="processing", claimed_by=worker,
                              claimed_until=now + CLAIM_FOR,
                              attempts=InboxEntry.attempts + 1)
            .where(InboxEntry.id == candidate.id, _claimable(now))
            .execute()
        )
        if won == 1:
            return InboxEntry.get_by_id(candidate.id)
    return None


def complete(entry: InboxEntry, *, worker: str, now: datetime, note: str | None = None) -> bool:
    return _finish(entry, worker, status="done", processed_at=now, last_error=note,
                   claimed_until=None)


def fail(entry: InboxEntry, error: str, *, worker: str, now: datetime,
         retryable: bool = True) -> str:
    """Schedule a retry with exponential backoff, or park the row; returns the new status."""
    if retryable and entry.attempts < MAX_ATTEMPTS:
        _finish(entry, worker, status="pending", last_error=error, claimed_until=None,
                next_attempt_at=now + backoff(entry.attempts))
        return "pending"
    _finish(entry, worker, status="parked", last_error=error, claimed_until=None)
    return "parked"


def postpone(entry: InboxEntry, reason: str, *, worker: str, until: datetime) -> bool:
    """Not the row's failure (what it needs is busy elsewhere): due again at ``until``, and
    this try does not count towards parking it."""
    return _finish(entry, worker, status="pending", last_error=reason, claimed_until=None,
                   next_attempt_at=until, attempts=InboxEntry.attempts - 1)


def retry_parked(shop: Shop, entry_id: int, *, now: datetime) -> bool:
    """The owner's "retry": a parked row is due again, with a fresh count of attempts."""
    return bool(
        InboxEntry.update(status="pending", attempts=0, next_attempt_at=now)
        .where(InboxEntry.id == entry_id, InboxEntry.shop == shop,
               InboxEntry.status == "parked")
        .execute()
    )


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min ... capped at two hours."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_RETRY)


def _finish(entry: InboxEntry, worker: str, **fields: object) -> bool:
    # Only the current claimant may finish: a worker whose claim expired and was taken over
    # must not overwrite the new worker's outcome.
    return bool(
        InboxEntry.update(**fields)
        .where(InboxEntry.id == entry.id, InboxEntry.claimed_by == worker,
               InboxEntry.status == "processing")
        .execute()
    )
