"""Column types the models share: UTC times, encrypted secrets, JSON, large text and bytes."""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime
from typing import Any

from peewee import BlobField
from peewee import DateTimeField
from peewee import TextField

from sidecar import crypto

# Custom column type names, mapped per engine in FIELD_TYPES: MySQL's TEXT and BLOB stop at
# 64 KiB, too small for a webhook body or a Fortnox payload; DATETIME needs (6) for microseconds.
FIELD_TYPES = {
    "sqlite": {"BIGTEXT": "TEXT", "BIGBLOB": "BLOB", "UTCDATETIME": "DATETIME"},
    "mysql": {"BIGTEXT": "LONGTEXT", "BIGBLOB": "LONGBLOB", "UTCDATETIME": "DATETIME(6)"},
    "postgresql": {"BIGTEXT": "TEXT", "BIGBLOB": "BYTEA", "UTCDATETIME": "TIMESTAMP"},
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTimeField(DateTimeField):
    """Aware UTC datetimes in Python, naive UTC in the database (the same on every engine)."""

    field_type = "UTCDATETIME"

    def db_value(self, value: Any) -> Any:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                raise ValueError(f"{self.name}: naive datetime; pass an aware UTC datetime")
            value = value.astimezone(UTC).replace(tzinfo=None)
        return super().db_value(value)

    def python_value(self, value: Any) -> Any:
        value = super().python_value(value)
        if isinstance(value, datetime):
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value


class BigTextField(TextField):
    field_type = "BIGTEXT"


class BigBlobField(BlobField):
    field_type = "BIGBLOB"

    def python_value(self, value: Any) -> Any:
        # psycopg2 returns memoryview, the others bytes: callers always get bytes.
        return bytes(value) if isinstance(value, memoryview) else value


class EncryptedTextField(BigTextField):
    """Fernet-encrypted at rest; plaintext `str` in Python."""

    def db_value(self, value: Any) -> Any:
        return None if value is None else crypto.encrypt(value)

    def python_value(self, value: Any) -> Any:
        return None if value is None else crypto.decrypt(value)


class JSONTextField(BigTextField):
    def db_value(self, value: Any) -> Any:
        return None if value is None else json.dumps(value, sort_keys=True, default=str)

    def python_value(self, value: Any) -> Any:
        return None if value is None else json.loads(value)
