"""Several gunicorn workers, one scheduler: which worker runs the jobs, and how the others wake it.

A worker process serves requests on one core at a time (the GIL); more workers use more cores.
The jobs run in one worker only. The master picks it before each fork: the first worker, and the
replacement of one that died. A delivery stored by another worker wakes the inbox job through a
pipe the master opens at start and every worker inherits. The hooks are called from
config/gunicorn.conf.py; outside gunicorn nothing here is used.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

ROLE = "sidecar_runs_jobs"  # set on gunicorn's Worker object in the master, read after the fork

_pipe: tuple[int, int] | None = None  # (read end, write end)
runs_jobs = True  # in a worker: whether it is the one that runs the scheduler


def open_wake_pipe() -> None:
    """The master, at start: the pipe every worker inherits."""
    global _pipe
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)  # with nobody reading, a wake-up is dropped, not waited on
    _pipe = (read_end, write_end)


def choose(server: Any, worker: Any) -> None:
    """The master, before forking ``worker``: it runs the jobs unless a live worker does."""
    setattr(worker, ROLE, not any(getattr(w, ROLE, False) for w in server.WORKERS.values()))


def adopt(worker: Any) -> None:
    """The new worker, right after the fork."""
    global runs_jobs
    runs_jobs = bool(getattr(worker, ROLE, True))


def has_wake_pipe() -> bool:
    return _pipe is not None


def send_wake(shop_id: int) -> None:
    """A worker without the scheduler: ask the one with it to work off this shop's inbox."""
    if _pipe is None:
        return
    try:
        os.write(_pipe[1], b"%d\n" % shop_id)  # shorter than PIPE_BUF: written whole or not at all
    except BlockingIOError:
        pass  # the pipe is full: the job's own interval still finds the row


def listen(wake: Callable[[int], None]) -> None:
    """The scheduler's worker: call ``wake(shop_id)`` for every id another worker sends."""
    if _pipe is not None:
        threading.Thread(target=_read_forever, args=(_pipe[0], wake), name="sidecar-wake",
                         daemon=True).start()


def _read_forever(read_end: int, wake: Callable[[int], None]) -> None:
    pending = b""
    while chunk := _read(read_end):
        *lines, pending = (pending + chunk).split(b"\n")
        for shop_id in {int(line) for line in lines if line.isdigit()}:
            try:
                wake(shop_id)
            except Exception:  # a failed wake-up must not end the listener
                log.exception("worker.wake_failed shop=%s", shop_id)


def _read(read_end: int) -> bytes:
    try:
        return os.read(read_end, 4096)
    except OSError:  # closed: the worker is shutting down
        return b""
