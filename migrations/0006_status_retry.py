"""Orders whose Fortnox status could not be brought over for a passing reason, so the status
sync can move its cursor on and still come back to them.

Frozen copies of the models as they were; never import sidecar.models here. Column types are
the names mapped per engine in sidecar.fields.FIELD_TYPES.
"""

from peewee import *


class UTCDateTime(DateTimeField):
    field_type = "UTCDATETIME"


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("order_ledger", "status_retry_at", UTCDateTime(null=True)),
        migrator.add_index("order_ledger", ("shop_id", "status_retry_at"), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("order_ledger", "order_ledger_shop_id_status_retry_at"),
        migrator.drop_column("order_ledger", "status_retry_at"),
    )
