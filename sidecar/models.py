"""The sidecar's tables. Every row of sync state belongs to a shop.

Fields and tiny query helpers only; behaviour lives in ``sync/``, ``jobs/`` and ``webhooks/``.
A change here needs a migration in ``migrations/`` (a test compares the two).
"""

from __future__ import annotations

from peewee import BigIntegerField
from peewee import BooleanField
from peewee import CharField
from peewee import DecimalField
from peewee import ForeignKeyField
from peewee import IntegerField
from peewee import Model

from sidecar.db import database
from sidecar.fields import BigBlobField
from sidecar.fields import BigTextField
from sidecar.fields import EncryptedTextField
from sidecar.fields import JSONTextField
from sidecar.fields import UTCDateTimeField
from sidecar.fields import utcnow


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class Shop(BaseModel):
    """One WooCommerce store and its Fortnox company."""

    name = CharField(max_length=200)
    slug = CharField(max_length=64, unique=True)  # names the shop in webhook URLs and logs
    woo_url = CharField(max_length=500, default="")
    woo_consumer_key = EncryptedTextField(null=True)
    woo_consumer_secret = EncryptedTextField(null=True)
    webhook_secret = EncryptedTextField(null=True)  # signs WooCommerce's webhooks only
    link_secret = EncryptedTextField(null=True)  # signs the plugin's WordPress sign-in links
    plugin_secret = EncryptedTextField(null=True)  # signs the plugin's API calls
    # Bumped when the link secret is rotated: sessions opened by a WordPress link end.
    link_generation = IntegerField(default=0)
    # The plugin fetches its secrets once with this code (sidecar.pairing); sha256, single use.
    pairing_code_hash = CharField(max_length=64, null=True)
    pairing_code_expires_at = UTCDateTimeField(null=True)
    woo_state = CharField(max_length=32, default="not_configured")
    fortnox_auth_mode = CharField(max_length=32, default="authorization_code")
    fortnox_tenant_id = CharField(max_length=64, default="")
    fortnox_state = CharField(max_length=32, default="not_connected")
    fortnox_state_detail = BigTextField(default="")
    fortnox_company_name = CharField(max_length=200, default="")
    created_at = UTCDateTimeField(default=utcnow)
    updated_at = UTCDateTimeField(default=utcnow)


class FortnoxToken(BaseModel):
    """The shop's current Fortnox tokens. Refresh tokens are single-use: written before use."""

    shop = ForeignKeyField(Shop, on_delete="CASCADE", unique=True)
    access_token = EncryptedTextField()
    refresh_token = EncryptedTextField(null=True)
    expires_at = UTCDateTimeField()
    scope = BigTextField(default="")
    generation = IntegerField(default=0)  # bumped on every refresh; detects a lost race
    updated_at = UTCDateTimeField(default=utcnow)


class Setting(BaseModel):
    """One operator setting (JSON value); defaults and validation live in sidecar.settings."""

    shop = ForeignKeyField(Shop, on_delete="CASCADE")
    key = CharField(max_length=100)
    value = JSONTextField()
    updated_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("shop", "key"), True),)


class InboxEntry(BaseModel):
    """A webhook delivery, committed before it is acknowledged, then worked off by a job."""

    # No index of its own: both indexes below start with the shop (one less page per delivery).
    shop = ForeignKeyField(Shop, on_delete="CASCADE", index=False)
    topic = CharField(max_length=64)
    resource_id = BigIntegerField(null=True)
    delivery_id = CharField(max_length=64, null=True)
    modified_gmt = CharField(max_length=32, default="")
    dedupe_key = CharField(max_length=200)
    body = BigBlobField()
    status = CharField(max_length=16, default="pending")  # pending, processing, done, parked
    attempts = IntegerField(default=0)
    next_attempt_at = UTCDateTimeField(default=utcnow)
    claimed_by = CharField(max_length=100, null=True)
    claimed_until = UTCDateTimeField(null=True)
    last_error = BigTextField(null=True)
    received_at = UTCDateTimeField(default=utcnow)
    processed_at = UTCDateTimeField(null=True)

    class Meta:
        indexes = (
            (("shop", "dedupe_key"), True),
            # The inbox job's "anything due for these topics?" and its claim: a range per
            # status and topic, not a scan of every row of the shop.
            (("shop", "status", "topic", "next_attempt_at"), False),
        )


class OrderLedger(BaseModel):
    """Everything done in Fortnox for one Woo order; the guard against booking it twice."""

    shop = ForeignKeyField(Shop, on_delete="CASCADE")
    woo_order_id = BigIntegerField()
    external_key = CharField(max_length=80)  # sent as ExternalInvoiceReference1
    state = CharField(max_length=24, default="pending")
    document_mode = CharField(max_length=24, default="")
    customer_number = CharField(max_length=50, null=True)
    fortnox_order_number = CharField(max_length=50, null=True)
    fortnox_invoice_number = CharField(max_length=50, null=True)
    invoice_bookkept = BooleanField(default=False)
    payment_number = CharField(max_length=50, null=True)
    woo_total = DecimalField(max_digits=14, decimal_places=2, null=True)
    currency = CharField(max_length=3, default="")
    payload_hash = CharField(max_length=64, default="")
    attempts = IntegerField(default=0)
    last_error = BigTextField(null=True)
    last_hint = BigTextField(null=True)
    # last_error and last_hint as codes with parameters (sidecar.messages), when known.
    last_problem = JSONTextField(null=True)
    claimed_by = CharField(max_length=100, null=True)
    claimed_until = UTCDateTimeField(null=True)
    exported_at = UTCDateTimeField(null=True)
    # Set when bringing its Fortnox status over failed for a passing reason: the status sync
    # looks at it again on its next run, whatever Fortnox lists as changed by then.
    status_retry_at = UTCDateTimeField(null=True)
    # What the order list shows and searches, from the order as last seen.
    order_number = CharField(max_length=32, default="")  # as the shop shows it
    customer_name = CharField(max_length=200, default="")
    customer_email = CharField(max_length=254, default="")
    placed_on = CharField(max_length=19, default="")  # the shop's local time, as WooCommerce has it
    created_at = UTCDateTimeField(default=utcnow)
    updated_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("shop", "woo_order_id"), True),
            (("shop", "state"), False),
            (("shop", "status_retry_at"), False),
        )


class OrderStep(BaseModel):
    """One step of an export (customer, order, invoice, bookkeep, payment, credit, cancel)."""

    ledger = ForeignKeyField(OrderLedger, on_delete="CASCADE", backref="steps")
    step = CharField(max_length=24)
    state = CharField(max_length=16)  # started, done, unknown (outcome not known), failed
    fortnox_number = CharField(max_length=50, null=True)
    request = JSONTextField(null=True)  # what was sent, secrets masked
    error = BigTextField(null=True)
    started_at = UTCDateTimeField(default=utcnow)
    finished_at = UTCDateTimeField(null=True)

    class Meta:
        indexes = ((("ledger", "step"), False),)


class CustomerLink(BaseModel):
    """A Woo customer (by e-mail, organisation number or the shared guest) → Fortnox customer."""

    shop = ForeignKeyField(Shop, on_delete="CASCADE")
    match_key = CharField(max_length=255)
    fortnox_customer_number = CharField(max_length=50)
    data_hash = CharField(max_length=64, default="")
    updated_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("shop", "match_key"), True),)


class ProductLink(BaseModel):
    """A SKU as it is known on each side: the local map that saves listing the catalog."""

    shop = ForeignKeyField(Shop, on_delete="CASCADE")
    sku = CharField(max_length=100)
    woo_product_id = BigIntegerField(null=True)
    woo_parent_id = BigIntegerField(null=True)  # set for variations
    fortnox_article_number = CharField(max_length=50, null=True)
    woo_hash = CharField(max_length=64, default="")
    fortnox_hash = CharField(max_length=64, default="")
    # The values each side had when last read or written (sidecar.sync.catalog.snapshot):
    # what the product sync compares, so an unchanged catalog costs no reads.
    woo_snapshot = JSONTextField(null=True)
    fortnox_snapshot = JSONTextField(null=True)
    updated_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("shop", "sku"), True),)


class OrderStatusChange(BaseModel):
    """A Woo order the status sync moved (to completed or cancelled): it is never moved again,
    so an order the owner reopens in WooCommerce stays as the owner left it."""

    shop = ForeignKeyField(Shop, on_delete="CASCADE")
    woo_order_id = BigIntegerField()
    woo_status = CharField(max_length=24)
    reason = CharField(max_length=200)
    changed_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("shop", "woo_order_id"), True),)


class SyncCursor(BaseModel):
    """Where an incremental sync got to (e.g. the last `lastmodified` seen)."""

    shop = ForeignKeyField(Shop, on_delete="CASCADE")
    name = CharField(max_length=100)
    value = CharField(max_length=255)
    updated_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("shop", "name"), True),)


class JobLease(BaseModel):
    """Who may run a job (for a shop) until when; taken by conditional update."""

    name = CharField(max_length=150, unique=True)  # "<job>" or "<job>:<shop id>"
    job = CharField(max_length=100)
    shop = ForeignKeyField(Shop, on_delete="CASCADE", null=True)
    holder = CharField(max_length=100, null=True)  # null: released
    expires_at = UTCDateTimeField(default=utcnow)  # a holder that died loses the lease then
    not_before = UTCDateTimeField(default=utcnow)  # next scheduled run, across all processes
    acquired_at = UTCDateTimeField(null=True)


class JobRun(BaseModel):
    """One run of a job: when, by whom, how it ended, what it did."""

    job = CharField(max_length=100)
    shop = ForeignKeyField(Shop, on_delete="CASCADE", null=True)
    holder = CharField(max_length=100)
    trigger = CharField(max_length=16, default="schedule")  # schedule or manual
    started_at = UTCDateTimeField(default=utcnow)
    finished_at = UTCDateTimeField(null=True)
    outcome = CharField(max_length=16, default="running")  # running, ok, failed
    counts = JSONTextField(null=True)
    error = BigTextField(null=True)

    class Meta:
        indexes = ((("job", "started_at"), False),)


class ActivityEntry(BaseModel):
    """What the dashboard shows: a sync event or a failure, in words the owner can act on."""

    shop = ForeignKeyField(Shop, on_delete="CASCADE")
    created_at = UTCDateTimeField(default=utcnow, index=True)
    level = CharField(max_length=16)  # info, warning, error
    workflow = CharField(max_length=32)  # orders, order_status, products, stock, connection
    subject = CharField(max_length=200, default="")
    message = BigTextField()
    hint = BigTextField(default="")
    details = JSONTextField(null=True)
    woo_order_id = BigIntegerField(null=True)
    resolved_at = UTCDateTimeField(null=True)
    # The subject, message and hint as codes with parameters (sidecar.messages), rendered in
    # the reader's language; the text columns above keep the English, for logs and old rows.
    texts = JSONTextField(null=True)
    # A problem (sidecar.activity.problem) is about an order or a job ("order:46", "job:prune")
    # and has a cause: the same cause again updates this entry (`repeats`, `updated_at`) instead
    # of adding one. When the order exports or the job succeeds it is resolved, and
    # `resolution` says how (a message as in `texts`). Older entries have neither.
    about = CharField(max_length=64, null=True)
    cause = CharField(max_length=120, null=True)
    updated_at = UTCDateTimeField(null=True)
    repeats = IntegerField(default=1)
    resolution = JSONTextField(null=True)

    class Meta:
        indexes = ((("shop", "about"), False),)


class ShopCheck(BaseModel):
    """What the sidecar last found out about something outside it, per shop: Fortnox reachable,
    Fortnox Lager available, the settings valid in Fortnox, our webhooks active. Read by the
    export, the settings page and the attention box (sidecar.checks)."""

    shop = ForeignKeyField(Shop, on_delete="CASCADE")
    name = CharField(max_length=64)  # "fortnox.reach", "fortnox.lager", "fortnox.settings", ...
    state = CharField(max_length=16, default="unknown")  # ok, problem, failing, unknown
    result = JSONTextField(null=True)  # what the last answer said
    problem = JSONTextField(null=True)  # the last failure, as a message (sidecar.messages)
    failures = IntegerField(default=0)  # passing failures in a row (the backoff)
    checked_at = UTCDateTimeField(null=True)  # the last answer
    since = UTCDateTimeField(null=True)  # when the current state began
    next_at = UTCDateTimeField(null=True)  # when to look again; None: when asked to

    class Meta:
        indexes = ((("shop", "name"), True),)


class ReconciliationReport(BaseModel):
    """One reconciliation of WooCommerce's sales against Fortnox for a period, kept as found."""

    shop = ForeignKeyField(Shop, on_delete="CASCADE")
    first_day = CharField(max_length=10)  # YYYY-MM-DD, Swedish calendar days, both included
    last_day = CharField(max_length=10)
    trigger = CharField(max_length=16, default="schedule")  # schedule, manual or cli
    state = CharField(max_length=16, default="running")  # running, done or failed
    orders = IntegerField(default=0)
    problems = IntegerField(default=0)
    body = JSONTextField(null=True)  # sidecar.sync.reconcile.outcome.Report.as_json()
    error = JSONTextField(null=True)  # why it failed, as a message code with parameters
    created_at = UTCDateTimeField(default=utcnow)
    finished_at = UTCDateTimeField(null=True)
    emailed_at = UTCDateTimeField(null=True)

    class Meta:
        indexes = ((("shop", "created_at"), False),)


class Owner(BaseModel):
    """A person who may sign in to the owner's pages of a shop (created by `sidecar admin`)."""

    shop = ForeignKeyField(Shop, on_delete="CASCADE")
    email = CharField(max_length=254, unique=True)  # stored lower-cased
    password_hash = CharField(max_length=255)  # werkzeug's scrypt/pbkdf2 string, never the password
    created_at = UTCDateTimeField(default=utcnow)
    last_sign_in_at = UTCDateTimeField(null=True)
    # Bumped by sign-out, a password change or a revocation: older session cookies are refused.
    session_generation = IntegerField(default=0)


class SignInFailure(BaseModel):
    """One failed sign-in, counted per account and per address to slow down password guessing
    (in the DB, so every process and container counts the same attempts)."""

    email = CharField(max_length=254)
    ip = CharField(max_length=64)
    created_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("email", "created_at"), False),
            (("ip", "created_at"), False),
        )


class UsedSignInLink(BaseModel):
    """The signature of a WordPress sign-in link already used, kept until the link expires."""

    signature = CharField(max_length=64, unique=True)
    expires_at = UTCDateTimeField(index=True)


class WordPressUser(BaseModel):
    """A WordPress user the owner has linked to an owner account: the plugin's sign-in link
    for this user opens that owner's session (an unlinked user is refused)."""

    shop = ForeignKeyField(Shop, on_delete="CASCADE")
    wp_user = BigIntegerField()
    owner = ForeignKeyField(Owner, on_delete="CASCADE")
    created_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("shop", "wp_user"), True),)


class UsedNonce(BaseModel):
    """A nonce of the plugin's signed API requests (sha256 hex), kept until the request's window
    has passed, so a copied request is refused the second time."""

    nonce = CharField(max_length=64, unique=True)
    expires_at = UTCDateTimeField(index=True)


class SecurityEvent(BaseModel):
    """The security log: who did what, when and from where (sign-ins, throttling, secrets and
    connection changes). Kept for a year (sidecar.housekeeping)."""

    shop = ForeignKeyField(Shop, on_delete="CASCADE", null=True, index=False)
    created_at = UTCDateTimeField(default=utcnow)
    actor = CharField(max_length=254)  # an e-mail, "WordPress #7", "plugin" or "cli"
    action = CharField(max_length=64)  # a code in sidecar.messages.security
    address = CharField(max_length=64)  # the client's address, "" for the CLI
    details = JSONTextField(null=True)

    class Meta:
        indexes = ((("shop", "created_at"), False), (("created_at",), False))


class FortnoxRateSlot(BaseModel):
    """One of a Fortnox tenant's 25 request slots: busy until a request's window has passed.

    See sidecar.fortnox_access.rate_limit; `holder` is set while the request is in flight."""

    tenant = CharField(max_length=64)
    slot = IntegerField()
    busy_until = UTCDateTimeField(default=utcnow)
    holder = CharField(max_length=64, null=True)

    class Meta:
        indexes = ((("tenant", "slot"), True),)


class FeedOffset(BaseModel):
    """Where the shop's tenant got to in one topic of Fortnox's change feed: the offset of the
    last event handled, so a new connection replays what came after (sidecar.jobs.change_feed).
    Offsets are opaque; the event's time says which of two is older."""

    shop = ForeignKeyField(Shop, on_delete="CASCADE")
    topic = CharField(max_length=64)
    offset = CharField(max_length=100)
    event_at = UTCDateTimeField(null=True)
    updated_at = UTCDateTimeField(default=utcnow)

    class Meta:
        indexes = ((("shop", "topic"), True),)


class FeedStatus(BaseModel):
    """The change feed as the shop sees it: on (subscribed, alive at `alive_at`), off (down
    since `down_since`) or refused (Fortnox would not take the shop's token); the dashboard and
    the polling jobs' pace read it (sidecar.jobs.feed_health)."""

    shop = ForeignKeyField(Shop, on_delete="CASCADE", unique=True)
    state = CharField(max_length=16, default="off")
    topics = JSONTextField(null=True)  # the topics subscribed while on
    alive_at = UTCDateTimeField(null=True)
    down_since = UTCDateTimeField(null=True)
    last_event_at = UTCDateTimeField(null=True)
    problem = JSONTextField(null=True)  # why it is off, as a message code (sidecar.messages)
    updated_at = UTCDateTimeField(default=utcnow)


MODELS: tuple[type[BaseModel], ...] = (
    Shop,
    FortnoxToken,
    Setting,
    InboxEntry,
    OrderLedger,
    OrderStep,
    CustomerLink,
    ProductLink,
    OrderStatusChange,
    SyncCursor,
    JobLease,
    JobRun,
    ActivityEntry,
    ShopCheck,
    ReconciliationReport,
    FortnoxRateSlot,
    Owner,
    SignInFailure,
    UsedSignInLink,
    WordPressUser,
    UsedNonce,
    SecurityEvent,
    FeedOffset,
    FeedStatus,
)
