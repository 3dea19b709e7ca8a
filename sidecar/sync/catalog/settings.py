"""The owner's catalog settings, Fortnox → WooCommerce: product data and stock.

Declared once with defaults, as a schema per section, `PRODUCTS` and `STOCK` (they show on the
settings page and are changed at runtime); read as frozen objects with
`from_values(settings.load(shop))`. Each job's frequency and pause switch are declared by the job
registry, not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError
from marshmallow import fields
from marshmallow.validate import OneOf

from sidecar.settings import Words
from sidecar.settings import choice
from sidecar.settings import declared
from sidecar.settings import read_values
from sidecar.settings import section
from sidecar.settings import whole_number
from sidecar.settings import yes_no

STOCK_SOURCES = ("article", "warehouse")
STOCK_QUANTITIES = ("available", "in_stock")
VAT_RATES = ("25", "12", "6", "0")
# WooCommerce's Swedish defaults: the standard class carries 25 %.
DEFAULT_TAX_CLASSES = {"25": "", "12": "reduced-rate", "6": "super-reduced-rate",
                       "0": "zero-rate"}


class TaxClasses(fields.Dict):
    """VAT rate → WooCommerce tax class slug ("" or "standard" is the standard class).

    Only the shape is checked here; whether the shop has the slugs is checked against the
    shop's own tax classes on every sync, and a missing one is reported, never written."""

    default_error_messages = {  # noqa: RUF012
        "invalid": "must map VAT rates (25, 12, 6, 0) to tax classes"}

    def __init__(self) -> None:
        super().__init__(
            keys=fields.Function(deserialize=str, validate=OneOf(
                VAT_RATES, error="unknown VAT rates: {input}")),
            values=fields.Function(deserialize=_slug, error_messages={
                "invalid": "tax classes are given by their slug"}),
            load_default=lambda: dict(DEFAULT_TAX_CLASSES))


def _slug(slug: Any) -> str:
    if not isinstance(slug, str):
        raise ValidationError("tax classes are given by their slug")
    slug = slug.strip()
    return "" if slug == "standard" else slug


class StockPoints(fields.List):
    default_error_messages = {"invalid": "must be a list of stock point codes"}  # noqa: RUF012

    def __init__(self) -> None:
        super().__init__(fields.String(error_messages={
            "invalid": "must be a list of stock point codes"}), load_default=list)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        return sorted({v.strip() for v in super()._deserialize(value, attr, data) if v.strip()})


PRODUCTS = section({
    "products.sync_name": yes_no(True),
    "products.sync_price": yes_no(True),
    "products.sync_weight": yes_no(True),
    "products.sync_tax_class": yes_no(True),
    # "" is the company's default price list
    "products.price_list": Words(100, what="a code", load_default=""),
    "products.tax_class_by_vat": TaxClasses(),
    "products.full_compare_hours": whole_number(1, 24 * 30, 24),
})
STOCK = section({
    "stock.sync": yes_no(True),
    "stock.source": choice(STOCK_SOURCES, "article"),
    "stock.quantity": choice(STOCK_QUANTITIES, "available"),
    "stock.stock_points": StockPoints(),  # empty: every stock point
    # empty: every article, whatever its stock location
    "stock.location": Words(100, what="a code", load_default=""),
    "stock.full_compare_hours": whole_number(1, 24 * 30, 24),
})
SETTINGS = {**declared(PRODUCTS), **declared(STOCK)}


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
        v = read_values(PRODUCTS, values)
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
        v = read_values(STOCK, values)
        return cls(
            sync=v["stock.sync"],
            source=v["stock.source"],
            quantity=v["stock.quantity"],
            stock_points=tuple(v["stock.stock_points"]),
            location=v["stock.location"],
            full_compare_hours=v["stock.full_compare_hours"],
        )
