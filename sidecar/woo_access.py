"""The WooCommerce client for a shop, and our writes to it remembered so their echo is no work."""

from __future__ import annotations

from typing import Any

from sidecar.models import Shop
from sidecar.webhooks.intake import remember_own_write
from sidecar.woocommerce import WooClient
from sidecar.woocommerce.errors import WooError


class WooNotConfigured(WooError):
    """The shop has no store URL or REST keys yet: the owner must enter them on the settings
    page."""


def woo_client_for(shop: Shop, **client_options: Any) -> WooClient:
    if not shop.woo_url or not shop.woo_consumer_key or not shop.woo_consumer_secret:
        raise WooNotConfigured(
            "WooCommerce is not connected: enter the store URL and REST API keys in Settings")
    return WooClient(shop.woo_url, shop.woo_consumer_key, shop.woo_consumer_secret,
                     **client_options)


def remember_order_write(shop: Shop, order: dict[str, Any]) -> None:
    """Call with the order WooCommerce returned after our write: the `order.updated` delivery
    that write triggers then carries a version the inbox already has."""
    if order.get("id") and order.get("date_modified_gmt"):
        remember_own_write(shop, "order", int(order["id"]), str(order["date_modified_gmt"]))
