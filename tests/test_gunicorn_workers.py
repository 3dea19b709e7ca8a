"""One worker of several runs the jobs; the others wake it through the master's pipe."""

from __future__ import annotations

import os
import queue
from collections.abc import Iterator
from dataclasses import replace
from types import SimpleNamespace

import pytest
from peewee import Database

from sidecar import gunicorn_workers
from sidecar.config import Config
from sidecar.serve import SidecarServer


@pytest.fixture(name="pipe")
def pipe_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(gunicorn_workers, "_pipe", None)
    monkeypatch.setattr(gunicorn_workers, "runs_jobs", True)
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
    for _ in range(100_000):  # far more than a pipe holds; must return, not hang
        gunicorn_workers.send_wake(123456)


def test_a_worker_without_the_jobs_serves_with_its_scheduler_off_and_sends_wake_ups(
    pipe: None, config: Config, sqlite_database: Database
) -> None:
    config = replace(config, scheduler_enabled=True)  # as the operator left it
    gunicorn_workers.adopt(SimpleNamespace(sidecar_runs_jobs=False))

    app = SidecarServer.load(SimpleNamespace(sidecar_config=config))

    assert app.extensions["sidecar.config"].scheduler_enabled is False
    assert app.extensions["sidecar.wake_inbox"] is gunicorn_workers.send_wake
    health = app.test_client().get("/healthz")
    assert (health.status_code, health.json["scheduler"]) == (200, "in another worker")
