"""The core of the WooCommerce client: one Session, one choke point, paging, retries.

The operations (orders, catalog, shop) are method groups on top of `WooBase`;
`sidecar.woocommerce.client.WooClient` puts them together.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from collections.abc import Iterator
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import requests

from sidecar import __version__
from sidecar.woocommerce.errors import WooError
from sidecar.woocommerce.errors import WooInvalidResponse
from sidecar.woocommerce.errors import WooRateLimited
from sidecar.woocommerce.errors import WooTransient
from sidecar.woocommerce.responses import decode_json
from sidecar.woocommerce.responses import error_for_exception
from sidecar.woocommerce.responses import error_for_response
from sidecar.woocommerce.transport import SessionAPI
from sidecar.woocommerce.transport import Timeout

log = logging.getLogger(__name__)

PER_PAGE = 100  # WooCommerce's maximum; more is a 400
DEFAULT_TIMEOUT: Timeout = (5.0, 60.0)  # batches of 100 products can take tens of seconds
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_RETRY_DELAY = 30.0  # longer waits belong to the job's retry, not to a blocked thread


@dataclass(frozen=True)
class Reply:
    body: Any
    headers: Mapping[str, str]


class WooBase:
    """Connection to one WooCommerce shop; every request goes through `_request`."""

    def __init__(
        self,
        store_url: str,
        consumer_key: str,
        consumer_secret: str,
        *,
        timeout: Timeout = DEFAULT_TIMEOUT,
        user_agent: str = f"fortnox-sidecar/{__version__}",
        session: requests.Session | None = None,
        retries: int = 3,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        verify_ssl: bool = True,
    ) -> None:
        self._api = SessionAPI(
            store_url,
            consumer_key,
            consumer_secret,
            session=session or requests.Session(),
            timeout=timeout,
            user_agent=user_agent,
            verify_ssl=verify_ssl,
        )
        self.store_url: str = self._api.url
        self._retries = retries
        self._backoff = backoff
        self._sleep = sleep

    def __repr__(self) -> str:  # never show the keys
        return f"{type(self).__name__}({self.store_url!r})"

    def _get(self, endpoint: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return _json_object(self._request("GET", endpoint, params=params).body, endpoint)

    def _get_list(self, endpoint: str, params: dict[str, Any] | None = None) -> list[Any]:
        body = self._request("GET", endpoint, params=params).body
        if not isinstance(body, list):
            raise WooInvalidResponse(f"The shop's {endpoint} answer is not a JSON array")
        return body

    def _post(self, endpoint: str, body: Any) -> dict[str, Any]:
        return _json_object(self._request("POST", endpoint, json=body).body, endpoint)

    def _put(self, endpoint: str, body: Any) -> dict[str, Any]:
        return _json_object(self._request("PUT", endpoint, json=body).body, endpoint)

    def _pages(self, endpoint: str, params: Mapping[str, Any]) -> Iterator[list[dict[str, Any]]]:
        """Walk a list endpoint by `X-WP-TotalPages`; without that header, to an empty page."""
        page = 1
        previous_first: Any = None
        while True:
            reply = self._request(
                "GET", endpoint, params={**params, "per_page": PER_PAGE, "page": page}
            )
            items = reply.body
            if not isinstance(items, list):
                raise WooInvalidResponse(f"The shop's {endpoint} list is not a JSON array")
            if not items:
                return
            if items[0] == previous_first:  # a plugin ignoring `page` would loop forever
                raise WooInvalidResponse(f"The shop returned page {page} of {endpoint} twice")
            previous_first = items[0]
            yield items
            total_pages = reply.headers.get("X-WP-TotalPages")
            if total_pages is not None and total_pages.isdigit() and page >= int(total_pages):
                return
            page += 1

    def _request(
        self,
        method: str,
        endpoint: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
    ) -> Reply:
        """Every call to WooCommerce goes through here: retries, logging, errors."""
        attempt = 1
        while True:
            try:
                return self._send_once(method, endpoint, params, json, attempt)
            except WooError as error:
                delay = self._retry_delay(method, error, attempt)
                if delay is None:
                    raise
            self._sleep(delay)
            attempt += 1

    def _send_once(self, method: str, endpoint: str, params: Any, json: Any, attempt: int) -> Reply:
        started = time.monotonic()
        try:
            response = self._api.send(method, endpoint, params=params, json=json)
        except requests.RequestException as exc:
            _log_request(method, endpoint, f"error error={type(exc).__name__}", started, attempt)
            # `from None`: requests' message carries the URL, and over http its OAuth query.
            raise error_for_exception(exc, read_timeout=self._api.timeout[1]) from None
        _log_request(method, endpoint, str(response.status_code), started, attempt)
        if not 200 <= response.status_code < 300:
            raise error_for_response(response)
        return Reply(body=decode_json(response), headers=response.headers)

    def _retry_delay(self, method: str, error: WooError, attempt: int) -> float | None:
        """Seconds to wait before trying again, or None to give up and raise."""
        if attempt > self._retries or not error.retryable:
            return None
        # A write is repeated only when the shop cannot have acted on it.
        never_reached = isinstance(error, WooTransient) and not error.request_sent
        if method not in SAFE_METHODS and not (isinstance(error, WooRateLimited) or never_reached):
            return None
        delay = self._backoff * 2 ** (attempt - 1)
        if isinstance(error, WooRateLimited) and error.retry_after is not None:
            delay = max(delay, error.retry_after)
        return delay if delay <= MAX_RETRY_DELAY else None


def _json_object(body: Any, endpoint: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise WooInvalidResponse(f"The shop's {endpoint} answer is not a JSON object")
    return body


def _log_request(method: str, endpoint: str, status: str, started: float, attempt: int) -> None:
    """One key=value line per attempt; never credentials, params or bodies."""
    ms = round((time.monotonic() - started) * 1000)
    level = logging.INFO if status.startswith("2") else logging.WARNING
    retry = f" attempt={attempt}" if attempt > 1 else ""
    log.log(
        level, f"woo.request method={method} endpoint={endpoint} status={status} ms={ms}{retry}"
    )
