"""OAuth helpers: the URLs and bodies Fortnox expects, and errors that say what to do next."""

from __future__ import annotations

import base64
import json
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import requests
import requests_mock as rm

from sidecar.fortnox import FortnoxAuthError
from sidecar.fortnox import FortnoxOutcomeUnknown
from sidecar.fortnox import FortnoxReconnectRequired
from sidecar.fortnox import FortnoxTransient
from sidecar.fortnox.auth import authorize_url
from sidecar.fortnox.auth import client_credentials
from sidecar.fortnox.auth import exchange_code
from sidecar.fortnox.auth import refresh
from sidecar.fortnox.auth import tenant_id_from_access_token

AUTH = "https://apps.fortnox.test/oauth-v1/auth"
TOKEN = "https://apps.fortnox.test/oauth-v1/token"
NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
GRANTED = {
    "access_token": "access-1",
    "refresh_token": "refresh-1",
    "scope": "order invoice",
    "expires_in": 3600,
    "token_type": "bearer",
}
BASIC = "Basic " + base64.b64encode(b"client-id:client-secret").decode()


def form(request: rm.request._RequestObjectProxy) -> dict[str, list[str]]:
    return parse_qs(request.body)


def test_it_builds_the_consent_url_fortnox_expects() -> None:
    url = authorize_url(AUTH, "client-id", "https://shop.test/cb", ["order", "invoice"], "s7")

    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == AUTH
    assert "scope=order%20invoice" in parts.query
    assert parse_qs(parts.query) == {
        "client_id": ["client-id"],
        "redirect_uri": ["https://shop.test/cb"],
        "scope": ["order invoice"],
        "state": ["s7"],
        "access_type": ["offline"],
        "response_type": ["code"],
    }


def test_it_asks_for_a_service_account_only_when_told() -> None:
    url = authorize_url(AUTH, "c", "https://shop.test/cb", ["order"], "s", service_account=True)

    assert parse_qs(urlsplit(url).query)["account_type"] == ["service"]


def test_it_exchanges_a_code_with_basic_auth_and_a_form_body(requests_mock: rm.Mocker) -> None:
    requests_mock.post(TOKEN, json=GRANTED)

    tokens = exchange_code(
        requests.Session(), TOKEN, "client-id", "client-secret", "code-1", "https://shop.test/cb",
        clock=lambda: NOW,
    )

    sent = requests_mock.last_request
    assert sent.headers["Authorization"] == BASIC
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert form(sent) == {
        "grant_type": ["authorization_code"],
        "code": ["code-1"],
        "redirect_uri": ["https://shop.test/cb"],
    }
    assert sent.timeout is not None
    assert tokens.access_token == "access-1" and tokens.refresh_token == "refresh-1"
    assert tokens.expires_at == NOW + timedelta(hours=1)
    assert tokens.scope == "order invoice"


def test_it_keeps_tokens_out_of_the_token_sets_repr(requests_mock: rm.Mocker) -> None:
    requests_mock.post(TOKEN, json=GRANTED)

    tokens = refresh(requests.Session(), TOKEN, "client-id", "client-secret", "refresh-0")

    assert "access-1" not in repr(tokens) and "refresh-1" not in repr(tokens)


def test_it_refreshes_with_the_refresh_token_grant(requests_mock: rm.Mocker) -> None:
    requests_mock.post(TOKEN, json={**GRANTED, "refresh_token": "refresh-2"})

    tokens = refresh(requests.Session(), TOKEN, "client-id", "client-secret", "refresh-1")

    assert form(requests_mock.last_request) == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["refresh-1"],
    }
    assert requests_mock.last_request.headers["Authorization"] == BASIC
    assert tokens.refresh_token == "refresh-2"


def test_it_says_the_owner_must_reconnect_when_the_refresh_token_is_spent(
    requests_mock: rm.Mocker,
) -> None:
    requests_mock.post(
        TOKEN,
        status_code=400,
        json={"error": "invalid_grant", "error_description": "Invalid refresh token"},
    )

    with pytest.raises(FortnoxReconnectRequired) as raised:
        refresh(requests.Session(), TOKEN, "client-id", "client-secret", "refresh-1")

    assert raised.value.code == "invalid_grant" and not raised.value.retryable


def test_it_does_not_ask_for_a_reconnect_when_the_token_endpoint_is_down(
    requests_mock: rm.Mocker,
) -> None:
    requests_mock.post(TOKEN, status_code=503, text="Service Unavailable")

    with pytest.raises(FortnoxTransient) as raised:
        refresh(requests.Session(), TOKEN, "client-id", "client-secret", "refresh-1")

    assert not isinstance(raised.value, FortnoxReconnectRequired)
    assert raised.value.retryable


def test_it_reports_a_refresh_whose_answer_was_lost_as_outcome_unknown(
    requests_mock: rm.Mocker,
) -> None:
    requests_mock.post(TOKEN, exc=requests.ReadTimeout)

    with pytest.raises(FortnoxOutcomeUnknown):
        refresh(requests.Session(), TOKEN, "client-id", "client-secret", "refresh-1")


def test_it_blames_the_deployment_not_the_owner_for_invalid_client_credentials(
    requests_mock: rm.Mocker,
) -> None:
    requests_mock.post(
        TOKEN,
        status_code=401,
        json={"error": "invalid_client", "error_description": "The client credentials are invalid"},
    )

    with pytest.raises(FortnoxAuthError) as raised:
        refresh(requests.Session(), TOKEN, "client-id", "wrong", "refresh-1")

    assert not isinstance(raised.value, FortnoxReconnectRequired)


def test_it_gets_a_client_credentials_token_for_one_tenant(requests_mock: rm.Mocker) -> None:
    requests_mock.post(TOKEN, json={"access_token": "cc-1", "scope": "order", "expires_in": 3600})

    tokens = client_credentials(
        requests.Session(), TOKEN, "client-id", "client-secret", 123456, clock=lambda: NOW
    )

    sent = requests_mock.last_request
    assert sent.headers["TenantId"] == "123456"
    assert sent.headers["Authorization"] == BASIC
    assert form(sent) == {"grant_type": ["client_credentials"]}
    assert tokens.refresh_token is None
    assert tokens.expires_at == NOW + timedelta(seconds=3600)


def test_it_reads_the_tenant_id_claim_of_an_access_token() -> None:
    def part(data: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    token = f"{part({'alg': 'RS256'})}.{part({'tenantId': 1234567, 'userId': 'u'})}.signature"

    assert tenant_id_from_access_token(token) == 1234567
    assert tenant_id_from_access_token("not-a-jwt") is None
