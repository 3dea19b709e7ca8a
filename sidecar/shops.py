"""Shops: the one a fresh install starts with, and lookups."""

from __future__ import annotations

import secrets

from sidecar.models import Shop

DEFAULT_SLUG = "default"
# Stored as it is; the pages show it in the reader's language (sidecar.web.layout).
DEFAULT_NAME = "My shop"


def ensure_default_shop() -> Shop:
    """A fresh install serves one shop; create it (with its own webhook secret) if none exists."""
    shop = Shop.select().order_by(Shop.id).first()
    if shop is None:
        shop = Shop.create(name=DEFAULT_NAME, slug=DEFAULT_SLUG,
                           webhook_secret=secrets.token_urlsafe(32))
    return shop
