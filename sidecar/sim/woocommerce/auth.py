"""WooCommerce REST authentication, as WC_REST_Authentication does it.

Over plain HTTP WooCommerce only accepts OAuth 1.0a "one-legged" signatures (parameters in the
query string or an `Authorization: OAuth` header, HMAC-SHA1 or HMAC-SHA256, key = secret + "&",
base string = METHOD & rawurlencode(home URL + path) & the sorted, doubly encoded parameters,
timestamp within 15 minutes, nonce not reused). Basic auth is only tried over HTTPS; the
simulator, which is plain HTTP on loopback, accepts it when the config says so.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote
from urllib.parse import unquote

OAUTH_WINDOW_SECONDS = 15 * 60
REQUIRED_OAUTH_PARAMS = (
    "oauth_consumer_key",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_signature",
    "oauth_signature_method",
)
_HEADER_PARAM = re.compile(r'(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))')


@dataclass(frozen=True)
class ApiKey:
    consumer_key: str
    consumer_secret: str
    permissions: str = "read_write"  # "read" | "write" | "read_write"


@dataclass(frozen=True)
class AuthFailure:
    code: str
    message: str
    status: int = 401
    basic_challenge: bool = False


@dataclass(frozen=True)
class AuthResult:
    """key is None when no credentials were offered (WordPress then sees user 0)."""

    key: ApiKey | None
    method: str  # "basic_auth" | "oauth1" | "none"
    failure: AuthFailure | None = None


class NonceBook:
    """Nonces seen per key in the last 15 minutes (WooCommerce keeps them on the key row)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def use(self, consumer_key: str, nonce: str, now: float) -> bool:
        with self._lock:
            for seen_key, seen_at in list(self._seen.items()):
                if seen_at < now - OAUTH_WINDOW_SECONDS:
                    del self._seen[seen_key]
            if (consumer_key, nonce) in self._seen:
                return False
            self._seen[(consumer_key, nonce)] = now
            return True


def rawurlencode(value: str) -> str:
    """PHP's rawurlencode (RFC 3986: only A-Z a-z 0-9 - _ . ~ stay as they are)."""
    return quote(value, safe="-_.~")


def authenticate(
    *,
    keys: Mapping[str, ApiKey],
    method: str,
    home_url: str,
    path: str,
    params: Mapping[str, str],
    authorization: str,
    basic: tuple[str, str] | None,
    allow_basic: bool,
    nonces: NonceBook,
) -> AuthResult:
    """Authenticate one request; `params` are the query (and form) parameters, last one wins."""
    if allow_basic:
        result = _basic(keys, params, basic)
        if result is not None:
            return result
    return _oauth(keys, method, home_url, path, params, authorization, nonces)


def permission_failure(key: ApiKey, method: str) -> AuthFailure | None:
    """The key's read/write permission against the HTTP method (check_permissions)."""
    if method in ("GET", "HEAD") and key.permissions not in ("read", "read_write"):
        return AuthFailure(
            "woocommerce_rest_authentication_error",
            "The API key provided does not have read permissions.",
        )
    if method in ("POST", "PUT", "PATCH", "DELETE") and key.permissions not in (
        "write",
        "read_write",
    ):
        return AuthFailure(
            "woocommerce_rest_authentication_error",
            "The API key provided does not have write permissions.",
        )
    return None


def _basic(
    keys: Mapping[str, ApiKey], params: Mapping[str, str], basic: tuple[str, str] | None
) -> AuthResult | None:
    consumer_key, consumer_secret = "", ""
    if params.get("consumer_key") and params.get("consumer_secret"):
        consumer_key, consumer_secret = params["consumer_key"], params["consumer_secret"]
    elif basic and basic[0] and basic[1]:
        consumer_key, consumer_secret = basic
    if not consumer_key or not consumer_secret:
        return None
    key = keys.get(consumer_key)
    if key is None:
        return None  # WooCommerce falls through to OAuth, which then finds nothing.
    if not hmac.compare_digest(key.consumer_secret, consumer_secret):
        failure = AuthFailure(
            "woocommerce_rest_authentication_error",
            "Consumer secret is invalid.",
            basic_challenge=True,
        )
        return AuthResult(None, "basic_auth", failure)
    return AuthResult(key, "basic_auth")


def _oauth(
    keys: Mapping[str, ApiKey],
    method: str,
    home_url: str,
    path: str,
    params: Mapping[str, str],
    authorization: str,
    nonces: NonceBook,
) -> AuthResult:
    oauth_params = dict(params)
    oauth_params.update(_parse_oauth_header(authorization.strip()))
    missing = [name for name in REQUIRED_OAUTH_PARAMS if not oauth_params.get(name)]
    if len(missing) == len(REQUIRED_OAUTH_PARAMS):
        return AuthResult(None, "none")
    if missing:
        noun = "parameter" if len(missing) == 1 else "parameters"
        failure = AuthFailure(
            "woocommerce_rest_authentication_missing_parameter",
            f"Missing OAuth {noun} {', '.join(missing)}",
        )
        return AuthResult(None, "oauth1", failure)

    key = keys.get(oauth_params["oauth_consumer_key"])
    if key is None:
        failure = AuthFailure("woocommerce_rest_authentication_error", "Consumer key is invalid.")
        return AuthResult(None, "oauth1", failure)

    failure = _check_signature(key, method, home_url, path, oauth_params)
    if failure is None:
        failure = _check_timestamp_and_nonce(key, oauth_params, nonces)
    if failure is not None:
        return AuthResult(None, "oauth1", failure)
    return AuthResult(key, "oauth1")


def _check_signature(
    key: ApiKey, method: str, home_url: str, path: str, params: dict[str, str]
) -> AuthFailure | None:
    base_request_uri = rawurlencode(home_url.rstrip("/") + "/" + path.lstrip("/"))
    consumer_signature = unquote(params.pop("oauth_signature").replace(" ", "+"))
    # uksort($params, 'strcmp') sorts by raw byte order of the keys.
    ordered = sorted(params.items(), key=lambda kv: kv[0].encode("utf-8"))
    pairs = [rawurlencode(f"{rawurlencode(k)}={rawurlencode(v)}") for k, v in ordered]
    string_to_sign = f"{method.upper()}&{base_request_uri}&{'%26'.join(pairs)}"

    signature_method = params.get("oauth_signature_method")
    if signature_method not in ("HMAC-SHA1", "HMAC-SHA256"):
        return AuthFailure(
            "woocommerce_rest_authentication_error",
            "Invalid signature - signature method is invalid.",
        )
    digest = hashlib.sha1 if signature_method == "HMAC-SHA1" else hashlib.sha256
    expected = base64.b64encode(
        hmac.new(
            (key.consumer_secret + "&").encode("utf-8"), string_to_sign.encode("utf-8"), digest
        ).digest()
    ).decode("ascii")
    if not hmac.compare_digest(expected, consumer_signature):
        return AuthFailure(
            "woocommerce_rest_authentication_error",
            "Invalid signature - provided signature does not match.",
        )
    return None


def _check_timestamp_and_nonce(
    key: ApiKey, params: dict[str, str], nonces: NonceBook
) -> AuthFailure | None:
    now = time.time()
    try:
        timestamp = int(params["oauth_timestamp"])
    except ValueError:
        timestamp = 0
    if timestamp < now - OAUTH_WINDOW_SECONDS or timestamp > now + OAUTH_WINDOW_SECONDS:
        return AuthFailure("woocommerce_rest_authentication_error", "Invalid timestamp.")
    if not nonces.use(key.consumer_key, params["oauth_nonce"], now):
        return AuthFailure(
            "woocommerce_rest_authentication_error",
            "Invalid nonce - nonce has already been used.",
        )
    return None


def _parse_oauth_header(header: str) -> dict[str, str]:
    if not header.startswith("OAuth "):
        return {}
    params: dict[str, str] = {}
    for match in _HEADER_PARAM.finditer(header):
        quoted, bare = match.group(3), match.group(4)
        params[match.group(1)] = unquote((quoted or bare or "").replace("+", " "))
    return params
