"""The products report's actions: make the missing side of a SKU from the side that has it.

- `create_woo_product`: a simple WooCommerce product from a Fortnox article (name, price in
  the shop's VAT convention, weight, tax class, stock for stock articles). It is created as a
  draft: the owner adds pictures and text before it is sold.
- `create_fortnox_article`: a Fortnox article from a WooCommerce product or variation, with
  its price (excluding VAT) in the owner's price list.

Both refuse when the SKU already exists on the other side, and return plain data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from dataclasses import replace
from datetime import datetime
from decimal import ROUND_HALF_UP
from decimal import Decimal
from typing import Any

from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxNotFound
from sidecar.fortnox.wire import to_decimal
from sidecar.models import Shop
from sidecar.sync.catalog.product_patch import GRAMS_PER_UNIT
from sidecar.sync.catalog.product_patch import ORE
from sidecar.sync.catalog.product_patch import desired_fields
from sidecar.sync.catalog.product_sync import field_rules
from sidecar.sync.catalog.refresh import default_price_list
from sidecar.sync.catalog.settings import ProductSettings
from sidecar.sync.catalog.snapshot import LinkBook
from sidecar.sync.catalog.snapshot import fortnox_values_from_article
from sidecar.sync.catalog.snapshot import woo_values_from_json
from sidecar.woocommerce import WooClient
from sidecar.woocommerce.text import as_read

# The characters Fortnox accepts in an article number.
ARTICLE_NUMBER = re.compile(r"^[0-9A-Za-zÅÄÖåäö_+/.\-–]{1,50}$")


class CreateRefused(Exception):
    """The SKU can't be created on that side; the message says why, for the owner."""


@dataclass(frozen=True)
class Created:
    sku: str
    system: str  # woocommerce | fortnox
    identifier: str  # the Woo product id or the Fortnox article number
    fields: dict[str, Any]


def create_woo_product(shop: Shop, sku: str, *, fortnox: FortnoxClient, woo: WooClient,
                       settings: ProductSettings, now: datetime) -> Created:
    if woo.find_by_sku(sku) is not None:
        raise CreateRefused(f"WooCommerce already has a product with SKU {sku}")
    try:
        article = fortnox.get_article(sku)
    except FortnoxNotFound:
        raise CreateRefused(f"Fortnox has no article {sku}") from None
    price_list = default_price_list(fortnox, settings.price_list)
    price = to_decimal(article.get("SalesPrice"))
    if price_list is not None:
        try:
            price = to_decimal(fortnox.get_price(price_list, sku, 0).get("Price"))
        except FortnoxNotFound:
            price = None
    values = fortnox_values_from_article(article, price=price,
                                         weight_grams=to_decimal(article.get("Weight")))
    rules, _ = field_rules(settings, woo)
    every_field = replace(rules, name=True, price=True, weight=True, tax_class=True)
    body: dict[str, Any] = {"sku": sku, "type": "simple", "status": "draft",
                            **desired_fields(values, "simple", every_field)}
    body.setdefault("name", sku)
    if article.get("StockGoods") is True:
        body.update(manage_stock=True, stock_quantity=max(0, int(values.available)))
    product = woo.create_product(body)
    book = LinkBook.load(shop, [sku])
    book.set_woo(sku, int(product["id"]), None, woo_values_from_json(product))
    book.set_fortnox(sku, sku, values)
    book.save(now)
    return Created(sku, "woocommerce", str(product["id"]), body)


def create_fortnox_article(shop: Shop, sku: str, *, fortnox: FortnoxClient, woo: WooClient,
                           settings: ProductSettings, now: datetime) -> Created:
    if not ARTICLE_NUMBER.match(sku):
        raise CreateRefused(f"{sku!r} can't be a Fortnox article number: use at most 50 "
                            "letters, digits and - + / . _")
    try:
        fortnox.get_article(sku)
        raise CreateRefused(f"Fortnox already has an article {sku}")
    except FortnoxNotFound:
        pass
    found = woo.find_by_sku(sku)
    if found is None:
        raise CreateRefused(f"WooCommerce has no product with SKU {sku}")
    shop_facts = woo.shop_settings()
    vat = _vat_of(str(found.data.get("tax_class") or ""), settings)
    article: dict[str, Any] = {"ArticleNumber": sku,
                               # WooCommerce keeps names HTML-escaped; Fortnox gets the text.
                               "Description": as_read(str(found.data.get("name") or sku))[:200],
                               "WebshopArticle": True,
                               "StockGoods": found.data.get("manage_stock") is True}
    if vat is not None:
        article["VAT"] = vat
    weight = to_decimal(found.data.get("weight"))
    if weight and shop_facts.weight_unit in GRAMS_PER_UNIT:
        article["Weight"] = int((weight * GRAMS_PER_UNIT[shop_facts.weight_unit])
                                .quantize(Decimal(1), ROUND_HALF_UP))
    created = fortnox.create_article(article)
    price = to_decimal(found.data.get("regular_price"))
    net_price: Decimal | None = None
    if price:
        if shop_facts.prices_include_tax:
            price = price / (1 + (vat or Decimal(0)) / 100)  # price lists exclude VAT
        net_price = price.quantize(ORE, ROUND_HALF_UP)
        _set_price(fortnox, settings.price_list or _default_list(fortnox), sku, net_price)
    book = LinkBook.load(shop, [sku])
    book.set_woo(sku, found.id, found.parent_id, woo_values_from_json(found.data))
    book.set_fortnox(sku, sku, fortnox_values_from_article(
        created, price=net_price, weight_grams=to_decimal(article.get("Weight"))))
    book.save(now)
    fields = {**article, "Price": str(net_price)} if net_price is not None else article
    return Created(sku, "fortnox", sku, fields)


def _vat_of(tax_class: str, settings: ProductSettings) -> Decimal | None:
    slug = "" if tax_class in ("standard", "parent") else tax_class
    for vat, mapped in settings.tax_class_by_vat.items():
        if mapped == slug:
            return vat
    return None


def _default_list(fortnox: FortnoxClient) -> str:
    for price_list in fortnox.list_price_lists():
        if price_list.get("PreSelected"):
            return str(price_list["Code"])
    return "A"


def _set_price(fortnox: FortnoxClient, price_list: str, sku: str, price: Decimal) -> None:
    try:
        fortnox.update_price(price_list, sku, price, 0)
    except FortnoxNotFound:
        fortnox.create_price(price_list, sku, price, 0)
