"""Small typed views of WooCommerce objects the sidecar acts on.

Orders and products stay the dicts WooCommerce sent (the sync layer reads them through the
schemas in `schemas.py`); these types cover the answers the client itself has to interpret.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from marshmallow import fields
from marshmallow import post_load

from sidecar.woocommerce.errors import WooInvalidResponse
from sidecar.woocommerce.schemas import Lenient
from sidecar.woocommerce.schemas import Plain
from sidecar.woocommerce.schemas import WholeNumber
from sidecar.woocommerce.schemas import load
from sidecar.woocommerce.schemas import read_product


@dataclass(frozen=True)
class ShopSettings:
    """The shop-wide settings that change how prices, VAT and weights must be read."""

    currency: str
    prices_include_tax: bool
    weight_unit: str


@dataclass(frozen=True)
class CheckoutMethod:
    """A payment gateway or a shipping method the shop offers: the id an order carries
    (`payment_method`; a shipping line's `method_id`), and the title the customer sees."""

    id: str
    title: str
    zone: str = ""  # a shipping method's zone


@dataclass(frozen=True)
class TaxClass:
    slug: str  # "standard" is the default class (stored as "" on products)
    name: str


@dataclass(frozen=True)
class Webhook:
    """A webhook as WooCommerce reports it; the secret is never sent back."""

    id: int
    name: str
    status: str  # active | paused | disabled (WooCommerce disables after repeated failures)
    topic: str
    delivery_url: str
    api_version: str | None  # not in WooCommerce's v3 answers; the v3 route stores wp_api_v3

    @property
    def is_active(self) -> bool:
        return self.status == "active"

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> Webhook:
        return read(WEBHOOK, body, "webhook")  # type: ignore[no-any-return]


@dataclass(frozen=True)
class ProductRef:
    """A product or variation found by SKU, with what is needed to write to it."""

    id: int
    sku: str
    parent_id: int | None  # set for variations, whose writes go through their parent
    data: Mapping[str, Any]

    @property
    def is_variation(self) -> bool:
        return self.parent_id is not None

    @property
    def endpoint(self) -> str:
        return product_endpoint(self.id, parent_id=self.parent_id)

    @property
    def regular_price(self) -> Decimal | None:
        return parse_money(self.data.get("regular_price"))

    @classmethod
    def from_json(cls, body: Mapping[str, Any]) -> ProductRef:
        product = read_product(body)
        is_variation = product["type"] == "variation" and product["parent_id"] > 0
        return cls(id=product["id"], sku=product["sku"],
                   parent_id=product["parent_id"] if is_variation else None, data=body)


class WebhookSchema(Lenient):
    id = WholeNumber()
    name = Plain()
    status = Plain()
    topic = Plain()
    delivery_url = Plain()
    api_version = fields.Raw(load_default=None)

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> Webhook:
        return Webhook(**data)


WEBHOOK = WebhookSchema()


def read(schema: Lenient, body: Any, what: str) -> Any:
    """An answer loaded by its schema; WooInvalidResponse names a field of the wrong kind."""
    return load(schema, body, what=f"The shop's {what}", refused=WooInvalidResponse,
                prefix=f"The shop's {what}: ")


def product_endpoint(product_id: int, *, parent_id: int | None = None) -> str:
    """Where a product is written; a variation only through its parent."""
    if parent_id is not None:
        return f"products/{int(parent_id)}/variations/{int(product_id)}"
    return f"products/{int(product_id)}"


def parse_money(value: str | None) -> Decimal | None:
    """A WooCommerce money string as Decimal; "" and None mean "not set". Floats are refused."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise TypeError(f"money must come as a string, got {type(value).__name__}")
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError(f"not a money amount: {value!r}") from None


def format_wc_datetime(moment: datetime) -> str:
    """An aware datetime as the UTC ISO string WooCommerce compares with `dates_are_gmt`."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a naive datetime is ambiguous; pass an aware one (UTC)")
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds")


def shop_settings_from_groups(
    general: Sequence[Mapping[str, Any]],
    tax: Sequence[Mapping[str, Any]],
    products: Sequence[Mapping[str, Any]],
) -> ShopSettings:
    """Read ShopSettings from the `/settings/<group>` lists WooCommerce returns."""
    include_tax = _setting(tax, "woocommerce_prices_include_tax")
    if include_tax not in ("yes", "no"):
        raise WooInvalidResponse(f"woocommerce_prices_include_tax is {include_tax!r}, not yes/no")
    return ShopSettings(
        currency=_setting(general, "woocommerce_currency"),
        prices_include_tax=include_tax == "yes",
        weight_unit=_setting(products, "woocommerce_weight_unit"),
    )


def _setting(group: Sequence[Mapping[str, Any]], setting_id: str) -> str:
    for option in group:
        if isinstance(option, Mapping) and option.get("id") == setting_id:
            value = option.get("value")
            if value is None or value == "":
                value = option.get("default")
            return str(value or "")
    raise WooInvalidResponse(f"The shop's settings have no {setting_id}")
