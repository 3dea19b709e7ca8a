"""`sidecar migrate` brings any database to exactly the schema the models describe."""

from __future__ import annotations

from peewee import CharField
from peewee import Database
from playhouse.schema_diff import diff_models

from sidecar.migrate import HISTORY_TABLE
from sidecar.migrate import pending
from sidecar.migrate import runner
from sidecar.migrate import upgrade
from sidecar.models import MODELS
from sidecar.models import Shop
from tests.conftest import reset_schema


def test_it_migrates_an_empty_database_to_the_models(database: Database) -> None:
    reset_schema(database)
    every = [m.name for m in runner(database).migrations()]  # grows with each new migration
    assert every[0] == "0001_initial"
    assert pending(database) == every

    applied = upgrade(database)

    assert applied == every
    assert pending(database) == []
    assert not diff_models(database, list(MODELS)), diff_models(database, list(MODELS))


def test_it_migrates_an_older_schema_forward_and_is_idempotent(database: Database) -> None:
    reset_schema(database)
    migrations = [m.name for m in runner(database).migrations()]
    runner(database).up(target=migrations[0])  # the oldest schema there is

    upgrade(database)

    assert upgrade(database) == []
    assert set(database.get_tables()) >= {m._meta.table_name for m in MODELS} | {HISTORY_TABLE}
    assert not diff_models(database, list(MODELS))


def test_the_schema_check_notices_a_model_the_migrations_lack(database: Database) -> None:
    # Guards the guard: a field added to a model without a migration must show up as a diff.
    class ShopWithExtraColumn(Shop):
        loyalty_level = CharField(default="")

        class Meta:
            table_name = "shop"

    diff = diff_models(database, [ShopWithExtraColumn])

    assert diff
    assert "loyalty_level" in repr(diff)
