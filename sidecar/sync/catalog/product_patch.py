"""A Fortnox article as the WooCommerce product it should make: pure, no I/O.

Both sides are read into plain snapshots (see catalog_snapshot): `FortnoxValues` from an
article, `WooValues` from a product or variation. `product_patch` gives the Woo fields that
differ, so only products that differ are written; `differences` names them for the report.

- Price: Fortnox price lists hold prices excluding VAT; a shop that enters prices including
  VAT gets price × (1 + VAT), rounded half up to the öre. A missing or zero price is not
  written (an empty price list must not make products free).
- Weight: Fortnox keeps grams; the shop's unit is kg, g, lbs or oz. No weight is not written.
- Tax class: Fortnox's VAT rate through the owner's mapping; a rate without a valid class in
  the shop is reported (`TaxClassProblem`), never guessed.
- Names: sent so that WooCommerce keeps the text as written ("&" as "&amp;", see
  `sidecar.woocommerce.text`) and compared after decoding WooCommerce's entities, so a name
  that already reads the same is not written again. Never written to a variation: WooCommerce
  names those after their attributes and ignores a name sent for one.
- `not_taken` names the fields WooCommerce won't take for a product (a variation's name, a
  variable product's price), for the products page.
- Stock: whole items, rounded down and never below zero (`shop_quantity`), from the article's
  available or in-stock figure, for articles in the chosen stock location (`in_location`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR
from decimal import ROUND_HALF_UP
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from sidecar.woocommerce.text import for_shop
from sidecar.woocommerce.text import same_name

ORE = Decimal("0.01")
GRAMS_PER_UNIT = {"g": Decimal(1), "kg": Decimal(1000), "lbs": Decimal("453.59237"),
                  "oz": Decimal("28.349523125")}
WEIGHT_PLACES = {"g": Decimal(1), "kg": Decimal("0.001"), "lbs": Decimal("0.001"),
                 "oz": Decimal("0.01")}
PRICELESS_TYPES = ("variable", "grouped")  # WooCommerce blanks prices on these


@dataclass(frozen=True)
class FortnoxValues:
    """What the product sync reads from a Fortnox article (prices exclude VAT)."""

    description: str
    price: Decimal | None
    vat: Decimal | None
    weight_grams: Decimal | None
    in_stock: Decimal
    available: Decimal
    stock_place: str


@dataclass(frozen=True)
class WooValues:
    """What the product sync reads from (and writes to) a WooCommerce product or variation."""

    type: str
    name: str
    regular_price: str
    weight: str
    tax_class: str  # "" is the standard class
    manage_stock: bool
    stock_quantity: int | None


@dataclass(frozen=True)
class FieldRules:
    """The owner's field toggles plus the shop facts they need, valid for one run."""

    name: bool
    price: bool
    weight: bool
    tax_class: bool
    prices_include_tax: bool
    weight_unit: str
    tax_class_by_vat: Mapping[Decimal, str]  # only slugs the shop has


@dataclass(frozen=True)
class TaxClassProblem:
    vat: Decimal
    reason: str


def shop_price(price_excluding_vat: Decimal, vat: Decimal | None, *,
               prices_include_tax: bool) -> Decimal:
    if prices_include_tax:
        rate = vat if vat is not None else Decimal(0)
        return (price_excluding_vat * (1 + rate / 100)).quantize(ORE, ROUND_HALF_UP)
    return price_excluding_vat.quantize(ORE, ROUND_HALF_UP)


def shop_weight(grams: Decimal, unit: str) -> Decimal:
    if unit not in GRAMS_PER_UNIT:
        raise ValueError(f"unknown weight unit {unit!r}")
    return (grams / GRAMS_PER_UNIT[unit]).quantize(WEIGHT_PLACES[unit], ROUND_HALF_UP)


def shop_quantity(quantity: Decimal) -> int:
    """Whole items the shop may sell: rounded down, never negative."""
    return max(0, int(quantity.to_integral_value(rounding=ROUND_FLOOR)))


def in_location(values: FortnoxValues, location: str) -> bool:
    return not location or values.stock_place.strip().casefold() == location.strip().casefold()


def article_quantity(values: FortnoxValues, quantity: str) -> Decimal:
    """The article's own stock figure the owner chose: "available" or "in_stock"."""
    return values.available if quantity == "available" else values.in_stock


def valid_tax_classes(mapping: Mapping[Decimal, str], shop_slugs: set[str]
                      ) -> tuple[dict[Decimal, str], list[TaxClassProblem]]:
    """Split the owner's mapping into what can be used and what must be reported."""
    usable: dict[Decimal, str] = {}
    problems: list[TaxClassProblem] = []
    known = {"" if s == "standard" else s for s in shop_slugs} | {""}
    for vat, slug in mapping.items():
        slug = "" if slug == "standard" else slug
        if slug in known:
            usable[vat] = slug
        else:
            problems.append(TaxClassProblem(vat, f"the shop has no tax class {slug!r}"))
    return usable, problems


def desired_fields(fortnox: FortnoxValues, woo_type: str, rules: FieldRules) -> dict[str, str]:
    """The Woo fields (as WooCommerce writes them) that the Fortnox article dictates."""
    wanted: dict[str, str] = {}
    if rules.name and woo_type != "variation" and for_shop(fortnox.description):
        wanted["name"] = for_shop(fortnox.description)
    if rules.price and woo_type not in PRICELESS_TYPES and fortnox.price:
        price = shop_price(fortnox.price, fortnox.vat,
                           prices_include_tax=rules.prices_include_tax)
        wanted["regular_price"] = f"{price:.2f}"
    if rules.weight and fortnox.weight_grams:
        wanted["weight"] = _plain(shop_weight(fortnox.weight_grams, rules.weight_unit))
    if rules.tax_class and fortnox.vat is not None and fortnox.vat in rules.tax_class_by_vat:
        wanted["tax_class"] = rules.tax_class_by_vat[fortnox.vat]
    return wanted


def product_patch(fortnox: FortnoxValues, woo: WooValues, rules: FieldRules) -> dict[str, str]:
    """Only the fields whose Woo value differs from what Fortnox dictates."""
    return {key: value for key, value in desired_fields(fortnox, woo.type, rules).items()
            if not _same(key, value, woo)}


def differences(fortnox: FortnoxValues, woo: WooValues, rules: FieldRules) -> list[str]:
    return sorted(product_patch(fortnox, woo, rules))


def not_taken(fortnox: FortnoxValues, woo_type: str, rules: FieldRules) -> tuple[str, ...]:
    """Fields the owner syncs that WooCommerce won't take for this kind of product."""
    refused = []
    if rules.name and woo_type == "variation" and fortnox.description.strip():
        refused.append("name")  # named after its attributes; a name sent is ignored
    if rules.price and woo_type in PRICELESS_TYPES and fortnox.price:
        refused.append("regular_price")  # blanked on variable and grouped products
    return tuple(refused)


def apply_patch(woo: WooValues, patch: Mapping[str, Any]) -> WooValues:
    """The Woo values after a write that WooCommerce accepted as sent."""
    fields = {key: value for key, value in patch.items() if key in WooValues.__annotations__}
    return WooValues(**{**woo.__dict__, **fields})


def _same(key: str, wanted: str, woo: WooValues) -> bool:
    current = getattr(woo, key)
    if key in ("regular_price", "weight"):
        return _number(current) == _number(wanted)  # "149" and "149.00" are the same price
    if key == "tax_class":
        return ("" if current in ("standard", "parent") else current) == wanted
    if key == "name":
        return same_name(current, wanted)
    return bool(current == wanted)


def _number(text: Any) -> Decimal | None:
    try:
        return Decimal(str(text)) if text not in (None, "") else None
    except InvalidOperation:
        return None


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"
