"""Security hardening: revocable sessions (a generation per owner and per shop's WordPress link),
separate secrets for the WordPress link and the plugin's API, the plugin's pairing code,
WordPress users linked to owner accounts, nonces of the plugin's signed requests, and the
security log.

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

    class Owner(Model):
        class Meta:
            database = db
            table_name = "owner"

    class WordPressUser(Model):
        shop = ForeignKeyField(Shop, on_delete="CASCADE")
        wp_user = BigIntegerField()
        owner = ForeignKeyField(Owner, on_delete="CASCADE")
        created_at = UTCDateTime()

        class Meta:
            database = db
            table_name = "word_press_user"
            indexes = ((("shop", "wp_user"), True),)

    class UsedNonce(Model):
        nonce = CharField(max_length=64, unique=True)
        expires_at = UTCDateTime(index=True)

        class Meta:
            database = db
            table_name = "used_nonce"

    class SecurityEvent(Model):
        shop = ForeignKeyField(Shop, on_delete="CASCADE", null=True, index=False)
        created_at = UTCDateTime()
        actor = CharField(max_length=254)
        action = CharField(max_length=64)
        address = CharField(max_length=64)
        details = BigText(null=True)

        class Meta:
            database = db
            table_name = "security_event"
            indexes = ((("shop", "created_at"), False), (("created_at",), False))

    migrator.migrate(
        migrator.add_column("owner", "session_generation", IntegerField(default=0)),
        migrator.add_column("shop", "link_secret", BigText(null=True)),
        migrator.add_column("shop", "plugin_secret", BigText(null=True)),
        migrator.add_column("shop", "link_generation", IntegerField(default=0)),
        migrator.add_column("shop", "pairing_code_hash", CharField(max_length=64, null=True)),
        migrator.add_column("shop", "pairing_code_expires_at", UTCDateTime(null=True)),
    )
    db.create_tables([WordPressUser, UsedNonce, SecurityEvent])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("security_event"))
    migrator.migrate(migrator.drop_table("used_nonce"))
    migrator.migrate(migrator.drop_table("word_press_user"))
    migrator.migrate(
        migrator.drop_column("shop", "pairing_code_expires_at"),
        migrator.drop_column("shop", "pairing_code_hash"),
        migrator.drop_column("shop", "link_generation"),
        migrator.drop_column("shop", "plugin_secret"),
        migrator.drop_column("shop", "link_secret"),
        migrator.drop_column("owner", "session_generation"),
    )
