"""`sidecar serve`: gunicorn with config/gunicorn.conf.py, running an app built from the config
already parsed by the CLI (so a bad variable is reported once, before gunicorn starts)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from gunicorn.app.base import Application

from sidecar import gunicorn_workers
from sidecar import slow_clients
from sidecar import wal_checkpoints
from sidecar.config import Config
from sidecar.db import database


def gunicorn_conf_path() -> Path:
    """config/gunicorn.conf.py in the working directory (the image), else beside the package."""
    for base in (Path.cwd(), Path(__file__).resolve().parent.parent):
        candidate = base / "config" / "gunicorn.conf.py"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("config/gunicorn.conf.py not found; run from the project directory")


SYNC_WORKER = "sidecar.slow_clients.DeadlineSyncWorker"


def worker_class(threads: int) -> str:
    """gunicorn's `sync` worker (with a deadline for receiving each request) for one thread,
    the default; `gthread` for more. Why is in config/gunicorn.conf.py."""
    return SYNC_WORKER if threads == 1 else "gthread"


class SidecarServer(Application):  # type: ignore[misc]
    def __init__(self, config: Config) -> None:
        self.sidecar_config = config
        super().__init__()

    def load_config(self) -> None:
        self.load_config_from_file(str(gunicorn_conf_path()))
        self.cfg.set("bind", [self.sidecar_config.bind])
        self.cfg.set("workers", self.sidecar_config.workers)
        self.cfg.set("threads", self.sidecar_config.threads)
        self.cfg.set("worker_class", worker_class(self.sidecar_config.threads))
        slow_clients.read_timeout = float(self.sidecar_config.read_timeout)

    def load(self) -> Any:
        # Imported here so the app is built inside the worker, after the fork: the scheduler's
        # threads must live in the process that serves (they do not survive a fork).
        from sidecar.app import create_app
        from sidecar.jobs.scheduler import scheduler_of
        from sidecar.web import health

        config = self.sidecar_config
        if not gunicorn_workers.runs_jobs:
            config = dataclasses.replace(config, scheduler_enabled=False)
        app = create_app(config)
        if gunicorn_workers.runs_jobs:  # one checkpointer is enough for every worker
            wal_checkpoints.start(database.obj)
        if gunicorn_workers.has_wake_pipe():
            if config.scheduler_enabled:
                service = scheduler_of(app)
                service.share_heartbeat(gunicorn_workers.beat)
                gunicorn_workers.listen(lambda shop_id: service.wake("process_inbox", shop_id))
            else:
                app.extensions["sidecar.wake_inbox"] = gunicorn_workers.send_wake
        if self.sidecar_config.scheduler_enabled and not config.scheduler_enabled:
            app.extensions[health.JOBS_HEARTBEAT] = gunicorn_workers.last_beat
        return app


def serve(config: Config) -> None:
    SidecarServer(config).run()
