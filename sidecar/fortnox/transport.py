"""The one place where the Fortnox client talks HTTP: auth, rate limit, retries, errors, paging."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any
from typing import Protocol

import requests

from sidecar import __version__
from sidecar.fortnox.errors import FortnoxError
from sidecar.fortnox.errors import FortnoxOutcomeUnknown
from sidecar.fortnox.errors import FortnoxTransient
from sidecar.fortnox.errors import error_from_exception
from sidecar.fortnox.errors import error_from_response
from sidecar.fortnox.errors import retry_after_seconds
from sidecar.fortnox.wire import encode_body

log = logging.getLogger("sidecar.fortnox")

JsonObject = dict[str, Any]

DEFAULT_TIMEOUT = (5.0, 30.0)  # (connect, read) seconds
PAGE_LIMIT = 500  # Fortnox's maximum page size
RATE_LIMIT_WINDOW = 5.0  # Fortnox counts 25 requests per sliding 5 s
MAX_RATE_LIMIT_WAIT = 60.0


class TokenProvider(Protocol):
    """Where the client gets its bearer token (the database-backed one lives outside fortnox/).

    `access_token()` returns a token with some life left, refreshing it under the
    cross-process lock when it is near expiry (storing the new pair before returning it), and
    raises `FortnoxReconnectRequired` when Fortnox says invalid_grant.
    `invalidate(token)` is called once when a 401 refused `token`: forget it so the next
    `access_token()` gets a new one, unless another process has already replaced it.
    """

    def access_token(self) -> str: ...

    def invalidate(self, token: str) -> None: ...


class RateLimiter(Protocol):
    """Blocks until one more request fits in the tenant's 25-per-5-s window, counted across
    processes. Called once per HTTP attempt, retries included.

    `acquire()` may return a callable; the client calls it once the answer (or the failure) is
    in. Fortnox counts a request when it arrives, which is some time after it was sent, so a
    limiter that keeps the request in its window until the answer is back stays on the safe
    side however slow the request was.
    """

    def acquire(self) -> Callable[[], None] | None: ...


class FortnoxTransport:
    """Session, choke point and paging shared by every group of Fortnox operations."""

    def __init__(
        self,
        base_url: str,
        token_provider: TokenProvider,
        *,
        rate_limiter: RateLimiter | None = None,
        session: requests.Session | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        user_agent: str = f"fortnox-sidecar/{__version__}",
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        max_rate_limit_retries: int = 4,
        max_transient_retries: int = 3,
        observer: Callable[[FortnoxError | None], None] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._tokens = token_provider
        self._rate_limiter = rate_limiter
        self._session = session or requests.Session()
        self._timeout = timeout
        self._user_agent = user_agent
        self._sleep = sleep
        self._clock = clock
        self._max_rate_limit_retries = max_rate_limit_retries
        self._max_transient_retries = max_transient_retries
        # Told how every logical request ended (None: Fortnox answered), e.g. to notice an
        # outage; it must be quick and must not raise.
        self._observer = observer

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        idempotent: bool,
    ) -> Any:
        """Send one logical request; returns the decoded JSON body ({} when empty).

        A 401 gets exactly one refresh-and-retry, a 429 is waited out (Fortnox did not process
        it, so any method may repeat), a 5xx or broken connection is retried only when
        `idempotent`; otherwise the caller learns the outcome is unknown.
        """
        if self._observer is None:
            return self._request_once(method, path, params=params, json=json,
                                      idempotent=idempotent)
        try:
            body = self._request_once(method, path, params=params, json=json,
                                      idempotent=idempotent)
        except FortnoxError as exc:
            self._observer(exc)
            raise
        self._observer(None)
        return body

    def _request_once(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None,
        json: Any,
        idempotent: bool,
    ) -> Any:
        data = None if json is None else encode_body(json)
        refreshed = False
        rate_limited = failures = 0
        while True:
            token = self._tokens.access_token()
            try:
                response = self._send_counted(method, path, token, params, data)
            except requests.RequestException as exc:
                error = error_from_exception(exc, idempotent=idempotent)
                if idempotent and failures < self._max_transient_retries:
                    failures += 1
                    self._sleep(self._backoff(failures))
                    continue
                raise error from exc
            status = response.status_code
            if status == 401 and not refreshed:
                refreshed = True
                self._tokens.invalidate(token)
                continue
            if status == 429:
                if rate_limited >= self._max_rate_limit_retries:
                    raise error_from_response(response)
                rate_limited += 1
                self._sleep(self._rate_limit_pause(rate_limited, response))
                continue
            if status >= 500:
                if idempotent and failures < self._max_transient_retries:
                    failures += 1
                    self._sleep(self._backoff(failures))
                    continue
                if not idempotent:
                    cause = error_from_response(response)
                    raise FortnoxOutcomeUnknown(
                        f"Fortnox failed while handling the request; it may have been applied: "
                        f"{cause.message}",
                        status=status,
                        code=cause.code,
                    )
            if status >= 400:
                raise error_from_response(response)
            return self._decode(response, idempotent=idempotent)

    def _send_counted(
        self,
        method: str,
        path: str,
        token: str,
        params: dict[str, Any] | None,
        data: bytes | None,
    ) -> requests.Response:
        """`_send` inside the rate limiter: a slot is taken before and handed back after."""
        finished = self._rate_limiter.acquire() if self._rate_limiter is not None else None
        try:
            return self._send(method, path, token, params, data)
        finally:
            if finished is not None:
                finished()

    def _send(
        self,
        method: str,
        path: str,
        token: str,
        params: dict[str, Any] | None,
        data: bytes | None,
    ) -> requests.Response:
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            "Content-Type": "application/json",
            "User-Agent": self._user_agent,
        }
        started = self._clock()
        outcome = "error"
        try:
            response = self._session.request(
                method, self.base_url + path, params=params, data=data, headers=headers,
                timeout=self._timeout,
            )
            outcome = str(response.status_code)
            return response
        except requests.RequestException as exc:
            outcome = f"error error={type(exc).__name__}"
            raise
        finally:
            # Path only: query strings carry e-mail addresses and bodies carry personal data.
            ms = round((self._clock() - started) * 1000)
            log.info("fortnox.request method=%s path=%s status=%s ms=%d", method, path, outcome, ms)

    def _decode(self, response: requests.Response, *, idempotent: bool) -> Any:
        if response.status_code == 204 or not response.content.strip():
            return {}
        try:
            return response.json()
        except ValueError as exc:
            if idempotent:
                raise FortnoxTransient(
                    "Fortnox answered with something that is not JSON", status=response.status_code
                ) from exc
            raise FortnoxOutcomeUnknown(
                "Fortnox accepted the request but its answer is not JSON; look the result up",
                status=response.status_code,
            ) from exc

    def _backoff(self, failures: int) -> float:
        return 2.0 ** (failures - 1) + random.uniform(0, 0.5)

    def _rate_limit_pause(self, attempt: int, response: requests.Response) -> float:
        # Never less than one full window, growing if Fortnox keeps refusing; jitter spreads
        # the workers of several processes that were refused at the same moment.
        base = min(RATE_LIMIT_WINDOW * 2.0 ** (attempt - 1), MAX_RATE_LIMIT_WAIT)
        base = max(base, retry_after_seconds(response) or 0.0)
        return base + random.uniform(0, 1.0)

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self._request("GET", path, params=params, idempotent=True)

    def _get_resource(self, path: str, wrapper: str) -> JsonObject:
        return unwrap(self._get(path), wrapper)

    def _iter_pages(
        self, path: str, collection: str, params: dict[str, Any] | None = None
    ) -> Iterator[JsonObject]:
        """Yield every item of a list endpoint, page by page (`limit=500`, 1-based `page`)."""
        page = 1
        while True:
            body = self._get(path, {**(params or {}), "limit": PAGE_LIMIT, "page": page})
            if not isinstance(body, dict):
                raise FortnoxError(f"Fortnox list answer for {path} is not an object")
            items = body.get(collection) or []
            yield from items
            total_pages = _int_or_none((body.get("MetaInformation") or {}).get("@TotalPages"))
            if total_pages is None:
                # MetaInformation is sometimes missing: then a short page is the last one.
                if len(items) < PAGE_LIMIT:
                    return
            elif page >= total_pages:
                return
            page += 1


def unwrap(body: Any, wrapper: str) -> JsonObject:
    """Fortnox wraps single resources: {"Order": {...}}. A missing wrapper is a broken answer."""
    if isinstance(body, dict) and isinstance(body.get(wrapper), dict):
        resource: JsonObject = body[wrapper]
        return resource
    raise FortnoxError(f"Fortnox answer lacks the {wrapper!r} object", retryable=False)


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

