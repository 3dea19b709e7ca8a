"""Who is signed in: the session cookie's settings and its contents.

The session is Flask's signed cookie. It holds ids only (shop, owner account or WordPress user),
never a secret, and is cleared on every sign-in so a session id planted before cannot be kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Flask
from flask import session

from sidecar.config import Config
from sidecar.fields import utcnow
from sidecar.models import Owner
from sidecar.models import Shop

LIFETIME = timedelta(hours=12)
COOKIE_NAME = "sidecar_session"
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")


def cookies_are_secure(public_url: str) -> bool:
    """Secure cookies except for plain http on this machine (a local trial without TLS)."""
    parts = urlsplit(public_url)
    return not (parts.scheme == "http" and parts.hostname in LOCAL_HOSTS)


def configure_cookies(app: Flask, config: Config) -> None:
    app.config.update(
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=cookies_are_secure(config.public_url),
        PERMANENT_SESSION_LIFETIME=LIFETIME,
    )


@dataclass(frozen=True)
class SignedIn:
    """The person behind a request: an owner account, or a WordPress user of the shop."""

    shop: Shop
    owner: Owner | None
    wp_user: int | None

    @property
    def name(self) -> str:
        if self.owner is not None:
            return str(self.owner.email)
        return f"WordPress #{self.wp_user}"


def start(shop: Shop, *, owner: Owner | None = None, wp_user: int | None = None) -> None:
    """Sign in: a fresh session (a new CSRF token too) that lasts LIFETIME."""
    session.clear()
    session.permanent = True
    session["shop_id"] = shop.id
    if owner is not None:
        session["owner_id"] = owner.id
    if wp_user is not None:
        session["wp_user"] = wp_user
    session["signed_in_at"] = utcnow().isoformat()


def end() -> None:
    session.clear()


def current() -> SignedIn | None:
    """The signed-in person, re-read from the database (a deleted account or shop signs out)."""
    shop_id = session.get("shop_id")
    if not isinstance(shop_id, int):
        return None
    shop = Shop.get_or_none(Shop.id == shop_id)
    if shop is None:
        return None
    owner_id, wp_user = session.get("owner_id"), session.get("wp_user")
    if isinstance(owner_id, int):
        owner = Owner.get_or_none(Owner.id == owner_id, Owner.shop == shop)
        return None if owner is None else SignedIn(shop, owner, None)
    if isinstance(wp_user, int):
        return SignedIn(shop, None, wp_user)
    return None
