"""Fortnox → WooCommerce: the values each side of a SKU had when last compared (product and
stock sync, products report), and the Woo orders the status sync has moved.

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
        migrator.add_column("product_link", "woo_snapshot", BigText(null=True)),
        migrator.add_column("product_link", "fortnox_snapshot", BigText(null=True)),
    )

    class Shop(Model):
        class Meta:
            database = db
            table_name = "shop"

    class OrderStatusChange(Model):
        shop = ForeignKeyField(Shop, on_delete="CASCADE")
        woo_order_id = BigIntegerField()
        woo_status = CharField(max_length=24)
        reason = CharField(max_length=200)
        changed_at = UTCDateTime()

        class Meta:
            database = db
            table_name = "order_status_change"
            indexes = ((("shop", "woo_order_id"), True),)

    db.create_tables([OrderStatusChange])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("order_status_change"))
    migrator.migrate(
        migrator.drop_column("product_link", "fortnox_snapshot"),
        migrator.drop_column("product_link", "woo_snapshot"),
    )
