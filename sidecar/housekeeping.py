"""Retention: what the sidecar forgets, and when. Failures and ledgers are never pruned."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta

from sidecar.models import ActivityEntry
from sidecar.models import InboxEntry
from sidecar.models import JobRun
from sidecar.models import Shop
from sidecar.security import audit

INBOX_DONE_RETENTION = timedelta(days=30)
JOB_RUN_RETENTION = timedelta(days=30)
ACTIVITY_RETENTION = timedelta(days=180)


def prune(shop: Shop, *, now: datetime) -> dict[str, int]:
    inbox = (
        InboxEntry.delete()
        .where(
            InboxEntry.shop == shop,
            InboxEntry.status == "done",
            InboxEntry.processed_at < now - INBOX_DONE_RETENTION,
        )
        .execute()
    )
    runs = (
        JobRun.delete()
        .where(
            JobRun.shop == shop,
            JobRun.outcome != "running",
            JobRun.started_at < now - JOB_RUN_RETENTION,
        )
        .execute()
    )
    # Unresolved errors stay until someone deals with them, however old.
    activity = (
        ActivityEntry.delete()
        .where(
            ActivityEntry.shop == shop,
            ActivityEntry.created_at < now - ACTIVITY_RETENTION,
            (ActivityEntry.level != "error") | ActivityEntry.resolved_at.is_null(False),
        )
        .execute()
    )
    security = audit.prune(shop, now=now)  # a year, whatever the level
    return {"inbox_deleted": inbox, "runs_deleted": runs, "activity_deleted": activity,
            "security_events_deleted": security}
