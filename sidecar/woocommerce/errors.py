"""Typed errors of the WooCommerce client; each says whether trying again can help.

Sync code catches `WooError` (never `requests.RequestException`) and reads `retryable`:
True means the same request may succeed later (rate limit, server trouble, network);
False means a person has to change something first (keys, URL, data).
"""

from __future__ import annotations


class WooError(Exception):
    """A WooCommerce request failed; `code` is WooCommerce's error code when it sent one."""

    retryable_by_default = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        retryable: bool | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.retryable = self.retryable_by_default if retryable is None else retryable

    def __str__(self) -> str:
        details = ", ".join(
            part
            for part in (
                f"HTTP {self.status}" if self.status is not None else "",
                f"code {self.code}" if self.code else "",
            )
            if part
        )
        return f"{self.message} ({details})" if details else self.message


class WooAuthError(WooError):
    """The keys are wrong, revoked, read-only, or their user lacks the capability (401/403)."""


class WooNotFound(WooError):
    """The resource does not exist (404, or a `*_invalid_id` code)."""


class WooWrongParent(WooNotFound):
    """A variation addressed through a product that is not its parent. WooCommerce answers
    that with 403 `woocommerce_rest_cannot_edit`, the code it also uses for a missing
    capability, so the client reads the product to tell (`parent_id`: its real parent, None
    when it is no variation)."""

    def __init__(self, message: str, *, parent_id: int | None, status: int | None = None,
                 code: str | None = None) -> None:
        super().__init__(message, status=status, code=code)
        self.parent_id = parent_id


class WooValidationError(WooError):
    """WooCommerce refused the data (400 and friends); sending it again will fail again.

    `params` holds WordPress's per-parameter messages (`data.params`) when it sent them.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        params: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message, status=status, code=code, retryable=False)
        self.params = params or {}


class WooTransient(WooError):
    """Server trouble or no answer (5xx, timeout, connection error); try again later.

    `request_sent` is False only when no connection was made, so the shop cannot have acted;
    after a read timeout or a 5xx a write may or may not have been applied.
    """

    retryable_by_default = True

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        request_sent: bool = True,
    ) -> None:
        super().__init__(message, status=status, code=code, retryable=True)
        self.request_sent = request_sent


class WooRateLimited(WooTransient):
    """The shop or its host asked us to slow down (429); `retry_after` is in seconds."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = 429,
        code: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, status=status, code=code)
        self.retry_after = retry_after


class WooInvalidResponse(WooError):
    """The answer was not WooCommerce JSON: an HTML page from a firewall, a security plugin,
    a maintenance mode or a wrong URL, or a redirect away from the API."""
