"""What a signed delivery is: work to store, a draft to ignore, or an error to report."""

from __future__ import annotations

import pytest

from sidecar.webhooks.intake import BadDelivery
from sidecar.webhooks.intake import classify

ORDER = b'{"id":24,"status":"processing","date_modified_gmt":"2026-11-23T09:26:19"}'


def test_an_order_version_is_keyed_by_id_and_modification_time() -> None:
    created = classify("order.created", ORDER)
    updated = classify("order.updated", ORDER)

    assert created.action == updated.action == "store"
    assert created.dedupe_key == updated.dedupe_key == "order:24:2026-11-23T09:26:19"
    assert (created.resource_id, created.modified_gmt) == (24, "2026-11-23T09:26:19")


@pytest.mark.parametrize("body", [b'{"id":26}', b'{"id":"26"}'])
def test_a_deletion_carries_only_the_id_and_is_keyed_by_it_not_by_the_unsigned_id(
    body: bytes,
) -> None:
    first = classify("order.deleted", body, "delivery-a")
    second = classify("order.deleted", body, "delivery-b")

    assert first.action == "store"
    assert first.resource_id == 26
    assert first.dedupe_key == second.dedupe_key == "order:26:deleted"


@pytest.mark.parametrize("status", ["checkout-draft", "auto-draft", "draft"])
def test_draft_orders_are_ignored(status: str) -> None:
    body = f'{{"id":5,"status":"{status}","date_modified_gmt":"x"}}'.encode()

    assert classify("order.created", body).action == "ignore"


def test_an_error_object_is_reported_not_stored() -> None:
    body = (b'{"code":"woocommerce_rest_shop_order_invalid_id","message":"Invalid ID.",'
            b'"data":{"status":404}}')

    delivery = classify("order.updated", body)

    assert delivery.action == "report"
    assert "woocommerce_rest_shop_order_invalid_id" in delivery.reason


@pytest.mark.parametrize("body", [
    b'{"id":7,"note":"\\ud800"}',  # a lone surrogate escape
    '{"id":7}'.encode("utf-16"),  # JSON may come in UTF-16 with a byte-order mark
    b'{"id":7,"total":NaN}',
])
def test_json_the_fast_parser_refuses_is_still_read(body: bytes) -> None:
    assert classify("order.deleted", body).resource_id == 7


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"name":"no id"}', "no numeric id"),
        (b'{"id":-3}', "no numeric id"),
        (b'{"id":true}', "no numeric id"),
        (b'{"id":"12abc"}', "no numeric id"),
        ('{"id":"¹"}'.encode(), "no numeric id"),  # a digit to str.isdigit, not to int()
        (b'{"id":9223372036854775808}', "no numeric id"),  # past what the inbox can hold
        (b'{"id":123456789012345678901234567890}', "no numeric id"),
        (b'{"id":"9223372036854775808"}', "no numeric id"),
    ],
)
def test_it_refuses_bodies_that_are_not_deliveries(body: bytes, reason: str) -> None:
    with pytest.raises(BadDelivery, match=reason):
        classify("order.updated", body)
