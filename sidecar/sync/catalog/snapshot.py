"""Snapshots of each side of a SKU, and the `ProductLink` rows that keep them.

A snapshot is the few values the sync compares, stored as JSON on the link: a run compares
what changed against what it stored, so an unchanged catalog costs one list call per side.
`LinkBook` holds the links of one run in memory (plain tuples, not model instances: a full
comparison holds every SKU) and writes back only rows whose values changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sidecar.db import database
from sidecar.fortnox.schemas import ARTICLE
from sidecar.fortnox.schemas import read
from sidecar.fortnox.wire import to_decimal
from sidecar.models import ProductLink
from sidecar.models import Shop
from sidecar.sync.catalog.product_patch import FortnoxValues
from sidecar.sync.catalog.product_patch import WooValues
from sidecar.woocommerce.schemas import read_product

CHUNK = 500  # rows per IN (...) query or INSERT


def woo_values_from_json(product: Mapping[str, Any]) -> WooValues:
    """A product or variation as read from either route; a variation read through its parent's
    `/variations` route has no `type`, only its `parent_id`."""
    read_ = read_product(product)
    return WooValues(
        type=read_["type"] or ("variation" if read_["parent_id"] else "simple"),
        name=read_["name"], regular_price=read_["regular_price"], weight=read_["weight"],
        tax_class=read_["tax_class"], manage_stock=read_["manage_stock"] is True,
        stock_quantity=read_["stock_quantity"])


def fortnox_values_from_article(article: Mapping[str, Any], *, price: Decimal | None,
                                weight_grams: Decimal | None) -> FortnoxValues:
    read_ = read(ARTICLE, article, "article")
    return FortnoxValues(description=read_.description, price=price, vat=read_.vat,
                         weight_grams=weight_grams, in_stock=read_.in_stock,
                         available=read_.available, stock_place=read_.stock_place)


def to_json(values: WooValues | FortnoxValues) -> dict[str, Any]:
    return {k: str(v) if isinstance(v, Decimal) else v for k, v in asdict(values).items()}


def woo_values(snapshot: Mapping[str, Any]) -> WooValues:
    return WooValues(**snapshot)


def fortnox_values(snapshot: Mapping[str, Any]) -> FortnoxValues:
    decimals = {k: to_decimal(snapshot.get(k)) for k in
                ("price", "vat", "weight_grams", "in_stock", "available")}
    return FortnoxValues(description=snapshot["description"],
                         stock_place=snapshot["stock_place"],
                         in_stock=decimals.pop("in_stock") or Decimal(0),
                         available=decimals.pop("available") or Decimal(0), **decimals)


def digest(snapshot: Mapping[str, Any] | None) -> str:
    if snapshot is None:
        return ""
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True).encode()).hexdigest()


@dataclass(frozen=True)
class Link:
    """One SKU: where it lives on each side and the values last seen there."""

    sku: str
    id: int | None = None  # ProductLink row id; None until stored
    woo_id: int | None = None
    woo_parent_id: int | None = None
    fortnox_number: str | None = None
    woo: dict[str, Any] | None = None
    fortnox: dict[str, Any] | None = None

    @property
    def matched(self) -> bool:
        return self.woo_id is not None and self.fortnox_number is not None


class LinkBook:
    """The links of one run: read once, changed in memory, written back by `save()`."""

    def __init__(self, shop: Shop, links: Iterable[Link]) -> None:
        self.shop = shop
        self.links = {link.sku: link for link in links}
        # Which side of each link changed: a save writes only those columns, so the product
        # and the stock sync running at once don't put back each other's older values.
        self._dirty: dict[str, set[str]] = {}
        # SKUs whose WooCommerce side (and so a variation's parent) was read in this run.
        self._read_in_woo: set[str] = set()

    @classmethod
    def load(cls, shop: Shop, skus: Iterable[str] | None = None) -> LinkBook:
        columns = (ProductLink.sku, ProductLink.id, ProductLink.woo_product_id,
                   ProductLink.woo_parent_id, ProductLink.fortnox_article_number,
                   ProductLink.woo_snapshot, ProductLink.fortnox_snapshot)
        query = ProductLink.select(*columns).where(ProductLink.shop == shop)
        if skus is None:
            return cls(shop, (Link(*row) for row in query.tuples()))
        wanted = sorted(set(skus))
        rows: list[Link] = []
        for start in range(0, len(wanted), CHUNK):
            chunk = query.where(ProductLink.sku.in_(wanted[start : start + CHUNK]))
            rows.extend(Link(*row) for row in chunk.tuples())
        return cls(shop, rows)

    def get(self, sku: str) -> Link | None:
        return self.links.get(sku)

    def include(self, skus: Iterable[str]) -> None:
        """Load the links of SKUs this book does not hold yet."""
        missing = [sku for sku in skus if sku not in self.links]
        if missing:
            self.links.update(LinkBook.load(self.shop, missing).links)

    def set_woo(self, sku: str, woo_id: int | None, parent_id: int | None,
                values: WooValues | None, *, read: bool = False) -> bool:
        """`read`: WooCommerce itself said so in this run (the product listed under its parent,
        or read by id); then writes may go through that parent without checking it first."""
        if read:
            self._read_in_woo.add(sku)
        snapshot = to_json(values) if values is not None else None
        return self._change(sku, "woo", woo_id=woo_id, woo_parent_id=parent_id, woo=snapshot)

    def read_in_woo(self, sku: str) -> bool:
        return sku in self._read_in_woo

    def set_fortnox(self, sku: str, number: str | None, values: FortnoxValues | None) -> bool:
        snapshot = to_json(values) if values is not None else None
        return self._change(sku, "fortnox", fortnox_number=number, fortnox=snapshot)

    def forget_woo_except(self, seen: set[str]) -> None:
        for sku, link in list(self.links.items()):
            if link.woo_id is not None and sku not in seen:
                self.set_woo(sku, None, None, None)

    def forget_fortnox_except(self, seen: set[str]) -> None:
        for sku, link in list(self.links.items()):
            if link.fortnox_number is not None and sku not in seen:
                self.set_fortnox(sku, None, None)

    def _change(self, sku: str, side: str, **fields: Any) -> bool:
        link = self.links.get(sku) or Link(sku=sku)
        changed = replace(link, **fields)
        if changed == link:
            return False
        self.links[sku] = changed
        self._dirty.setdefault(sku, set()).add(side)
        return True

    def save(self, now: datetime) -> int:
        """Write the changed links (new rows inserted, emptied rows deleted); returns count."""
        dirty = [self.links[sku] for sku in sorted(self._dirty)]
        with database.atomic():
            new = [self._row(link, now) for link in dirty if link.id is None and _kept(link)]
            for start in range(0, len(new), CHUNK):
                ProductLink.insert_many(new[start : start + CHUNK]).on_conflict_ignore().execute()
            if new:  # later saves of this book update the rows just made
                stored = LinkBook.load(self.shop, [row["sku"] for row in new]).links
                for sku, link in stored.items():
                    self.links[sku] = replace(self.links[sku], id=link.id)
            for link in dirty:
                if link.id is None:
                    continue
                if not _kept(link):
                    ProductLink.delete().where(ProductLink.id == link.id).execute()
                else:
                    row = self._row(link, now)
                    sides = self._dirty[link.sku]
                    columns = {k: v for k, v in row.items() if _side(k) in sides | {""}}
                    ProductLink.update(**columns).where(ProductLink.id == link.id).execute()
        self._dirty.clear()
        return len(dirty)

    def _row(self, link: Link, now: datetime) -> dict[str, Any]:
        return {"shop": self.shop, "sku": link.sku, "woo_product_id": link.woo_id,
                "woo_parent_id": link.woo_parent_id,
                "fortnox_article_number": link.fortnox_number,
                "woo_snapshot": link.woo, "fortnox_snapshot": link.fortnox,
                "woo_hash": digest(link.woo), "fortnox_hash": digest(link.fortnox),
                "updated_at": now}


def _side(column: str) -> str:
    return "woo" if column.startswith("woo") else "fortnox" if column.startswith(
        "fortnox") else ""


def _kept(link: Link) -> bool:
    return link.woo_id is not None or link.fortnox_number is not None
