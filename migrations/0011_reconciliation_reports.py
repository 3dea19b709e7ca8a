"""Reconciliation reports: each run of the comparison of WooCommerce's sales with Fortnox, kept
as it was found (the page, the files and the e-mail show a stored report).

Frozen copies of the models as they were; never import sidecar.models here. Column types are
the names mapped per engine in sidecar.fields.FIELD_TYPES.
"""

from peewee import *


class BigText(TextField):
    field_type = "BIGTEXT"


class UTCDateTime(DateTimeField):
    field_type = "UTCDATETIME"


def up(migrator, db):
    class Shop(Model):
        class Meta:
            database = db
            table_name = "shop"

    class ReconciliationReport(Model):
        shop = ForeignKeyField(Shop, on_delete="CASCADE")
        first_day = CharField(max_length=10)
        last_day = CharField(max_length=10)
        trigger = CharField(max_length=16)
        state = CharField(max_length=16)
        orders = IntegerField()
        problems = IntegerField()
        body = BigText(null=True)
        error = BigText(null=True)
        created_at = UTCDateTime()
        finished_at = UTCDateTime(null=True)
        emailed_at = UTCDateTime(null=True)

        class Meta:
            database = db
            table_name = "reconciliation_report"
            indexes = ((("shop", "created_at"), False),)

    db.create_tables([ReconciliationReport])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("reconciliation_report"))
