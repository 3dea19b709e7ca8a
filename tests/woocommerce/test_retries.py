"""Reads are retried with backoff on transient errors; writes only when nothing was sent."""

from __future__ import annotations

import pytest
import requests

from sidecar.woocommerce import WooClient
from sidecar.woocommerce import WooTransient
from sidecar.woocommerce import WooValidationError

STORE = "https://shop.example"
ORDER_URL = f"{STORE}/wp-json/wc/v3/orders/7"
UNAVAILABLE = {"status_code": 503, "json": {"code": "unavailable", "message": "Busy"}}


@pytest.fixture
def sleeps() -> list[float]:
    """The delays the client asked for, instead of sleeping."""
    return []


@pytest.fixture
def woo(sleeps) -> WooClient:
    """A client with three retries and a 0.5 s backoff base that records its sleeps."""
    return WooClient(STORE, "ck_test", "cs_test", retries=3, backoff=0.5, sleep=sleeps.append)


def test_it_retries_a_get_after_503_and_returns_the_answer(woo, requests_mock, sleeps):
    requests_mock.get(ORDER_URL, [UNAVAILABLE, UNAVAILABLE, {"json": {"id": 7}}])

    assert woo.get_order(7) == {"id": 7}
    assert requests_mock.call_count == 3
    assert sleeps == [0.5, 1.0]


def test_it_gives_up_after_its_retries(woo, requests_mock, sleeps):
    requests_mock.get(ORDER_URL, **UNAVAILABLE)

    with pytest.raises(WooTransient):
        woo.get_order(7)

    assert requests_mock.call_count == 4
    assert sleeps == [0.5, 1.0, 2.0]


def test_it_retries_a_get_after_a_read_timeout(woo, requests_mock):
    requests_mock.get(ORDER_URL, [{"exc": requests.ReadTimeout}, {"json": {"id": 7}}])

    assert woo.get_order(7) == {"id": 7}


@pytest.mark.parametrize(
    ("method", "call"),
    [
        ("PUT", lambda woo: woo.update_order_status(7, "completed")),
        ("POST", lambda woo: woo.add_order_note(7, "Invoiced")),
    ],
)
def test_it_does_not_repeat_a_write_after_503(woo, requests_mock, sleeps, method, call):
    requests_mock.register_uri(method, ORDER_URL, **UNAVAILABLE)
    requests_mock.register_uri(method, f"{ORDER_URL}/notes", **UNAVAILABLE)

    with pytest.raises(WooTransient):
        call(woo)

    assert requests_mock.call_count == 1
    assert sleeps == []


def test_it_does_not_repeat_a_write_after_a_read_timeout(woo, requests_mock):
    requests_mock.put(ORDER_URL, [{"exc": requests.ReadTimeout}, {"json": {"id": 7}}])

    with pytest.raises(WooTransient):
        woo.update_order_status(7, "completed")

    assert requests_mock.call_count == 1


def test_it_repeats_a_write_that_never_reached_the_shop(woo, requests_mock):
    requests_mock.put(ORDER_URL, [{"exc": requests.ConnectTimeout}, {"json": {"id": 7}}])

    assert woo.update_order_status(7, "completed") == {"id": 7}
    assert requests_mock.call_count == 2


def test_it_repeats_a_write_the_shop_refused_with_429(woo, requests_mock, sleeps):
    limited = {"status_code": 429, "json": {}, "headers": {"Retry-After": "2"}}
    requests_mock.put(ORDER_URL, [limited, {"json": {"id": 7}}])

    assert woo.update_order_status(7, "completed") == {"id": 7}
    assert sleeps == [2.0]


def test_it_does_not_block_for_a_long_retry_after(woo, requests_mock, sleeps):
    requests_mock.get(ORDER_URL, status_code=429, json={}, headers={"Retry-After": "3600"})

    with pytest.raises(WooTransient):
        woo.get_order(7)

    assert requests_mock.call_count == 1
    assert sleeps == []


def test_it_does_not_retry_a_permanent_error(woo, requests_mock, sleeps):
    requests_mock.get(
        ORDER_URL, status_code=400, json={"code": "rest_invalid_param", "message": "Bad"}
    )

    with pytest.raises(WooValidationError):
        woo.get_order(7)

    assert requests_mock.call_count == 1
    assert sleeps == []


def test_it_logs_each_attempt(woo, requests_mock, caplog):
    requests_mock.get(ORDER_URL, [UNAVAILABLE, {"json": {"id": 7}}])
    caplog.set_level("INFO", logger="sidecar.woocommerce")

    woo.get_order(7)

    messages = [r.getMessage() for r in caplog.records]
    assert messages[0].startswith("woo.request method=GET endpoint=orders/7 status=503 ms=")
    assert messages[1].startswith("woo.request method=GET endpoint=orders/7 status=200 ms=")
    assert messages[1].endswith(" attempt=2")
    assert [r.levelname for r in caplog.records] == ["WARNING", "INFO"]
