"""OAuth 2 and rate limiting as Fortnox does them (reference §1 and §2).

- Authorization codes live 10 minutes and work once; the redirect_uri must match.
- Access tokens are JWTs carrying `tenantId`; they expire (default 3600 s).
- Refresh tokens rotate: each works once; reuse answers 400 invalid_grant, so two processes
  refreshing at once lose one connection, as in production.
- Client credentials need a `TenantId` header of a tenant that consented to a service account;
  no refresh token is issued.
- The rate limit is a sliding window per tenant (25 requests per 5 s by default).

Not thread-safe by itself: the caller holds the simulator's lock.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any


class OAuthError(Exception):
    """An OAuth error answered as `{"error": ..., "error_description": ...}`."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(f"{status} {error}: {description}")
        self.status = status
        self.error = error
        self.description = description

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


@dataclass
class AccessToken:
    token: str
    tenant_id: int
    scopes: frozenset[str]
    expires_at: datetime
    service_account: bool = False  # granted by client credentials


@dataclass
class Grant:
    """What an authorization code or refresh token stands for."""

    client_id: str
    tenant_id: int
    scope: str
    expires_at: datetime
    redirect_uri: str = ""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class TokenIssuer:
    def __init__(self, *, client_id: str, client_secret: str, signing_key: bytes) -> None:
        self.clients = {client_id: client_secret}
        self.signing_key = signing_key
        self.codes: dict[str, Grant] = {}
        self.refresh_tokens: dict[str, Grant] = {}
        self.access_tokens: dict[str, AccessToken] = {}

    def check_client(self, client_id: str, client_secret: str) -> None:
        expected = self.clients.get(client_id)
        if expected is None or not hmac.compare_digest(expected, client_secret):
            raise OAuthError(401, "invalid_client", "The client credentials are invalid")

    def issue_code(self, grant: Grant) -> str:
        code = secrets.token_urlsafe(24)
        self.codes[code] = grant
        return code

    def redeem_code(self, client_id: str, code: str, redirect_uri: str, now: datetime) -> Grant:
        grant = self.codes.pop(code, None)  # popped: a code works once, even when it fails
        if grant is None or grant.client_id != client_id or grant.expires_at <= now:
            raise OAuthError(400, "invalid_grant", "Invalid authorization code")
        if grant.redirect_uri and grant.redirect_uri != redirect_uri:
            raise OAuthError(400, "invalid_grant", "Invalid redirect uri")
        return grant

    def redeem_refresh_token(self, client_id: str, refresh_token: str, now: datetime) -> Grant:
        grant = self.refresh_tokens.pop(refresh_token, None)
        if grant is None or grant.client_id != client_id or grant.expires_at <= now:
            raise OAuthError(400, "invalid_grant", "Invalid refresh token")
        return grant

    def revoke(self, token: str) -> None:
        self.refresh_tokens.pop(token, None)
        self.access_tokens.pop(token, None)

    def issue_tokens(
        self,
        grant: Grant,
        *,
        now: datetime,
        access_lifetime: int,
        refresh_lifetime: int | None,
    ) -> dict[str, Any]:
        """Mint an access token (and a refresh token unless refresh_lifetime is None)."""
        expires_at = now + timedelta(seconds=access_lifetime)
        token = self._jwt(grant, now, expires_at)
        self.access_tokens[token] = AccessToken(
            token=token,
            tenant_id=grant.tenant_id,
            scopes=frozenset(grant.scope.split()),
            expires_at=expires_at,
            service_account=refresh_lifetime is None,
        )
        answer: dict[str, Any] = {
            "access_token": token,
            "scope": grant.scope,
            "expires_in": access_lifetime,
            "token_type": "bearer",
        }
        if refresh_lifetime is not None:
            refresh_token = secrets.token_urlsafe(32)
            self.refresh_tokens[refresh_token] = Grant(
                client_id=grant.client_id,
                tenant_id=grant.tenant_id,
                scope=grant.scope,
                expires_at=now + timedelta(seconds=refresh_lifetime),
            )
            answer["refresh_token"] = refresh_token
        return answer

    def authenticate(self, token: str, now: datetime) -> AccessToken | None:
        access = self.access_tokens.get(token)
        if access is None or access.expires_at <= now:
            return None
        return access

    def expire_access_tokens(self, now: datetime) -> int:
        for access in self.access_tokens.values():
            access.expires_at = min(access.expires_at, now)
        return len(self.access_tokens)

    def _jwt(self, grant: Grant, now: datetime, expires_at: datetime) -> str:
        # A real-looking JWT so clients can read `tenantId` from it as they do in production.
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        claims = {
            "iss": "fortnox-sim",
            "clientId": grant.client_id,
            "tenantId": grant.tenant_id,
            "scope": grant.scope,
            "iat": int(now.timestamp()),
            "exp": int(expires_at.timestamp()),
            "jti": secrets.token_hex(8),
        }
        payload = _b64(json.dumps(claims).encode())
        signature = hmac.new(self.signing_key, f"{header}.{payload}".encode(), hashlib.sha256)
        return f"{header}.{payload}.{_b64(signature.digest())}"


class SlidingWindowLimiter:
    """At most `limit` accepted requests in any `window` seconds, per tenant."""

    def __init__(self) -> None:
        self.accepted: dict[int, deque[float]] = {}

    def allow(self, tenant_id: int, now: float, *, limit: int, window: float) -> bool:
        stamps = self.accepted.setdefault(tenant_id, deque())
        while stamps and stamps[0] <= now - window:
            stamps.popleft()
        if len(stamps) >= limit:
            return False  # rejected requests are not counted, so waiting always helps
        stamps.append(now)
        return True

    def clear(self) -> None:
        self.accepted.clear()
