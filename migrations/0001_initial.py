"""Initial schema: shops, settings, tokens, the webhook inbox, the order ledger, links,
cursors, job leases and runs, and the activity log.

Frozen copies of the models as they were; never import sidecar.models here. Column types are
the names mapped per engine in sidecar.fields.FIELD_TYPES.
"""

from peewee import *


class BigText(TextField):
    field_type = "BIGTEXT"


class BigBlob(BlobField):
    field_type = "BIGBLOB"


class UTCDateTime(DateTimeField):
    field_type = "UTCDATETIME"


def up(migrator, db):
    class Shop(Model):
        name = CharField(max_length=200)
        slug = CharField(unique=True, max_length=64)
        woo_url = CharField(max_length=500, default="")
        woo_consumer_key = BigText(null=True)
        woo_consumer_secret = BigText(null=True)
        webhook_secret = BigText(null=True)
        woo_state = CharField(max_length=32, default="not_configured")
        fortnox_auth_mode = CharField(max_length=32, default="authorization_code")
        fortnox_tenant_id = CharField(max_length=64, default="")
        fortnox_state = CharField(max_length=32, default="not_connected")
        fortnox_state_detail = BigText(default="")
        fortnox_company_name = CharField(max_length=200, default="")
        created_at = UTCDateTime()
        updated_at = UTCDateTime()

        class Meta:
            database = db
            table_name = "shop"

    db.create_tables([Shop])

    class ActivityEntry(Model):
        shop = ForeignKeyField(Shop, on_delete="CASCADE")
        created_at = UTCDateTime(index=True)
        level = CharField(max_length=16)
        workflow = CharField(max_length=32)
        subject = CharField(max_length=200, default="")
        message = BigText()
        hint = BigText(default="")
        details = BigText(null=True)
        woo_order_id = BigIntegerField(null=True)
        resolved_at = UTCDateTime(null=True)

        class Meta:
            database = db
            table_name = "activity_entry"

    db.create_tables([ActivityEntry])

    class CustomerLink(Model):
        shop = ForeignKeyField(Shop, on_delete="CASCADE")
        match_key = CharField()
        fortnox_customer_number = CharField(max_length=50)
        data_hash = CharField(max_length=64, default="")
        updated_at = UTCDateTime()

        class Meta:
            database = db
            table_name = "customer_link"
            indexes = ((("shop", "match_key"), True),)

    db.create_tables([CustomerLink])

    class FortnoxToken(Model):
        shop = ForeignKeyField(Shop, unique=True, on_delete="CASCADE")
        access_token = BigText()
        refresh_token = BigText(null=True)
        expires_at = UTCDateTime()
        scope = BigText(default="")
        generation = IntegerField(default=0)
        updated_at = UTCDateTime()

        class Meta:
            database = db
            table_name = "fortnox_token"

    db.create_tables([FortnoxToken])

    class InboxEntry(Model):
        shop = ForeignKeyField(Shop, on_delete="CASCADE")
        topic = CharField(max_length=64)
        resource_id = BigIntegerField(null=True)
        delivery_id = CharField(null=True, max_length=64)
        modified_gmt = CharField(max_length=32, default="")
        dedupe_key = CharField(max_length=200)
        body = BigBlob()
        status = CharField(max_length=16, default="pending")
        attempts = IntegerField(default=0)
        next_attempt_at = UTCDateTime()
        claimed_by = CharField(null=True, max_length=100)
        claimed_until = UTCDateTime(null=True)
        last_error = BigText(null=True)
        received_at = UTCDateTime()
        processed_at = UTCDateTime(null=True)

        class Meta:
            database = db
            table_name = "inbox_entry"
            indexes = ((("shop", "dedupe_key"), True), (("status", "next_attempt_at"), False))

    db.create_tables([InboxEntry])

    class JobLease(Model):
        name = CharField(unique=True, max_length=150)
        job = CharField(max_length=100)
        shop = ForeignKeyField(Shop, null=True, on_delete="CASCADE")
        holder = CharField(null=True, max_length=100)
        expires_at = UTCDateTime()
        not_before = UTCDateTime()
        acquired_at = UTCDateTime(null=True)

        class Meta:
            database = db
            table_name = "job_lease"

    db.create_tables([JobLease])

    class JobRun(Model):
        job = CharField(max_length=100)
        shop = ForeignKeyField(Shop, null=True, on_delete="CASCADE")
        holder = CharField(max_length=100)
        trigger = CharField(max_length=16, default="schedule")
        started_at = UTCDateTime()
        finished_at = UTCDateTime(null=True)
        outcome = CharField(max_length=16, default="running")
        counts = BigText(null=True)
        error = BigText(null=True)

        class Meta:
            database = db
            table_name = "job_run"
            indexes = ((("job", "started_at"), False),)

    db.create_tables([JobRun])

    class OrderLedger(Model):
        shop = ForeignKeyField(Shop, on_delete="CASCADE")
        woo_order_id = BigIntegerField()
        external_key = CharField(max_length=80)
        state = CharField(max_length=24, default="pending")
        document_mode = CharField(max_length=24, default="")
        customer_number = CharField(null=True, max_length=50)
        fortnox_order_number = CharField(null=True, max_length=50)
        fortnox_invoice_number = CharField(null=True, max_length=50)
        invoice_bookkept = BooleanField(default=False)
        payment_number = CharField(null=True, max_length=50)
        woo_total = DecimalField(null=True, max_digits=14, decimal_places=2)
        currency = CharField(max_length=3, default="")
        payload_hash = CharField(max_length=64, default="")
        attempts = IntegerField(default=0)
        last_error = BigText(null=True)
        last_hint = BigText(null=True)
        claimed_by = CharField(null=True, max_length=100)
        claimed_until = UTCDateTime(null=True)
        exported_at = UTCDateTime(null=True)
        created_at = UTCDateTime()
        updated_at = UTCDateTime()

        class Meta:
            database = db
            table_name = "order_ledger"
            indexes = ((("shop", "woo_order_id"), True), (("shop", "state"), False))

    db.create_tables([OrderLedger])

    class OrderStep(Model):
        ledger = ForeignKeyField(OrderLedger, on_delete="CASCADE")
        step = CharField(max_length=24)
        state = CharField(max_length=16)
        fortnox_number = CharField(null=True, max_length=50)
        request = BigText(null=True)
        error = BigText(null=True)
        started_at = UTCDateTime()
        finished_at = UTCDateTime(null=True)

        class Meta:
            database = db
            table_name = "order_step"
            indexes = ((("ledger", "step"), False),)

    db.create_tables([OrderStep])

    class ProductLink(Model):
        shop = ForeignKeyField(Shop, on_delete="CASCADE")
        sku = CharField(max_length=100)
        woo_product_id = BigIntegerField(null=True)
        woo_parent_id = BigIntegerField(null=True)
        fortnox_article_number = CharField(null=True, max_length=50)
        woo_hash = CharField(max_length=64, default="")
        fortnox_hash = CharField(max_length=64, default="")
        updated_at = UTCDateTime()

        class Meta:
            database = db
            table_name = "product_link"
            indexes = ((("shop", "sku"), True),)

    db.create_tables([ProductLink])

    class Setting(Model):
        shop = ForeignKeyField(Shop, on_delete="CASCADE")
        key = CharField(max_length=100)
        value = BigText()
        updated_at = UTCDateTime()

        class Meta:
            database = db
            table_name = "setting"
            indexes = ((("shop", "key"), True),)

    db.create_tables([Setting])

    class SyncCursor(Model):
        shop = ForeignKeyField(Shop, on_delete="CASCADE")
        name = CharField(max_length=100)
        value = CharField()
        updated_at = UTCDateTime()

        class Meta:
            database = db
            table_name = "sync_cursor"
            indexes = ((("shop", "name"), True),)

    db.create_tables([SyncCursor])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("sync_cursor"))
    migrator.migrate(migrator.drop_table("setting"))
    migrator.migrate(migrator.drop_table("product_link"))
    migrator.migrate(migrator.drop_table("order_step"))
    migrator.migrate(migrator.drop_table("order_ledger"))
    migrator.migrate(migrator.drop_table("job_run"))
    migrator.migrate(migrator.drop_table("job_lease"))
    migrator.migrate(migrator.drop_table("inbox_entry"))
    migrator.migrate(migrator.drop_table("fortnox_token"))
    migrator.migrate(migrator.drop_table("customer_link"))
    migrator.migrate(migrator.drop_table("activity_entry"))
    migrator.migrate(migrator.drop_table("shop"))
