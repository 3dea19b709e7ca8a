"""The database: one proxy bound at start-up, connection hooks for requests, engine pragmas."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask import request
from peewee import Database
from peewee import DatabaseProxy
from playhouse.db_url import connect
from playhouse.pool import PooledSqliteDatabase

from sidecar import wal_checkpoints
from sidecar.fields import FIELD_TYPES
from sidecar.writer_lock import WriterLock

database = DatabaseProxy()

# WAL lets the web threads read while a job writes; the busy timeout makes a writer wait for the
# lock instead of failing at once; foreign keys are off by default in SQLite.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 15000,
    "foreign_keys": 1,
    "synchronous": "normal",
    # The served sidecar checkpoints in the pauses between writes (sidecar/wal_checkpoints.py).
    "wal_autocheckpoint": wal_checkpoints.SAFETY_NET_PAGES,
    "journal_size_limit": wal_checkpoints.WAL_SIZE_LIMIT_BYTES,
}


# Connections are pooled: opening one costs pragmas (SQLite) or a login (servers), and closing
# the last SQLite connection checkpoints the WAL. More than a webhook burst plus the jobs needs.
POOL = {"max_connections": 40, "stale_timeout": 300, "timeout": 30}


WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class SerializedSqliteDatabase(PooledSqliteDatabase):
    """SQLite whose writers queue on a `WriterLock` (threads and processes) instead of polling
    in SQLite's busy handler. Transactions start with BEGIN IMMEDIATE so two processes never
    deadlock upgrading a read lock; the busy timeout stays for writers outside the sidecar.
    """

    def __init__(self, database: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        in_memory = database == ":memory:" or database.startswith("file::memory:")
        self._write_lock = WriterLock(None if in_memory else Path(f"{database}-writer"))
        self._held = threading.local()

    def begin(self, lock_type: str | None = None) -> None:
        self._write_lock.acquire()
        try:
            super().begin("IMMEDIATE")
        except BaseException:
            self._write_lock.release()
            raise
        self._held.depth = getattr(self._held, "depth", 0) + 1

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._release()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._release()

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        if not self.in_transaction() and sql.lstrip()[:7].upper().startswith(WRITE_STATEMENTS):
            with self._write_lock:
                return super().execute_sql(sql, params)
        return super().execute_sql(sql, params)

    def _release(self) -> None:
        if getattr(self._held, "depth", 0):
            self._held.depth -= 1
            self._write_lock.release()


def open_database(url: str) -> Database:
    """A pooled peewee Database for the URL (not yet connected)."""
    parts = urlsplit(url)
    scheme = parts.scheme
    kwargs: dict[str, Any] = dict(POOL)
    if scheme == "sqlite":
        Path(parts.path).parent.mkdir(parents=True, exist_ok=True)
        kwargs["pragmas"] = SQLITE_PRAGMAS
        # Threads take turns with pooled connections; peewee never shares one at a time.
        kwargs["check_same_thread"] = False
    if scheme in ("mysql", "mariadb"):
        kwargs["charset"] = "utf8mb4"
    engine = {"sqlite": "sqlite", "mysql": "mysql", "mariadb": "mysql"}.get(scheme, "postgresql")
    if engine == "sqlite":
        return SerializedSqliteDatabase(parts.path, field_types=FIELD_TYPES[engine], **kwargs)
    pooled = {"mysql": "mysql+pool"}.get(engine, "postgresql+pool")
    return connect(pooled + url[len(scheme):], field_types=FIELD_TYPES[engine], **kwargs)


def bind_database(url: str) -> Database:
    db = open_database(url)
    database.initialize(db)
    return db


# Endpoints that open (and judge) their own connection: /healthz must answer 503, not fail.
UNMANAGED_ENDPOINTS = {"health.healthz"}


def init_app(app: Flask) -> None:
    """Open a connection per request, close it afterwards (also on errors)."""

    @app.before_request
    def _connect() -> None:
        if request.endpoint not in UNMANAGED_ENDPOINTS:
            database.connect(reuse_if_open=True)

    @app.teardown_request
    def _close(_exc: BaseException | None) -> None:
        if not database.is_closed():
            database.close()


def describe(url: str) -> str:
    """The URL with any password masked, for logs and `sidecar check`."""
    password = urlsplit(url).password
    return url.replace(f":{password}@", ":***@", 1) if password else url
