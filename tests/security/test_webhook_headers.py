"""The topic and delivery id headers are not signed: an unknown or oversized topic is refused,
a topic must fit its body, and a replayed body is stored once whatever its headers say."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from sidecar.jobs.inbox_worker import HANDLERS
from sidecar.models import InboxEntry
from sidecar.models import Shop
from sidecar.webhooks.intake import KNOWN_TOPICS
from sidecar.webhooks.signature import sign
from tests.web.conftest import WEBHOOK_SECRET

ORDER = b'{"id":24,"status":"processing","date_modified_gmt":"2026-11-23T09:26:19"}'


def deliver(client: FlaskClient, body: bytes, topic: str, delivery_id: str = "1"):  # type: ignore[no-untyped-def]
    return client.post("/webhooks/woocommerce", data=body, headers={
        "X-WC-Webhook-Topic": topic, "X-WC-Webhook-Delivery-ID": delivery_id,
        "X-WC-Webhook-Signature": sign(body, WEBHOOK_SECRET)})


def test_the_known_topics_are_those_the_inbox_handles() -> None:
    assert set(HANDLERS) == KNOWN_TOPICS


@pytest.mark.parametrize("topic", ["coupon.created", "order.whatever", "x" * 306,
                                   "product.deleted"])
def test_an_unknown_or_oversized_topic_is_refused_and_not_stored(client: FlaskClient,
                                                                 web_shop: Shop,
                                                                 topic: str) -> None:
    response = deliver(client, ORDER, topic)

    assert response.status_code == 400
    assert InboxEntry.select().count() == 0


def test_a_replayed_deletion_is_stored_once_under_any_delivery_id(client: FlaskClient,
                                                                 web_shop: Shop) -> None:
    answers = [deliver(client, b'{"id":26}', "order.deleted", str(n)).get_data(as_text=True)
               for n in range(5)]

    assert answers == ["stored"] + ["duplicate"] * 4
    assert InboxEntry.select().count() == 1


def test_a_deletion_after_a_restore_counts_again(client: FlaskClient, web_shop: Shop) -> None:
    deliver(client, b'{"id":26}', "order.deleted")
    restored = b'{"id":26,"status":"processing","date_modified_gmt":"2026-11-24T10:00:00"}'
    deliver(client, restored, "order.restored")

    again = deliver(client, b'{"id":26}', "order.deleted", "other")

    assert again.get_data(as_text=True) == "stored"
    assert InboxEntry.select().where(InboxEntry.topic == "order.deleted").count() == 2


def test_a_topic_that_contradicts_its_body_is_refused(client: FlaskClient,
                                                      web_shop: Shop) -> None:
    as_deletion = deliver(client, ORDER, "order.deleted")
    as_update = deliver(client, b'{"id":26}', "order.updated")

    assert (as_deletion.status_code, as_update.status_code) == (400, 400)
    assert InboxEntry.select().count() == 0


def test_an_oversized_delivery_id_is_refused(client: FlaskClient, web_shop: Shop) -> None:
    assert deliver(client, ORDER, "order.updated", "9" * 65).status_code == 400
