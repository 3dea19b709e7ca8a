"""Fortnox access: the request slots that keep every process of a tenant within Fortnox's
rate limit (sidecar.fortnox_access.rate_limit).

Frozen copies of the models as they were; never import sidecar.models here. Column types are
the names mapped per engine in sidecar.fields.FIELD_TYPES.
"""

from peewee import *


class UTCDateTime(DateTimeField):
    field_type = "UTCDATETIME"


def up(migrator, db):
    class FortnoxRateSlot(Model):
        tenant = CharField(max_length=64)
        slot = IntegerField()
        busy_until = UTCDateTime()
        holder = CharField(null=True, max_length=64)

        class Meta:
            database = db
            table_name = "fortnox_rate_slot"
            indexes = ((("tenant", "slot"), True),)

    db.create_tables([FortnoxRateSlot])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("fortnox_rate_slot"))
