"""Stock, Fortnox → WooCommerce: `stock_quantity` of matched products that manage stock.

Two sources, by the owner's choice:

- `article`: the article's own quantities (`DisposableQuantity` = available, or
  `QuantityInStock`), read incrementally by `lastmodified` like the product data.
- `warehouse`: Fortnox Lager balances summed over the chosen stock points (all when none are
  chosen). Lager balances have no `lastmodified`, so every run reads them for every matched
  SKU, 100 articles per request.

The stock location filter (`stock.location`, the article's `StockPlace`): when set, only
articles in that location sync; empty means all. Quantities are rounded down to whole items
and never below zero (an over-reserved article sells nothing). Only changed quantities are
written; a product that does not manage stock in the shop is left alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from decimal import Decimal

from sidecar.fortnox import FortnoxClient
from sidecar.models import Shop
from sidecar.sync.catalog.product_patch import FortnoxValues
from sidecar.sync.catalog.product_patch import in_location
from sidecar.sync.catalog.product_patch import shop_quantity
from sidecar.sync.catalog.product_sync import apply_writes
from sidecar.sync.catalog.product_sync import full_comparison_due
from sidecar.sync.catalog.product_sync import since_cursor
from sidecar.sync.catalog.product_sync import tell_owner
from sidecar.sync.catalog.refresh import ArticleReading
from sidecar.sync.catalog.refresh import refresh_fortnox
from sidecar.sync.catalog.refresh import refresh_woo
from sidecar.sync.catalog.settings import StockSettings
from sidecar.sync.catalog.snapshot import LinkBook
from sidecar.sync.catalog.snapshot import fortnox_values
from sidecar.sync.catalog.snapshot import woo_values
from sidecar.sync.catalog.woo_writes import WooWrite
from sidecar.woocommerce import WooClient

log = logging.getLogger(__name__)

FORTNOX_CURSOR = "stock.fortnox.lastmodified"
WOO_CURSOR = "stock.woo.modified_after"
FULL_CURSOR = "stock.full_compare_at"


@dataclass
class StockSyncResult:
    full: bool
    compared: int = 0
    written: int = 0
    not_managed: int = 0
    other_location: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    woo_write_requests: int = 0

    def counts(self) -> dict[str, int]:
        return {"full": int(self.full), "compared": self.compared, "written": self.written,
                "not_managed": self.not_managed, "other_location": self.other_location,
                "failed": len(self.errors), "woo_write_requests": self.woo_write_requests}


def warehouse_quantities(fortnox: FortnoxClient, skus: list[str],
                         settings: StockSettings) -> dict[str, Decimal]:
    """Per article, the sum over the chosen stock points; no balance there means 0."""
    totals = dict.fromkeys(skus, Decimal(0))
    for balance in fortnox.get_stock_balances(skus, stock_point_codes=settings.stock_points):
        if balance.item_id in totals:
            totals[balance.item_id] += (balance.available_stock if settings.quantity == "available"
                                        else balance.in_stock)
    return totals


def sync_stock(
    shop: Shop,
    *,
    fortnox: FortnoxClient,
    woo: WooClient,
    settings: StockSettings,
    now: datetime,
    full: bool | None = None,
    keep_alive: Callable[[], None] = lambda: None,
) -> StockSyncResult:
    if full is None:
        full = full_comparison_due(shop, FULL_CURSOR, settings.full_compare_hours, now)
    result = StockSyncResult(full=full)
    # Lager balances can't be read "since": the warehouse source compares every matched SKU.
    every_sku = full or settings.source == "warehouse"
    book = LinkBook.load(shop) if every_sku else LinkBook(shop, [])
    woo_since = None if full else since_cursor(shop, WOO_CURSOR)
    fortnox_since = None if full else since_cursor(shop, FORTNOX_CURSOR)
    touched = refresh_woo(woo, book, since=woo_since, keep_alive=keep_alive)
    listed = refresh_fortnox(fortnox, book, since=fortnox_since,
                             reading=ArticleReading(stock_only=True), keep_alive=keep_alive)
    chosen = candidates(book, set(book.links) if every_sku else touched | listed,
                        settings, result)
    writes = stock_writes(book, chosen, quantities_of(fortnox, chosen, settings))
    apply_writes(shop, woo, book, writes, result, now=now,
                 cursors=(WOO_CURSOR, FORTNOX_CURSOR) + ((FULL_CURSOR,) if full else ()))
    tell_owner(shop, "stock", result.errors, [])
    log.info("stock.synced shop=%s %s", shop.id, result.counts())
    return result


def quantities_of(fortnox: FortnoxClient, chosen: dict[str, FortnoxValues],
                  settings: StockSettings) -> dict[str, Decimal]:
    """Per SKU, the quantity Fortnox has by the owner's stock settings."""
    if settings.source == "warehouse":
        return warehouse_quantities(fortnox, sorted(chosen), settings)
    return {sku: values.available if settings.quantity == "available" else values.in_stock
            for sku, values in chosen.items()}


def stock_writes(book: LinkBook, chosen: dict[str, FortnoxValues],
                 quantities: dict[str, Decimal]) -> list[WooWrite]:
    """A write for each SKU whose quantity in the shop differs from Fortnox's."""
    writes = []
    for sku in sorted(chosen):
        link = book.links[sku]
        wanted = shop_quantity(quantities[sku])
        if link.woo is not None and link.woo_id is not None and \
                woo_values(link.woo).stock_quantity != wanted:
            writes.append(WooWrite(sku, link.woo_id, link.woo_parent_id,
                                   {"stock_quantity": wanted}, book.read_in_woo(sku)))
    return writes


def candidates(book: LinkBook, skus: set[str], settings: StockSettings,
               result: StockSyncResult) -> dict[str, FortnoxValues]:
    """Matched SKUs that manage stock in the shop and pass the location filter."""
    chosen: dict[str, FortnoxValues] = {}
    for sku in skus:
        link = book.get(sku)
        if link is None or not link.matched or link.woo is None or link.fortnox is None:
            continue
        if not woo_values(link.woo).manage_stock:
            result.not_managed += 1
            continue
        values = fortnox_values(link.fortnox)
        if not in_location(values, settings.location):
            result.other_location += 1
            continue
        result.compared += 1
        chosen[sku] = values
    return chosen
