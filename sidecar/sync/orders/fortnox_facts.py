"""What the mapping needs to know of the Fortnox company, cached per shop between orders.

Listing the article register (500 per request) and asking whether Fortnox Lager is on costs
requests; doing it per order would double an export's cost. So the facts are kept for
`MAX_AGE`, and reloaded sooner only when an order names a SKU the cache does not know (an
article created in Fortnox minutes ago), at most once per `MISSING_RELOAD_AFTER`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass

from sidecar.fortnox import FortnoxClient
from sidecar.sync.orders.lines import ArticleFacts

MAX_AGE = 600.0
MISSING_RELOAD_AFTER = 60.0


@dataclass
class FortnoxFacts:
    articles: dict[str, ArticleFacts]
    warehouse_active: bool
    loaded_at: float


class FortnoxFactsCache:
    """One per process; `facts(shop_id, fortnox, skus)` loads or reuses."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._by_shop: dict[int, FortnoxFacts] = {}
        self._lock = threading.Lock()

    def facts(self, shop_id: int, fortnox: FortnoxClient, skus: Iterable[str]) -> FortnoxFacts:
        now = self._clock()
        with self._lock:
            known = self._by_shop.get(shop_id)
        if known is not None:
            age = now - known.loaded_at
            missing = any(sku and sku not in known.articles for sku in skus)
            if age < MAX_AGE and not (missing and age >= MISSING_RELOAD_AFTER):
                return known
        loaded = FortnoxFacts(articles=load_articles(fortnox),
                              warehouse_active=fortnox.warehouse_activated(), loaded_at=now)
        with self._lock:
            self._by_shop[shop_id] = loaded
        return loaded

    def add_article(self, shop_id: int, article: ArticleFacts) -> None:
        with self._lock:
            known = self._by_shop.get(shop_id)
            if known is not None:
                known.articles[article.article_number] = article

    def forget(self, shop_id: int) -> None:
        with self._lock:
            self._by_shop.pop(shop_id, None)


def load_articles(fortnox: FortnoxClient) -> dict[str, ArticleFacts]:
    # The list items carry no StockGoods/Type, so rows name no stock point of their own and
    # Fortnox Lager uses the order's (or its default) stock point.
    return {str(a["ArticleNumber"]): ArticleFacts(str(a["ArticleNumber"]))
            for a in fortnox.iter_articles() if a.get("ArticleNumber")}
