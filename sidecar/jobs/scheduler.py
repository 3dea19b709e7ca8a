"""The in-process APScheduler: one per serving process, started by the app factory.

APScheduler 3 has no inter-process coordination, so every run goes through a database lease
(``jobs.lease``); a second gunicorn worker or a second container then skips what the first runs.
The scheduler's own job list is rebuilt from the registry and the shops' settings every
``RECONCILE_EVERY``, so frequencies and pause switches change without a restart.
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from sidecar.config import Config
from sidecar.db import database
from sidecar.fields import utcnow
from sidecar.jobs import lease
from sidecar.jobs.feed_health import polling_interval
from sidecar.jobs.registry import JOBS
from sidecar.jobs.registry import is_paused
from sidecar.jobs.runner import JobLocked
from sidecar.jobs.runner import process_holder
from sidecar.jobs.runner import run_job
from sidecar.models import InboxEntry
from sidecar.models import OrderLedger
from sidecar.models import Shop

log = logging.getLogger(__name__)

RECONCILE_EVERY = timedelta(seconds=15)
HEARTBEAT_MAX_AGE = RECONCILE_EVERY * 3  # an older heartbeat: the scheduler is stuck or gone
EXTENSION = "sidecar.scheduler"


class SchedulerService:
    """The scheduler plus a heartbeat that /healthz reads."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config
        self.scheduler = BackgroundScheduler(
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300},
        )
        self.last_heartbeat: datetime | None = None
        self.on_heartbeat: Callable[[datetime], None] | None = None  # shares it with other workers
        # Wake-ups asked for and not started yet: a burst of deliveries schedules one run.
        self._wakes_pending: set[tuple[str, int]] = set()
        self._wakes_lock = threading.Lock()

    def start(self) -> None:
        self.recover()
        self.scheduler.add_job(self.reconcile, "interval", seconds=RECONCILE_EVERY.seconds,
                               id="sidecar.reconcile", next_run_time=utcnow())
        self.scheduler.start()
        log.info("scheduler.started")

    def recover(self) -> None:
        """At start: free what crashed processes held, and make the catch-up jobs due."""
        holder, now = process_holder(), utcnow()
        with database.connection_context():
            orphans = lease.release_orphans(holder, now)
            # The deliveries and orders a crashed process was working on: at once, not when
            # its claims lapse (minutes).
            inbox_rows = lease.release_claims_of_gone_processes(InboxEntry, holder, now)
            orders = lease.release_claims_of_gone_processes(OrderLedger, holder, now)
            caught_up = [f"{spec.name}:{shop.id}" for shop in Shop.select()
                         for spec in JOBS.values()
                         if spec.catch_up and lease.due_at_once(spec.name, shop, now)]
        if caught_up:
            log.info("scheduler.catch_up jobs=%s", ",".join(caught_up))
        if orphans:
            log.warning("scheduler.orphaned_leases_released leases=%s", ",".join(orphans))
        if inbox_rows or orders:
            log.warning("scheduler.orphaned_claims_released inbox_rows=%s orders=%s",
                        inbox_rows, orders)

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            log.info("scheduler.stopped")

    def share_heartbeat(self, send: Callable[[datetime], None]) -> None:
        """Pass every heartbeat on (to the other workers), starting with the last one."""
        self.on_heartbeat = send
        if self.last_heartbeat is not None:  # the first one may have come before this call
            send(self.last_heartbeat)

    def alive(self, now: datetime, *, max_age: timedelta = HEARTBEAT_MAX_AGE) -> bool:
        return (self.scheduler.running and self.last_heartbeat is not None
                and now - self.last_heartbeat <= max_age)

    def reconcile(self) -> None:
        """Make the scheduled jobs match the registry and each shop's settings."""
        wanted: dict[str, tuple[str, int, timedelta, datetime | None]] = {}
        now = utcnow()
        with database.connection_context():
            for shop in Shop.select():
                for spec in JOBS.values():
                    if not is_paused(spec, shop):
                        # Slower while the change feed brings the job's changes (feed_health).
                        wanted[f"{spec.name}:{shop.id}"] = (
                            spec.name, shop.id, polling_interval(spec, shop, now),
                            lease.next_slot(spec.name, shop))
        for job in self.scheduler.get_jobs():
            if job.func is not run_scheduled:
                continue  # our own upkeep and pending wake-ups are not the schedule's
            if job.id not in wanted:
                job.remove()
            elif job.trigger.interval != wanted[job.id][2]:
                tighter = wanted[job.id][2] < job.trigger.interval
                job.reschedule(IntervalTrigger(seconds=wanted[job.id][2].total_seconds(),
                                               timezone=UTC))
                if tighter:  # e.g. the change feed is down: catch up now, not an interval on
                    job.modify(next_run_time=now)
            wanted.pop(job.id, None)
        for job_id, (name, shop_id, interval, slot) in wanted.items():
            # First at the job's next slot (across processes), not a whole interval from now:
            # a run missed while the sidecar was down is due at once.
            self.scheduler.add_job(run_scheduled, IntervalTrigger(
                seconds=interval.total_seconds(), timezone=UTC),
                args=(name, shop_id, self.config, self), id=job_id,
                next_run_time=max(now, slot) if slot is not None else now)
        self.last_heartbeat = utcnow()
        if self.on_heartbeat is not None:
            self.on_heartbeat(self.last_heartbeat)


    def wake(self, job_name: str, shop_id: int) -> None:
        """Run a job for a shop as soon as possible (e.g. the inbox after a delivery)."""
        with self._wakes_lock:
            if (job_name, shop_id) in self._wakes_pending:
                return
            self._wakes_pending.add((job_name, shop_id))
        # No fixed job id: APScheduler skips a job whose id is still running, and a wake-up
        # asked for during a run must not be lost. The pending set does the coalescing, and
        # the short delay lets a burst of deliveries share one run.
        self.scheduler.add_job(run_woken, "date", run_date=utcnow() + WAKE_DELAY,
                               args=(self, job_name, shop_id, 0), misfire_grace_time=None)

    def wake_started(self, job_name: str, shop_id: int) -> None:
        # Cleared before the run looks for work, so a delivery stored during the run wakes
        # another one (or finds the retry below) instead of waiting for the interval.
        with self._wakes_lock:
            self._wakes_pending.discard((job_name, shop_id))


def run_scheduled(job_name: str, shop_id: int, config: Config | None,
                  service: SchedulerService | None = None) -> None:
    # Locked means another process has it, or it already ran there this interval.
    run_for_shop(job_name, shop_id, "schedule", config, service)


WAKE_DELAY = timedelta(milliseconds=200)
WAKE_RETRIES = 20
WAKE_RETRY_DELAY = timedelta(milliseconds=500)


def run_woken(service: SchedulerService, job_name: str, shop_id: int, attempt: int) -> None:
    service.wake_started(job_name, shop_id)
    if run_for_shop(job_name, shop_id, "wake", service.config, service) \
            or attempt >= WAKE_RETRIES:
        return
    # A run is under way (here or elsewhere) and may have looked before this wake-up: try
    # again shortly rather than leave the new work to the safety-net interval.
    service.scheduler.add_job(run_woken, "date", run_date=utcnow() + WAKE_RETRY_DELAY,
                              args=(service, job_name, shop_id, attempt + 1),
                              misfire_grace_time=None)


def run_for_shop(job_name: str, shop_id: int, trigger: str, config: Config | None,
                 service: SchedulerService | None = None) -> bool:
    """Run the job for the shop if it still exists; False only when the lease was taken.

    A run that did something and left work due (a backlog longer than one run's budget)
    is followed at once by the next, instead of idling until the next interval."""
    with database.connection_context():
        shop = Shop.get_or_none(Shop.id == shop_id)
        if shop is None:
            return True
        spec = JOBS[job_name]
        if trigger == "wake" and spec.has_work is not None and not spec.has_work(shop, utcnow()):
            return True
        try:
            run = run_job(spec, shop, trigger=trigger, config=config)
        except JobLocked:
            return False
        more = (service is not None and spec.has_work is not None and run.outcome == "ok"
                and any(run.counts.values()) and spec.has_work(shop, utcnow()))
    if more and service is not None:
        log.info("scheduler.backlog job=%s shop=%s", job_name, shop_id)
        service.wake(job_name, shop_id)
    if service is not None and spec.wakes and run.outcome == "ok" \
            and (run.counts or {}).get("queued"):
        service.wake(spec.wakes, shop_id)  # e.g. the orders the sweep found
    return True


def init_scheduler(app: Flask) -> SchedulerService:
    service = SchedulerService(app.extensions["sidecar.config"])
    app.extensions[EXTENSION] = service
    app.extensions["sidecar.wake_inbox"] = lambda shop_id: service.wake("process_inbox", shop_id)
    service.start()
    atexit.register(service.shutdown)
    return service


def scheduler_of(app: Flask) -> Any:
    return app.extensions.get(EXTENSION)
