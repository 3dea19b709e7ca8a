"""Fortnox's change feed: where each topic got to per shop (the replay offset), and the feed's
state per shop (on, off, refused) for the dashboard and the polling jobs' pace.

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

    class FeedOffset(Model):
        shop = ForeignKeyField(Shop, on_delete="CASCADE")
        topic = CharField(max_length=64)
        offset = CharField(max_length=100)
        event_at = UTCDateTime(null=True)
        updated_at = UTCDateTime()

        class Meta:
            database = db
            table_name = "feed_offset"
            indexes = ((("shop", "topic"), True),)

    class FeedStatus(Model):
        shop = ForeignKeyField(Shop, on_delete="CASCADE", unique=True)
        state = CharField(max_length=16, default="off")
        topics = BigText(null=True)
        alive_at = UTCDateTime(null=True)
        down_since = UTCDateTime(null=True)
        last_event_at = UTCDateTime(null=True)
        problem = BigText(null=True)
        updated_at = UTCDateTime()

        class Meta:
            database = db
            table_name = "feed_status"

    db.create_tables([FeedOffset, FeedStatus])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("feed_status"))
    migrator.migrate(migrator.drop_table("feed_offset"))
