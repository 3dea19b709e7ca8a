"""Errors the Fortnox simulator answers with, in the shapes real Fortnox uses.

Real Fortnox answers 404s with capitalised keys (`Error/Message/Code`) and 400s with lower-case
keys (`error/message/code`), both inside `ErrorInformation` (recorded cassettes in
accodeing/fortnox-api). The warehouse API (`/api/warehouse/...`) uses `{error, message, id}`.
An expired or unknown bearer token gets the gateway's `{"message": "unauthorized"}`.

Codes marked "real code unknown" are documented nowhere we could find; they are kept here, in
one place, so they are easy to correct.
"""

from __future__ import annotations

import uuid
from typing import Any

# Documented or recorded codes (see the reference's error table).
ARTICLE_NOT_FOUND = 2000428
CUSTOMER_NOT_FOUND = 2000433
INVOICE_NOT_FOUND = 2000434
ORDER_NOT_FOUND = 2000439
ACCOUNT_NOT_FOUND = 2000423
ACCOUNT_IN_REQUEST_NOT_FOUND = 2001304
CURRENCY_NOT_FOUND = 2000427
TERMS_OF_PAYMENT_NOT_FOUND = 2000429
PRICE_NOT_FOUND = 2000430
PRICE_LIST_NOT_FOUND = 2000431
TERMS_OF_DELIVERY_NOT_FOUND = 2000435
INVALID_FILTER = 2000587
INVALID_PARAMETER = 2000588
VALUE_TOO_LONG = 2000107
VALUE_NOT_ALPHANUMERIC = 2000106
VALUE_NOT_NUMERIC = 2000108
VALUE_NOT_BOOLEAN = 2000134
CUSTOMER_NUMBER_USED = 2000637
NOT_AUTHORISED_FOR_SCOPE = 2000663
EMPTY_OR_WRONG_BODY = 2001392
INVALID_FIELD_NAME = 2001399
JSON_SYNTAX_ERROR = 2002115
WRONG_DATA_STRUCTURE = 2002649
SYSTEM_EXCEPTION = 1000003

# Real code unknown: Fortnox answers these cases with a 400, but no source gives the code.
DOCUMENT_LOCKED = INVALID_PARAMETER
NUMBER_ALREADY_USED = INVALID_PARAMETER
REQUIRED_FIELD_MISSING = INVALID_PARAMETER
NOT_FOUND_GENERIC = INVALID_PARAMETER


class FortnoxApiError(Exception):
    """A failed /3 request: HTTP status, Fortnox error code and (usually Swedish) message."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message

    def body(self) -> dict[str, Any]:
        if self.status == 404:
            return {"ErrorInformation": {"Error": 1, "Message": self.message, "Code": self.code}}
        return {"ErrorInformation": {"error": 1, "message": self.message, "code": self.code}}


class WarehouseApiError(Exception):
    """A failed /api/warehouse request, answered as `warehouse_WebException`."""

    def __init__(self, status: int, error: str, message: str) -> None:
        super().__init__(f"{status} {error} {message}")
        self.status = status
        self.error = error
        self.message = message

    def body(self) -> dict[str, Any]:
        return {"error": self.error, "message": self.message, "id": str(uuid.uuid4())}


def invalid(code: int, message: str) -> FortnoxApiError:
    """A 400 validation error."""
    return FortnoxApiError(400, code, message)


def not_found(code: int, message: str) -> FortnoxApiError:
    """A 404 for a resource addressed by the URL."""
    return FortnoxApiError(404, code, message)


UNAUTHORIZED_BODY: dict[str, Any] = {"message": "unauthorized"}
# The body of a 429 is not documented anywhere; this mirrors the gateway's 401 shape.
RATE_LIMITED_BODY: dict[str, Any] = {"message": "Too Many Requests"}
