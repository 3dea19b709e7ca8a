"""Is SIDECAR_SECRET_KEY fit to use, and does it open the secrets stored with it?"""

from __future__ import annotations

import math
from collections import Counter

from peewee import Database

from sidecar.crypto import SecretUnreadable

# The examples' placeholders (config/*.example, the README): a key copied from them is known
# to everyone who read them.
PLACEHOLDERS = frozenset({
    "change-me-to-at-least-32-random-characters", "change-me", "changeme", "replace-me",
    "your-secret-key",
})
# A key with less than this many bits of estimated entropy is refused: 'x' * 40 or a short
# phrase. `openssl rand -hex 16` (32 hex digits) estimates at about 115, base64 keys far more.
MIN_ENTROPY_BITS = 96


def estimated_entropy_bits(key: str) -> float:
    """Shannon entropy of the key's characters times its length: an upper bound on its
    strength, which is enough to refuse 'aaaa…' or a short word."""
    if not key:
        return 0.0
    counts = Counter(key)
    per_char = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    return per_char * len(key)


def weak_key_reason(key: str) -> str:
    """Why the key is not fit to use, or ''."""
    lowered = key.strip().lower()
    if lowered in PLACEHOLDERS or lowered.startswith(("change-me", "changeme", "replace-me")):
        return "SIDECAR_SECRET_KEY is an example's placeholder; generate a random one " \
               "(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
    if estimated_entropy_bits(key) < MIN_ENTROPY_BITS:
        return "SIDECAR_SECRET_KEY is too easy to guess; use at least 32 random characters " \
               "(python3 -c 'import secrets; print(secrets.token_urlsafe(48))')"
    return ""


def stored_secrets_readable(database: Database) -> bool:
    """False when a shop's stored secret was encrypted under another SIDECAR_SECRET_KEY."""
    from sidecar.models import Shop

    with database.connection_context():
        try:
            for shop in Shop.select(Shop.id, Shop.webhook_secret, Shop.woo_consumer_secret).where(
                    Shop.webhook_secret.is_null(False) | Shop.woo_consumer_secret.is_null(False)):
                _ = (shop.webhook_secret, shop.woo_consumer_secret)
        except SecretUnreadable:
            return False
    return True
