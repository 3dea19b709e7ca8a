"""Job leases: one row per (job, shop), claimed by conditional update.

A process may run a job only while it holds the lease. The lease expires after the job's maximum
runtime, so a holder that died (SIGKILL, a lost container) cannot block the job for ever; a
sidecar starting on the same host frees at once the leases of processes there that are gone
(``release_orphans``), so a crash and restart does not hold a job up for its runtime. On
release the row keeps ``not_before``: the next scheduled run for the whole cluster, so two
processes with their own schedulers run a job once per interval, not once each.
"""

from __future__ import annotations

import os
import time
from datetime import datetime
from datetime import timedelta

from peewee import Model
from peewee import OperationalError

from sidecar.models import JobLease
from sidecar.models import Shop

DEADLOCK_RETRIES = 5


def lease_name(job: str, shop: Shop | None) -> str:
    return job if shop is None else f"{job}:{shop.id}"


def acquire(
    job: str,
    shop: Shop | None,
    *,
    holder: str,
    now: datetime,
    ttl: timedelta,
    due_by: datetime | None,
) -> bool:
    """Take the lease if it is free (released or expired) and the job's next slot is no later
    than ``due_by``; ``due_by=None`` ignores the schedule ("run now")."""
    name = lease_name(job, shop)
    _ensure_row(name, job, shop, now)
    free = JobLease.holder.is_null() | (JobLease.expires_at <= now)
    condition = (JobLease.name == name) & free
    if due_by is not None:
        condition &= JobLease.not_before <= due_by
    # One UPDATE is atomic on every engine: the row count says whether we won.
    taken = (
        JobLease.update(holder=holder, expires_at=now + ttl, acquired_at=now)
        .where(condition)
        .execute()
    )
    return bool(taken)


def _ensure_row(name: str, job: str, shop: Shop | None, now: datetime) -> None:
    """Create the lease row once, free and due. Racing creators must not fail or deadlock:
    insert-or-ignore, and MariaDB's occasional deadlock on concurrent inserts is retried."""
    if JobLease.select().where(JobLease.name == name).exists():
        return
    for attempt in range(DEADLOCK_RETRIES):
        try:
            JobLease.insert(name=name, job=job, shop=shop, holder=None, expires_at=now,
                            not_before=now).on_conflict_ignore().execute()
            return
        except OperationalError:
            if attempt == DEADLOCK_RETRIES - 1:
                raise
            time.sleep(0.01 * (attempt + 1))


def renew(job: str, shop: Shop | None, *, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Extend a lease we hold; False means we lost it and must stop."""
    return bool(
        JobLease.update(expires_at=now + ttl)
        .where(JobLease.name == lease_name(job, shop), JobLease.holder == holder)
        .execute()
    )


def release(job: str, shop: Shop | None, *, holder: str, not_before: datetime) -> None:
    (
        JobLease.update(holder=None, not_before=not_before)
        .where(JobLease.name == lease_name(job, shop), JobLease.holder == holder)
        .execute()
    )


def due_at_once(job: str, shop: Shop | None, now: datetime) -> bool:
    """Bring the job's next slot forward to now (a catch-up at start); True if it was later."""
    return bool(JobLease.update(not_before=now)
                .where(JobLease.name == lease_name(job, shop), JobLease.not_before > now)
                .execute())


def next_slot(job: str, shop: Shop | None) -> datetime | None:
    """When the job is next due, across all processes; None: never run, so now."""
    row = JobLease.get_or_none(JobLease.name == lease_name(job, shop))
    return row.not_before if row is not None else None


def release_orphans(holder: str, now: datetime) -> list[str]:
    """Free the leases held by processes on this host that no longer run; returns their names.

    Holders read ``host:pid:token`` (``runner.process_holder``). A lease of another host is
    left to expire: whether that process lives cannot be known from here."""
    host = holder.rsplit(":", 2)[0]
    leases = list(JobLease.select().where(
        JobLease.holder.startswith(f"{host}:") & (JobLease.holder != holder)))
    gone = of_gone_processes({lease.holder for lease in leases}, holder)
    orphans = [lease for lease in leases if lease.holder in gone]
    for lease in orphans:
        JobLease.update(holder=None, expires_at=now).where(
            (JobLease.id == lease.id) & (JobLease.holder == lease.holder)).execute()
    return [lease.name for lease in orphans]


def release_claims_of_gone_processes(model: type[Model], holder: str, now: datetime) -> int:
    """End now the claims on ``model``'s rows (``claimed_by``, ``claimed_until``) held by gone
    processes of this host, so their work is picked up at once rather than when the claims
    lapse; returns how many rows. Claimants are named as holders, followed by ``/...``."""
    host = holder.rsplit(":", 2)[0]
    claimed_by, claimed_until = model.claimed_by, model.claimed_until  # type: ignore[attr-defined]
    claimants = {row.claimed_by for row in model.select(claimed_by).distinct().where(
        claimed_by.startswith(f"{host}:"), claimed_until > now)}
    gone = of_gone_processes(claimants, holder)
    if not gone:
        return 0
    return int(model.update({claimed_until: now})
               .where(claimed_by.in_(gone), claimed_until > now).execute())


def of_gone_processes(holders: set[str], own: str) -> set[str]:
    """Those of ``holders`` (``host:pid:token``, or that followed by ``/...``) naming a process
    on this host (``own``'s) that no longer runs."""
    host, pid, _ = own.rsplit(":", 2)
    return {other for other in holders
            if other.startswith(f"{host}:") and not other.startswith(f"{own}/")
            and other != own and _is_gone(other, host, int(pid))}


def _is_gone(other: str, host: str, own_pid: int) -> bool:
    parts = other[len(host) + 1:].split(":")
    if not parts[0].isdigit():
        return False
    pid = int(parts[0])
    if pid == own_pid:
        return True  # our pid with another token: an earlier process, reborn as us
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it runs, as another user
    return is_zombie(pid)


def is_zombie(pid: int) -> bool:
    """Exited but not reaped: a worker killed with its master, under an init that doesn't reap
    (a container's). Linux only; elsewhere a signalable pid counts as running."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False
