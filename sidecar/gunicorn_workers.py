"""Several gunicorn workers, one scheduler: which worker runs the jobs, and how the others wake it.

A worker process serves requests on one core at a time (the GIL); more workers use more cores.
The jobs run in one worker only. The master picks it before each fork: the first worker, and the
replacement of one that died. A delivery stored by another worker wakes the inbox job through a
pipe the master opens at start and every worker inherits; the scheduler's heartbeat goes the
other way through memory shared the same way, for /healthz. A worker stops when the master
dies. The hooks are called from config/gunicorn.conf.py; outside gunicorn nothing here is used.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from multiprocessing.sharedctypes import RawValue
from typing import Any

log = logging.getLogger(__name__)

ROLE = "sidecar_runs_jobs"  # set on gunicorn's Worker object in the master, read after the fork

_pipe: tuple[int, int] | None = None  # (read end, write end)
# When the scheduler last showed it is alive (unix time), in memory the master shares with every
# worker: any worker's /healthz can tell whether the jobs run, whichever worker answers.
_heartbeat: Any = None
runs_jobs = True  # in a worker: whether it is the one that runs the scheduler


def open_wake_pipe() -> None:
    """The master, at start: the pipe and the heartbeat every worker inherits."""
    global _pipe, _heartbeat
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)  # with nobody reading, a wake-up is dropped, not waited on
    _pipe = (read_end, write_end)
    _heartbeat = RawValue("d", 0.0)


def beat(when: datetime) -> None:
    """The scheduler's worker: the scheduler is alive at ``when``."""
    if _heartbeat is not None:
        _heartbeat.value = when.timestamp()


def last_beat() -> datetime | None:
    """Any worker: when the scheduler last showed it is alive, if it ever did."""
    if _heartbeat is None or not _heartbeat.value:
        return None
    return datetime.fromtimestamp(_heartbeat.value, UTC)


def choose(server: Any, worker: Any) -> None:
    """The master, before forking ``worker``: it runs the jobs unless a live worker does."""
    setattr(worker, ROLE, not any(getattr(w, ROLE, False) for w in server.WORKERS.values()))


def adopt(worker: Any) -> None:
    """The new worker, right after the fork."""
    global runs_jobs
    runs_jobs = bool(getattr(worker, ROLE, True))


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def follow_the_master_out(master_pid: int) -> None:
    """Linux: the worker is killed when the master dies. A master only dies before its workers
    when it is killed itself (SIGKILL, the OOM killer): a crash, and the workers go with it.
    Otherwise a worker would serve on as an orphan, holding the port a restarted sidecar needs,
    until it noticed by itself (up to a minute); a graceful stop would also wait for the job it
    runs. Everything the sidecar does survives a kill (bench/soak.py)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
        log.warning("worker.no_parent_death_signal errno=%s", ctypes.get_errno())
    elif os.getppid() != master_pid:  # the master died before the line above
        os.kill(os.getpid(), signal.SIGKILL)


def has_wake_pipe() -> bool:
    return _pipe is not None


# A woken inbox run starts 0.2 s after the wake-up (the scheduler's WAKE_DELAY), so a delivery
# stored within 0.1 s of the last wake-up sent is seen by that run: no need to send another.
# In a burst this spares the scheduler's worker a thread switch per delivery.
RESEND_AFTER_SECONDS = 0.1
_last_sent: dict[int, float] = {}  # shop id -> monotonic time of the last wake-up written


def send_wake(shop_id: int) -> None:
    """A worker without the scheduler: ask the one with it to work off this shop's inbox."""
    if _pipe is None:
        return
    now = time.monotonic()
    if now - _last_sent.get(shop_id, -RESEND_AFTER_SECONDS) < RESEND_AFTER_SECONDS:
        return
    try:
        os.write(_pipe[1], b"%d\n" % shop_id)  # shorter than PIPE_BUF: written whole or not at all
    except BlockingIOError:
        return  # the pipe is full: the job's own interval still finds the row
    _last_sent[shop_id] = now


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
