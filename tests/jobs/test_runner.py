"""The job runner: takes the lease, records each run, never lets a job's error escape."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest

from sidecar import activity
from sidecar import settings
from sidecar.jobs import lease
from sidecar.jobs import registry
from sidecar.jobs.registry import JOBS
from sidecar.jobs.registry import JobContext
from sidecar.jobs.registry import JobSpec
from sidecar.jobs.runner import JobLocked
from sidecar.jobs.runner import run_job
from sidecar.messages import msg
from sidecar.models import ActivityEntry
from sidecar.models import JobRun
from sidecar.models import Shop

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def clock_at(moment: datetime):  # type: ignore[no-untyped-def]
    return lambda: moment


@pytest.fixture(name="register_sample")
def _register_sample(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Registers a job named "sample" for one test, with its settings."""
    monkeypatch.setattr("sidecar.jobs.registry.JOBS", dict(JOBS))
    monkeypatch.setattr("sidecar.settings.SPECS", dict(settings.SPECS))

    def register(func: Any) -> JobSpec:
        return registry.register(JobSpec(name="sample", func=func,
                                         default_interval=timedelta(hours=1), description=""))

    return register


def test_it_records_a_successful_run_with_its_counts(shop: Shop) -> None:
    run = run_job(JOBS["prune"], shop, trigger="manual", holder="h", clock=clock_at(T0))

    stored = JobRun.get_by_id(run.id)
    assert stored.outcome == "ok"
    assert stored.counts == {"inbox_deleted": 0, "runs_deleted": 0, "activity_deleted": 0,
                             "security_events_deleted": 0}
    assert stored.trigger == "manual"
    assert stored.finished_at == T0


def test_it_records_a_failing_job_and_releases_the_lease(shop: Shop, register_sample) -> None:
    def broken(shop: Shop, ctx: JobContext) -> dict[str, int]:
        raise RuntimeError("Fortnox said no")

    run = run_job(register_sample(broken), shop, trigger="manual", holder="h", clock=clock_at(T0))

    assert run.outcome == "failed"
    assert run.error == "RuntimeError: Fortnox said no"
    assert lease.acquire("sample", shop, holder="other", now=T0, ttl=timedelta(minutes=1),
                         due_by=None)


def test_a_scheduled_run_waits_for_its_slot_but_run_now_does_not(shop: Shop) -> None:
    run_job(JOBS["prune"], shop, trigger="schedule", holder="a", clock=clock_at(T0))
    an_hour_later = T0 + timedelta(hours=1)

    with pytest.raises(JobLocked):
        run_job(JOBS["prune"], shop, trigger="schedule", holder="b", clock=clock_at(an_hour_later))
    run = run_job(JOBS["prune"], shop, trigger="manual", holder="b", clock=clock_at(an_hour_later))

    assert run.outcome == "ok"
    assert JobRun.select().count() == 2


def test_it_refuses_to_run_while_another_process_holds_the_lease(shop: Shop) -> None:
    lease.acquire("prune", shop, holder="busy", now=T0, ttl=timedelta(minutes=10), due_by=None)

    with pytest.raises(JobLocked):
        run_job(JOBS["prune"], shop, trigger="manual", holder="me", clock=clock_at(T0))


def test_a_run_left_by_a_dead_process_is_marked_failed_when_the_lease_is_taken_over(
    shop: Shop,
) -> None:
    lease.acquire("prune", shop, holder="dead", now=T0, ttl=timedelta(minutes=10), due_by=None)
    orphan = JobRun.create(job="prune", shop=shop, holder="dead", started_at=T0)

    later = T0 + timedelta(minutes=11)
    run_job(JOBS["prune"], shop, trigger="manual", holder="alive", clock=clock_at(later))

    orphan = JobRun.get_by_id(orphan.id)
    assert orphan.outcome == "failed"
    assert "stopped before it finished" in orphan.error


def test_a_job_that_lost_its_lease_stops_when_it_renews(shop: Shop, register_sample) -> None:
    def long_job(shop: Shop, ctx: JobContext) -> dict[str, int]:
        # Someone else took over (our lease had expired while we were stuck).
        lease.release("sample", shop, holder="h", not_before=T0)
        lease.acquire("sample", shop, holder="thief", now=T0, ttl=timedelta(minutes=1),
                      due_by=None)
        ctx.renew()
        return {"done": 1}

    run = run_job(register_sample(long_job), shop, trigger="manual", holder="h", clock=clock_at(T0))

    assert run.outcome == "failed"
    assert "lease lost" in run.error


def test_a_run_that_succeeds_resolves_what_the_job_no_longer_sees(shop: Shop) -> None:
    about = activity.about_job("prune")
    old = activity.problem(shop, about=about, cause="gone", level="error", workflow="x",
                           message=msg("plain", text="gone"),
                           now=datetime.now(UTC) - timedelta(hours=1))

    run = run_job(JOBS["prune"], shop)

    assert run.outcome == "ok"
    resolved = ActivityEntry.get_by_id(old.id)
    assert resolved.resolution == ["resolved.job_succeeded", {}]
