"""The one error the simulated shop raises: a WP_Error, as the REST API answers it."""

from __future__ import annotations

from typing import Any


class WooError(Exception):
    """A WP_Error: REST answers it as {"code", "message", "data": {"status", ...}}."""

    def __init__(self, code: str, message: str, status: int = 400, *, bare: bool = False,
                 **data: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.bare = bare  # WP_Error data that is the status alone, e.g. "data": 500 (046)
        self.data = data

    def body(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "data": self.status if self.bare else {"status": self.status, **self.data},
        }
