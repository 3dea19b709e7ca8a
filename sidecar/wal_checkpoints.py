"""SQLite's write-ahead log, checkpointed in the pauses between writes instead of by a writer.

By default the commit that grows the WAL past 1,000 pages copies it back into the database file
and waits for the fsync, holding the sidecar's write lock; about one webhook delivery in a
hundred waited 10-25 ms for it, and every writer behind it queued. A checkpoint from another
thread while deliveries were being written stalled them too (~100 ms now and then, measured;
most likely its fsync holding up their writes on the same disk). So the served sidecar
checkpoints from a background thread once writing has paused for a second, or after 30 s of
writes without a pause, and its connections only checkpoint by themselves as a safety net,
when the WAL is past ``SAFETY_NET_PAGES`` (nothing else checkpoints: a CLI command, a stalled
thread).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time

from peewee import Database
from peewee import SqliteDatabase

log = logging.getLogger(__name__)

# ~200 MB of WAL, minutes of a busy shop's writes; the file is cut back to 64 MB afterwards.
SAFETY_NET_PAGES = 50_000
WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024
EVERY_SECONDS = 1.0
LONGEST_DEFERRAL_SECONDS = 30.0


def start(db: Database, every: float = EVERY_SECONDS,
          longest_deferral: float = LONGEST_DEFERRAL_SECONDS) -> threading.Thread | None:
    """Checkpoint the database's WAL from a daemon thread; None when it is not a SQLite file."""
    path = db.database if isinstance(db, SqliteDatabase) else None
    if not path or path == ":memory:" or path.startswith("file::memory:"):
        return None
    thread = threading.Thread(target=_checkpoint_forever, args=(path, every, longest_deferral),
                              name="sqlite-wal-checkpoints", daemon=True)
    thread.start()
    log.info("db.wal_checkpoints when=pause every_s=%s longest_deferral_s=%s", every,
             longest_deferral)
    return thread


def _checkpoint_forever(path: str, every: float, longest_deferral: float) -> None:
    # Its own connection, outside the pool: a checkpoint takes no part in anyone's transaction.
    connection = sqlite3.connect(path, check_same_thread=False)
    last_version: int | None = None
    writing_since: float | None = None  # first write seen since the last checkpoint
    failing = False
    while True:
        time.sleep(every)
        try:
            # Changes whenever another connection committed since this one last asked.
            version = connection.execute("PRAGMA data_version").fetchone()[0]
            now = time.monotonic()
            if version != last_version:
                last_version = version
                writing_since = writing_since or now
                if now - writing_since < longest_deferral:
                    continue  # still writing: wait for a pause
            elif writing_since is None:
                continue  # quiet, and nothing written since the last checkpoint
            # PASSIVE: copies what it can without waiting for, or blocking, readers or writers.
            connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            writing_since = None
        except sqlite3.Error as exc:
            if not failing:  # once per spell of failures, not once a second
                log.warning("db.wal_checkpoint_failed error=%s", exc)
            failing = True
        else:
            failing = False
