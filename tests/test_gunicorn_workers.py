"""One worker of several runs the jobs; the others wake it through the master's pipe."""

from __future__ import annotations

import os
import queue
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from types import SimpleNamespace

import pytest
from peewee import Database

from sidecar import gunicorn_workers
from sidecar.config import Config
from sidecar.fields import utcnow
from sidecar.jobs.scheduler import HEARTBEAT_MAX_AGE
from sidecar.jobs.scheduler import scheduler_of
from sidecar.serve import SidecarServer
from tests.polling import wait_for


@pytest.fixture(name="pipe")
def pipe_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(gunicorn_workers, "_pipe", None)
    monkeypatch.setattr(gunicorn_workers, "runs_jobs", True)
    monkeypatch.setattr(gunicorn_workers, "_last_sent", {})
    monkeypatch.setattr(gunicorn_workers, "_heartbeat", None)
    gunicorn_workers.open_wake_pipe()
    yield
    assert gunicorn_workers._pipe is not None
    for fd in gunicorn_workers._pipe:
        os.close(fd)


def forked(server: SimpleNamespace) -> SimpleNamespace:
    """What the master does: pre_fork, then the worker joins WORKERS under its pid."""
    worker = SimpleNamespace()
    gunicorn_workers.choose(server, worker)
    server.WORKERS[len(server.WORKERS) + 100] = worker
    return worker


def test_the_first_worker_runs_the_jobs_and_a_replacement_takes_over_when_it_dies() -> None:
    server = SimpleNamespace(WORKERS={})
    first, second = forked(server), forked(server)
    del server.WORKERS[100]  # the first one died and was reaped
    replacement = forked(server)
    fourth = forked(server)

    roles = [w.sidecar_runs_jobs for w in (first, second, replacement, fourth)]

    assert roles == [True, False, True, False]


def test_a_wake_up_sent_by_one_worker_reaches_the_scheduler_of_another(pipe: None) -> None:
    woken: queue.Queue[int] = queue.Queue()
    gunicorn_workers.listen(woken.put)

    for shop_id in (7, 7, 12):
        gunicorn_workers.send_wake(shop_id)

    seen = {woken.get(timeout=5)}
    while seen != {7, 12}:
        seen.add(woken.get(timeout=5))  # an id sent twice may wake once or twice
    assert seen == {7, 12}


def test_with_nobody_reading_a_full_pipe_drops_wake_ups_instead_of_blocking(pipe: None) -> None:
    for shop_id in range(100_000):  # far more than a pipe holds; must return, not hang
        gunicorn_workers.send_wake(shop_id)


def test_a_burst_of_deliveries_for_one_shop_sends_one_wake_up_per_interval(
    pipe: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(gunicorn_workers.time, "monotonic", lambda: clock[0])
    assert gunicorn_workers._pipe is not None
    read_end = gunicorn_workers._pipe[0]

    for _ in range(50):
        gunicorn_workers.send_wake(7)
    gunicorn_workers.send_wake(8)
    clock[0] += gunicorn_workers.RESEND_AFTER_SECONDS
    gunicorn_workers.send_wake(7)

    assert os.read(read_end, 4096) == b"7\n8\n7\n"


def test_a_worker_without_the_jobs_serves_with_its_scheduler_off_and_sends_wake_ups(
    pipe: None, config: Config, sqlite_database: Database
) -> None:
    config = replace(config, scheduler_enabled=True)  # as the operator left it
    gunicorn_workers.adopt(SimpleNamespace(sidecar_runs_jobs=False))

    app = SidecarServer.load(SimpleNamespace(sidecar_config=config))

    assert app.extensions["sidecar.config"].scheduler_enabled is False
    assert app.extensions["sidecar.wake_inbox"] is gunicorn_workers.send_wake
    before_any_beat = app.test_client().get("/healthz")
    gunicorn_workers.beat(utcnow())  # what the other worker's scheduler does every 15 s
    after_a_beat = app.test_client().get("/healthz")
    gunicorn_workers.beat(utcnow() - HEARTBEAT_MAX_AGE - timedelta(seconds=1))
    after_it_stopped = app.test_client().get("/healthz")

    assert (before_any_beat.status_code, before_any_beat.json["scheduler"]) == (503, "stopped")
    assert (after_a_beat.status_code, after_a_beat.json["scheduler"]) == (200, "alive")
    assert after_a_beat.json["scheduler_worker"] == "another"
    assert (after_it_stopped.status_code, after_it_stopped.json["scheduler"]) == (503, "stopped")


def test_the_worker_with_the_jobs_shares_its_heartbeat(
    pipe: None, config: Config, sqlite_database: Database
) -> None:
    config = replace(config, scheduler_enabled=True)
    gunicorn_workers.adopt(SimpleNamespace(sidecar_runs_jobs=True))

    app = SidecarServer.load(SimpleNamespace(sidecar_config=config))
    try:
        shared = wait_for(lambda: gunicorn_workers.last_beat() is not None, timeout=10)
        health = app.test_client().get("/healthz").json
    finally:
        scheduler_of(app).shutdown()

    assert shared
    assert health["scheduler"] == "alive" and "scheduler_worker" not in health


@pytest.mark.parametrize(("threads", "worker_class"), [
    (1, "sidecar.slow_clients.DeadlineSyncWorker"), (4, "gthread")])
def test_one_thread_means_gunicorns_sync_worker(config: Config, threads: int,
                                                worker_class: str) -> None:
    server = SidecarServer(replace(config, threads=threads, workers=3))

    assert (server.cfg.worker_class_str, server.cfg.workers, server.cfg.threads) == (
        worker_class, 3, threads)


def test_the_defaults_are_two_sync_workers() -> None:
    config = Config.from_env({"SIDECAR_SECRET_KEY": "gW4nB8qT1zK6vL3xR9cM2yH7pD0sF5jA"})

    assert (config.workers, config.threads) == (2, 1)
