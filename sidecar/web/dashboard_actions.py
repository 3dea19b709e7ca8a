"""The dashboard's buttons: run a job now, retry a parked delivery, mark an error as handled."""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from flask import Flask

from sidecar import checks
from sidecar.config import Config
from sidecar.db import database
from sidecar.jobs.registry import JOBS
from sidecar.jobs.runner import JobLocked
from sidecar.jobs.runner import run_job
from sidecar.messages import msg
from sidecar.models import ActivityEntry
from sidecar.models import Shop
from sidecar.webhooks import inbox

log = logging.getLogger(__name__)


def run_now(app: Flask, job: str, shop: Shop) -> threading.Thread:
    """Start ``job`` for ``shop`` without waiting, as a manual run (always recorded, even when it
    finds nothing to do, so the owner sees that it ran). The thread is returned for tests."""
    config = app.extensions["sidecar.config"]
    thread = threading.Thread(target=_run_manually, args=(job, shop.id, config),
                              name=f"run-now:{job}:{shop.id}", daemon=True)
    thread.start()
    return thread


def _run_manually(job: str, shop_id: int, config: Config) -> None:
    with database.connection_context():
        shop = Shop.get_or_none(Shop.id == shop_id)
        if shop is None:
            return
        try:
            run_job(JOBS[job], shop, trigger="manual", config=config)
        except JobLocked:
            log.info("job.run_now_skipped job=%s shop=%s reason=running", job, shop_id)


def retry_delivery(app: Flask, shop: Shop, entry_id: int, *, now: datetime) -> bool:
    """Make a parked delivery due again, mark its error handled, and wake the worker."""
    if not inbox.retry_parked(shop, entry_id, now=now):
        return False
    for entry in ActivityEntry.select().where(
            ActivityEntry.shop == shop, ActivityEntry.level == "error",
            ActivityEntry.resolved_at.is_null()):
        if (entry.details or {}).get("inbox_entry") == entry_id:
            entry.resolved_at = now
            entry.save()
    wake = app.extensions.get("sidecar.wake_inbox")
    if wake is not None:
        wake(shop.id)
    return True


def mark_handled(shop: Shop, activity_id: int, *, now: datetime) -> bool:
    return bool(ActivityEntry.update(resolved_at=now,
                                     resolution=msg("resolved.handled").as_json()).where(
        ActivityEntry.id == activity_id, ActivityEntry.shop == shop,
        ActivityEntry.resolved_at.is_null()).execute())


def check_settings_now(app: Flask, shop: Shop, *, now: datetime,
                       lager: bool = False) -> threading.Thread:
    """The settings checked against Fortnox at once (the check job, in the background);
    `lager`: Fortnox Lager asked again too, its last answer forgotten meanwhile."""
    checks.ask(shop, checks.SETTINGS, now)
    if lager:
        checks.ask(shop, checks.LAGER, now, forget=True)
    return run_now(app, "check_fortnox", shop)
