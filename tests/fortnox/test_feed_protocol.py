"""The Topics API's messages: commands as Fortnox's clients send them, events and replies read
leniently (a tenant id as text, a timestamp with an offset, anything else skipped)."""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime

from sidecar.fortnox_feed import protocol
from sidecar.fortnox_feed.protocol import Event
from sidecar.fortnox_feed.protocol import Reply


def test_commands_are_the_documented_json() -> None:
    assert json.loads(protocol.add_tenants("s3cret", ["tok"])) == {
        "command": "add-tenants-v1", "clientSecret": "s3cret", "accessTokens": ["tok"]}
    assert json.loads(protocol.add_topics({"orders": None, "articles": "xDy7J"})) == {
        "command": "add-topics-v1",
        "topics": [{"topic": "orders"}, {"topic": "articles", "offset": "xDy7J"}]}
    assert json.loads(protocol.subscribe()) == {"command": "subscribe-v1"}
    assert json.loads(protocol.remove_tenants([29302])) == {
        "command": "remove-tenants-v1", "tenants": [29302]}


def test_fortnoxs_example_event_is_read_in_utc() -> None:
    event = protocol.parse(json.dumps({
        "topic": "invoices", "offset": "xDy7J", "type": "invoicepayment-bookkeep-v1",
        "tenantId": 29302, "entityId": "3817", "timestamp": "2017-12-28T14:59:16.500+01:00"}))

    assert event == Event("invoices", "xDy7J", "invoicepayment-bookkeep-v1", 29302, "3817",
                          datetime(2017, 12, 28, 13, 59, 16, 500000, tzinfo=UTC))
    assert event.key == (29302, "invoices", "xDy7J")


def test_replies_and_oddities() -> None:
    reply = protocol.parse(json.dumps({"response": "add-tenants-v1", "result": "ok",
                                       "tenantIds": {"Bearer a": "12", "b": None},
                                       "invalidTokens": ["c"]}))

    assert reply == Reply("add-tenants-v1", True, {"Bearer a": 12}, ("c",))
    assert protocol.parse("not json") is None
    assert protocol.parse("[1, 2]") is None
    assert protocol.parse(json.dumps({"topic": "orders", "offset": "1"})) is None  # no tenant
    assert protocol.parse_timestamp("yesterday") is None
