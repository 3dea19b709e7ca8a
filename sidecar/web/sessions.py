"""Who is signed in: the session cookie's settings and its contents.

The session is Flask's signed cookie. It holds ids only (shop, owner account or WordPress user),
never a secret, and is cleared on every sign-in so a session id planted before cannot be kept.

A cookie can be copied, so the server decides whether it still counts: it carries the owner's
session generation (and, when opened by the WordPress link, the shop's link generation), which
sign-out, a password change and a rotation of the link secret bump; it dies IDLE_LIFETIME after
its last use and ABSOLUTE_LIFETIME after sign-in, whatever the cookie's own expiry says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from flask import session

from sidecar.config import Config
from sidecar.fields import utcnow
from sidecar.models import Owner
from sidecar.models import Shop

ABSOLUTE_LIFETIME = timedelta(hours=12)
IDLE_LIFETIME = timedelta(hours=2)
# The last-use time in the cookie is rewritten at most this often (not on every request).
SEEN_RESOLUTION = timedelta(minutes=1)
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
        PERMANENT_SESSION_LIFETIME=ABSOLUTE_LIFETIME,
    )


@dataclass(frozen=True)
class SignedIn:
    """The person behind a request: an owner account, or a WordPress user of the shop."""

    shop: Shop
    owner: Owner | None
    wp_user: int | None

    @property
    def name(self) -> str:
        if self.owner is not None and self.wp_user is not None:
            return f"{self.owner.email} (WordPress #{self.wp_user})"
        if self.owner is not None:
            return str(self.owner.email)
        return f"WordPress #{self.wp_user}"


def contents(shop: Shop, *, owner: Owner | None = None,
             wp_user: int | None = None) -> dict[str, Any]:
    """What a new session holds: ids, generations and times (seconds since the epoch)."""
    now = int(utcnow().timestamp())
    values: dict[str, Any] = {"shop_id": shop.id, "signed_in_at": now, "seen_at": now}
    if owner is not None:
        values["owner_id"] = owner.id
        values["generation"] = owner.session_generation
    if wp_user is not None:
        values["wp_user"] = wp_user
        values["link_generation"] = shop.link_generation
    return values


def start(shop: Shop, *, owner: Owner | None = None, wp_user: int | None = None) -> None:
    """Sign in: a fresh session (a new CSRF token too)."""
    session.clear()
    session.permanent = True
    session.update(contents(shop, owner=owner, wp_user=wp_user))


def end() -> None:
    """Sign out here and everywhere: every cookie of this owner stops counting."""
    signed_in = current()
    if signed_in is not None and signed_in.owner is not None:
        revoke(signed_in.owner)
    session.clear()


def revoke(owner: Owner) -> None:
    """Every session of the owner ends (sign-out, a new password)."""
    Owner.update(session_generation=Owner.session_generation + 1).where(
        Owner.id == owner.id).execute()


def current() -> SignedIn | None:
    """The signed-in person, re-read from the database (a deleted account or shop, a revoked or
    expired session signs out)."""
    shop_id = session.get("shop_id")
    if not isinstance(shop_id, int) or not _within_lifetimes():
        return None
    shop = Shop.get_or_none(Shop.id == shop_id)
    if shop is None:
        return None
    owner_id, wp_user = session.get("owner_id"), session.get("wp_user")
    if isinstance(wp_user, int) and session.get("link_generation") != shop.link_generation:
        return None
    if not isinstance(owner_id, int):
        return None
    owner = Owner.get_or_none(Owner.id == owner_id, Owner.shop == shop)
    if owner is None or session.get("generation") != owner.session_generation:
        return None
    _touch()
    return SignedIn(shop, owner, wp_user if isinstance(wp_user, int) else None)


def _within_lifetimes() -> bool:
    signed_in_at, seen_at = session.get("signed_in_at"), session.get("seen_at")
    if not isinstance(signed_in_at, int) or not isinstance(seen_at, int):
        return False
    now = utcnow()
    return (now - _at(signed_in_at) <= ABSOLUTE_LIFETIME
            and now - _at(seen_at) <= IDLE_LIFETIME)


def _touch() -> None:
    now = int(utcnow().timestamp())
    if now - int(session.get("seen_at", 0)) >= SEEN_RESOLUTION.total_seconds():
        session["seen_at"] = now


def _at(seconds: int) -> datetime:
    return datetime.fromtimestamp(max(0, min(seconds, 2**33)), UTC)
