"""The shop's WooCommerce connection as the owner edits it: store address, API keys (write-only)
and the shared secret of the webhooks and the WordPress plugin."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _

from sidecar.fields import utcnow
from sidecar.models import Shop

SECRET_BYTES = 32  # token_urlsafe: 43 characters the plugin accepts (letters, digits, - and _)


@dataclass(frozen=True)
class WooForm:
    store_url: str
    consumer_key: str  # empty: keep the stored one
    consumer_secret: str


def validate_woo(form: WooForm) -> dict[str, str]:
    errors = {}
    parts = urlsplit(form.store_url)
    if form.store_url and (parts.scheme not in ("http", "https") or not parts.hostname):
        errors["store_url"] = _("Enter the shop's address, like https://www.example.se.")
    if form.consumer_key and not form.consumer_key.startswith("ck_"):
        errors["consumer_key"] = _("A WooCommerce consumer key starts with ck_.")
    if form.consumer_secret and not form.consumer_secret.startswith("cs_"):
        errors["consumer_secret"] = _("A WooCommerce consumer secret starts with cs_.")
    return errors


def save_woo(shop: Shop, form: WooForm) -> dict[str, str]:
    """Store what validates; a blank key or secret keeps the one stored. Returns the errors."""
    errors = validate_woo(form)
    if errors:
        return errors
    shop.woo_url = form.store_url.rstrip("/")
    if form.consumer_key:
        shop.woo_consumer_key = form.consumer_key
    if form.consumer_secret:
        shop.woo_consumer_secret = form.consumer_secret
    shop.updated_at = utcnow()
    shop.save()
    return {}


def regenerate_webhook_secret(shop: Shop) -> str:
    """A new shared secret; the old one stops working at once (webhooks and plugin links)."""
    shop.webhook_secret = secrets.token_urlsafe(SECRET_BYTES)
    shop.updated_at = utcnow()
    shop.save()
    return str(shop.webhook_secret)
