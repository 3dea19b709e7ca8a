"""The security log: who did what, when and from where. Rows of ``SecurityEvent``, each action
a message code in ``sidecar.messages.security``; shown on the Security page, kept a year."""

from __future__ import annotations

import logging
from datetime import datetime
from datetime import timedelta
from typing import Any

from sidecar.fields import utcnow
from sidecar.models import SecurityEvent
from sidecar.models import Shop

log = logging.getLogger(__name__)

RETENTION = timedelta(days=365)
ACTIONS = (
    "security.signed_in", "security.sign_in_failed", "security.sign_in_throttled",
    "security.signed_out", "security.wordpress_sign_in", "security.wordpress_link_refused",
    "security.secret_rotated", "security.pairing_code_made", "security.paired",
    "security.woo_keys_changed", "security.woo_url_changed", "security.password_changed",
    "security.wordpress_user_linked",
)


def client_address() -> str:
    """The client's address as the sidecar sees it (after the trusted proxies), or ''."""
    from flask import has_request_context
    from flask import request

    return (request.remote_addr or "")[:64] if has_request_context() else ""


# A refused attempt repeated within this time by the same actor from the same address is one
# row: a flood of refused sign-ins must not fill the database.
REPEAT_WINDOW = timedelta(minutes=1)
SUMMED_ACTIONS = frozenset({"security.sign_in_throttled"})


def record(shop: Shop | int | None, actor: str, action: str, *, address: str = "",
           details: dict[str, Any] | None = None, now: datetime | None = None) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown security action {action!r}")
    shop_id = shop if isinstance(shop, int) or shop is None else shop.id
    now = now or utcnow()
    if action in SUMMED_ACTIONS and SecurityEvent.select().where(
            SecurityEvent.action == action, SecurityEvent.actor == actor[:254],
            SecurityEvent.address == address[:64],
            SecurityEvent.created_at > now - REPEAT_WINDOW).exists():
        return
    SecurityEvent.create(shop=shop_id, actor=actor[:254], action=action, address=address[:64],
                         details=details or None, created_at=now)
    log.info("security.event shop=%s action=%s address=%s", shop_id, action, address)


def recent(shop: Shop, *, limit: int = 200) -> list[SecurityEvent]:
    """The shop's latest events, and those that name no shop (failed sign-ins), newest first."""
    return list(SecurityEvent.select()
                .where((SecurityEvent.shop == shop) | SecurityEvent.shop.is_null())
                .order_by(SecurityEvent.created_at.desc(), SecurityEvent.id.desc())
                .limit(limit))


def prune(shop: Shop, *, now: datetime) -> int:
    """Forget the shop's events (and those of no shop) older than RETENTION."""
    return int(SecurityEvent.delete().where(
        (SecurityEvent.shop == shop) | SecurityEvent.shop.is_null(),
        SecurityEvent.created_at < now - RETENTION).execute())


def woo_connection_saved(signed_in: Any, before: tuple[str, str | None], *,
                         address: str) -> None:
    """The WooCommerce address or keys changed on the settings page: who, and from where
    (never the keys)."""
    shop = signed_in.shop
    if shop.woo_url != before[0]:
        record(shop, signed_in.name, "security.woo_url_changed", address=address,
               details={"from": before[0], "to": shop.woo_url})
    if shop.woo_consumer_key != before[1]:
        record(shop, signed_in.name, "security.woo_keys_changed", address=address)
