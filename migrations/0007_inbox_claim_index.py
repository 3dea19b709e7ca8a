"""The inbox's claim query looks up due rows per shop, status and topic; it scanned every row of
the shop before. The shop's own index goes: both indexes start with the shop.

Frozen copies of the models as they were; never import sidecar.models here.
"""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_index("inbox_entry", ("shop_id", "status", "topic", "next_attempt_at"), False),
        migrator.drop_index("inbox_entry", "inboxentry_status_next_attempt_at"),
        migrator.drop_index("inbox_entry", "inboxentry_shop_id"),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.add_index("inbox_entry", ("shop_id",), False),
        migrator.add_index("inbox_entry", ("status", "next_attempt_at"), False),
        migrator.drop_index("inbox_entry", "inbox_entry_shop_id_status_topic_next_attempt_at"),
    )
