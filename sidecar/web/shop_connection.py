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
    if form.store_url and (parts.scheme not in ("http", "https") or not parts.hostname
                           or len(form.store_url) > 500 or origin(form.store_url)[2] == -1
                           or not form.store_url.isprintable()):
        errors["store_url"] = _("Enter the shop's address, like https://www.example.se.")
    if form.consumer_key and (not form.consumer_key.startswith("ck_")
                              or len(form.consumer_key) > 200):
        errors["consumer_key"] = _("A WooCommerce consumer key starts with ck_.")
    if form.consumer_secret and (not form.consumer_secret.startswith("cs_")
                                 or len(form.consumer_secret) > 200):
        errors["consumer_secret"] = _("A WooCommerce consumer secret starts with cs_.")
    return errors


def origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port: where credentials saved with the address go."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def save_woo(shop: Shop, form: WooForm) -> dict[str, str]:
    """Store what validates; a blank key or secret keeps the one stored, but only for the
    address it was saved with: the keys are never sent to another host. Returns the errors."""
    errors = validate_woo(form)
    moved = shop.woo_url and origin(form.store_url) != origin(shop.woo_url)
    if not errors and moved and not (form.consumer_key and form.consumer_secret):
        message = _("Enter both keys again for the new address: the saved keys are only sent "
                    "to the address they were saved for.")
        errors = {"consumer_key": message, "consumer_secret": message}
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
    """A new webhook secret; the old one stops working at once (the plugin's link and API have
    secrets of their own, sidecar.security.shop_keys)."""
    shop.webhook_secret = secrets.token_urlsafe(SECRET_BYTES)
    shop.updated_at = utcnow()
    shop.save()
    return str(shop.webhook_secret)
