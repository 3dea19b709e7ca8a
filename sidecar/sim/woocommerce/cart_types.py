"""What the cart arithmetic takes (lines, coupons, fees, shipping) and gives (amounts per line,
charge, coupon and tax rate, and the totals), and the working item in between.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from sidecar.sim.woocommerce.taxes import STANDARD
from sidecar.sim.woocommerce.taxes import TaxRate


@dataclass
class CartLine:
    """A product in the cart. unit_price is as entered in the shop (incl. or excl. tax)."""

    key: str
    quantity: int
    unit_price: Decimal
    tax_class: str = STANDARD
    taxable: bool = True
    needs_shipping: bool = True
    price_includes_tax: bool = True


@dataclass(frozen=True)
class Coupon:
    code: str
    discount_type: str  # "percent" | "fixed_cart" | "fixed_product"
    amount: Decimal


@dataclass(frozen=True)
class Fee:
    name: str
    amount: Decimal  # excluding tax; may be negative
    taxable: bool = True
    tax_class: str = STANDARD


@dataclass(frozen=True)
class Shipping:
    method_id: str
    method_title: str
    cost: Decimal  # excluding tax, as flat rate costs are entered
    instance_id: str = ""
    taxable: bool = True


@dataclass
class LineResult:
    """Amounts in currency units; unrounded ones are kept like WooCommerce keeps them."""

    subtotal: Decimal
    subtotal_tax: Decimal
    total: Decimal
    total_tax: Decimal
    taxes: dict[int, Decimal]
    subtotal_taxes: dict[int, Decimal]


@dataclass
class ChargeResult:
    """A shipping or fee line: total excluding tax, rounded tax, per-rate taxes."""

    total: Decimal
    total_tax: Decimal
    taxes: dict[int, Decimal]


@dataclass
class CouponResult:
    code: str
    discount: Decimal
    discount_tax: Decimal


@dataclass
class TaxLineResult:
    rate: TaxRate
    tax_total: Decimal
    shipping_tax_total: Decimal


@dataclass
class CartTotals:
    lines: list[LineResult]
    shipping: list[ChargeResult]
    fees: list[ChargeResult]
    coupons: list[CouponResult]
    tax_lines: list[TaxLineResult]
    discount_total: Decimal
    discount_tax: Decimal
    shipping_total: Decimal
    shipping_tax: Decimal
    cart_tax: Decimal
    total_tax: Decimal
    total: Decimal


@dataclass
class CartItem:
    """A cart line while the totals are worked out: amounts in cents."""

    line: CartLine
    rates: list[TaxRate]
    price: Decimal  # cents, gross when prices include tax
    subtotal: Decimal = Decimal(0)
    subtotal_tax: Decimal = Decimal(0)
    subtotal_taxes: dict[int, Decimal] = field(default_factory=dict)
    discount: Decimal = Decimal(0)
    total: Decimal = Decimal(0)
    total_tax: Decimal = Decimal(0)
    taxes: dict[int, Decimal] = field(default_factory=dict)
