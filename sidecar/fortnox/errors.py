"""Fortnox errors that say whether a retry can help.

Sync code catches `FortnoxError` (never `requests` exceptions) and reads `retryable`. One
subclass needs care: `FortnoxOutcomeUnknown` is retryable only after the caller has searched
Fortnox for what the first attempt may have created (Fortnox has no idempotency keys).
"""

from __future__ import annotations

import json
from typing import Any

import requests
from urllib3.exceptions import MaxRetryError
from urllib3.exceptions import NewConnectionError

# Fortnox codes that mean the token or tenant lost access, whatever HTTP status carries them.
AUTH_LOST_CODES = frozenset({2000310, 2000311, 2004054})
# Codes that mean the token works but lacks a scope or the tenant lacks a licence.
PERMISSION_CODES = frozenset({2000663, 2001101, 2001103})
# The token endpoint refusing our client id/secret: a deployment problem, not the owner's.
OAUTH_CLIENT_ERRORS = frozenset({"invalid_client", "unauthorized_client"})


class FortnoxError(Exception):
    """Base class. `code` is Fortnox's number (2000359) or an OAuth/warehouse key."""

    default_retryable = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: int | str | None = None,
        retryable: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.retryable = self.default_retryable if retryable is None else retryable

    def __str__(self) -> str:
        details = [
            f"HTTP {self.status}" if self.status else "",
            f"code {self.code}" if self.code else "",
        ]
        prefix = ", ".join(d for d in details if d)
        return f"{self.message} ({prefix})" if prefix else self.message


class FortnoxAuthError(FortnoxError):
    """The access token is invalid, expired or revoked even after one refresh: auth is lost."""


class FortnoxReconnectRequired(FortnoxAuthError):
    """The token endpoint said invalid_grant: only the shop owner reconnecting can fix this."""


class FortnoxPermissionDenied(FortnoxError):
    """The token works but lacks a scope, or the company lacks the licence for the resource."""


class FortnoxRateLimited(FortnoxError):
    """Still 429 after the client's own waits. Fortnox did not process the request."""

    default_retryable = True

    def __init__(self, message: str, *, retry_after: float, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class FortnoxValidationError(FortnoxError):
    """Fortnox rejected the request as it is (400 and friends); sending it again will not help."""


class FortnoxNotFound(FortnoxError):
    """The resource does not exist (404)."""


class FortnoxTransient(FortnoxError):
    """5xx, connection failure or timeout where repeating the same request is safe."""

    default_retryable = True


class FortnoxOutcomeUnknown(FortnoxTransient):
    """A non-idempotent request may or may not have been applied by Fortnox.

    Search (e.g. by ExternalInvoiceReference1) before creating again.
    """


def parse_error_body(text: str) -> tuple[str | None, int | str | None]:
    """Return (message, code) from any error body Fortnox is known to send, or (None, None)."""
    try:
        body = json.loads(text)
    except ValueError:
        return None, None
    if not isinstance(body, dict):
        return None, None
    info = body.get("ErrorInformation")
    if isinstance(info, dict):
        # 400s come as error/message/code, 404s as Error/Message/Code.
        lowered = {str(k).lower(): v for k, v in info.items()}
        return _as_text(lowered.get("message")), _as_code(lowered.get("code"))
    if isinstance(body.get("error"), str):
        # OAuth: {"error": "invalid_grant", "error_description": ...};
        # warehouse: {"error": "period_locked", "message": ..., "id": ...}.
        message = body.get("error_description") or body.get("message") or body["error"]
        return _as_text(message), body["error"]
    # An expired API token gets the bare {"message": "unauthorized"}.
    return _as_text(body.get("message")), None


def error_from_response(response: requests.Response) -> FortnoxError:
    """Map a non-2xx response to the error type that says what the caller can do."""
    status = response.status_code
    message, code = parse_error_body(response.text)
    if message is None:
        message = _excerpt(response.text) or response.reason or f"HTTP {status}"
    kwargs: dict[str, Any] = {"status": status, "code": code}
    if code == "invalid_grant":
        return FortnoxReconnectRequired(message, **kwargs)
    if code in AUTH_LOST_CODES or code in OAUTH_CLIENT_ERRORS or status == 401:
        return FortnoxAuthError(message, **kwargs)
    if code in PERMISSION_CODES or status == 403:
        return FortnoxPermissionDenied(message, **kwargs)
    if status == 404:
        return FortnoxNotFound(message, **kwargs)
    if status == 429:
        retry_after = retry_after_seconds(response) or 5.0
        return FortnoxRateLimited(message, retry_after=retry_after, **kwargs)
    if status >= 500:
        return FortnoxTransient(message, **kwargs)
    return FortnoxValidationError(message, **kwargs)


def error_from_exception(exc: requests.RequestException, *, idempotent: bool) -> FortnoxError:
    """Map a requests exception; a non-idempotent request that may have been sent is 'unknown'."""
    name = type(exc).__name__
    if not request_was_sent(exc):
        return FortnoxTransient(f"Could not connect to Fortnox ({name})")
    if idempotent:
        return FortnoxTransient(f"No usable answer from Fortnox ({name})")
    return FortnoxOutcomeUnknown(
        f"No answer from Fortnox; the request may have been applied ({name})"
    )


def request_was_sent(exc: requests.RequestException) -> bool:
    """False only when the connection was never made, so Fortnox cannot have seen the request."""
    if isinstance(exc, requests.ConnectTimeout):
        return False
    if isinstance(exc, requests.ConnectionError) and exc.args:
        reason = exc.args[0]
        if isinstance(reason, MaxRetryError):
            reason = reason.reason
        # Refused connections and DNS failures happen before a byte is written.
        return not isinstance(reason, NewConnectionError)
    return True


def retry_after_seconds(response: requests.Response) -> float | None:
    """Fortnox documents no Retry-After header; honour one in seconds if it ever appears."""
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None


def _as_text(value: Any) -> str | None:
    return None if value is None else str(value)


def _as_code(value: Any) -> int | str | None:
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)


def _excerpt(text: str, limit: int = 200) -> str:
    return " ".join(text.split())[:limit]
