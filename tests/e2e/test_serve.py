"""The real thing: `sidecar migrate` and `sidecar serve` (gunicorn) as an operator runs them."""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import time
from pathlib import Path

import pytest
import requests

from sidecar import crypto
from sidecar import settings
from sidecar.db import bind_database
from sidecar.jobs import lease
from sidecar.models import InboxEntry
from sidecar.models import JobRun
from sidecar.models import Shop
from sidecar.sim.process import SECRET_KEY
from sidecar.sim.process import SidecarProcess
from sidecar.sim.process import migrated_sidecar
from sidecar.sim.process import run_cli
from sidecar.sim.process import sidecar_database
from sidecar.sim.process import sidecar_env
from sidecar.sim.process import start_sidecar
from sidecar.webhooks.signature import sign
from tests.polling import wait_for

pytestmark = pytest.mark.slow


def test_it_serves_healthz_and_stops_cleanly(tmp_path: Path) -> None:
    env = sidecar_env(tmp_path)
    assert "applied: 0001_initial" in run_cli(["migrate"], env).stdout
    sidecar = start_sidecar(env, tmp_path / "serve.log")
    try:
        health = sidecar.wait_healthy()
    finally:
        code = sidecar.stop(signal.SIGTERM)

    assert health["status"] == "ok"
    assert health["database"] == "ok"
    assert health["scheduler"] == "alive"
    assert [shop["slug"] for shop in health["shops"]] == ["default"]
    assert code == 0
    assert "scheduler.stopped" in sidecar.log()
    assert "Traceback" not in sidecar.log()


def test_serve_refuses_an_unmigrated_database_with_one_line(tmp_path: Path) -> None:
    sidecar = start_sidecar(sidecar_env(tmp_path), tmp_path / "serve.log")
    code = sidecar.process.wait(timeout=60)

    assert code == 2
    assert sidecar.log().strip().splitlines()[-1].endswith("run `sidecar migrate`")


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_two_processes_on_one_database_run_a_job_one_at_a_time(
    tmp_path: Path, engine: str, request: pytest.FixtureRequest
) -> None:
    extra = {"SIDECAR_LOG_LEVEL": "DEBUG"}
    if engine != "sqlite":
        extra["SIDECAR_DATABASE_URL"] = request.getfixturevalue("server_databases")[engine]
        crypto.configure(SECRET_KEY)
        database = bind_database(extra["SIDECAR_DATABASE_URL"])
        from tests.conftest import reset_schema

        with database.connection_context():
            reset_schema(database)
    env = sidecar_env(tmp_path, **extra)
    run_cli(["migrate"], env)
    crypto.configure(SECRET_KEY)
    database = bind_database(env.get("SIDECAR_DATABASE_URL")
                             or f"sqlite:///{tmp_path / 'sidecar.db'}")
    interval = 2
    with database.connection_context():
        settings.save(Shop.get(), {settings.job_interval_key("prune"): interval})

    first = start_sidecar(env, tmp_path / "first.log")
    second = start_sidecar(env, tmp_path / "second.log")
    try:
        first.wait_healthy()
        second.wait_healthy()
        time.sleep(7)
        first.stop(signal.SIGKILL)  # a holder dying must not stop the job
        killed_at_pid = first.process.pid
        time.sleep(7)
    finally:
        first.stop(signal.SIGKILL)
        second.stop()

    with database.connection_context():
        runs = list(JobRun.select().where(JobRun.job == "prune").order_by(JobRun.started_at))
    assert runs, first.log() + second.log()
    for earlier, later in itertools.pairwise(runs):
        assert earlier.finished_at is not None
        assert later.started_at >= earlier.finished_at, "two runs overlapped"
    # Two schedulers firing every 2 s for ~14 s would run it ~14 times without the lease.
    assert 4 <= len(runs) <= 14 / interval + 2, [r.holder for r in runs]
    survivors = {r.holder for r in runs if not r.holder.endswith(f":{killed_at_pid}")}
    assert survivors, "the second process never ran the job"
    assert runs[-1].holder in survivors
    assert "reason=lease_held" in first.log() + second.log()


def test_with_two_workers_one_runs_the_jobs_and_the_other_wakes_it(tmp_path: Path) -> None:
    env = migrated_sidecar(tmp_path, webhook_secret=WEBHOOK_SECRET, SIDECAR_WORKERS="2")
    sidecar = start_sidecar(env, tmp_path / "serve.log")
    try:
        sidecar.wait_healthy()
        roles = wait_for_workers(sidecar, 2)
        [with_jobs] = [pid for pid, jobs in roles.items() if jobs]
        wait_for_jobs_idle(sidecar)  # stopped in a job, it might hold the database's write lock
        # Stopped, the worker with the jobs can't accept: the other one stores the delivery.
        os.kill(with_jobs, signal.SIGSTOP)
        try:
            assert deliver_product(sidecar.url, 1).status_code == 200
        finally:
            os.kill(with_jobs, signal.SIGCONT)
        resumed = time.monotonic()
        done = wait_for(lambda: processed(env, 1), 10)
        waited = time.monotonic() - resumed
        os.kill(with_jobs, signal.SIGKILL)  # the master replaces it; the new one has the jobs
        replaced = wait_for_workers(sidecar, 3)
    finally:
        code = sidecar.stop(signal.SIGTERM)

    assert done and waited < 5, "the wake-up did not reach the worker with the jobs"
    assert sum(roles.values()) == 1
    [new_jobs] = [jobs for pid, jobs in replaced.items() if pid not in roles]
    assert new_jobs, "the replacement of the worker with the jobs did not take them over"
    assert code == 0


def test_workers_go_with_a_killed_master_and_free_the_port(tmp_path: Path) -> None:
    env = migrated_sidecar(tmp_path, webhook_secret=WEBHOOK_SECRET)
    sidecar = start_sidecar(env, tmp_path / "serve.log")
    try:
        sidecar.wait_healthy()
        workers = wait_for_workers(sidecar, 2)
    finally:
        sidecar.stop(signal.SIGKILL)  # the master only, as the OOM killer would
    gone = wait_for(lambda: all(map(has_exited, workers)), 5)
    port = int(sidecar.url.rsplit(":", 1)[1])
    restarted = start_sidecar(env, tmp_path / "restarted.log", port=port)
    try:
        health = restarted.wait_healthy()
    finally:
        restarted.stop()

    assert gone, (workers, sidecar.log())
    assert health["status"] == "ok"


def has_exited(pid: int) -> bool:
    return not Path(f"/proc/{pid}").exists() or lease.is_zombie(pid)


WEBHOOK_SECRET = "serve-test-webhook-secret"


def wait_for_workers(sidecar: SidecarProcess, count: int) -> dict[int, bool]:
    """Worker pid → whether it runs the jobs, from the app.created lines (at least ``count``)."""
    def roles() -> dict[int, bool]:
        return {int(pid): jobs == "True" for jobs, pid in
                re.findall(r"app\.created .*scheduler=(\w+) pid=(\d+)", sidecar.log())
                if int(pid) != sidecar.process.pid}  # the master's check, not a worker

    if not wait_for(lambda: len(roles()) >= count, 30):
        raise TimeoutError(sidecar.log())
    return roles()


def wait_for_jobs_idle(sidecar: SidecarProcess) -> None:
    """Until the start-up runs of every job have finished."""
    def idle() -> bool:
        log = sidecar.log()
        started = log.count("job.started ")
        return started >= 5 and log.count("job.finished ") == started

    if not wait_for(idle, 30):
        raise TimeoutError(f"jobs still running:\n{sidecar.log()}")


def deliver_product(url: str, product_id: int) -> requests.Response:
    body = json.dumps({"id": product_id, "sku": f"SKU-{product_id}", "type": "simple",
                       "date_modified_gmt": "2026-11-23T10:00:00"}).encode()
    return requests.post(f"{url}/webhooks/woocommerce", data=body, timeout=10, headers={
        "X-WC-Webhook-Topic": "product.updated",
        "X-WC-Webhook-Signature": sign(body, WEBHOOK_SECRET)})


def processed(env: dict[str, str], count: int) -> bool:
    with sidecar_database(env):
        return InboxEntry.select().where(InboxEntry.status == "done").count() >= count
