"""Read each side's catalog into the link book: everything, or what changed since a moment.

WooCommerce: products by `modified_after` (variations through their parents); a full walk also
forgets SKUs that left the shop. Fortnox: articles by `lastmodified`. The article list lacks
the weight, so with the weight toggle on an article is read whole when it changed (always in
an incremental run; in a full one only if its list data differs from the snapshot). A price
from a price list other than the company's default costs one call per article: the list item
only carries the default list's `SalesPrice`, and a price change in another list does not
mark the article as changed — only a full comparison sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from itertools import islice
from typing import Any

from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxNotFound
from sidecar.fortnox.wire import to_decimal
from sidecar.sync.catalog.product_patch import FortnoxValues
from sidecar.sync.catalog.snapshot import LinkBook
from sidecar.sync.catalog.snapshot import fortnox_values
from sidecar.sync.catalog.snapshot import fortnox_values_from_article
from sidecar.sync.catalog.snapshot import woo_values_from_json
from sidecar.woocommerce import WooClient

PAGE = 500  # items handled (and links loaded) at a time

KeepAlive = Callable[[], None]


@dataclass(frozen=True)
class ArticleReading:
    """What to read from Fortnox beyond the article list."""

    price_list: str | None = None  # None: the default list's SalesPrice from the list item
    weight: bool = False
    prices: bool = False  # read prices of a non-default list (else keep the stored ones)
    stock_only: bool = False  # the stock sync: keep the stored price and weight as they are


def default_price_list(fortnox: FortnoxClient, chosen: str) -> str | None:
    """None when the owner's list is the company's default (its price is in the list item)."""
    if not chosen:
        return None
    for price_list in fortnox.list_price_lists():
        if price_list.get("PreSelected") and price_list.get("Code") == chosen:
            return None
    return chosen


def refresh_woo(woo: WooClient, book: LinkBook, *, since: datetime | None,
                keep_alive: KeepAlive) -> set[str]:
    """SKUs seen in the shop (all of them when `since` is None)."""
    seen: set[str] = set()
    for page in _pages(woo.iter_products(modified_after=since), PAGE):
        found: list[tuple[dict[str, Any], int | None]] = []
        for product in page:
            found.append((product, None))
            if product.get("type") == "variable":
                parent = int(product["id"])
                found.extend((v, parent) for v in woo.iter_variations(parent,
                                                                      modified_after=since))
        found = [(p, parent) for p, parent in found if _sku(p)]
        book.include(_sku(p) for p, _ in found)
        for product, parent in found:
            # A product without SKU can't be matched; the report counts only SKUs.
            seen.add(_sku(product))
            book.set_woo(_sku(product), int(product["id"]), parent,
                         woo_values_from_json(product), read=True)
        keep_alive()
    if since is None:
        book.forget_woo_except(seen)
    return seen


def _sku(product: dict[str, Any]) -> str:
    return str(product.get("sku") or "").strip()[:100]


def refresh_fortnox(fortnox: FortnoxClient, book: LinkBook, *, since: datetime | None,
                    reading: ArticleReading, keep_alive: KeepAlive) -> set[str]:
    """Article numbers Fortnox listed (all of them when `since` is None)."""
    seen: set[str] = set()
    for page in _pages(fortnox.iter_articles(modified_since=since), PAGE):
        numbers = [str(a.get("ArticleNumber") or "") for a in page]
        book.include(n for n in numbers if n)
        for number, article in zip(numbers, page, strict=True):
            if not number:
                continue
            seen.add(number)
            link = book.get(number)
            old = fortnox_values(link.fortnox) if link and link.fortnox else None
            values = _read_article(fortnox, number, article, old, reading,
                                   changed=since is not None)
            book.set_fortnox(number, number, values)
        keep_alive()
    if since is None:
        book.forget_fortnox_except(seen)
    return seen


def _read_article(fortnox: FortnoxClient, number: str, article: dict[str, Any],
                  old: FortnoxValues | None, reading: ArticleReading,
                  *, changed: bool) -> FortnoxValues:
    listed = fortnox_values_from_article(article, price=None, weight_grams=None)
    if reading.stock_only:
        return replace(listed, price=old.price if old else None,
                       weight_grams=old.weight_grams if old else None)
    if reading.price_list is None:
        price = to_decimal(article.get("SalesPrice"))
    elif reading.prices:
        price = list_price(fortnox, reading.price_list, number)
    else:
        price = old.price if old else None
    weight = old.weight_grams if old else None
    if reading.weight and (changed or old is None or old.weight_grams is None
                           or _identity(old) != _identity(listed)):
        weight = to_decimal(fortnox.get_article(number).get("Weight"))
    return replace(listed, price=price, weight_grams=weight)


def _identity(values: FortnoxValues) -> tuple[str, Decimal | None, str]:
    # Edits to the article card show here; stock movements alone don't warrant a re-read.
    return values.description, values.vat, values.stock_place


def list_price(fortnox: FortnoxClient, price_list: str, number: str) -> Decimal | None:
    try:
        return to_decimal(fortnox.get_price(price_list, number, 0).get("Price"))
    except FortnoxNotFound:
        return None  # no price in that list: left as it is in the shop


def _pages(items: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(items)
    while page := list(islice(iterator, size)):
        yield page
