"""`WooClient`: the sidecar's WooCommerce REST v3 client.

Knows HTTP and WooCommerce JSON, nothing of Flask or of the sidecar's database. Built from
method groups that share one connection (`WooBase`): orders, catalog, shop.
"""

from __future__ import annotations

from sidecar.woocommerce.catalog import Catalog
from sidecar.woocommerce.orders import Orders
from sidecar.woocommerce.shop import Shop


class WooClient(Orders, Catalog, Shop):
    """One WooCommerce shop.

    `WooClient(store_url, consumer_key, consumer_secret, *, timeout=(connect, read),
    user_agent=..., session=None)`. An https store URL authenticates with Basic auth, an
    http one with OAuth 1.0a. Every method raises a `WooError` subclass on failure; GETs are
    retried on transient errors, writes only when the shop cannot have acted on them.
    """
