"""The WordPress plugin's sign-in link: ``/auth/wordpress?wp_user=ID&expires=UNIX&sig=HEX``.

``sig`` is lowercase hex HMAC-SHA256 over ``wp_user=ID&expires=UNIX`` with the shop's webhook
secret; the plugin makes links valid for 60 seconds. A link works once: its signature is kept
until it expires, and a second use is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from peewee import IntegrityError

from sidecar.db import database
from sidecar.models import Shop
from sidecar.models import UsedSignInLink

# The plugin's 60 s plus a minute of clock difference between WordPress and this host.
LONGEST_VALIDITY = timedelta(seconds=120)
_DIGITS = re.compile(r"[0-9]{1,12}")
_HEX = re.compile(r"[0-9a-f]{64}")


class LinkRefused(Exception):
    """Why a link does not sign anyone in: malformed, expired, bad_signature or used."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class LinkSignIn:
    shop: Shop
    wp_user: int


def signature(secret: str, wp_user: str, expires: str) -> str:
    message = f"wp_user={wp_user}&expires={expires}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(params: Mapping[str, str], *, now: datetime) -> LinkSignIn:
    """The shop and WordPress user the link signs in, or LinkRefused."""
    wp_user, expires, sig = (params.get(k, "") for k in ("wp_user", "expires", "sig"))
    if not (_DIGITS.fullmatch(wp_user) and _DIGITS.fullmatch(expires) and _HEX.fullmatch(sig)):
        raise LinkRefused("malformed")
    expires_at = datetime.fromtimestamp(int(expires), UTC)
    if expires_at <= now or expires_at > now + LONGEST_VALIDITY:
        raise LinkRefused("expired")
    shop = _shop_that_signed(wp_user, expires, sig)
    if shop is None:
        raise LinkRefused("bad_signature")
    _use_once(sig, expires_at, now=now)
    return LinkSignIn(shop=shop, wp_user=int(wp_user))


def _shop_that_signed(wp_user: str, expires: str, sig: str) -> Shop | None:
    for shop in Shop.select().where(Shop.webhook_secret.is_null(False)).order_by(Shop.id):
        if hmac.compare_digest(signature(shop.webhook_secret, wp_user, expires), sig):
            return shop
    return None


def _use_once(sig: str, expires_at: datetime, *, now: datetime) -> None:
    UsedSignInLink.delete().where(UsedSignInLink.expires_at <= now).execute()
    try:
        with database.atomic():
            UsedSignInLink.create(signature=sig, expires_at=expires_at)
    except IntegrityError:
        raise LinkRefused("used") from None
