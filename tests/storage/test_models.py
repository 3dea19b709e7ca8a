"""What the models promise on every engine: secrets encrypted, keys unique, values exact."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from decimal import Decimal

import pytest
from peewee import Database
from peewee import IntegrityError

from sidecar import settings
from sidecar.models import ActivityEntry
from sidecar.models import FortnoxToken
from sidecar.models import InboxEntry
from sidecar.models import OrderLedger
from sidecar.models import OrderStep
from sidecar.models import Shop


def test_it_stores_credentials_encrypted_and_reads_them_back(database: Database) -> None:
    shop = Shop.create(name="Butik", slug="butik", woo_consumer_secret="cs_topsecret_value")
    FortnoxToken.create(shop=shop, access_token="access-plain-value",
                        refresh_token="refresh-plain-value", expires_at=datetime.now(UTC))

    raw_rows = [
        database.execute_sql("SELECT woo_consumer_secret FROM shop").fetchone(),
        database.execute_sql("SELECT access_token, refresh_token FROM fortnox_token").fetchone(),
    ]

    stored = " ".join(str(value) for row in raw_rows for value in row)
    assert "topsecret" not in stored
    assert "plain-value" not in stored
    assert Shop.get_by_id(shop.id).woo_consumer_secret == "cs_topsecret_value"
    assert FortnoxToken.get(FortnoxToken.shop == shop).refresh_token == "refresh-plain-value"


def test_it_keeps_one_inbox_row_per_order_version(shop: Shop) -> None:
    InboxEntry.create(shop=shop, topic="order.updated", resource_id=24, dedupe_key="order:24:x",
                      body=b"{}")

    with pytest.raises(IntegrityError):
        InboxEntry.create(shop=shop, topic="order.updated", resource_id=24,
                          dedupe_key="order:24:x", body=b"{}")


def test_it_keeps_one_ledger_row_per_order_and_shop(shop: Shop) -> None:
    other = Shop.create(name="Annan", slug="annan")
    OrderLedger.create(shop=shop, woo_order_id=7, external_key="testbutiken-7")
    OrderLedger.create(shop=other, woo_order_id=7, external_key="annan-7")

    with pytest.raises(IntegrityError):
        OrderLedger.create(shop=shop, woo_order_id=7, external_key="testbutiken-7")


def test_it_round_trips_raw_bodies_money_and_utc_times_exactly(shop: Shop) -> None:
    body = b'{"name":"Kaffe \\u00e5","url":"https:\\/\\/shop.se\\/"}' + b" " * 1_000_000
    moment = datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=UTC)  # the night DST starts in Sweden
    entry = InboxEntry.create(shop=shop, topic="order.created", dedupe_key="k", body=body,
                              next_attempt_at=moment)
    ledger = OrderLedger.create(shop=shop, woo_order_id=1, external_key="k",
                                woo_total=Decimal("1234567.89"))

    stored = InboxEntry.get_by_id(entry.id)
    assert stored.body == body
    assert stored.next_attempt_at == moment
    assert stored.next_attempt_at.tzinfo is not None
    assert OrderLedger.get_by_id(ledger.id).woo_total == Decimal("1234567.89")


def test_it_refuses_naive_datetimes(shop: Shop) -> None:
    with pytest.raises(ValueError, match="naive datetime"):
        InboxEntry.create(shop=shop, topic="t", dedupe_key="k", body=b"",
                          next_attempt_at=datetime(2026, 1, 1))  # naive on purpose


def test_deleting_a_shop_deletes_its_sync_state(shop: Shop) -> None:
    ledger = OrderLedger.create(shop=shop, woo_order_id=1, external_key="k")
    OrderStep.create(ledger=ledger, step="order", state="done", fortnox_number="1")
    ActivityEntry.create(shop=shop, level="error", workflow="orders", message="m")

    shop.delete_instance()

    assert OrderLedger.select().count() == 0
    assert OrderStep.select().count() == 0
    assert ActivityEntry.select().count() == 0


def test_settings_fall_back_to_defaults_and_store_validated_values(shop: Shop) -> None:
    key = settings.job_interval_key("prune")
    assert settings.load(shop)[key] == 24 * 3600

    settings.save(shop, {key: "600"})
    settings.save(shop, {key: 900})

    assert settings.get(shop, key) == 900
    with pytest.raises(settings.SettingError, match="between"):
        settings.save(shop, {key: 0})
    with pytest.raises(settings.SettingError, match="not a setting"):
        settings.save(shop, {"no.such.setting": 1})
    assert settings.get(shop, key) == 900
