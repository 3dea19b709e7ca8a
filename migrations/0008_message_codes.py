"""Owner-visible messages stored as codes with parameters, rendered in the reader's language:
`activity_entry.texts` and `order_ledger.last_problem` (JSON). Older rows keep their English
text columns and are shown as they are.

Frozen copies of the models as they were; never import sidecar.models here. Column types are
the names mapped per engine in sidecar.fields.FIELD_TYPES.
"""

from peewee import *


class BigText(TextField):
    field_type = "BIGTEXT"


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("activity_entry", "texts", BigText(null=True)),
        migrator.add_column("order_ledger", "last_problem", BigText(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("order_ledger", "last_problem"),
        migrator.drop_column("activity_entry", "texts"),
    )
