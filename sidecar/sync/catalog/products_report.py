"""The products report: every SKU, where it exists, and which fields differ.

Built from the link book's snapshots, so showing it costs only the shop-settings reads that
say how prices and weights compare; `refresh=True` reads both catalogs whole first (no writes).
Plain data out: the CLI prints it, the products page renders it. Each row also names the
synced fields WooCommerce won't take for that product (a variation's name, a variable
product's price), so the owner knows why they are never written.
"""

from __future__ import annotations

from dataclasses import asdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sidecar.fortnox import FortnoxClient
from sidecar.models import Shop
from sidecar.sync.catalog.product_patch import FieldRules
from sidecar.sync.catalog.product_patch import differences
from sidecar.sync.catalog.product_patch import not_taken
from sidecar.sync.catalog.product_sync import field_rules
from sidecar.sync.catalog.refresh import ArticleReading
from sidecar.sync.catalog.refresh import default_price_list
from sidecar.sync.catalog.refresh import refresh_fortnox
from sidecar.sync.catalog.refresh import refresh_woo
from sidecar.sync.catalog.settings import ProductSettings
from sidecar.sync.catalog.snapshot import Link
from sidecar.sync.catalog.snapshot import LinkBook
from sidecar.sync.catalog.snapshot import fortnox_values
from sidecar.sync.catalog.snapshot import woo_values
from sidecar.woocommerce import WooClient
from sidecar.woocommerce.text import as_read

BOTH = "both"
ONLY_FORTNOX = "only_fortnox"
ONLY_WOO = "only_woo"


@dataclass(frozen=True)
class ReportRow:
    sku: str
    where: str  # both | only_fortnox | only_woo
    differs: tuple[str, ...]  # Woo fields that differ from what Fortnox says
    not_taken: tuple[str, ...]  # synced fields WooCommerce won't take for this product
    compared: bool  # False while a side has not been read yet (e.g. known from a webhook)
    woo_product_id: int | None
    woo_parent_id: int | None
    fortnox_article_number: str | None
    name: str


@dataclass(frozen=True)
class ProductsReport:
    rows: tuple[ReportRow, ...]
    generated_at: datetime

    def counts(self) -> dict[str, int]:
        counts = {BOTH: 0, ONLY_FORTNOX: 0, ONLY_WOO: 0, "differing": 0}
        for row in self.rows:
            counts[row.where] += 1
            counts["differing"] += bool(row.differs)
        return counts

    def as_json(self) -> dict[str, Any]:
        return {"generated_at": self.generated_at.isoformat(), "counts": self.counts(),
                "rows": [{**asdict(row), "differs": list(row.differs),
                          "not_taken": list(row.not_taken)} for row in self.rows]}


def products_report(
    shop: Shop,
    *,
    fortnox: FortnoxClient,
    woo: WooClient,
    settings: ProductSettings,
    now: datetime,
    refresh: bool = False,
) -> ProductsReport:
    rules, _ = field_rules(settings, woo)
    book = LinkBook.load(shop)
    if refresh:
        reading = ArticleReading(price_list=default_price_list(fortnox, settings.price_list),
                                 weight=settings.sync_weight, prices=settings.sync_price)
        refresh_woo(woo, book, since=None, keep_alive=lambda: None)
        refresh_fortnox(fortnox, book, since=None, reading=reading, keep_alive=lambda: None)
        book.save(now)
    rows = tuple(report_row(link, rules) for _, link in sorted(book.links.items()))
    return ProductsReport(rows=rows, generated_at=now)


def report_row(link: Link, rules: FieldRules) -> ReportRow:
    where = BOTH if link.matched else ONLY_FORTNOX if link.fortnox_number else ONLY_WOO
    compared = link.matched and link.woo is not None and link.fortnox is not None
    differs: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    if compared and link.woo is not None and link.fortnox is not None:
        fortnox, woo = fortnox_values(link.fortnox), woo_values(link.woo)
        differs = tuple(differences(fortnox, woo, rules))
        refused = not_taken(fortnox, woo.type, rules)
    # WooCommerce keeps names HTML-escaped ("Kaffe &amp; Co"); the page shows them as read.
    name = as_read(str((link.woo or {}).get("name") or "")) or (
        link.fortnox or {}).get("description") or ""
    return ReportRow(sku=link.sku, where=where, differs=differs, not_taken=refused,
                     compared=compared,
                     woo_product_id=link.woo_id, woo_parent_id=link.woo_parent_id,
                     fortnox_article_number=link.fortnox_number, name=str(name))
