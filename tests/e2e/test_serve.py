"""The real thing: `sidecar migrate` and `sidecar serve` (gunicorn) as an operator runs them."""

from __future__ import annotations

import itertools
import signal
import time
from pathlib import Path

import pytest

from sidecar import crypto
from sidecar import settings
from sidecar.db import bind_database
from sidecar.models import JobRun
from sidecar.models import Shop
from sidecar.sim.process import SECRET_KEY
from sidecar.sim.process import run_cli
from sidecar.sim.process import sidecar_env
from sidecar.sim.process import start_sidecar

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
