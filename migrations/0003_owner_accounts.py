"""Owner accounts: who may sign in, failed sign-ins (for the lockout), and used WordPress
sign-in links (so a link works once).

Frozen copies of the models as they were; never import sidecar.models here. Column types are
the names mapped per engine in sidecar.fields.FIELD_TYPES.
"""

from peewee import *


class UTCDateTime(DateTimeField):
    field_type = "UTCDATETIME"


def up(migrator, db):
    class Shop(Model):
        class Meta:
            database = db
            table_name = "shop"

    class Owner(Model):
        shop = ForeignKeyField(Shop, on_delete="CASCADE")
        email = CharField(unique=True, max_length=254)
        password_hash = CharField(max_length=255)
        created_at = UTCDateTime()
        last_sign_in_at = UTCDateTime(null=True)

        class Meta:
            database = db
            table_name = "owner"

    class SignInFailure(Model):
        email = CharField(max_length=254)
        ip = CharField(max_length=64)
        created_at = UTCDateTime()

        class Meta:
            database = db
            table_name = "sign_in_failure"
            indexes = ((("email", "created_at"), False), (("ip", "created_at"), False))

    class UsedSignInLink(Model):
        signature = CharField(unique=True, max_length=64)
        expires_at = UTCDateTime(index=True)

        class Meta:
            database = db
            table_name = "used_sign_in_link"

    db.create_tables([Owner, SignInFailure, UsedSignInLink])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("used_sign_in_link"))
    migrator.migrate(migrator.drop_table("sign_in_failure"))
    migrator.migrate(migrator.drop_table("owner"))
