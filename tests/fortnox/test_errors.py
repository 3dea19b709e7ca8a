"""Every error body Fortnox is known to send maps to the error type that says what to do."""

from __future__ import annotations

import json

import pytest
import requests

from sidecar.fortnox.errors import FortnoxAuthError
from sidecar.fortnox.errors import FortnoxError
from sidecar.fortnox.errors import FortnoxNotFound
from sidecar.fortnox.errors import FortnoxOutcomeUnknown
from sidecar.fortnox.errors import FortnoxPermissionDenied
from sidecar.fortnox.errors import FortnoxRateLimited
from sidecar.fortnox.errors import FortnoxReconnectRequired
from sidecar.fortnox.errors import FortnoxTransient
from sidecar.fortnox.errors import FortnoxValidationError
from sidecar.fortnox.errors import error_from_response
from sidecar.fortnox.errors import parse_error_body


def response(
    status: int, body: object | str, headers: dict[str, str] | None = None
) -> requests.Response:
    """A requests.Response as the session would hand it back."""
    made = requests.Response()
    made.status_code = status
    made.reason = "Reason"
    text = body if isinstance(body, str) else json.dumps(body)
    made._content = text.encode("utf-8")
    made.headers.update(headers or {})
    return made


def error_information(message: str, code: int, *, capitalised: bool = False) -> dict[str, object]:
    keys = ("Error", "Message", "Code") if capitalised else ("error", "message", "code")
    return {"ErrorInformation": dict(zip(keys, (1, message, code), strict=True))}


@pytest.mark.parametrize(
    ("status", "body", "expected_type", "expected_code", "expected_message"),
    [
        (400, error_information("Ogiltigt tecken", 2000359), FortnoxValidationError, 2000359,
         "Ogiltigt tecken"),
        (404, error_information("Kan inte hitta artikeln.", 2000428, capitalised=True),
         FortnoxNotFound, 2000428, "Kan inte hitta artikeln."),
        (401, {"message": "unauthorized"}, FortnoxAuthError, None, "unauthorized"),
        (400, {"error": "invalid_grant", "error_description": "Invalid refresh token"},
         FortnoxReconnectRequired, "invalid_grant", "Invalid refresh token"),
        (401, {"error": "invalid_client", "error_description": "Bad client credentials"},
         FortnoxAuthError, "invalid_client", "Bad client credentials"),
        (403, error_information("Saknar behörighet", 2000663), FortnoxPermissionDenied, 2000663,
         "Saknar behörighet"),
        (400, error_information("Ingen licens", 2001101), FortnoxPermissionDenied, 2001101,
         "Ingen licens"),
        (400, error_information("Felaktiga inloggningsuppgifter", 2000310), FortnoxAuthError,
         2000310, "Felaktiga inloggningsuppgifter"),
        (400, {"error": "period_locked", "message": "Perioden är låst", "id": "a1"},
         FortnoxValidationError, "period_locked", "Perioden är låst"),
        (500, "<html><body>Internal   Server Error</body></html>", FortnoxTransient, None,
         "<html><body>Internal Server Error</body></html>"),
        (502, "", FortnoxTransient, None, "Reason"),
    ],
)
def test_it_maps_each_known_error_shape_to_its_type(
    status: int,
    body: object,
    expected_type: type[FortnoxError],
    expected_code: object,
    expected_message: str,
) -> None:
    error = error_from_response(response(status, body))

    assert type(error) is expected_type
    assert error.status == status
    assert error.code == expected_code
    assert error.message == expected_message


def test_it_reads_error_information_whatever_the_key_casing() -> None:
    lower = json.dumps(error_information("Fel", 2000588))
    upper = json.dumps(error_information("Fel", 2000588, capitalised=True))

    assert parse_error_body(lower) == parse_error_body(upper) == ("Fel", 2000588)


def test_it_reads_nothing_from_a_body_that_is_not_json() -> None:
    assert parse_error_body("Bad Gateway") == (None, None)
    assert parse_error_body("[1, 2]") == (None, None)


def test_it_marks_rate_limits_retryable_with_at_least_one_window_to_wait() -> None:
    plain = error_from_response(response(429, {"message": "Too many requests"}))
    told = error_from_response(response(429, "", headers={"Retry-After": "12"}))

    assert isinstance(plain, FortnoxRateLimited) and isinstance(told, FortnoxRateLimited)
    assert plain.retryable and plain.retry_after == 5.0
    assert told.retry_after == 12.0


def test_it_says_only_transient_errors_are_retryable() -> None:
    assert not error_from_response(response(400, error_information("x", 2000359))).retryable
    assert not error_from_response(response(404, error_information("x", 2000433))).retryable
    assert not error_from_response(response(401, {"message": "unauthorized"})).retryable
    assert error_from_response(response(503, "")).retryable


def test_it_makes_outcome_unknown_a_retryable_transient_error() -> None:
    unknown = FortnoxOutcomeUnknown("lost answer")

    assert isinstance(unknown, FortnoxTransient)
    assert unknown.retryable


def test_it_puts_status_and_code_into_the_readable_message() -> None:
    error = error_from_response(response(400, error_information("Ogiltigt tecken", 2000359)))

    assert str(error) == "Ogiltigt tecken (HTTP 400, code 2000359)"
