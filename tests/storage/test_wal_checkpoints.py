"""The WAL is copied back into the database file in the pauses between writes, by the
background thread, not by a writer."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from peewee import Database
from peewee import PostgresqlDatabase
from peewee import SqliteDatabase

from sidecar import wal_checkpoints
from sidecar.db import open_database
from tests.polling import wait_for

ROW = b"x" * 4000


def database_with_rows(path: Path, rows: int) -> Database:
    db = open_database(f"sqlite:///{path}")
    db.connect()
    db.execute_sql("CREATE TABLE rows (body BLOB)")
    for _ in range(rows):
        db.execute_sql("INSERT INTO rows VALUES (?)", (ROW,))
    return db


def test_writers_leave_the_wal_to_the_background_thread(tmp_path: Path) -> None:
    path = tmp_path / "sidecar.db"
    db = database_with_rows(path, 2000)  # ~8 MB: past SQLite's default of 1,000 pages
    assert path.stat().st_size < 1_000_000, "a writer checkpointed by itself"

    thread = wal_checkpoints.start(db, every=0.05)

    assert thread is not None and thread.daemon
    assert wait_for(lambda: path.stat().st_size > 8_000_000, timeout=10)
    with sqlite3.connect(path) as other:
        assert other.execute("SELECT count(*) FROM rows").fetchone() == (2000,)
    db.close_all()


@contextmanager
def writes_going_on(db: Database) -> Iterator[None]:
    """A row every 10 ms from another thread, until the block ends."""
    stop = threading.Event()

    def keep_writing() -> None:
        with db.connection_context():
            while not stop.is_set():
                db.execute_sql("INSERT INTO rows VALUES (?)", (ROW,))
                time.sleep(0.01)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        yield
    finally:
        stop.set()
        writer.join()


def test_no_checkpoint_while_writes_go_on_until_they_pause(tmp_path: Path) -> None:
    path = tmp_path / "sidecar.db"
    db = database_with_rows(path, 500)
    with writes_going_on(db):
        wal_checkpoints.start(db, every=0.05, longest_deferral=60)
        time.sleep(1.0)
        size_while_writing = path.stat().st_size

    assert size_while_writing < 1_000_000
    assert wait_for(lambda: path.stat().st_size > 2_000_000, timeout=10)
    db.close_all()


def test_writes_without_a_pause_are_checkpointed_after_the_longest_deferral(
    tmp_path: Path,
) -> None:
    path = tmp_path / "sidecar.db"
    db = database_with_rows(path, 500)
    with writes_going_on(db):
        wal_checkpoints.start(db, every=0.05, longest_deferral=0.3)
        checkpointed_while_writing = wait_for(lambda: path.stat().st_size > 2_000_000,
                                              timeout=10)

    assert checkpointed_while_writing
    db.close_all()


def test_nothing_to_checkpoint_for_memory_or_server_databases() -> None:
    assert wal_checkpoints.start(SqliteDatabase(":memory:")) is None
    assert wal_checkpoints.start(PostgresqlDatabase("test")) is None
