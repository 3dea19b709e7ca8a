"""WC_Discounts: how coupons come off the cart's items (amounts in cents).

Percent coupons floor per line and hand out the remainder a cent at a time; fixed cart coupons
split per item; fixed product coupons take the amount off every unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_FLOOR
from decimal import ROUND_HALF_DOWN
from decimal import Decimal

from sidecar.sim.woocommerce.cart_types import CartItem
from sidecar.sim.woocommerce.cart_types import Coupon
from sidecar.sim.woocommerce.cart_types import CouponResult
from sidecar.sim.woocommerce.taxes import HUNDRED
from sidecar.sim.woocommerce.taxes import ONE
from sidecar.sim.woocommerce.taxes import calc_tax
from sidecar.sim.woocommerce.taxes import round_half_up


def apply_coupons(
    items: list[CartItem], coupons: Sequence[Coupon], prices_include_tax: bool
) -> list[CouponResult]:
    """WC_Discounts: coupons in WooCommerce's order, items by price, most expensive first."""
    order = {"fixed_product": 1, "percent": 2, "fixed_cart": 3}
    by_price = sorted(items, key=lambda i: i.price, reverse=True)
    results: list[CouponResult] = []
    for coupon in sorted(coupons, key=lambda c: (order.get(c.discount_type, 0), c.amount)):
        before = {id(i): i.discount for i in items}
        eligible = [i for i in by_price if i.price > 0 and i.line.quantity > 0]
        if coupon.discount_type == "percent":
            _coupon_percent(eligible, coupon.amount)
        elif coupon.discount_type == "fixed_cart":
            _coupon_fixed_cart(eligible, coupon.amount * HUNDRED)
        elif coupon.discount_type == "fixed_product":
            _coupon_fixed_product(eligible, coupon.amount * HUNDRED)
        else:
            raise ValueError(f"unknown coupon type {coupon.discount_type!r}")
        discount = Decimal(0)
        discount_tax = Decimal(0)
        for item in items:
            given = item.discount - before[id(item)]
            if not given:
                continue
            tax = sum(
                calc_tax(given, item.rates, item.line.price_includes_tax).values(), Decimal(0)
            )
            discount += given - tax if item.line.price_includes_tax else given
            discount_tax += tax
        results.append(CouponResult(coupon.code, discount, discount_tax))
    return results


def _coupon_percent(items: list[CartItem], percent: Decimal) -> None:
    given_total = Decimal(0)
    cart_total = Decimal(0)
    for item in items:
        price = round_half_up(item.price)
        discount = (price * percent / HUNDRED).quantize(ONE, rounding=ROUND_FLOOR)
        discount = min(item.price - item.discount, discount).quantize(ONE, rounding=ROUND_HALF_DOWN)
        item.discount += discount
        given_total += discount
        cart_total += price
    whole = (cart_total * percent / HUNDRED).quantize(ONE, rounding=ROUND_HALF_DOWN)
    if given_total < whole:
        _coupon_remainder(items, whole - given_total)


def _coupon_fixed_product(items: list[CartItem], per_item: Decimal) -> Decimal:
    given = Decimal(0)
    for item in items:
        discount = min(item.price - item.discount, per_item * item.line.quantity)
        item.discount += discount
        given += discount
    return given


def _coupon_fixed_cart(items: list[CartItem], amount: Decimal) -> Decimal:
    count = sum(i.line.quantity for i in items)
    if not count or amount <= 0:
        return Decimal(0)
    per_item = (amount / count).quantize(ONE, rounding=ROUND_FLOOR)
    if per_item > 0:
        given = _coupon_fixed_product(items, per_item)
        if 0 < given < amount:
            given += _coupon_fixed_cart(items, amount - given)
        return given
    return _coupon_remainder(items, amount)


def _coupon_remainder(items: list[CartItem], amount: Decimal) -> Decimal:
    """Hand out what flooring left over, one cent per unit, until it is gone."""
    given = Decimal(0)
    for item in items:
        for _ in range(item.line.quantity):
            cent = min(item.price - item.discount, ONE)
            given += cent
            item.discount += cent
            if given >= amount:
                return given
    return given
