"""Fuzzing the webhook receiver: whatever arrives, never a 5xx, never an unsigned row stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from sidecar import crypto
from sidecar.app import create_app
from sidecar.config import Config
from sidecar.db import bind_database
from sidecar.migrate import upgrade
from sidecar.models import InboxEntry
from sidecar.models import Shop
from sidecar.webhooks.signature import sign

SECRET = "fuzz-webhook-secret-0123456789abcdef"
EXAMPLES = settings(max_examples=2000, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# What can travel in an HTTP header value: Latin-1 without control characters.
HEADER_CHARS = st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f")
TOPICS = st.sampled_from(["order.created", "order.updated", "order.deleted", "order.restored",
                          "product.created", "product.updated", "coupon.created", "", "x" * 300,
                          "order.", ".updated", "åäö.ü"])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner,
                                                                max_size=5),
    max_leaves=20,
)
ORDER_LIKE = st.fixed_dictionaries(
    {"id": st.one_of(st.integers(-5, 10**12), st.text(max_size=8), st.none(), st.booleans(),
                     st.floats(allow_nan=False)),
     "status": st.one_of(st.sampled_from(["processing", "checkout-draft", "pending"]),
                         st.integers(), st.none(), st.text(max_size=10)),
     "date_modified_gmt": st.one_of(st.text(max_size=40), st.integers(), st.none())},
    optional={"code": st.text(max_size=20), "message": st.text(max_size=20),
              "line_items": st.lists(JSON_VALUES, max_size=3), "extra": JSON_VALUES},
)


@pytest.fixture(scope="module", name="client")
def _client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    """One app on SQLite for all examples (a fresh database per example would be too slow)."""
    config = Config.for_tests(Path(tmp_path_factory.mktemp("fuzz")))
    crypto.configure(config.secret_key)
    database = bind_database(config.database_url)
    with database.connection_context():
        upgrade(database)
        Shop.create(name="Fuzz", slug="fuzz", webhook_secret=SECRET)
    yield create_app(config).test_client()
    database.close_all()


def stored_rows() -> int:
    return InboxEntry.select().count()


@EXAMPLES
@given(body=st.binary(max_size=2048), topic=TOPICS,
       signature=st.one_of(st.none(), st.text(HEADER_CHARS, max_size=60),
                           st.binary(max_size=40).map(lambda b: b.hex())),
       content_type=st.sampled_from(["application/json", "text/plain",
                                     "application/x-www-form-urlencoded", ""]),
       slug=st.sampled_from([None, "fuzz", "other", "../../etc", "%00"]))
def test_unsigned_or_badly_signed_bytes_never_get_a_5xx_nor_a_row(
    client: FlaskClient, body: bytes, topic: str, signature: str | None, content_type: str,
    slug: str | None,
) -> None:
    headers = {"X-WC-Webhook-Topic": topic} if topic else {}
    if signature is not None:
        headers["X-WC-Webhook-Signature"] = signature
    if content_type:
        headers["Content-Type"] = content_type
    path = "/webhooks/woocommerce" + (f"/{slug}" if slug else "")
    before = stored_rows()

    response = client.post(path, data=body, headers=headers)

    assert response.status_code < 500
    assert stored_rows() == before
    if topic and signature is not None:  # an oversized topic is refused before the signature
        assert response.status_code in ((400, 404) if len(topic) > 64 else (401, 404))


@EXAMPLES
@given(payload=st.one_of(ORDER_LIKE, JSON_VALUES), topic=TOPICS,
       mangle=st.sampled_from(["none", "truncate", "unicode", "not-json"]))
def test_signed_bodies_of_any_shape_never_get_a_5xx(client: FlaskClient, payload: object,
                                                     topic: str, mangle: str) -> None:
    raw = json.dumps(payload, ensure_ascii=mangle != "unicode").encode()
    if mangle == "truncate":
        raw = raw[: max(1, len(raw) // 2)]
    elif mangle == "not-json":
        raw = b"\xff" + raw
    headers = {"X-WC-Webhook-Signature": sign(raw, SECRET), "Content-Type": "application/json"}
    if topic:
        headers["X-WC-Webhook-Topic"] = topic
    before = stored_rows()

    response = client.post("/webhooks/woocommerce", data=raw, headers=headers)

    assert response.status_code < 500, response.get_data()
    stored = stored_rows() - before
    assert stored in (0, 1)
    if stored:
        assert response.status_code == 200
        assert InboxEntry.select().order_by(InboxEntry.id.desc()).first().body == raw
    if response.status_code >= 400:
        assert stored == 0


def test_a_huge_signed_body_is_refused_without_storing(client: FlaskClient) -> None:
    raw = b'{"id":1,"pad":"' + b"x" * (6 * 1024 * 1024) + b'"}'
    before = stored_rows()

    response = client.post("/webhooks/woocommerce", data=raw, headers={
        "X-WC-Webhook-Topic": "order.updated", "X-WC-Webhook-Signature": sign(raw, SECRET)})

    assert response.status_code == 413
    assert stored_rows() == before
