"""Product data and stock, Fortnox → WooCommerce, for the articles Fortnox says changed.

The entry point of the change feed (`sidecar.jobs.feed_events`): the same comparisons and the
same batched writes as the polling jobs (`product_sync`, `stock_sync`), on the SKUs named
instead of on what a list since the cursor returns. Only SKUs both systems have are looked at,
so a change to an article the shop does not sell costs no call at all. Fortnox is read in
batches:

- stock from Fortnox Lager: one stock-balance call for up to 100 articles;
- an article's own quantity, name, price and tax class: one article list (`lastmodified` from
  the oldest change, less a margin) for several articles, one article read for a single one;
- with the weight toggle on, the changed article is read whole (the list lacks the weight), as
  the polling job does.

Differences are written as the polling jobs write them, compared with the stored snapshots
(product webhooks keep the shop's side fresh). The polling jobs' cursors are left alone: they
stay the safety net and read the same window again at their next run, finding nothing to write.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import datetime
from datetime import timedelta
from typing import Any

from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxNotFound
from sidecar.fortnox.wire import to_decimal
from sidecar.models import Shop
from sidecar.sync.catalog.product_patch import FortnoxValues
from sidecar.sync.catalog.product_sync import ProductSyncResult
from sidecar.sync.catalog.product_sync import apply_writes
from sidecar.sync.catalog.product_sync import field_rules
from sidecar.sync.catalog.product_sync import plan_writes
from sidecar.sync.catalog.product_sync import tell_owner
from sidecar.sync.catalog.refresh import default_price_list
from sidecar.sync.catalog.refresh import list_price
from sidecar.sync.catalog.settings import ProductSettings
from sidecar.sync.catalog.settings import StockSettings
from sidecar.sync.catalog.snapshot import LinkBook
from sidecar.sync.catalog.snapshot import fortnox_values
from sidecar.sync.catalog.snapshot import fortnox_values_from_article
from sidecar.sync.catalog.stock_sync import StockSyncResult
from sidecar.sync.catalog.stock_sync import candidates
from sidecar.sync.catalog.stock_sync import quantities_of
from sidecar.sync.catalog.stock_sync import stock_writes
from sidecar.sync.catalog.woo_writes import WooWrite
from sidecar.woocommerce import WooClient

log = logging.getLogger(__name__)

# Fortnox's lastmodified has minute precision in Swedish local time: a list from the oldest
# change less this margin holds every article changed since.
LIST_MARGIN = timedelta(minutes=2)
# A replay of older changes reads each article, not a long list of everything since.
LIST_WINDOW = timedelta(hours=1)


@dataclass
class CatalogChangeResult:
    """What one batch of changed articles did (the counts of both polling jobs, together)."""

    compared: int = 0
    written: int = 0
    not_managed: int = 0
    other_location: int = 0
    not_in_shop: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    woo_write_requests: int = 0

    def counts(self) -> dict[str, int]:
        return {"compared": self.compared, "written": self.written,
                "not_in_shop": self.not_in_shop, "failed": len(self.errors),
                "woo_write_requests": self.woo_write_requests}


def sync_catalog_changes(
    shop: Shop,
    *,
    fortnox: FortnoxClient,
    woo: WooClient,
    products: ProductSettings | None,
    stock: StockSettings | None,
    articles: Mapping[str, datetime | None],
    stock_items: Mapping[str, datetime | None],
    now: datetime,
) -> CatalogChangeResult:
    """Bring over what changed: `articles` (the article card or its price) and `stock_items`
    (stock balances), each article number with the time Fortnox reported the change.
    `products` / `stock` None: that sync is off for the shop."""
    result = CatalogChangeResult()
    stock = stock if stock is not None and stock.sync else None
    changed = {**stock_items, **articles}
    book = LinkBook.load(shop, changed)
    in_both = {sku for sku in changed if _in_shop(book, sku)}
    result.not_in_shop = len(changed) - len(in_both)
    product_skus = {sku for sku in in_both if sku in articles} if products else set()
    stock_skus = set(in_both) if stock else set()
    if not product_skus and not stock_skus:
        return result
    rules, problems = field_rules(products, woo) if products and product_skus else (None, [])
    whole = product_skus if products and products.sync_weight else set()
    listed = (product_skus | (stock_skus if stock and stock.source == "article" else set()))
    read = read_articles(fortnox, {sku: changed[sku] for sku in listed}, whole=whole, now=now)
    price_list = (default_price_list(fortnox, products.price_list)
                  if products and product_skus else None)
    for sku, article in read.items():
        link = book.get(sku)
        old = fortnox_values(link.fortnox) if link and link.fortnox else None
        if sku in product_skus and products is not None:
            values = _product_values(fortnox, sku, article, old, products, price_list)
        else:
            values = _stock_values(article, old)
        book.set_fortnox(sku, sku, values)
    product_result = ProductSyncResult(full=False)
    writes = plan_writes(book, product_skus & set(read), rules, product_result) if rules else []
    if stock is not None:
        stock_result = StockSyncResult(full=False)
        chosen = candidates(book, stock_skus, stock, stock_result)
        writes = _merged(writes + stock_writes(book, chosen, quantities_of(
            fortnox, chosen, stock)))
        result.not_managed, result.other_location = (stock_result.not_managed,
                                                    stock_result.other_location)
    result.compared = len(product_skus & set(read)) + len(stock_skus)
    apply_writes(shop, woo, book, writes, result, now=now, cursors=())
    tell_owner(shop, "products" if product_skus else "stock", result.errors, problems)
    log.info("catalog.changes_synced shop=%s %s", shop.id, result.counts())
    return result


def read_articles(fortnox: FortnoxClient, changed: Mapping[str, datetime | None], *,
                  whole: set[str], now: datetime) -> dict[str, dict[str, Any]]:
    """The changed articles: those in `whole` read one by one (the weight is not in the list),
    the others from one list since the oldest change when there are several, recent ones."""
    found: dict[str, dict[str, Any]] = {}
    rest = {sku: at for sku, at in changed.items() if sku not in whole}
    times = [at for at in rest.values() if at is not None]
    if len(rest) > 1 and len(times) == len(rest) and now - min(times) <= LIST_WINDOW:
        for article in fortnox.iter_articles(modified_since=min(times) - LIST_MARGIN):
            number = str(article.get("ArticleNumber") or "")
            if number in rest:
                found[number] = article
    for sku in sorted(set(changed) - set(found)):
        try:
            found[sku] = fortnox.get_article(sku)
        except FortnoxNotFound:
            log.info("catalog.changed_article_gone sku=%s", sku)  # deleted: the full compare
    return found


def _product_values(fortnox: FortnoxClient, sku: str, article: dict[str, Any],
                    old: FortnoxValues | None, settings: ProductSettings,
                    price_list: str | None) -> FortnoxValues:
    listed = fortnox_values_from_article(article, price=None, weight_grams=None)
    if price_list is None:
        price = to_decimal(article.get("SalesPrice"))
    elif settings.sync_price:
        price = list_price(fortnox, price_list, sku)
    else:
        price = old.price if old else None
    if "Weight" in article:  # read whole
        weight = to_decimal(article.get("Weight"))
    else:
        weight = old.weight_grams if old else None
    return replace(listed, price=price, weight_grams=weight)


def _stock_values(article: dict[str, Any], old: FortnoxValues | None) -> FortnoxValues:
    """The stock sync's reading: the quantities and stock place; price and weight kept."""
    listed = fortnox_values_from_article(article, price=None, weight_grams=None)
    return replace(listed, price=old.price if old else None,
                   weight_grams=old.weight_grams if old else None)


def _in_shop(book: LinkBook, sku: str) -> bool:
    """The shop has the SKU (an article new to the link book is matched once it is read)."""
    link = book.get(sku)
    return link is not None and link.woo_id is not None and link.woo is not None


def _merged(writes: Iterable[WooWrite]) -> list[WooWrite]:
    """One write per product: the product sync's fields and the stock quantity together."""
    by_sku: dict[str, WooWrite] = {}
    for write in writes:
        earlier = by_sku.get(write.sku)
        by_sku[write.sku] = write if earlier is None else replace(
            earlier, patch={**earlier.patch, **write.patch})
    return list(by_sku.values())
