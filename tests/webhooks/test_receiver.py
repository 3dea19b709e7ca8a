"""POST /webhooks/woocommerce: nothing unsigned is stored; everything signed is, once."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from peewee import Database
from peewee import SqliteDatabase

from sidecar.app import create_app
from sidecar.config import Config
from sidecar.db import database as proxy
from sidecar.models import ActivityEntry
from sidecar.models import InboxEntry
from sidecar.models import Shop
from sidecar.webhooks.endpoint import MAX_BODY_BYTES
from sidecar.webhooks.endpoint import BodyTooLarge
from sidecar.webhooks.endpoint import _read_body
from sidecar.webhooks.intake import remember_own_write
from sidecar.webhooks.signature import sign
from tests.captured import CAPTURED_SECRET
from tests.captured import captured_deliveries

SECRET = "shop-webhook-secret-0123456789"
ORDER = (b'{"id":24,"status":"processing","date_modified_gmt":"2026-11-23T09:26:19",'
         b'"billing":{"email":"anna@example.test"},"_links":{"self":[{"href":'
         b'"https:\\/\\/shop.example\\/wp-json\\/wc\\/v3\\/orders\\/24"}]}}')


@pytest.fixture(name="app")
def _app(config: Config, sqlite_database: Database) -> Flask:
    """The app on a migrated SQLite database with one shop."""
    Shop.create(name="Butik", slug="butik", webhook_secret=SECRET)
    return create_app(config)


@pytest.fixture(name="client")
def _client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


def deliver(client: FlaskClient, body: bytes, *, topic: str = "order.updated",
            secret: str = SECRET, path: str = "/webhooks/woocommerce",
            signature: str | None = None, delivery_id: str = "d1"):  # type: ignore[no-untyped-def]
    headers = {"X-WC-Webhook-Topic": topic, "X-WC-Webhook-Delivery-ID": delivery_id,
               "X-WC-Webhook-Signature": signature if signature is not None else sign(body, secret),
               "Content-Type": "application/json"}
    return client.post(path, data=body, headers=headers)


def test_the_creation_ping_gets_200_and_is_not_stored(client: FlaskClient) -> None:
    response = client.post("/webhooks/woocommerce", data=b"webhook_id=7",
                           content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    assert InboxEntry.select().count() == 0


def test_a_signed_delivery_is_stored_then_acknowledged(client: FlaskClient) -> None:
    response = deliver(client, ORDER)

    assert response.status_code == 200
    entry = InboxEntry.get()
    assert (entry.topic, entry.resource_id, entry.modified_gmt) == (
        "order.updated", 24, "2026-11-23T09:26:19")
    assert entry.body == ORDER  # the raw bytes, escaped slashes and all
    assert entry.status == "pending"


@pytest.mark.parametrize("signature", ["", "AAAA", sign(ORDER, "another-secret")])
def test_a_bad_signature_is_401_and_stores_nothing(client: FlaskClient, signature: str) -> None:
    response = deliver(client, ORDER, signature=signature)

    assert response.status_code == 401
    assert response.get_json() == {"error": "signature does not match"}
    assert InboxEntry.select().count() == 0


def test_a_delivery_with_a_topic_but_no_signature_is_401(client: FlaskClient) -> None:
    response = client.post("/webhooks/woocommerce", data=ORDER,
                           headers={"X-WC-Webhook-Topic": "order.updated"})

    assert response.status_code == 401
    assert InboxEntry.select().count() == 0


def test_an_unsigned_body_without_a_topic_is_refused(client: FlaskClient) -> None:
    response = client.post("/webhooks/woocommerce", data=ORDER)

    assert response.status_code == 400
    assert InboxEntry.select().count() == 0


def test_a_body_over_the_limit_is_413(client: FlaskClient) -> None:
    body = b'{"id":1,"x":"' + b"a" * MAX_BODY_BYTES + b'"}'

    response = deliver(client, body)

    assert response.status_code == 413
    assert InboxEntry.select().count() == 0


def test_a_body_without_length_is_read_to_the_end_the_server_marks() -> None:
    body = b'{"id":1}'
    environ = {"wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True}

    assert _read_body(environ) == body
    assert _read_body({"wsgi.input": io.BytesIO(body)}) == b""  # no end marker: not read
    with pytest.raises(BodyTooLarge):
        _read_body({"wsgi.input": io.BytesIO(b"x" * (MAX_BODY_BYTES + 1)),
                    "wsgi.input_terminated": True})


def test_a_content_length_that_is_not_a_number_is_400(client: FlaskClient) -> None:
    response = client.post("/webhooks/woocommerce", data=ORDER,
                           environ_overrides={"CONTENT_LENGTH": "¹²"},
                           headers={"X-WC-Webhook-Topic": "order.updated"})

    assert response.status_code == 400
    assert response.get_json() == {"error": "Content-Length is not a number"}


def test_only_post_is_answered(client: FlaskClient) -> None:
    response = client.get("/webhooks/woocommerce")

    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"


@pytest.mark.parametrize("path", ["/webhooks/woocommerce/", "/webhooks/woocommerce/butik/x",
                                  "/webhooks/woocommercex"])
def test_other_paths_go_on_to_the_app(client: FlaskClient, path: str) -> None:
    response = deliver(client, ORDER, path=path)

    assert response.status_code == 404
    assert InboxEntry.select().count() == 0


def test_a_delivery_that_cannot_be_stored_is_500_and_not_acknowledged(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    InboxEntry.drop_table()

    response = deliver(client, ORDER)

    assert response.status_code == 500
    assert response.get_json() == {"error": "the delivery could not be stored"}
    assert "webhook.failed" in caplog.text


def test_a_signed_body_that_is_not_json_is_400_with_a_reason(client: FlaskClient) -> None:
    response = deliver(client, b"<html>oops</html>")

    assert response.status_code == 400
    assert "not JSON" in response.get_json()["error"]
    assert InboxEntry.select().count() == 0


def test_the_same_order_version_is_stored_once(client: FlaskClient) -> None:
    first = deliver(client, ORDER, topic="order.created")
    second = deliver(client, ORDER, topic="order.updated")
    newer = deliver(client, ORDER.replace(b"09:26:19", b"09:30:00"))

    assert [r.status_code for r in (first, second, newer)] == [200, 200, 200]
    assert second.get_data(as_text=True) == "duplicate"
    assert InboxEntry.select().count() == 2


def test_the_shop_is_found_by_path_or_by_secret(client: FlaskClient) -> None:
    Shop.create(name="Annan", slug="annan", webhook_secret="other-shop-secret-9876543210")

    by_secret = deliver(client, ORDER, secret="other-shop-secret-9876543210")
    wrong_path = deliver(client, ORDER, path="/webhooks/woocommerce/butik",
                         secret="other-shop-secret-9876543210")

    assert by_secret.status_code == 200
    assert wrong_path.status_code == 401
    assert InboxEntry.get().shop.slug == "annan"


def test_drafts_are_acknowledged_and_ignored(client: FlaskClient) -> None:
    body = b'{"id":30,"status":"checkout-draft","date_modified_gmt":"2026-11-23T09:00:00"}'

    response = deliver(client, body, topic="order.created")

    assert response.status_code == 200
    assert InboxEntry.select().count() == 0


def test_an_error_object_is_acknowledged_and_shown_as_a_warning(client: FlaskClient) -> None:
    body = b'{"code":"woocommerce_rest_cannot_view","message":"Sorry.","data":{"status":401}}'

    response = deliver(client, body)

    assert response.status_code == 200
    assert InboxEntry.select().count() == 0
    activity = ActivityEntry.get()
    assert activity.level == "warning"
    assert "woocommerce_rest_cannot_view" in activity.message


def test_our_own_write_echoed_back_is_not_work(client: FlaskClient) -> None:
    shop = Shop.get(Shop.slug == "butik")
    remember_own_write(shop, "order", 24, "2026-11-23T09:26:19")

    response = deliver(client, ORDER)

    assert response.get_data(as_text=True) == "duplicate"
    assert InboxEntry.select().where(InboxEntry.status == "pending").count() == 0


def test_every_captured_delivery_replays_through_the_receiver(config: Config,
                                                              sqlite_database: Database) -> None:
    Shop.create(name="Real store", slug="real", webhook_secret=CAPTURED_SECRET)
    client = create_app(config).test_client()
    deliveries = captured_deliveries()

    statuses = {d.name: client.post("/webhooks/woocommerce", data=d.body,
                                    headers=d.headers).status_code for d in deliveries}

    assert set(statuses.values()) == {200}, statuses
    stored = list(InboxEntry.select())
    signed = [d for d in deliveries if not d.is_ping]
    distinct_versions = {
        (d.topic.split(".")[0], json.loads(d.body)["id"], json.loads(d.body).get(
            "date_modified_gmt", d.headers["X-WC-Webhook-Delivery-ID"])) for d in signed}
    assert len(stored) == len(distinct_versions)
    assert {e.topic for e in stored} >= {"order.created", "order.updated", "order.deleted",
                                         "product.created", "product.updated"}
    deleted = next(e for e in stored if e.topic == "order.deleted")
    assert (deleted.resource_id, deleted.body) == (26, b'{"id":26}')


def test_a_failed_wake_up_does_not_undo_the_acknowledgement(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_wake(shop_id: int) -> None:
        raise RuntimeError("scheduler shut down")

    app.extensions["sidecar.wake_inbox"] = broken_wake

    response = deliver(client, ORDER)

    assert (response.status_code, response.get_data(as_text=True)) == (200, "stored")
    assert InboxEntry.select().count() == 1
    assert "webhook.wake_failed" in caplog.text


def test_sqlite_keeps_the_workers_connection_and_a_server_gets_it_back_in_its_pool(
    config: Config, db_url: str, database: Database,
) -> None:
    Shop.create(name="Butik", slug="butik", webhook_secret=SECRET)
    client = create_app(dataclasses.replace(config, database_url=db_url)).test_client()
    bound = proxy.obj

    first = deliver(client, ORDER)
    kept = None if bound.is_closed() else bound.connection()
    second = deliver(client, ORDER.replace(b"09:26:19", b"09:27:00"))
    closed_after = bound.is_closed()

    assert (first.status_code, second.status_code) == (200, 200)
    if isinstance(bound, SqliteDatabase):  # one connection for both deliveries, still open
        assert kept is not None and bound.connection() is kept
    else:  # between deliveries it waits in the pool, whose check-out drops a stale one
        assert kept is None and closed_after
    assert InboxEntry.select().count() == 2
