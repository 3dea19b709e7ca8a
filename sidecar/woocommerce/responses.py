"""Turn WooCommerce answers (and failures to get one) into data or typed errors."""

from __future__ import annotations

import email.utils
import re
import time
from typing import Any
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

import requests
from urllib3.exceptions import NewConnectionError

from sidecar.woocommerce.errors import WooAuthError
from sidecar.woocommerce.errors import WooError
from sidecar.woocommerce.errors import WooInvalidResponse
from sidecar.woocommerce.errors import WooNotFound
from sidecar.woocommerce.errors import WooRateLimited
from sidecar.woocommerce.errors import WooTransient
from sidecar.woocommerce.errors import WooValidationError

_NOT_JSON = object()
_VALIDATION_STATUSES = {400, 409, 413, 422}
_NOT_IMPLEMENTED = 501  # e.g. woocommerce_rest_trash_not_supported: the same call fails again


def decode_json(response: requests.Response) -> Any:
    """The JSON body of a 2xx answer; a clear error when the body is something else."""
    if response.status_code == 204 or not response.content:
        return None
    body = _json_or_marker(response)
    if body is _NOT_JSON:
        raise WooInvalidResponse(
            f"The shop answered with {_describe_body(response)} instead of WooCommerce JSON; "
            "a caching, security or maintenance plugin may be answering for WooCommerce",
            status=response.status_code,
        )
    return body


def error_for_response(response: requests.Response) -> WooError:
    """The typed error for a non-2xx answer."""
    status = response.status_code
    if 300 <= status < 400:
        # Without its query: over http that would be our signed OAuth parameters.
        target = urlsplit(response.headers.get("Location", ""))._replace(query="", fragment="")
        return WooInvalidResponse(
            f"The shop redirected the API request to {urlunsplit(target)!r}; "
            "set the store URL to the address the shop really uses",
            status=status,
        )
    body = _json_or_marker(response)
    if not isinstance(body, dict):
        return _error_without_json(response)
    code = body.get("code") if isinstance(body.get("code"), str) else None
    message = str(body.get("message") or f"WooCommerce answered HTTP {status}")
    data = body.get("data")
    if status == 429:
        return WooRateLimited(message, code=code, retry_after=retry_after_seconds(response))
    if status >= 500 and status != _NOT_IMPLEMENTED:
        return WooTransient(message, status=status, code=code)
    if status == 401 and (code or "").startswith("woocommerce_rest_cannot_"):
        # WooCommerce saw no keys at all: right keys, but lost on the way in.
        return WooAuthError(
            f"{message} The keys did not arrive: the web server may drop the Authorization "
            "header, or WordPress may not see the request as HTTPS behind a proxy",
            status=status,
            code=code,
        )
    if status in (401, 403):
        return WooAuthError(message, status=status, code=code)
    if code == "rest_no_route":
        return WooError(
            f"{message} Is WooCommerce active, and are pretty permalinks on?",
            status=status,
            code=code,
        )
    if status == 404 or (code or "").endswith("_invalid_id"):
        return WooNotFound(message, status=status, code=code)
    if status in _VALIDATION_STATUSES:
        params = data.get("params") if isinstance(data, dict) else None
        params = params if isinstance(params, dict) else None
        return WooValidationError(message, status=status, code=code, params=params)
    return WooError(message, status=status, code=code)


def error_for_exception(exc: requests.RequestException, read_timeout: float) -> WooError:
    """The typed error for a request that got no answer; the message carries no URL."""
    if isinstance(exc, requests.ConnectTimeout):
        return WooTransient("Timed out connecting to the shop", request_sent=False)
    if isinstance(exc, requests.ReadTimeout):
        return WooTransient(
            f"The shop did not answer within {read_timeout:g} s; "
            "a write may still have been applied"
        )
    if isinstance(exc, requests.exceptions.SSLError):
        return WooError("The shop's TLS certificate could not be verified", retryable=False)
    if isinstance(exc, requests.ConnectionError):
        never_connected = isinstance(
            getattr(exc.args[0] if exc.args else None, "reason", None), NewConnectionError
        )
        return WooTransient(
            "Could not connect to the shop"
            if never_connected
            else "The connection to the shop broke off",
            request_sent=not never_connected,
        )
    return WooError(f"The request to the shop failed: {type(exc).__name__}", retryable=False)


def retry_after_seconds(response: requests.Response) -> float | None:
    """`Retry-After` as seconds, from either of its forms (delta-seconds or HTTP date)."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _error_without_json(response: requests.Response) -> WooError:
    status = response.status_code
    described = f"HTTP {status} with {_describe_body(response)}, not WooCommerce JSON"
    if status == 429:
        return WooRateLimited(
            f"The shop's host is rate limiting: {described}",
            retry_after=retry_after_seconds(response),
        )
    if status >= 500 and status != _NOT_IMPLEMENTED:
        return WooTransient(f"The shop failed: {described}", status=status)
    return WooInvalidResponse(
        f"The shop answered {described}; a firewall, security plugin or maintenance mode "
        "may be blocking the sidecar, or the store URL is wrong",
        status=status,
    )


def _json_or_marker(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return _NOT_JSON


def _describe_body(response: requests.Response) -> str:
    text = response.text
    if not text.strip():
        return "an empty body"
    title = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if title:
        return f"an HTML page titled {' '.join(title.group(1).split())[:80]!r}"
    if "<html" in text[:1000].lower() or "<!doctype" in text[:1000].lower():
        return "an HTML page"
    return f"a body that is not JSON ({' '.join(text.split())[:80]!r})"
