"""The cross-process lock around a shop's Fortnox tokens: the shop's `FortnoxToken` row.

PostgreSQL and MariaDB lock the row with ``SELECT ... FOR UPDATE`` inside a transaction. SQLite
has no row locks; ``BEGIN IMMEDIATE`` takes the database's write lock before the first read, so
the read is already serialised with every writer in every process. Either way the lock is held
until the transaction commits, which is after the new tokens are written: a refresh token is
spent by exactly one holder, and the next holder reads what the last one stored.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from peewee import OperationalError
from peewee import SqliteDatabase

from sidecar.db import database
from sidecar.fields import utcnow
from sidecar.models import FortnoxToken

INSERT_RETRIES = 5


@contextmanager
def locked_token_row(shop_id: int) -> Iterator[FortnoxToken | None]:
    """Hold the shop's token lock for the block; yields the row as it is now (None: no row).

    Call it outside any transaction: inside one it would only be a savepoint, and on SQLite
    the write lock would not be taken first."""
    sqlite = isinstance(database.obj, SqliteDatabase)
    with database.atomic("IMMEDIATE") if sqlite else database.atomic():
        query = FortnoxToken.select().where(FortnoxToken.shop == shop_id)
        yield (query if sqlite else query.for_update()).first()


def ensure_token_row(shop_id: int) -> None:
    """Create the shop's token row (empty and expired) so that there is a row to lock.

    Racing creators must neither fail nor deadlock: insert-or-ignore, and MariaDB's occasional
    deadlock between concurrent inserts is retried."""
    if FortnoxToken.select().where(FortnoxToken.shop == shop_id).exists():
        return
    for attempt in range(INSERT_RETRIES):
        try:
            FortnoxToken.insert(
                shop=shop_id, access_token="", refresh_token=None, expires_at=utcnow(),
                generation=0,
            ).on_conflict_ignore().execute()
            return
        except OperationalError:
            if attempt == INSERT_RETRIES - 1:
                raise
            time.sleep(0.01 * (attempt + 1))
