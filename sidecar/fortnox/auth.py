"""OAuth helpers for Fortnox, pure HTTP: no storage, no locks (those live beside the database).

Refresh tokens are single-use: whoever calls `refresh` must store the returned TokenSet before
using its access token, and must hold the cross-process refresh lock while doing so.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any
from urllib.parse import quote
from urllib.parse import urlencode

import requests

from sidecar.fortnox.errors import FortnoxOutcomeUnknown
from sidecar.fortnox.errors import error_from_exception
from sidecar.fortnox.errors import error_from_response

FORTNOX_AUTH_URL = "https://apps.fortnox.se/oauth-v1/auth"
FORTNOX_TOKEN_URL = "https://apps.fortnox.se/oauth-v1/token"  # noqa: S105 - a URL, not a secret
TOKEN_TIMEOUT = (5.0, 30.0)
DEFAULT_LIFETIME = 3600  # seconds; Fortnox access tokens live one hour


@dataclass(frozen=True)
class TokenSet:
    """What the token endpoint granted. Tokens are kept out of repr so they never reach logs."""

    access_token: str = field(repr=False)
    refresh_token: str | None = field(repr=False)
    expires_at: datetime
    scope: str

    def expires_within(self, margin: timedelta, now: datetime) -> bool:
        return now + margin >= self.expires_at


def authorize_url(
    auth_base: str,
    client_id: str,
    redirect_uri: str,
    scopes: Iterable[str],
    state: str,
    *,
    service_account: bool = False,
) -> str:
    """Where to send the shop owner to consent. `service_account` asks for a consent that
    the client-credentials flow can use later (only a Fortnox system administrator can give it)."""
    params = {
        "client_id": client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(scopes),
        "state": state,
        "access_type": "offline",
        "response_type": "code",
    }
    if service_account:
        params["account_type"] = "service"
    return f"{auth_base}?{urlencode(params, quote_via=quote)}"


def exchange_code(
    session: requests.Session,
    token_url: str,
    client_id: str,
    client_secret: str,
    code: str,
    redirect_uri: str,
    *,
    clock: Callable[[], datetime] | None = None,
) -> TokenSet:
    """Trade the one-time code (valid 10 minutes) for tokens."""
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
    return _token_request(session, token_url, client_id, client_secret, form, clock=clock)


def refresh(
    session: requests.Session,
    token_url: str,
    client_id: str,
    client_secret: str,
    refresh_token: str,
    *,
    clock: Callable[[], datetime] | None = None,
) -> TokenSet:
    """New access and refresh token. Raises `FortnoxReconnectRequired` on invalid_grant (the
    refresh token is spent or revoked); any other failure leaves the stored token valid."""
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return _token_request(session, token_url, client_id, client_secret, form, clock=clock)


def client_credentials(
    session: requests.Session,
    token_url: str,
    client_id: str,
    client_secret: str,
    tenant_id: str | int,
    *,
    clock: Callable[[], datetime] | None = None,
) -> TokenSet:
    """Service-account token for one tenant: no refresh token, just ask again when it expires."""
    form = {"grant_type": "client_credentials"}
    headers = {"TenantId": str(tenant_id)}
    return _token_request(
        session, token_url, client_id, client_secret, form, headers=headers, clock=clock
    )


def tenant_id_from_access_token(access_token: str) -> int | None:
    """The `tenantId` claim of a Fortnox JWT, read without verifying it (we only route by it)."""
    parts = access_token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(payload)
        return int(claims["tenantId"])
    except (ValueError, KeyError, TypeError):
        return None


def _token_request(
    session: requests.Session,
    token_url: str,
    client_id: str,
    client_secret: str,
    form: dict[str, str],
    *,
    headers: dict[str, str] | None = None,
    clock: Callable[[], datetime] | None = None,
) -> TokenSet:
    issued_at = (clock or _utcnow)()  # before sending, so expiry errs on the early side
    try:
        response = session.post(
            token_url,
            data=form,
            auth=(client_id, client_secret),  # HTTP Basic, as Fortnox requires
            headers={"Accept": "application/json", **(headers or {})},
            timeout=TOKEN_TIMEOUT,
        )
    except requests.RequestException as exc:
        # A refresh that may have reached Fortnox may have spent the refresh token.
        raise error_from_exception(exc, idempotent=False) from exc
    if response.status_code >= 400:
        raise error_from_response(response)
    try:
        return _token_set(response.json(), issued_at)
    except (ValueError, TypeError) as exc:
        # Granted but unreadable: a refresh token may be spent without us holding the new one.
        raise FortnoxOutcomeUnknown(
            "Fortnox token endpoint answered without a readable token", status=response.status_code
        ) from exc


def _token_set(body: Any, issued_at: datetime) -> TokenSet:
    if not isinstance(body, dict) or not isinstance(body.get("access_token"), str):
        raise ValueError("no access_token in the token answer")
    lifetime = int(body.get("expires_in") or DEFAULT_LIFETIME)
    return TokenSet(
        access_token=body["access_token"],
        refresh_token=body.get("refresh_token") or None,
        expires_at=issued_at + timedelta(seconds=lifetime),
        scope=str(body.get("scope") or ""),
    )


def _utcnow() -> datetime:
    return datetime.now(UTC)
