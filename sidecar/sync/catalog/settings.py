"""The owner's catalog settings, Fortnox → WooCommerce: product data and stock.

Declared once with defaults and validators (they show on the settings page and are changed at
runtime); read as frozen objects with `from_values(settings.load(shop))`. Each job's frequency
and pause switch are declared by the job registry, not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from typing import Any

from sidecar.settings import SettingError
from sidecar.settings import SettingSpec
from sidecar.settings import choice
from sidecar.settings import read_values
from sidecar.settings import whole_number
from sidecar.settings import yes_no

STOCK_SOURCES = ("article", "warehouse")
STOCK_QUANTITIES = ("available", "in_stock")
VAT_RATES = ("25", "12", "6", "0")
# WooCommerce's Swedish defaults: the standard class carries 25 %.
DEFAULT_TAX_CLASSES = {"25": "", "12": "reduced-rate", "6": "super-reduced-rate",
                       "0": "zero-rate"}


def _code(max_length: int):  # type: ignore[no-untyped-def]
    def check(key: str, value: Any) -> str:
        if not isinstance(value, str) or len(value.strip()) > max_length:
            raise SettingError(key, f"must be a code of at most {max_length} characters")
        return value.strip()
    return check


def _codes(key: str, value: Any) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise SettingError(key, "must be a list of stock point codes")
    return sorted({v.strip() for v in value if v.strip()})


def _tax_classes(key: str, value: Any) -> dict[str, str]:
    """VAT rate → WooCommerce tax class slug ("" or "standard" is the standard class).

    Only the shape is checked here; whether the shop has the slugs is checked against the
    shop's own tax classes on every sync, and a missing one is reported, never written."""
    if not isinstance(value, Mapping):
        raise SettingError(key, "must map VAT rates (25, 12, 6, 0) to tax classes")
    unknown = {str(rate) for rate in value} - set(VAT_RATES)
    if unknown:
        raise SettingError(key, f"unknown VAT rates: {', '.join(sorted(unknown))}")
    if not all(isinstance(slug, str) for slug in value.values()):
        raise SettingError(key, "tax classes are given by their slug")
    return {str(rate): _slug(slug) for rate, slug in value.items()}


def _slug(slug: str) -> str:
    slug = slug.strip()
    return "" if slug == "standard" else slug


SETTINGS: dict[str, SettingSpec] = {
    "products.sync_name": SettingSpec(True, yes_no),
    "products.sync_price": SettingSpec(True, yes_no),
    "products.sync_weight": SettingSpec(True, yes_no),
    "products.sync_tax_class": SettingSpec(True, yes_no),
    "products.price_list": SettingSpec("", _code(100)),  # "" is the company's default price list
    "products.tax_class_by_vat": SettingSpec(dict(DEFAULT_TAX_CLASSES), _tax_classes),
    "products.full_compare_hours": SettingSpec(24, whole_number(1, 24 * 30)),
    "stock.sync": SettingSpec(True, yes_no),
    "stock.source": SettingSpec("article", choice(STOCK_SOURCES)),
    "stock.quantity": SettingSpec("available", choice(STOCK_QUANTITIES)),
    "stock.stock_points": SettingSpec([], _codes),  # empty: every stock point
    # empty: every article, whatever its stock location
    "stock.location": SettingSpec("", _code(100)),
    "stock.full_compare_hours": SettingSpec(24, whole_number(1, 24 * 30)),
}


@dataclass(frozen=True)
class ProductSettings:
    sync_name: bool = True
    sync_price: bool = True
    sync_weight: bool = True
    sync_tax_class: bool = True
    price_list: str = ""
    tax_class_by_vat: Mapping[Decimal, str] = field(
        default_factory=lambda: {Decimal(k): v for k, v in DEFAULT_TAX_CLASSES.items()})
    full_compare_hours: int = 24

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> ProductSettings:
        v = read_values(SETTINGS, values)
        return cls(
            sync_name=v["products.sync_name"],
            sync_price=v["products.sync_price"],
            sync_weight=v["products.sync_weight"],
            sync_tax_class=v["products.sync_tax_class"],
            price_list=v["products.price_list"],
            tax_class_by_vat={Decimal(k): s for k, s in v["products.tax_class_by_vat"].items()},
            full_compare_hours=v["products.full_compare_hours"],
        )


@dataclass(frozen=True)
class StockSettings:
    sync: bool = True
    source: str = "article"
    quantity: str = "available"
    stock_points: tuple[str, ...] = ()
    location: str = ""
    full_compare_hours: int = 24

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> StockSettings:
        v = read_values(SETTINGS, values)
        return cls(
            sync=v["stock.sync"],
            source=v["stock.source"],
            quantity=v["stock.quantity"],
            stock_points=tuple(v["stock.stock_points"]),
            location=v["stock.location"],
            full_compare_hours=v["stock.full_compare_hours"],
        )
