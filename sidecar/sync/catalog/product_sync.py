"""Product data, Fortnox → WooCommerce: name, price, weight and tax class, matched by SKU.

A run reads what changed on either side since its cursors (minus an overlap) into the link
book, compares the SKUs that exist on both sides, and writes only the fields that differ, in
batches. Every `products.full_compare_hours` the run reads both catalogs whole instead: that
catches what incremental reading can't see (a price changed in a non-default price list, an
edit in the shop, a missed window). A SKU found on one side only is counted and shown in the
products report; it is never matched to anything else.

When the owner syncs stock from the articles themselves, a run writes the stock of the SKUs it
compares too, in the same batches: a SKU whose price and stock both changed costs one write,
not two, and the stock sync that follows finds nothing left to do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta
from typing import Any

from sidecar import activity
from sidecar.fortnox import FortnoxClient
from sidecar.messages import msg
from sidecar.models import Shop
from sidecar.sync.catalog.product_patch import FieldRules
from sidecar.sync.catalog.product_patch import TaxClassProblem
from sidecar.sync.catalog.product_patch import article_quantity
from sidecar.sync.catalog.product_patch import in_location
from sidecar.sync.catalog.product_patch import product_patch
from sidecar.sync.catalog.product_patch import shop_quantity
from sidecar.sync.catalog.product_patch import valid_tax_classes
from sidecar.sync.catalog.refresh import ArticleReading
from sidecar.sync.catalog.refresh import default_price_list
from sidecar.sync.catalog.refresh import refresh_fortnox
from sidecar.sync.catalog.refresh import refresh_woo
from sidecar.sync.catalog.settings import ProductSettings
from sidecar.sync.catalog.settings import StockSettings
from sidecar.sync.catalog.snapshot import LinkBook
from sidecar.sync.catalog.snapshot import fortnox_values
from sidecar.sync.catalog.snapshot import woo_values
from sidecar.sync.catalog.snapshot import woo_values_from_json
from sidecar.sync.catalog.woo_writes import WooWrite
from sidecar.sync.catalog.woo_writes import write_to_woo
from sidecar.sync.cursors import read_cursor
from sidecar.sync.cursors import write_cursor
from sidecar.woocommerce import WooClient

log = logging.getLogger(__name__)

FORTNOX_CURSOR = "products.fortnox.lastmodified"
WOO_CURSOR = "products.woo.modified_after"
FULL_CURSOR = "products.full_compare_at"
# Fortnox's lastmodified has minute precision in Swedish local time; WooCommerce's second
# precision. Reading a few minutes twice costs little: unchanged snapshots write nothing.
OVERLAP = timedelta(minutes=5)
SHOWN_ERRORS = 20  # SKUs named in one dashboard entry; the rest are counted


@dataclass
class ProductSyncResult:
    full: bool
    compared: int = 0
    written: int = 0
    only_fortnox: int = 0
    only_woo: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    tax_class_problems: list[TaxClassProblem] = field(default_factory=list)
    woo_write_requests: int = 0

    def counts(self) -> dict[str, int]:
        return {"full": int(self.full), "compared": self.compared, "written": self.written,
                "only_fortnox": self.only_fortnox, "only_woo": self.only_woo,
                "failed": len(self.errors), "woo_write_requests": self.woo_write_requests}


def field_rules(settings: ProductSettings, woo: WooClient
                ) -> tuple[FieldRules, list[TaxClassProblem]]:
    """The toggles with the shop's facts: price entry with VAT or not, weight unit, classes."""
    shop = woo.shop_settings()
    usable, problems = valid_tax_classes(settings.tax_class_by_vat,
                                         {c.slug for c in woo.tax_classes()}
                                         if settings.sync_tax_class else set())
    rules = FieldRules(name=settings.sync_name, price=settings.sync_price,
                       weight=settings.sync_weight, tax_class=settings.sync_tax_class,
                       prices_include_tax=shop.prices_include_tax,
                       weight_unit=shop.weight_unit or "kg", tax_class_by_vat=usable)
    return rules, problems if settings.sync_tax_class else []


def full_comparison_due(shop: Shop, cursor: str, hours: int, now: datetime) -> bool:
    last = read_cursor(shop, cursor)
    return last is None or now - last >= timedelta(hours=hours)


def sync_products(
    shop: Shop,
    *,
    fortnox: FortnoxClient,
    woo: WooClient,
    settings: ProductSettings,
    now: datetime,
    full: bool | None = None,
    keep_alive: Callable[[], None] = lambda: None,
    stock: StockSettings | None = None,
) -> ProductSyncResult:
    rules, problems = field_rules(settings, woo)
    if full is None:
        full = full_comparison_due(shop, FULL_CURSOR, settings.full_compare_hours, now)
    result = ProductSyncResult(full=full, tax_class_problems=problems)
    book = LinkBook.load(shop) if full else LinkBook(shop, [])
    woo_since = None if full else since_cursor(shop, WOO_CURSOR)
    fortnox_since = None if full else since_cursor(shop, FORTNOX_CURSOR)
    reading = ArticleReading(price_list=default_price_list(fortnox, settings.price_list),
                             weight=settings.sync_weight, prices=settings.sync_price)
    touched = refresh_woo(woo, book, since=woo_since, keep_alive=keep_alive)
    listed = refresh_fortnox(fortnox, book, since=fortnox_since, reading=reading,
                             keep_alive=keep_alive)
    if not full:
        find_in_woo(woo, book, listed)
    compare = set(book.links) if full else touched | listed
    writes = plan_writes(book, compare, rules, result, stock=stock_along(stock))
    apply_writes(shop, woo, book, writes, result, now=now,
                 cursors=(WOO_CURSOR, FORTNOX_CURSOR) + ((FULL_CURSOR,) if full else ()))
    tell_owner(shop, "products", result.errors, problems)
    log.info("products.synced shop=%s %s", shop.id, result.counts())
    return result


def since_cursor(shop: Shop, name: str) -> datetime | None:
    cursor = read_cursor(shop, name)
    return cursor - OVERLAP if cursor else None


def find_in_woo(woo: WooClient, book: LinkBook, skus: set[str]) -> None:
    """A SKU new to the link book may be a product the shop already has: look it up exactly."""
    for sku in sorted(skus):
        link = book.get(sku)
        if link is not None and link.woo_id is None and link.woo is None:
            found = woo.find_by_sku(sku)
            if found is not None:
                book.set_woo(sku, found.id, found.parent_id, woo_values_from_json(found.data),
                             read=True)


def stock_along(stock: StockSettings | None) -> StockSettings | None:
    """The stock settings when stock is written along with product data: only the articles' own
    stock (Lager balances need reads of their own, done by the stock sync)."""
    return stock if stock is not None and stock.sync and stock.source == "article" else None


def plan_writes(book: LinkBook, skus: set[str], rules: FieldRules, result: ProductSyncResult,
                *, stock: StockSettings | None = None) -> list[WooWrite]:
    writes = []
    for sku in sorted(skus):
        link = book.get(sku)
        if link is None:
            continue
        if not link.matched:
            result.only_fortnox += link.fortnox_number is not None
            result.only_woo += link.woo_id is not None
            continue
        if link.woo is None or link.fortnox is None or link.woo_id is None:
            continue  # known from a webhook only; the next full comparison reads it
        result.compared += 1
        fortnox, woo = fortnox_values(link.fortnox), woo_values(link.woo)
        patch: dict[str, Any] = dict(product_patch(fortnox, woo, rules))
        if stock is not None and woo.manage_stock and in_location(fortnox, stock.location):
            wanted = shop_quantity(article_quantity(fortnox, stock.quantity))
            if wanted != woo.stock_quantity:
                patch["stock_quantity"] = wanted
        if patch:
            writes.append(WooWrite(sku, link.woo_id, link.woo_parent_id, patch,
                                   book.read_in_woo(sku)))
    return writes


def tell_owner(shop: Shop, workflow: str, errors: dict[str, str],
               problems: list[TaxClassProblem]) -> None:
    """One dashboard entry per kind of trouble, naming the SKUs: updated by every run that
    sees it again, resolved by the first run of the job that does not (sidecar.jobs.runner)."""
    about = activity.about_job(JOB_OF_WORKFLOW[workflow])
    if errors:
        named = "; ".join(f"{sku}: {why}" for sku, why in sorted(errors.items())[:SHOWN_ERRORS])
        more = len(errors) - SHOWN_ERRORS
        activity.problem(
            shop, about=about, cause=f"{workflow}.refused", level="error", workflow=workflow,
            subject=msg("subject.products_not_updated", count=len(errors)),
            message=(msg("products.refused_more", count=len(errors), named=named, more=more)
                     if more > 0 else msg("products.refused", count=len(errors), named=named)),
            hint=msg("hint.products_refused"),
            details={"errors": dict(sorted(errors.items()))})
    for problem in problems:
        activity.problem(
            shop, about=about, cause=f"{workflow}.tax_class_missing.{problem.vat}",
            level="warning", workflow=workflow,
            subject=msg("subject.no_tax_class", vat=str(problem.vat)),
            message=msg("products.tax_class_missing", vat=str(problem.vat),
                        reason=problem.reason),
            hint=msg("hint.choose_tax_class"))


# The job that runs each workflow's sync (sidecar.jobs.registry).
JOB_OF_WORKFLOW = {"products": "product_sync", "stock": "stock_sync"}


def apply_writes(shop: Shop, woo: WooClient, book: LinkBook, writes: list[WooWrite],
                 result: Any, *, now: datetime, cursors: tuple[str, ...]) -> None:
    """Write the changes, remember what WooCommerce now holds, and move the cursors on unless a
    write failed in a way the next run could fix (then it reads the same changes again)."""
    report = write_to_woo(woo, writes)
    for sku, product in report.written.items():
        link = book.links[sku]
        # A variation found under another parent than the link said was written there.
        parent = report.moved.get(sku, link.woo_parent_id)
        book.set_woo(sku, link.woo_id, parent, woo_values_from_json(product))
    book.save(now)
    result.written, result.errors = len(report.written), report.errors
    result.woo_write_requests = report.requests
    if not report.retryable_failure:
        for cursor in cursors:
            write_cursor(shop, cursor, now)
