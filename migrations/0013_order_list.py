"""The order list: what it shows and searches of each order (its number as the shop shows it,
the customer's name and e-mail, when it was placed), kept on the order's ledger row.

Frozen copies of the models as they were; never import sidecar.models here. Column types are
the names mapped per engine in sidecar.fields.FIELD_TYPES.
"""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("order_ledger", "order_number", CharField(max_length=32, default="")),
        migrator.add_column("order_ledger", "customer_name",
                            CharField(max_length=200, default="")),
        migrator.add_column("order_ledger", "customer_email",
                            CharField(max_length=254, default="")),
        migrator.add_column("order_ledger", "placed_on", CharField(max_length=19, default="")),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("order_ledger", "placed_on"),
        migrator.drop_column("order_ledger", "customer_email"),
        migrator.drop_column("order_ledger", "customer_name"),
        migrator.drop_column("order_ledger", "order_number"),
    )
