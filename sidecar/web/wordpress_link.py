"""The WordPress plugin's sign-in link: ``/auth/wordpress?wp_user=ID&expires=UNIX&sig=HEX``.

``sig`` is lowercase hex HMAC-SHA256 over ``wp_user=ID&expires=UNIX`` with the shop's link
secret (not the webhook secret, which WooCommerce shows to every shop manager); the plugin makes
links valid for 60 seconds. A link works once: its signature is kept until it expires, and a
second use is refused. It signs in only a WordPress user the owner has linked to an owner
account (``WordPressUser``); any other user, and user 0, is refused.
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
from sidecar.models import Owner
from sidecar.models import Shop
from sidecar.models import UsedSignInLink
from sidecar.models import WordPressUser

# The plugin's 60 s plus a minute of clock difference between WordPress and this host.
LONGEST_VALIDITY = timedelta(seconds=120)
_DIGITS = re.compile(r"[0-9]{1,12}")
_HEX = re.compile(r"[0-9a-f]{64}")


class LinkRefused(Exception):
    """Why a link does not sign anyone in: malformed, expired, bad_signature, used or
    unlinked (a WordPress user no owner account is linked to)."""

    def __init__(self, reason: str, wp_user: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wp_user = wp_user


@dataclass(frozen=True)
class LinkSignIn:
    shop: Shop
    wp_user: int
    owner: Owner


def signature(secret: str, wp_user: str, expires: str) -> str:
    message = f"wp_user={wp_user}&expires={expires}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify(params: Mapping[str, str], *, now: datetime) -> LinkSignIn:
    """The shop, WordPress user and owner account the link signs in, or LinkRefused."""
    wp_user, expires, sig = (params.get(k, "") for k in ("wp_user", "expires", "sig"))
    if not (_DIGITS.fullmatch(wp_user) and _DIGITS.fullmatch(expires) and _HEX.fullmatch(sig)):
        raise LinkRefused("malformed")
    # Compared as numbers first: a far-off time is refused, not turned into a date.
    if not now.timestamp() < int(expires) <= (now + LONGEST_VALIDITY).timestamp():
        raise LinkRefused("expired")
    expires_at = datetime.fromtimestamp(int(expires), UTC)
    shop = _shop_that_signed(wp_user, expires, sig)
    if shop is None:
        raise LinkRefused("bad_signature")
    _use_once(sig, expires_at, now=now)
    linked = WordPressUser.get_or_none(WordPressUser.shop == shop,
                                       WordPressUser.wp_user == int(wp_user))
    if int(wp_user) == 0 or linked is None:
        raise LinkRefused("unlinked", wp_user=int(wp_user))
    return LinkSignIn(shop=shop, wp_user=int(wp_user), owner=linked.owner)


def link_user(shop: Shop, wp_user: int, owner: Owner) -> WordPressUser:
    """Let the WordPress user ``wp_user`` sign in as ``owner`` through the plugin's link."""
    if wp_user <= 0 or owner.shop_id != shop.id:
        raise ValueError("a WordPress user id is a positive number, of an owner of this shop")
    WordPressUser.delete().where(WordPressUser.shop == shop,
                                 WordPressUser.wp_user == wp_user).execute()
    return WordPressUser.create(shop=shop, wp_user=wp_user, owner=owner)


def _shop_that_signed(wp_user: str, expires: str, sig: str) -> Shop | None:
    for shop in Shop.select().where(Shop.link_secret.is_null(False)).order_by(Shop.id):
        if hmac.compare_digest(signature(shop.link_secret, wp_user, expires), sig):
            return shop
    return None


def _use_once(sig: str, expires_at: datetime, *, now: datetime) -> None:
    UsedSignInLink.delete().where(UsedSignInLink.expires_at <= now).execute()
    try:
        with database.atomic():
            UsedSignInLink.create(signature=sig, expires_at=expires_at)
    except IntegrityError:
        raise LinkRefused("used") from None
