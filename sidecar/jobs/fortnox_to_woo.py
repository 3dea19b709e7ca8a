"""The Fortnox → WooCommerce jobs: order status, product data, stock.

Each builds its clients and settings for the shop and calls the use-case function in
`sidecar.sync.status` or `sidecar.sync.catalog`; the registry declares them (frequency and
pause switch per shop). The run's lease is renewed as a long run (a first full catalog read)
goes on.
"""

from __future__ import annotations

from typing import Any

from sidecar import settings
from sidecar.config import Config
from sidecar.fortnox import FortnoxClient
from sidecar.fortnox_access import fortnox_client_for
from sidecar.fortnox_access.state import CONNECTED
from sidecar.jobs.spec import JobContext
from sidecar.models import Shop
from sidecar.sync.catalog import ProductSettings
from sidecar.sync.catalog import StockSettings
from sidecar.sync.catalog import sync_products
from sidecar.sync.catalog import sync_stock
from sidecar.sync.status import OrderStatusSettings
from sidecar.sync.status import sync_order_status
from sidecar.woo_access import WooNotConfigured
from sidecar.woo_access import woo_client_for
from sidecar.woocommerce import WooClient


def clients_for(shop: Shop, config: Config) -> tuple[FortnoxClient, WooClient] | None:
    """The shop's two clients, or None while either system is not connected (then there is
    nothing to do yet: the settings page shows what to connect)."""
    if shop.fortnox_state != CONNECTED:
        return None
    try:
        woo = woo_client_for(shop)
    except WooNotConfigured:
        return None
    return fortnox_client_for(shop, config), woo


def order_status_job(shop: Shop, ctx: JobContext) -> dict[str, Any]:
    clients = clients_for(shop, ctx.require_config())
    if clients is None:
        return {"skipped": 1}
    fortnox, woo = clients
    return sync_order_status(shop, fortnox=fortnox, woo=woo, now=ctx.now,
                             settings=OrderStatusSettings.from_values(settings.load(shop)))


def product_sync_job(shop: Shop, ctx: JobContext) -> dict[str, Any]:
    clients = clients_for(shop, ctx.require_config())
    if clients is None:
        return {"skipped": 1}
    fortnox, woo = clients
    values = settings.load(shop)
    # Stock of the SKUs it compares is written in the same batches (see sync_products).
    result = sync_products(shop, fortnox=fortnox, woo=woo, now=ctx.now, keep_alive=ctx.renew,
                           settings=ProductSettings.from_values(values),
                           stock=StockSettings.from_values(values))
    return result.counts()


def stock_sync_job(shop: Shop, ctx: JobContext) -> dict[str, Any]:
    stock = StockSettings.from_values(settings.load(shop))
    clients = clients_for(shop, ctx.require_config()) if stock.sync else None
    if clients is None:
        return {"skipped": 1}
    fortnox, woo = clients
    result = sync_stock(shop, fortnox=fortnox, woo=woo, settings=stock, now=ctx.now,
                        keep_alive=ctx.renew)
    return result.counts()

