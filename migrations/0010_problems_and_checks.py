"""One problem, one entry: activity entries about an order or a job, keyed by their cause, that
are updated when the cause comes again and resolved (with how) when it is gone. And
`shop_check`: what the sidecar last found out about Fortnox (reachable, Lager, the settings
checked against it) and WooCommerce.

Frozen copies of the models as they were; never import sidecar.models here. Column types are
the names mapped per engine in sidecar.fields.FIELD_TYPES.
"""

from peewee import *


class BigText(TextField):
    field_type = "BIGTEXT"


class UTCDateTime(DateTimeField):
    field_type = "UTCDATETIME"


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("activity_entry", "about", CharField(max_length=64, null=True)),
        migrator.add_column("activity_entry", "cause", CharField(max_length=120, null=True)),
        migrator.add_column("activity_entry", "updated_at", UTCDateTime(null=True)),
        migrator.add_column("activity_entry", "repeats", IntegerField(default=1)),
        migrator.add_column("activity_entry", "resolution", BigText(null=True)),
        migrator.add_index("activity_entry", ("shop_id", "about"), False),
    )

    class Shop(Model):
        class Meta:
            database = db
            table_name = "shop"

    class ShopCheck(Model):
        shop = ForeignKeyField(Shop, on_delete="CASCADE")
        name = CharField(max_length=64)
        state = CharField(max_length=16, default="unknown")
        result = BigText(null=True)
        problem = BigText(null=True)
        failures = IntegerField(default=0)
        checked_at = UTCDateTime(null=True)
        since = UTCDateTime(null=True)
        next_at = UTCDateTime(null=True)

        class Meta:
            database = db
            table_name = "shop_check"
            indexes = ((("shop", "name"), True),)

    db.create_tables([ShopCheck])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("shop_check"))
    migrator.migrate(
        migrator.drop_index("activity_entry", "activity_entry_shop_id_about"),
        migrator.drop_column("activity_entry", "resolution"),
        migrator.drop_column("activity_entry", "repeats"),
        migrator.drop_column("activity_entry", "updated_at"),
        migrator.drop_column("activity_entry", "cause"),
        migrator.drop_column("activity_entry", "about"),
    )
