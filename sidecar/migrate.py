"""Bring a database to the current schema with the numbered scripts in ``migrations/``."""

from __future__ import annotations

from pathlib import Path

from peewee import Database
from playhouse.migrations import Runner

HISTORY_TABLE = "schema_migration"


def migrations_dir() -> Path:
    """``migrations/`` beside the package in a checkout; ``sidecar/_migrations`` in a wheel."""
    package = Path(__file__).resolve().parent
    bundled = package / "_migrations"
    return bundled if bundled.is_dir() else package.parent / "migrations"


def runner(db: Database) -> Runner:
    return Runner(db, directory=str(migrations_dir()), table_name=HISTORY_TABLE)


def upgrade(db: Database) -> list[str]:
    """Apply every pending migration in order; returns the names applied."""
    return list(runner(db).up())


def pending(db: Database) -> list[str]:
    return [m.name for m in runner(db).status() if not m.applied]
