"""The order's products, fees and shipping as document rows, each with its account and VAT.

A product row names the Fortnox article when the SKU is one (the caller says which are); other
SKUs follow the owner's policy: a text row, an article to create first, or a stop with the reason.
Shipping goes in Fortnox's `Freight` field only where that is exact — a Swedish sale whose
shipping carries 25 % — because Fortnox taxes Freight at 25 % whatever WooCommerce charged
(peers.md §5: shipping taxed at 12/6/0 % lost its rate this way); otherwise it is a row with its
own VAT.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.sync.orders.accounts import AccountDecision
from sidecar.sync.orders.accounts import choose_account
from sidecar.sync.orders.fortnox_text import ARTICLE_DESCRIPTION_LIMIT
from sidecar.sync.orders.fortnox_text import ARTICLE_NUMBER_LIMIT
from sidecar.sync.orders.fortnox_text import ROW_DESCRIPTION_LIMIT
from sidecar.sync.orders.fortnox_text import fit
from sidecar.sync.orders.rows import ZERO
from sidecar.sync.orders.rows import RowDraft
from sidecar.sync.orders.rows import amounts
from sidecar.sync.orders.rows import line_rate
from sidecar.sync.orders.rows import priced
from sidecar.sync.orders.rows import split_by_rate
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import Charge
from sidecar.sync.orders.woo_order import OrderNotMappable
from sidecar.sync.orders.woo_order import WooOrder

# Characters Fortnox allows in an article number (fortnox-api.md §5.4).
ARTICLE_NUMBER = re.compile(r"^[0-9A-Za-zÅÄÖåäö_+/.\-–]+$")


@dataclass(frozen=True)
class ArticleFacts:
    """What the caller knows of a Fortnox article."""

    article_number: str
    is_stock: bool = False
    is_service: bool = False


@dataclass(frozen=True)
class ProductFacts:
    """What the caller knows of a WooCommerce product (the order payload lacks these)."""

    product_id: int
    categories: tuple[str, ...] = ()
    virtual: bool = False


@dataclass(frozen=True)
class Lines:
    rows: tuple[RowDraft, ...]
    freight: Decimal
    articles_to_create: tuple[dict[str, Any], ...]
    warnings: tuple[str | Message, ...]  # for the dry run


def valid_article_number(sku: str) -> bool:
    return 0 < len(sku) <= ARTICLE_NUMBER_LIMIT and ARTICLE_NUMBER.match(sku) is not None


def build_rows(order: WooOrder, settings: ExportSettings, articles: Mapping[str, ArticleFacts],
               products: Mapping[int, ProductFacts], *, market: str, vat_included: bool,
               gift_cards: frozenset[int] = frozenset()) -> Lines:
    rows: list[RowDraft] = []
    to_create: list[dict[str, Any]] = []
    warnings: list[str | Message] = []
    for item in order.items:
        if item.line_id in gift_cards:
            rows.append(_gift_card_row(item, settings, warnings))
            continue
        row, article = _item_row(item, settings, articles, products, market, vat_included,
                                 warnings)
        rows.append(row)
        if article is not None and article not in to_create:
            to_create.append(article)
    for fee in order.fees:
        rows.extend(_charge_rows(fee, settings, market, vat_included, "fee"))
    freight = ZERO
    if _freight_possible(order, settings, market, vat_included, warnings):
        freight = sum((amounts(s, vat_included)[1] for s in order.shipping_lines), ZERO)
    else:
        for line in order.shipping_lines:
            rows.extend(_charge_rows(line, settings, market, vat_included, "shipping"))
    return Lines(tuple(rows), freight, tuple(to_create), tuple(warnings))


def _item_row(item: Charge, settings: ExportSettings, articles: Mapping[str, ArticleFacts],
              products: Mapping[int, ProductFacts], market: str, vat_included: bool,
              warnings: list[str | Message]) -> tuple[RowDraft, dict[str, Any] | None]:
    where = msg("where.line", line=item.line_id, name=item.name)
    product = products.get(item.variation_id) or products.get(item.product_id)
    known = articles.get(item.sku) if item.sku else None
    article_number, to_create = "", None
    if known is not None:
        article_number = known.article_number
    elif settings.unknown_article == "stop":
        raise OrderNotMappable(msg("mapping.sku_not_an_article", where=where,
                                   sku=item.sku or "–"))
    elif settings.unknown_article == "create_article" and valid_article_number(item.sku):
        article_number = item.sku
        is_service = bool(product and product.virtual)
        to_create = {"ArticleNumber": item.sku,
                     "Description": fit(item.name, ARTICLE_DESCRIPTION_LIMIT).value or item.sku,
                     "Type": "SERVICE" if is_service else "STOCK"}
        warnings.append(msg("row.article_created_first", where=where, sku=item.sku))
    else:
        # A Message of its own: the dry run leaves it out when Fortnox could not be asked.
        warnings.append(msg("lines.no_sku" if not item.sku else
                            "lines.not_an_acceptable_article"
                            if settings.unknown_article == "create_article" else
                            "lines.not_an_article", where=where, sku=item.sku))
    is_service = bool((known and known.is_service) or (product and product.virtual))
    kind = "services" if is_service else "goods"
    rate, vat_reason = line_rate(item, where)
    before, after = amounts(item, vat_included)
    price, discount = priced(item.quantity, before, after, where)
    description = fit(item.name or item.sku, ROW_DESCRIPTION_LIMIT)
    if description.truncated:
        warnings.append(msg("row.description_shortened", where=where,
                            limit=ROW_DESCRIPTION_LIMIT))
    account = choose_account(settings.accounts, market=market, kind=kind, rate=rate,
                             sku=item.sku, categories=product.categories if product else ())
    row = RowDraft(source=f"item {item.line_id}", description=description.value or "Artikel",
                   quantity=item.quantity, price=price, discount=discount, vat=rate,
                   vat_reason=vat_reason, account=account, article_number=article_number,
                   stock_article=bool(known and known.is_stock))
    return row, to_create


def _gift_card_row(item: Charge, settings: ExportSettings,
                   warnings: list[str | Message]) -> RowDraft:
    """A gift card sold: what was paid for it, without VAT, on the liability account (VAT is
    due when the card is used: gift_cards.py)."""
    where = msg("where.line", line=item.line_id, name=item.name)
    paid = item.total + item.total_tax
    price, discount = priced(item.quantity, item.subtotal + item.subtotal_tax, paid, where)
    if item.total_tax:
        warnings.append(msg("row.gift_card_with_vat", where=where, vat=str(item.total_tax)))
    return RowDraft(source=f"gift card {item.line_id}",
                    description=fit(item.name or "Presentkort", ROW_DESCRIPTION_LIMIT).value
                    or "Presentkort", quantity=item.quantity, price=price, discount=discount,
                    vat=ZERO, vat_reason=msg("vat.gift_card_sold"),
                    account=AccountDecision(settings.gift_card_account,
                                            msg("account.gift_card")))


def _charge_rows(charge: Charge, settings: ExportSettings, market: str, vat_included: bool,
                 kind: str) -> list[RowDraft]:
    where = msg("where.shipping" if kind == "shipping" else "where.fee", line=charge.line_id,
                name=charge.name)
    if amounts(charge, vat_included)[1] == ZERO:
        return []  # free shipping or a zero fee books nothing
    label = "Frakt" if kind == "shipping" else "Avgift"
    description = fit(charge.name or label, ROW_DESCRIPTION_LIMIT).value or label
    rows = []
    for part in split_by_rate(charge, vat_included, where):
        price, discount = priced(Decimal(1), part.amount, part.amount)
        rows.append(RowDraft(
            source=f"{kind} {charge.line_id}", description=description, quantity=Decimal(1),
            price=price, discount=discount, vat=part.rate, vat_reason=part.reason,
            account=choose_account(settings.accounts, market=market, kind=kind, rate=part.rate)))
    return rows


def _freight_possible(order: WooOrder, settings: ExportSettings, market: str,
                      vat_included: bool, warnings: list[str | Message]) -> bool:
    if settings.shipping_as != "freight" or not order.shipping_lines:
        return False
    rates = {part.rate for line in order.shipping_lines
             for part in split_by_rate(line, vat_included, f"shipping {line.line_id}")}
    if market == "se" and rates == {Decimal(25)}:
        return True
    taxed = ", ".join(f"{r} %" for r in sorted(rates))
    warnings.append(msg("row.shipping_not_freight", rates=taxed) if market == "se" else
                    msg("row.shipping_not_freight_abroad", rates=taxed, market=market))
    return False
