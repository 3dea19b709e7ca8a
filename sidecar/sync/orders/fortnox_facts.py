"""What the mapping needs to know of the Fortnox company: its articles, and whether it runs
Fortnox Lager. These reads are side calls, not the order's own: none of them stops the order.

- **Articles** are kept per process, as a snapshot of the register listed at most every
  `MAX_AGE`. An order naming a SKU the snapshot lacks asks Fortnox for that one article (an
  article created minutes ago is found; one that is missing is not asked for again within
  `MISSING_RECHECK_AFTER`). A snapshot that cannot be refreshed is used as it is.
- **Fortnox Lager** is asked once a day (`LAGER_FRESH_FOR`), and again after the owner saves
  the stock settings (`sidecar.checks.ask`). A 404 or 403 means Lager is not available: orders
  are sent without warehouse fields, and the settings page says so. A timeout or 5xx keeps the
  last answer; with none, the order waits for the next try (`SideCallFailed`), counted by no
  one, and the hint names the Lager check.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta

from sidecar import checks
from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxError
from sidecar.fortnox import FortnoxNotFound
from sidecar.fortnox import FortnoxPermissionDenied
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import Shop
from sidecar.models import ShopCheck
from sidecar.sync.failures import PASSING
from sidecar.sync.failures import Failure
from sidecar.sync.failures import SideCall
from sidecar.sync.failures import classify
from sidecar.sync.orders.export_errors import SideCallFailed
from sidecar.sync.orders.lines import ArticleFacts
from sidecar.sync.orders.lines import valid_article_number

MAX_AGE = 600.0
MISSING_RECHECK_AFTER = 60.0
LAGER_FRESH_FOR = timedelta(days=1)
ARTICLE_NOT_FOUND = 2000428  # Fortnox's "Kan inte hitta artikeln"
LAGER_CALL = SideCall("warehouse")
ARTICLES_CALL = SideCall("articles")


@dataclass
class FortnoxFacts:
    articles: dict[str, ArticleFacts]
    warehouse_active: bool
    loaded_at: float


@dataclass
class _Snapshot:
    articles: dict[str, ArticleFacts]
    loaded_at: float
    missing: dict[str, float] = field(default_factory=dict)  # SKU -> when Fortnox said 404


class FortnoxFactsCache:
    """One per process; `facts(shop, fortnox, skus, now)` loads or reuses."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._by_shop: dict[int, _Snapshot] = {}
        self._lock = threading.Lock()
        self._shop_locks: dict[int, threading.Lock] = {}

    def facts(self, shop: Shop, fortnox: FortnoxClient, skus: Iterable[str], *,
              now: datetime) -> FortnoxFacts:
        """The articles the order names, and Lager's answer. Raises SideCallFailed when a read
        failed for a passing reason and nothing earlier can stand in for it."""
        with self._lock_of(shop.id):
            snapshot = self._articles(shop.id, fortnox, now)
            for sku in dict.fromkeys(s for s in skus if s):
                if sku not in snapshot.articles:
                    self._look_up(snapshot, fortnox, sku, now)
            active = warehouse_active(shop, fortnox, now)
        return FortnoxFacts(dict(snapshot.articles), active, snapshot.loaded_at)

    def _articles(self, shop_id: int, fortnox: FortnoxClient, now: datetime) -> _Snapshot:
        known = self._by_shop.get(shop_id)
        clock = self._clock()
        if known is not None and clock - known.loaded_at < MAX_AGE:
            return known
        try:
            loaded = _Snapshot(load_articles(fortnox), clock)
        except FortnoxError as exc:
            failure = classify(exc, call=ARTICLES_CALL)
            if known is not None and failure.kind == PASSING:
                return known  # a snapshot minutes old is as good as any for one more order
            raise SideCallFailed(failure, now + checks.FIRST_RETRY) from exc
        self._by_shop[shop_id] = loaded
        return loaded

    def _look_up(self, snapshot: _Snapshot, fortnox: FortnoxClient, sku: str,
                 now: datetime) -> None:
        """A SKU the snapshot lacks: Fortnox is asked for that article, at most once a minute."""
        clock = self._clock()
        if not valid_article_number(sku):
            return  # Fortnox could not have it
        said_missing = snapshot.missing.get(sku)
        if said_missing is not None and clock - said_missing < MISSING_RECHECK_AFTER:
            return
        try:
            article = fortnox.get_article(sku)
        except FortnoxError as exc:
            if isinstance(exc, FortnoxNotFound) or exc.code == ARTICLE_NOT_FOUND:
                snapshot.missing[sku] = clock
                return
            raise SideCallFailed(classify(exc, call=SideCall("article", sku)),
                                 now + checks.FIRST_RETRY) from exc
        number = str(article.get("ArticleNumber") or sku)
        snapshot.articles[number] = ArticleFacts(number)
        snapshot.missing.pop(sku, None)

    def add_article(self, shop_id: int, article: ArticleFacts) -> None:
        with self._lock:
            known = self._by_shop.get(shop_id)
        if known is not None:
            known.articles[article.article_number] = article
            known.missing.pop(article.article_number, None)

    def forget(self, shop_id: int) -> None:
        with self._lock:
            self._by_shop.pop(shop_id, None)

    def _lock_of(self, shop_id: int) -> threading.Lock:
        with self._lock:
            return self._shop_locks.setdefault(shop_id, threading.Lock())


def load_articles(fortnox: FortnoxClient) -> dict[str, ArticleFacts]:
    # The list items carry no StockGoods/Type, so rows name no stock point of their own and
    # Fortnox Lager uses the order's (or its default) stock point.
    return {str(a["ArticleNumber"]): ArticleFacts(str(a["ArticleNumber"]))
            for a in fortnox.iter_articles() if a.get("ArticleNumber")}


def warehouse_active(shop: Shop, fortnox: FortnoxClient, now: datetime) -> bool:
    """Whether orders carry Fortnox Lager's fields: the stored answer while it is fresh, else
    Fortnox is asked (see the module's docstring)."""
    row = checks.get(shop, checks.LAGER)
    known = lager_answer(row)
    if known is not None and not checks.is_due(row, now):
        return known
    if row is not None and row.state == checks.FAILING and row.next_at and row.next_at > now:
        if known is not None:
            return known
        problem, cause = checks.failure_message(row)
        raise SideCallFailed(_stored_failure(problem, cause), row.next_at)
    try:
        activated = fortnox.warehouse_activated()
        answer = "activated" if activated else "not_activated"
    except (FortnoxNotFound, FortnoxPermissionDenied) as exc:
        activated, answer = False, f"HTTP {exc.status}" if exc.status else type(exc).__name__
    except FortnoxError as exc:
        failure = classify(exc, call=LAGER_CALL)
        if failure.kind != PASSING:
            raise SideCallFailed(failure, None) from exc
        row = checks.failed(shop, checks.LAGER, problem=failure.problem, cause=failure.cause,
                            now=now)
        if known is not None:
            return known
        raise SideCallFailed(failure, row.next_at) from exc
    checks.answered(shop, checks.LAGER, value={"activated": activated, "answer": answer},
                    now=now, next_at=now + LAGER_FRESH_FOR)
    return activated


def lager_answer(row: ShopCheck | None) -> bool | None:
    """Fortnox Lager's last answer: on, off (not activated, or not available), or None."""
    value = checks.result(row)
    activated = (value or {}).get("activated")
    return activated if isinstance(activated, bool) else None


def _stored_failure(problem: Message | None, cause: str) -> Failure:
    """The Lager check's last failure, for an order that comes while it backs off."""
    words = LAGER_CALL.words()
    return Failure(PASSING, problem or msg("side_call.failed", call=words,
                                           reason=msg("fortnox.no_proper_answer", error="")),
                   msg("hint.side_call_retry", call=words),
                   cause or f"fortnox.no_proper_answer@{LAGER_CALL.name}")
