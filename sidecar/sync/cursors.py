"""Sync cursors: where an incremental sync got to, one `SyncCursor` row per (shop, name).

Values are UTC moments in RFC 3339. A run reads its cursor, starts a little before it (the
overlap: Fortnox's `lastmodified` has minute precision and is Swedish local time), and moves it
to the moment the run started once the run's work is done.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from sidecar.fields import utcnow
from sidecar.models import Shop
from sidecar.models import SyncCursor


def read_cursor(shop: Shop, name: str) -> datetime | None:
    row = SyncCursor.get_or_none(SyncCursor.shop == shop, SyncCursor.name == name)
    if row is None or not row.value:
        return None
    return datetime.fromisoformat(row.value).astimezone(UTC)


def write_cursor(shop: Shop, name: str, moment: datetime) -> None:
    if moment.tzinfo is None:
        raise ValueError("a cursor is an aware UTC moment")
    value = moment.astimezone(UTC).isoformat()
    updated = (SyncCursor.update(value=value, updated_at=utcnow())
               .where(SyncCursor.shop == shop, SyncCursor.name == name).execute())
    if not updated:
        SyncCursor.insert(shop=shop, name=name, value=value).on_conflict_ignore().execute()
