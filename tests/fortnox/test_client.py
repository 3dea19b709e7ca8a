"""The client's choke point: auth, rate limits, retries only where safe, errors, paging."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
import requests
import requests_mock as rm
from urllib3.exceptions import MaxRetryError
from urllib3.exceptions import NewConnectionError
from urllib3.exceptions import ProtocolError

from sidecar import __version__
from sidecar.fortnox import FortnoxAuthError
from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxOutcomeUnknown
from sidecar.fortnox import FortnoxRateLimited
from sidecar.fortnox import FortnoxTransient
from sidecar.fortnox import FortnoxValidationError

BASE = "https://fortnox.test"
ORDER = {"Order": {"DocumentNumber": "1", "CustomerNumber": "10"}}


class FakeTokens:
    """Hands out t1, t2, ... and remembers which tokens a 401 invalidated."""

    def __init__(self) -> None:
        self.current = 1
        self.invalidated: list[str] = []

    def access_token(self) -> str:
        return f"t{self.current}"

    def invalidate(self, token: str) -> None:
        self.invalidated.append(token)
        self.current += 1


class CountingLimiter:
    def __init__(self) -> None:
        self.acquired = 0

    def acquire(self) -> None:
        self.acquired += 1


@pytest.fixture
def tokens() -> FakeTokens:
    return FakeTokens()


@pytest.fixture
def sleeps() -> list[float]:
    """Every pause the client asked for, in seconds (nothing really sleeps)."""
    return []


@pytest.fixture
def client(tokens: FakeTokens, sleeps: list[float]) -> FortnoxClient:
    return FortnoxClient(BASE, tokens, sleep=sleeps.append, timeout=(3.0, 20.0))


def test_it_sends_bearer_token_json_headers_user_agent_and_timeout(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(f"{BASE}/3/orders/1", json=ORDER)

    assert client.get_order("1") == ORDER["Order"]

    sent = requests_mock.last_request
    assert sent.headers["Authorization"] == "Bearer t1"
    assert sent.headers["Accept"] == "application/json"
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.headers["User-Agent"] == f"fortnox-sidecar/{__version__}"
    assert sent.timeout == (3.0, 20.0)


def test_it_refreshes_once_after_a_401_and_retries_with_the_new_token(
    client: FortnoxClient, tokens: FakeTokens, requests_mock: rm.Mocker
) -> None:
    requests_mock.post(
        f"{BASE}/3/orders",
        [
            {"status_code": 401, "json": {"message": "unauthorized"}},
            {"status_code": 201, "json": ORDER},
        ],
    )

    assert client.create_order({"CustomerNumber": "10"}) == ORDER["Order"]

    assert tokens.invalidated == ["t1"]
    assert [r.headers["Authorization"] for r in requests_mock.request_history] == [
        "Bearer t1",
        "Bearer t2",
    ]


def test_it_gives_up_with_auth_error_when_the_fresh_token_is_refused_too(
    client: FortnoxClient, tokens: FakeTokens, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(f"{BASE}/3/orders/1", status_code=401, json={"message": "unauthorized"})

    with pytest.raises(FortnoxAuthError):
        client.get_order("1")

    assert tokens.invalidated == ["t1"]
    assert requests_mock.call_count == 2


def test_it_waits_at_least_five_seconds_after_a_429_then_repeats_even_a_post(
    client: FortnoxClient, sleeps: list[float], requests_mock: rm.Mocker
) -> None:
    requests_mock.post(
        f"{BASE}/3/orders", [{"status_code": 429, "text": ""}, {"status_code": 201, "json": ORDER}]
    )

    assert client.create_order({"CustomerNumber": "10"}) == ORDER["Order"]

    assert len(sleeps) == 1 and sleeps[0] >= 5.0
    assert requests_mock.call_count == 2


def test_it_raises_rate_limited_after_a_bounded_number_of_429s(
    tokens: FakeTokens, sleeps: list[float], requests_mock: rm.Mocker
) -> None:
    client = FortnoxClient(BASE, tokens, sleep=sleeps.append, max_rate_limit_retries=3)
    requests_mock.get(f"{BASE}/3/orders/1", status_code=429, text="")

    with pytest.raises(FortnoxRateLimited) as raised:
        client.get_order("1")

    assert raised.value.retryable and raised.value.retry_after >= 5.0
    assert requests_mock.call_count == 4
    assert len(sleeps) == 3 and all(pause >= 5.0 for pause in sleeps)
    assert sleeps == sorted(sleeps)  # the waits grow


def test_it_waits_as_long_as_a_retry_after_header_asks(
    client: FortnoxClient, sleeps: list[float], requests_mock: rm.Mocker
) -> None:
    requests_mock.get(
        f"{BASE}/3/orders/1",
        [{"status_code": 429, "headers": {"Retry-After": "30"}}, {"json": ORDER}],
    )

    client.get_order("1")

    assert sleeps[0] >= 30.0


def test_it_retries_a_get_after_5xx_with_growing_backoff(
    client: FortnoxClient, sleeps: list[float], requests_mock: rm.Mocker
) -> None:
    requests_mock.get(
        f"{BASE}/3/orders/1",
        [{"status_code": 502, "text": "Bad Gateway"}, {"status_code": 503}, {"json": ORDER}],
    )

    assert client.get_order("1") == ORDER["Order"]

    assert requests_mock.call_count == 3
    assert len(sleeps) == 2 and 0 < sleeps[0] < sleeps[1]


def test_it_raises_transient_when_a_get_keeps_failing(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(f"{BASE}/3/orders/1", status_code=500, text="oops")

    with pytest.raises(FortnoxTransient) as raised:
        client.get_order("1")

    assert not isinstance(raised.value, FortnoxOutcomeUnknown)
    assert raised.value.retryable and raised.value.status == 500
    assert requests_mock.call_count == 4  # the first try and three retries


def test_it_never_repeats_a_post_after_5xx_and_reports_the_outcome_unknown(
    client: FortnoxClient, sleeps: list[float], requests_mock: rm.Mocker
) -> None:
    requests_mock.post(f"{BASE}/3/orders", status_code=500, text="oops")

    with pytest.raises(FortnoxOutcomeUnknown) as raised:
        client.create_order({"CustomerNumber": "10"})

    assert raised.value.status == 500
    assert requests_mock.call_count == 1
    assert sleeps == []


def test_it_never_repeats_createinvoice_after_5xx(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.put(f"{BASE}/3/orders/7/createinvoice", status_code=503)

    with pytest.raises(FortnoxOutcomeUnknown):
        client.create_invoice_from_order("7")

    assert requests_mock.call_count == 1


def test_it_retries_an_order_update_because_the_same_put_gives_the_same_order(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.put(f"{BASE}/3/orders/7", [{"status_code": 503}, {"json": ORDER}])

    assert client.update_order("7", {"Remarks": "Leave at the door"}) == ORDER["Order"]
    assert requests_mock.call_count == 2


def test_it_reports_outcome_unknown_when_a_post_times_out_reading(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.post(f"{BASE}/3/orders", exc=requests.ReadTimeout)

    with pytest.raises(FortnoxOutcomeUnknown):
        client.create_order({"CustomerNumber": "10"})

    assert requests_mock.call_count == 1


def test_it_reports_outcome_unknown_when_the_connection_drops_after_sending(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    dropped = requests.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError()))
    requests_mock.post(f"{BASE}/3/invoicepayments", exc=dropped)

    with pytest.raises(FortnoxOutcomeUnknown):
        client.create_invoice_payment({"InvoiceNumber": 5})

    assert requests_mock.call_count == 1


@pytest.mark.parametrize(
    "never_sent",
    [
        requests.ConnectTimeout("connect timed out"),
        requests.ConnectionError(
            MaxRetryError(None, "/3/orders", NewConnectionError(None, "Connection refused"))  # type: ignore[arg-type]
        ),
    ],
    ids=["connect-timeout", "connection-refused"],
)
def test_it_reports_a_plain_transient_error_when_a_post_never_left(
    client: FortnoxClient, requests_mock: rm.Mocker, never_sent: requests.RequestException
) -> None:
    requests_mock.post(f"{BASE}/3/orders", exc=never_sent)

    with pytest.raises(FortnoxTransient) as raised:
        client.create_order({"CustomerNumber": "10"})

    assert not isinstance(raised.value, FortnoxOutcomeUnknown)
    assert raised.value.retryable
    assert requests_mock.call_count == 1


def test_it_retries_a_get_after_a_read_timeout(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(f"{BASE}/3/orders/1", [{"exc": requests.ReadTimeout}, {"json": ORDER}])

    assert client.get_order("1") == ORDER["Order"]
    assert requests_mock.call_count == 2


def test_it_treats_a_non_json_answer_to_a_get_as_transient(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(f"{BASE}/3/orders/1", text="<html>maintenance</html>")

    with pytest.raises(FortnoxTransient) as raised:
        client.get_order("1")

    assert not isinstance(raised.value, FortnoxOutcomeUnknown)


def test_it_treats_a_non_json_answer_to_a_post_as_outcome_unknown(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.post(f"{BASE}/3/orders", status_code=201, text="{not json")

    with pytest.raises(FortnoxOutcomeUnknown):
        client.create_order({"CustomerNumber": "10"})


def test_it_raises_validation_errors_without_retrying(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    body = {"ErrorInformation": {"error": 1, "message": "Ogiltigt tecken", "code": 2000359}}
    requests_mock.post(f"{BASE}/3/orders", status_code=400, json=body)

    with pytest.raises(FortnoxValidationError) as raised:
        client.create_order({"CustomerNumber": "10"})

    assert raised.value.code == 2000359 and not raised.value.retryable
    assert requests_mock.call_count == 1


def test_it_asks_the_rate_limiter_before_every_attempt(
    tokens: FakeTokens, sleeps: list[float], requests_mock: rm.Mocker
) -> None:
    limiter = CountingLimiter()
    client = FortnoxClient(BASE, tokens, rate_limiter=limiter, sleep=sleeps.append)
    requests_mock.get(f"{BASE}/3/orders/1", [{"status_code": 429}, {"json": ORDER}])

    client.get_order("1")

    assert limiter.acquired == 2


def test_it_logs_one_line_per_request_without_token_or_query(
    client: FortnoxClient, requests_mock: rm.Mocker, caplog: pytest.LogCaptureFixture
) -> None:
    requests_mock.get(f"{BASE}/3/customers", json={"Customers": []})
    caplog.set_level(logging.INFO, logger="sidecar.fortnox")

    client.find_customers_by_email("anna@example.se")

    assert len(caplog.records) == 1
    line = caplog.records[0].getMessage()
    assert line.startswith("fortnox.request method=GET path=/3/customers status=200 ms=")
    assert "t1" not in line and "anna" not in line


def test_it_sends_the_body_as_utf8_json_with_exact_amounts(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    from decimal import Decimal

    requests_mock.post(f"{BASE}/3/invoicepayments", status_code=201, json={"InvoicePayment": {}})

    client.create_invoice_payment({"InvoiceNumber": 5, "Amount": Decimal("1249.90")})

    assert json.loads(requests_mock.last_request.body) == {
        "InvoicePayment": {"InvoiceNumber": 5, "Amount": 1249.9}
    }


def page(number: int, total: int, items: list[dict[str, Any]]) -> dict[str, Any]:
    meta = {"@TotalResources": 0, "@TotalPages": total, "@CurrentPage": number}
    return {"MetaInformation": meta, "Articles": items}


def test_it_walks_every_page_of_a_list_with_the_largest_page_size(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    requests_mock.get(
        f"{BASE}/3/articles",
        [
            {"json": page(1, 3, [{"ArticleNumber": "A"}, {"ArticleNumber": "B"}])},
            {"json": page(2, 3, [{"ArticleNumber": "C"}])},
            {"json": page(3, 3, [{"ArticleNumber": "D"}])},
        ],
    )

    numbers = [a["ArticleNumber"] for a in client.iter_articles()]

    assert numbers == ["A", "B", "C", "D"]
    sent = [(r.qs["page"], r.qs["limit"]) for r in requests_mock.request_history]
    assert sent == [(["1"], ["500"]), (["2"], ["500"]), (["3"], ["500"])]


def test_it_stops_at_a_short_page_when_meta_information_is_missing(
    client: FortnoxClient, requests_mock: rm.Mocker
) -> None:
    full = [{"ArticleNumber": str(n)} for n in range(500)]
    requests_mock.get(
        f"{BASE}/3/articles",
        [{"json": {"Articles": full}}, {"json": {"Articles": [{"ArticleNumber": "last"}]}}],
    )

    assert len(list(client.iter_articles())) == 501
    assert requests_mock.call_count == 2
