"""CSRF tokens: one random token per session, required on every state-changing request.

Forms carry it as the hidden field ``csrf_token``; scripts may send it as ``X-CSRF-Token``.
The token lives in the signed session cookie, which another site can neither read nor forge.
"""

from __future__ import annotations

import hmac
import secrets

from flask import Request
from flask import session

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def token() -> str:
    """The session's token, made on first use (templates call this as ``csrf_token()``)."""
    value = session.get(FIELD)
    if not isinstance(value, str):
        value = secrets.token_urlsafe(32)
        session[FIELD] = value
    return value


def is_valid(request: Request) -> bool:
    expected = session.get(FIELD)
    given = request.form.get(FIELD) or request.headers.get(HEADER) or ""
    return isinstance(expected, str) and hmac.compare_digest(expected.encode(), given.encode())
