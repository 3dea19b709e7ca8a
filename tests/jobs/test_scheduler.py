"""The scheduler's job list follows the registry and each shop's settings, without a restart."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from peewee import Database

from sidecar import settings
from sidecar.config import Config
from sidecar.fields import utcnow
from sidecar.jobs.registry import JOBS
from sidecar.jobs.scheduler import SchedulerService
from sidecar.jobs.scheduler import run_for_shop
from sidecar.jobs.scheduler import run_scheduled
from sidecar.models import InboxEntry
from sidecar.models import JobLease
from sidecar.models import JobRun
from sidecar.models import Shop
from sidecar.webhooks.intake import classify
from sidecar.webhooks.intake import record


def scheduled(service: SchedulerService) -> dict[str, timedelta]:
    return {job.id: job.trigger.interval for job in service.scheduler.get_jobs()
            if job.func is run_scheduled}


def test_it_schedules_every_job_for_every_shop(sqlite_database: Database) -> None:
    first = Shop.create(name="A", slug="a")
    second = Shop.create(name="B", slug="b")
    service = SchedulerService()

    service.reconcile()

    # Every registered job (features add theirs), each at its default interval.
    assert scheduled(service) == {f"{spec.name}:{shop.id}": spec.default_interval
                                  for spec in JOBS.values() for shop in (first, second)}
    assert scheduled(service)[f"prune:{first.id}"] == timedelta(days=1)
    assert scheduled(service)[f"process_inbox:{second.id}"] == timedelta(seconds=30)
    assert service.last_heartbeat is not None


def test_it_follows_frequency_and_pause_changes(sqlite_database: Database) -> None:
    shop = Shop.create(name="A", slug="a")
    service = SchedulerService()
    service.scheduler.start(paused=True)
    try:
        service.reconcile()
        settings.save(shop, {settings.job_interval_key("prune"): 120})
        service.reconcile()
        assert scheduled(service)[f"prune:{shop.id}"] == timedelta(seconds=120)

        settings.save(shop, {settings.job_paused_key("prune"): True})
        service.reconcile()
        assert f"prune:{shop.id}" not in scheduled(service)
        assert f"process_inbox:{shop.id}" in scheduled(service)

        settings.save(shop, {settings.job_paused_key("prune"): False})
        service.reconcile()
        assert scheduled(service)[f"prune:{shop.id}"] == timedelta(seconds=120)
    finally:
        service.shutdown()


def test_a_deleted_shop_loses_its_jobs(sqlite_database: Database) -> None:
    shop = Shop.create(name="A", slug="a")
    service = SchedulerService()
    service.scheduler.start(paused=True)
    try:
        service.reconcile()
        shop.delete_instance()
        service.reconcile()
        assert scheduled(service) == {}
    finally:
        service.shutdown()


def test_reconciling_leaves_pending_wake_ups_alone(sqlite_database: Database) -> None:
    shop = Shop.create(name="A", slug="a")
    service = SchedulerService()
    service.scheduler.start(paused=True)
    try:
        service.wake("process_inbox", shop.id)
        service.wake("process_inbox", shop.id)  # coalesced with the first
        service.reconcile()
        wakes = [job for job in service.scheduler.get_jobs() if job.func is not run_scheduled]
    finally:
        service.shutdown()

    assert len(wakes) == 1
    assert wakes[0].args[1:] == ("process_inbox", shop.id, 0)


def test_a_wake_up_with_nothing_to_do_writes_nothing(sqlite_database: Database,
                                                     tmp_path: Path) -> None:
    shop = Shop.create(name="A", slug="a")
    config = Config.for_tests(tmp_path)
    order = b'{"id":7,"status":"processing","date_modified_gmt":"2026-11-23T09:00:00"}'
    record(shop, classify("order.updated", order), order, "d1")  # waits: Fortnox not connected

    assert run_for_shop("process_inbox", shop.id, "wake", config)

    assert (JobLease.select().count(), JobRun.select().count()) == (0, 0)
    product = b'{"id":13,"sku":"KAFFE","type":"simple","date_modified_gmt":"x"}'
    record(shop, classify("product.updated", product), product, "d2")

    assert run_for_shop("process_inbox", shop.id, "wake", config)

    assert JobRun.get().counts["done"] == 1
    statuses = {row.topic: row.status for row in InboxEntry.select()}
    assert statuses == {"order.updated": "pending", "product.updated": "done"}


def test_at_start_the_sweep_is_due_at_once_whenever_it_last_ran(sqlite_database: Database) -> None:
    shop = Shop.create(name="A", slug="a")
    later = utcnow() + timedelta(minutes=8)  # it ran two minutes before the sidecar stopped
    for job in ("sweep_orders", "prune"):
        JobLease.create(name=f"{job}:{shop.id}", job=job, shop=shop, not_before=later)
    service = SchedulerService()
    service.recover()
    service.scheduler.start(paused=True)
    try:
        service.reconcile()
        first_runs = {job.id: job.next_run_time for job in service.scheduler.get_jobs()
                      if job.func is run_scheduled}
    finally:
        service.shutdown()

    assert first_runs[f"sweep_orders:{shop.id}"] <= utcnow()
    # Other jobs keep their slot: the first try is then, not a whole interval after the start.
    assert abs((first_runs[f"prune:{shop.id}"] - later).total_seconds()) < 1


def test_a_run_that_leaves_work_due_is_followed_at_once_by_the_next(
        sqlite_database: Database, tmp_path: Path, monkeypatch) -> None:
    from sidecar.jobs import inbox_worker

    shop = Shop.create(name="A", slug="a")
    config = Config.for_tests(tmp_path)
    for n in range(1, 4):
        product = f'{{"id":{n},"sku":"S{n}","type":"simple","date_modified_gmt":"x"}}'.encode()
        record(shop, classify("product.updated", product), product, f"d{n}")
    monkeypatch.setattr(inbox_worker, "WORKERS", 1)
    monkeypatch.setattr(inbox_worker, "RUN_BUDGET_SECONDS", 0.05)  # one row per run
    monkeypatch.setitem(inbox_worker.HANDLERS, "product.updated",
                        lambda *args: time.sleep(0.1) or "slow")
    service = SchedulerService(config)
    woken: list[tuple[str, int]] = []
    monkeypatch.setattr(service, "wake", lambda job, shop_id: woken.append((job, shop_id)))

    run_scheduled("process_inbox", shop.id, config, service)
    left = InboxEntry.select().where(InboxEntry.status == "pending").count()
    run_scheduled("process_inbox", shop.id, config, service)  # not due: the interval holds it
    run_for_shop("process_inbox", shop.id, "wake", config, service)
    run_for_shop("process_inbox", shop.id, "wake", config, service)

    assert left == 2
    assert woken == [("process_inbox", shop.id)] * 2  # the last run left nothing
    assert InboxEntry.select().where(InboxEntry.status == "done").count() == 3
