"""The shop's three secrets, each for one purpose and rotated on its own, and the pairing code
through which the WordPress plugin fetches them.

- ``webhook_secret`` signs WooCommerce's webhook deliveries. WooCommerce shows it to every shop
  manager, so it opens nothing else.
- ``link_secret`` signs the plugin's sign-in links. Rotating it ends every session opened by
  a link (``Shop.link_generation``).
- ``plugin_secret`` signs the plugin's API calls (resend an order).

The owner makes a pairing code (shown once, valid PAIRING_LIFETIME, stored as a hash) and
enters it in the plugin; the plugin redeems it once at ``POST /api/pair`` and receives all three.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from sidecar.models import Shop

SECRET_BYTES = 32  # token_urlsafe: 43 characters the plugin accepts (letters, digits, - and _)
PURPOSES = ("webhook", "link", "plugin")
PAIRING_LIFETIME = timedelta(minutes=15)
# Letters and digits that are not mistaken for each other when typed off a screen.
_PAIRING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PAIRING_LENGTH = 12  # 60 bits; the code is single use and lives 15 minutes


class PairingRefused(ValueError):
    """The pairing code is unknown, used or expired."""


@dataclass(frozen=True)
class PluginSecrets:
    webhook_secret: str
    link_secret: str
    plugin_secret: str


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def rotate(shop: Shop, purpose: str, *, now: datetime) -> None:
    """A new secret for one purpose; the old one stops working at once."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown secret {purpose!r}")
    setattr(shop, f"{purpose}_secret", new_secret())
    if purpose == "link":
        shop.link_generation = (shop.link_generation or 0) + 1
    shop.updated_at = now
    shop.save()


def _pairing_hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().replace("-", "").encode()).hexdigest()


def new_pairing_code(shop: Shop, *, now: datetime) -> str:
    """A code to type into the plugin, in groups of four: ``ABCD-EFGH-JKLM``."""
    code = "".join(secrets.choice(_PAIRING_ALPHABET) for _ in range(PAIRING_LENGTH))
    shop.pairing_code_hash = _pairing_hash(code)
    shop.pairing_code_expires_at = now + PAIRING_LIFETIME
    shop.save()
    return "-".join(code[i:i + 4] for i in range(0, PAIRING_LENGTH, 4))


def redeem_pairing_code(code: str, *, now: datetime) -> tuple[Shop, PluginSecrets]:
    """The shop and its secrets for a valid code, which is used up; secrets still missing (a
    shop from before the secrets were separate) are made now."""
    if not 4 <= len(code) <= 40:
        raise PairingRefused("malformed")
    wanted = _pairing_hash(code)
    for shop in Shop.select().where(Shop.pairing_code_hash.is_null(False)):
        if hmac.compare_digest(shop.pairing_code_hash, wanted):
            break
    else:
        raise PairingRefused("unknown")
    # Used up whatever happens next, and only once even if two requests race.
    used = Shop.update(pairing_code_hash=None, pairing_code_expires_at=None).where(
        Shop.id == shop.id, Shop.pairing_code_hash == wanted).execute()
    if used != 1 or shop.pairing_code_expires_at is None or shop.pairing_code_expires_at <= now:
        raise PairingRefused("expired")
    shop = Shop.get_by_id(shop.id)
    for purpose in PURPOSES:
        if not getattr(shop, f"{purpose}_secret"):
            setattr(shop, f"{purpose}_secret", new_secret())
    shop.updated_at = now
    shop.save()
    return shop, PluginSecrets(shop.webhook_secret, shop.link_secret, shop.plugin_secret)
