"""DEBUG logs leave out password hashes, ciphertexts, e-mail addresses and bodies; one order's
bodies can be shown on purpose."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.security import generate_password_hash

from sidecar.app import create_app
from sidecar.config import Config
from sidecar.logs import SqlParametersLeftOut
from sidecar.logs import configure_logging
from sidecar.models import Owner
from sidecar.models import Shop
from sidecar.webhooks.signature import sign
from tests.web.conftest import WEBHOOK_SECRET


@pytest.fixture(name="debug_log")
def _debug_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """Everything logged at DEBUG through the sidecar's own handler, as text."""
    stream = io.StringIO()
    monkeypatch.setattr("sys.stdout", stream)
    root = logging.getLogger()
    before = (list(root.handlers), root.level)
    configure_logging("DEBUG")
    yield stream
    for handler in list(root.handlers):
        if handler not in before[0]:
            root.removeHandler(handler)
    root.setLevel(before[1])
    for name in ("peewee", "apscheduler", "werkzeug"):
        logging.getLogger(name).setLevel("WARNING")


def test_sql_at_debug_has_no_hash_ciphertext_e_mail_or_body(debug_log: io.StringIO,
                                                            sqlite_database: object) -> None:
    shop = Shop.create(name="B", slug="b", webhook_secret="very-secret-webhook-value")
    Owner.create(shop=shop, email="agare@example.se",
                 password_hash=generate_password_hash("ett långt lösenord"))
    assert list(Shop.select(Shop.webhook_secret).where(Shop.id == shop.id).tuples())

    text = debug_log.getvalue()
    assert "db.query sql=" in text
    assert "agare@example.se" not in text
    assert "scrypt:" not in text and "pbkdf2:" not in text
    assert "gAAAAA" not in text  # every Fernet ciphertext starts so
    assert "very-secret-webhook-value" not in text


def test_a_message_naming_an_address_or_hash_is_redacted(debug_log: io.StringIO) -> None:
    logging.getLogger("sidecar.test").debug(
        "customer email=%s hash=%s token=%s", "kund@example.com",
        "scrypt:32768:8:1$abcdefghij$0123456789abcdef", "gAAAAABn" + "x" * 40)

    line = debug_log.getvalue()
    assert "kund@example.com" not in line and "<e-mail>" in line
    assert "<password hash>" in line and "<encrypted>" in line


def test_the_filter_leaves_out_peewee_parameters() -> None:
    record = logging.LogRecord("peewee", logging.DEBUG, __file__, 1,
                               ('INSERT INTO "x" VALUES (?, ?)', ["body", b"bytes"]), None, None)

    SqlParametersLeftOut().filter(record)

    assert record.getMessage() == 'db.query sql=INSERT INTO "x" VALUES (?, ?) params=2'


def body(order_id: int) -> bytes:
    return json.dumps({"id": order_id, "status": "processing", "billing": {
        "email": "kund@example.com"}, "date_modified_gmt": "2026-01-01T00:00:00"}).encode()


def test_the_switch_shows_one_orders_body(debug_log: io.StringIO, tmp_path, sqlite_database,  # type: ignore[no-untyped-def]
                                          config: Config) -> None:
    import dataclasses

    app: Flask = create_app(dataclasses.replace(config, log_bodies_for_order=41))
    Shop.create(name="B", slug="b", webhook_secret=WEBHOOK_SECRET)
    client = app.test_client()
    for order_id in (41, 42):
        raw = body(order_id)
        client.post("/webhooks/woocommerce", data=raw, headers={
            "X-WC-Webhook-Topic": "order.updated",
            "X-WC-Webhook-Signature": sign(raw, WEBHOOK_SECRET)})

    bodies = [line for line in debug_log.getvalue().splitlines() if "webhook.body" in line]
    assert len(bodies) == 1 and "id=41" in bodies[0] and "kund@example.com" in bodies[0]
