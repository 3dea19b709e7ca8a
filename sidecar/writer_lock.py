"""One SQLite writer at a time, across the threads and the processes sharing a database file.

SQLite allows one writer; the others wait in its busy handler, which sleeps 1 to 100 ms between
tries instead of queueing. A burst of webhook writes from several threads or gunicorn workers
then turns into long, random waits. Writers queue here instead: on a lock among the threads of a
process, then on flock(2) of a file beside the database among processes, where the kernel wakes
the next waiter as soon as the lock is free.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path
from types import TracebackType


class WriterLock:
    """Re-entrant per thread. ``path`` None (an in-memory database): among threads only."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._threads = threading.RLock()
        self._local = threading.local()
        self._fd: int | None = None
        self._fd_pid = 0

    def acquire(self) -> None:
        self._threads.acquire()
        depth = getattr(self._local, "depth", 0)
        if depth == 0 and self.path is not None:
            try:
                fcntl.flock(self._descriptor(), fcntl.LOCK_EX)
            except BaseException:
                self._threads.release()
                raise
        self._local.depth = depth + 1

    def release(self) -> None:
        depth = self._local.depth - 1
        self._local.depth = depth
        try:
            if depth == 0 and self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._threads.release()

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.release()

    def _descriptor(self) -> int:
        # A descriptor inherited through fork shares its lock with the parent: each process
        # opens its own.
        if self._fd is None or self._fd_pid != os.getpid():
            assert self.path is not None
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            self._fd_pid = os.getpid()
        return self._fd
