"""WooCommerce's webhook signature: base64(HMAC-SHA256(secret, raw body))."""

from __future__ import annotations

import base64
import hashlib
import hmac


def sign(raw_body: bytes, secret: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), raw_body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def is_valid(raw_body: bytes, header_value: str | None, secret: str) -> bool:
    """Checked on the raw bytes, before any parsing: re-serialised JSON would not match."""
    if not header_value or not secret:
        return False
    return hmac.compare_digest(sign(raw_body, secret).encode("ascii"),
                               header_value.strip().encode("ascii", "replace"))
