"""Run one job for one shop: take the lease, record the run, release the lease."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import traceback
from collections.abc import Callable
from datetime import datetime

from sidecar import activity
from sidecar.config import Config
from sidecar.fields import utcnow
from sidecar.jobs import lease
from sidecar.jobs.spec import JobContext
from sidecar.jobs.spec import JobSpec
from sidecar.jobs.spec import interval_for
from sidecar.messages import msg
from sidecar.models import JobRun
from sidecar.models import Shop

log = logging.getLogger(__name__)

SKIPPED = {"skipped": 1}  # what a job returns when there is nothing it can do yet
# A scheduled run may start this much before its slot (timer jitter between processes).
SCHEDULE_TOLERANCE = 0.1


class JobLocked(Exception):
    """Another process holds the job's lease (or it is not due yet)."""


# Told apart from an earlier process with the same pid on the same host (a restarted
# container often gets the pid its predecessor had).
PROCESS_TOKEN = secrets.token_hex(4)


def process_holder() -> str:
    """Names this process in leases and runs: host, pid and this process's token."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{PROCESS_TOKEN}"


def run_job(
    spec: JobSpec,
    shop: Shop,
    *,
    trigger: str = "schedule",
    holder: str | None = None,
    clock: Callable[[], datetime] = utcnow,
    config: Config | None = None,
) -> JobRun:
    """Run ``spec`` for ``shop`` now. Raises JobLocked if the lease is not ours to take.

    A scheduled run respects the cluster-wide slot; a manual run ("run now") only needs the lease
    to be free. The job's own exceptions are recorded on the run, not raised.
    """
    holder = holder or process_holder()
    started = clock()
    interval = interval_for(spec, shop)
    # Tolerate early timers: a slot at 12:00:00.0 is due for a timer firing at 11:59:59.9.
    due_by = started + interval * SCHEDULE_TOLERANCE if trigger == "schedule" else None
    taken = lease.acquire(spec.name, shop, holder=holder, now=started, ttl=spec.max_runtime,
                          due_by=due_by)
    if not taken:
        log.debug("job.skipped job=%s shop=%s reason=lease_held", spec.name, shop.id)
        raise JobLocked(f"{spec.name} for shop {shop.slug} is running elsewhere or not due")

    # A run still marked running under another holder lost its process (the lease expired).
    JobRun.update(outcome="failed", finished_at=started,
                  error="The process running this job stopped before it finished").where(
        JobRun.job == spec.name, JobRun.shop == shop, JobRun.outcome == "running",
        JobRun.holder != holder,
    ).execute()
    run = JobRun.create(job=spec.name, shop=shop, holder=holder, trigger=trigger,
                        started_at=started)
    log.info("job.started job=%s shop=%s run=%s trigger=%s", spec.name, shop.id, run.id, trigger)

    def renew() -> None:
        if not lease.renew(spec.name, shop, holder=holder, now=clock(), ttl=spec.max_runtime):
            raise JobLocked(f"{spec.name} for shop {shop.slug}: lease lost while running")

    try:
        counts = spec.func(shop, JobContext(now=started, renew=renew, config=config)) or {}
        run.outcome, run.counts = "ok", counts
        if counts != SKIPPED:
            # What the job reported before and did not see again in this run is over.
            activity.resolve(shop, activity.about_job(spec.name), now=clock(), before=started,
                             how=msg("resolved.job_succeeded"))
    except Exception as exc:  # noqa: BLE001 - a job's failure is recorded, never kills the scheduler
        run.outcome = "failed"
        run.error = f"{type(exc).__name__}: {exc}"
        log.error("job.failed job=%s shop=%s run=%s error=%s\n%s", spec.name, shop.id, run.id,
                  run.error, traceback.format_exc())
    finally:
        run.finished_at = clock()
        if (trigger == "wake" or spec.quiet) and run.outcome == "ok" \
                and not any(run.counts.values()):
            # A wake-up that found nothing to do is not news; keep the run list readable.
            run.delete_instance()
        else:
            run.save()
        lease.release(spec.name, shop, holder=holder, not_before=started + interval)
    log.info("job.finished job=%s shop=%s run=%s outcome=%s ms=%d", spec.name, shop.id, run.id,
             run.outcome, (run.finished_at - started).total_seconds() * 1000)
    return run

