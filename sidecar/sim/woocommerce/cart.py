"""WooCommerce's cart arithmetic (WC_Cart_Totals, WC_Discounts, WC_Tax), in Decimal.

Followed step by step from WooCommerce's source so the simulator's orders carry the same öre
differences a real store produces (reference §8):

- amounts are worked in cents; a line's tax is calc_tax() rounded to 6 decimals of a cent, then
  rounded per line and rate: half down when prices include tax, half up otherwise;
- with prices including tax the line gross is exact and the net is gross minus the unrounded tax;
- coupons come off the (gross, if prices include tax) line price: percent coupons floor per line
  and hand out the remainder a cent at a time, fixed cart coupons split per item;
- shipping (cost excluding tax, class "inherit") takes 25 % when any standard-rate item ships,
  otherwise the first reduced class present; fees are excluding tax, and a negative fee carries
  tax split over the cart's classes even when it is marked non-taxable;
- the grand total is items (rounded per line) + fees + shipping + taxes rounded per line.

The tax rates and calc_tax are in `taxes`, the coupons in `coupons`, the records in `cart_types`.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from decimal import ROUND_HALF_DOWN
from decimal import ROUND_HALF_UP
from decimal import Decimal

from sidecar.sim.woocommerce.cart_types import CartItem
from sidecar.sim.woocommerce.cart_types import CartLine
from sidecar.sim.woocommerce.cart_types import CartTotals
from sidecar.sim.woocommerce.cart_types import ChargeResult
from sidecar.sim.woocommerce.cart_types import Coupon
from sidecar.sim.woocommerce.cart_types import CouponResult
from sidecar.sim.woocommerce.cart_types import Fee
from sidecar.sim.woocommerce.cart_types import LineResult
from sidecar.sim.woocommerce.cart_types import Shipping
from sidecar.sim.woocommerce.cart_types import TaxLineResult
from sidecar.sim.woocommerce.coupons import apply_coupons
from sidecar.sim.woocommerce.taxes import HUNDRED
from sidecar.sim.woocommerce.taxes import ONE
from sidecar.sim.woocommerce.taxes import STANDARD
from sidecar.sim.woocommerce.taxes import SWEDISH_TAX_CLASSES
from sidecar.sim.woocommerce.taxes import SWEDISH_TAX_RATES
from sidecar.sim.woocommerce.taxes import TaxRate
from sidecar.sim.woocommerce.taxes import calc_tax
from sidecar.sim.woocommerce.taxes import round_half_up


def calculate_cart(
    lines: Sequence[CartLine],
    *,
    rates: Sequence[TaxRate] = SWEDISH_TAX_RATES,
    tax_class_order: Sequence[str] = tuple(slug for slug, _ in SWEDISH_TAX_CLASSES[1:]),
    prices_include_tax: bool = True,
    coupons: Sequence[Coupon] = (),
    shipping: Sequence[Shipping] = (),
    fees: Sequence[Fee] = (),
) -> CartTotals:
    """Totals of a cart the way WC_Cart_Totals::calculate() works them out."""
    tax_mode = ROUND_HALF_DOWN if prices_include_tax else ROUND_HALF_UP

    def round_line_tax(cents: Decimal) -> Decimal:
        return cents.quantize(ONE, rounding=tax_mode)

    def rates_for(tax_class: str) -> list[TaxRate]:
        return [r for r in rates if r.tax_class == _class_slug(tax_class)]

    items = [
        CartItem(
            line=line,
            rates=rates_for(line.tax_class) if line.taxable else [],
            price=line.unit_price * HUNDRED * line.quantity,
        )
        for line in lines
    ]

    # Subtotals: before discounts.
    for item in items:
        item.subtotal = item.price
        item.subtotal_taxes = calc_tax(item.price, item.rates, item.line.price_includes_tax)
        item.subtotal_tax = sum(
            (round_line_tax(t) for t in item.subtotal_taxes.values()), Decimal(0)
        )
        if item.line.price_includes_tax:
            item.subtotal -= sum(item.subtotal_taxes.values(), Decimal(0))

    coupon_results = apply_coupons(items, coupons, prices_include_tax)

    # Totals: after discounts.
    for item in items:
        item.total = item.price - item.discount
        item.taxes = calc_tax(item.total, item.rates, item.line.price_includes_tax)
        item.total_tax = sum((round_line_tax(t) for t in item.taxes.values()), Decimal(0))
        if item.line.price_includes_tax:
            item.total -= sum(item.taxes.values(), Decimal(0))
    items_total = sum((round_half_up(i.total) for i in items), Decimal(0))

    shipping_results = [
        _shipping_line(s, _shipping_rates(items, rates_for, tax_class_order)) for s in shipping
    ]
    shipping_total = sum((s.total for s in shipping_results), Decimal(0))

    fee_results: list[ChargeResult] = []
    for fee in fees:
        fee_results.append(
            _fee_line(
                fee, items, shipping_results, fee_results, items_total, rates_for, round_line_tax
            )
        )

    merged_items = _merge({r: round_line_tax(t) for r, t in i.taxes.items()} for i in items)
    merged_fees = _merge({r: round_line_tax(t) for r, t in f.taxes.items()} for f in fee_results)
    merged_shipping = _merge(s.taxes for s in shipping_results)
    all_taxes = sum(merged_items.values(), Decimal(0)) + sum(merged_fees.values(), Decimal(0))
    all_taxes += sum(merged_shipping.values(), Decimal(0))
    fees_total = sum((f.total for f in fee_results), Decimal(0))
    total = round_half_up(items_total + fees_total + shipping_total + all_taxes)

    fee_tax = sum((f.total_tax for f in fee_results), Decimal(0))
    cart_tax = sum(merged_items.values(), Decimal(0)) + fee_tax
    shipping_tax = sum((s.total_tax for s in shipping_results), Decimal(0))

    unrounded_fee_taxes = _merge(f.taxes for f in fee_results)
    rate_by_id = {r.id: r for r in rates}
    tax_lines = [
        TaxLineResult(
            rate=rate_by_id[rid],
            tax_total=(merged_items.get(rid, Decimal(0)) + unrounded_fee_taxes.get(rid, Decimal(0)))
            / HUNDRED,
            shipping_tax_total=merged_shipping.get(rid, Decimal(0)) / HUNDRED,
        )
        for rid in _ordered_keys(merged_items, merged_shipping, unrounded_fee_taxes)
    ]

    discount_by_item = sum((i.discount for i in items), Decimal(0))
    discount_tax = sum((c.discount_tax for c in coupon_results), Decimal(0))
    discount_total = discount_by_item - discount_tax if prices_include_tax else discount_by_item

    return CartTotals(
        lines=[
            LineResult(
                subtotal=i.subtotal / HUNDRED,
                subtotal_tax=i.subtotal_tax / HUNDRED,
                total=i.total / HUNDRED,
                total_tax=i.total_tax / HUNDRED,
                taxes={r: t / HUNDRED for r, t in i.taxes.items()},
                subtotal_taxes={r: t / HUNDRED for r, t in i.subtotal_taxes.items()},
            )
            for i in items
        ],
        shipping=[_in_units(s) for s in shipping_results],
        fees=[_in_units(f) for f in fee_results],
        coupons=[
            CouponResult(
                code=c.code,
                discount=_round_discount(c.discount / HUNDRED),
                discount_tax=_round_discount(c.discount_tax / HUNDRED),
            )
            for c in coupon_results
        ],
        tax_lines=tax_lines,
        discount_total=discount_total / HUNDRED,
        discount_tax=discount_tax / HUNDRED,
        shipping_total=shipping_total / HUNDRED,
        shipping_tax=shipping_tax / HUNDRED,
        cart_tax=cart_tax / HUNDRED,
        total_tax=(cart_tax + shipping_tax) / HUNDRED,
        total=total / HUNDRED,
    )


def _class_slug(tax_class: str) -> str:
    return STANDARD if tax_class in ("", "standard") else tax_class


def _round_discount(amount: Decimal) -> Decimal:
    # WC_DISCOUNT_ROUNDING_MODE is PHP_ROUND_HALF_DOWN.
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_DOWN)


def _merge(tax_maps: Iterable[dict[int, Decimal]]) -> dict[int, Decimal]:
    merged: dict[int, Decimal] = {}
    for taxes in tax_maps:
        for rid, amount in taxes.items():
            merged[rid] = merged.get(rid, Decimal(0)) + amount
    return merged


def _ordered_keys(*maps: dict[int, Decimal]) -> list[int]:
    keys: list[int] = []
    for taxes in maps:
        keys.extend(k for k in taxes if k not in keys)
    return keys


def _in_units(charge: ChargeResult) -> ChargeResult:
    return ChargeResult(
        total=charge.total / HUNDRED,
        total_tax=charge.total_tax / HUNDRED,
        taxes={r: t / HUNDRED for r, t in charge.taxes.items()},
    )


def _shipping_rates(
    items: list[CartItem], rates_for, tax_class_order: Sequence[str]
) -> list[TaxRate]:
    """WC_Tax::get_shipping_tax_rates with the shipping tax class left at "inherit"."""
    classes: list[str] = []
    for item in items:
        slug = _class_slug(item.line.tax_class)
        if item.line.needs_shipping and item.line.taxable and slug not in classes:
            classes.append(slug)
    if not classes:
        return []
    matched: list[TaxRate] = []
    if len(classes) > 1 and STANDARD not in classes:
        for slug in tax_class_order:
            if slug in classes:
                matched = rates_for(slug)
                break
    elif len(classes) == 1:
        matched = rates_for(classes[0])
    return matched or rates_for(STANDARD)


def _shipping_line(shipping: Shipping, rates: list[TaxRate]) -> ChargeResult:
    cost = shipping.cost * HUNDRED
    if not shipping.taxable:
        return ChargeResult(total=cost, total_tax=Decimal(0), taxes={})
    # Shipping taxes are rounded like item subtotals: to the cent, half up.
    taxes = {rid: round_half_up(t) for rid, t in calc_tax(cost, rates, False).items()}
    return ChargeResult(total=cost, total_tax=sum(taxes.values(), Decimal(0)), taxes=taxes)


def _fee_line(
    fee: Fee,
    items: list[CartItem],
    shipping: list[ChargeResult],
    earlier_fees: list[ChargeResult],
    items_total: Decimal,
    rates_for,
    round_line_tax,
) -> ChargeResult:
    total = fee.amount * HUNDRED
    running = sum((f.total for f in earlier_fees), Decimal(0))
    shipping_total = sum((s.total for s in shipping), Decimal(0))
    if total < 0:
        # Negative fees must not take the order below zero.
        total = max(total, -round_half_up(items_total + running + shipping_total))
    taxes: dict[int, Decimal] = {}
    if total < 0:
        # A negative fee acts as a discount: its tax is split over the cart's tax classes.
        costs = _tax_class_costs(items, shipping, earlier_fees)
        whole = sum(costs.values(), Decimal(0))
        if whole:
            for tax_class, cost in costs.items():
                if tax_class == "non-taxable":
                    continue
                share = calc_tax(total * cost / whole, rates_for(tax_class), False)
                taxes = _merge((taxes, share))
    elif fee.taxable:
        taxes = calc_tax(total, rates_for(fee.tax_class), False)
    total_tax = sum((round_line_tax(t) for t in taxes.values()), Decimal(0))
    return ChargeResult(total=total, total_tax=total_tax, taxes=taxes)


def _tax_class_costs(
    items: list[CartItem], shipping: list[ChargeResult], fees: list[ChargeResult]
) -> dict[str, Decimal]:
    """WC_Cart_Totals::get_tax_class_costs: positive net amounts per tax class."""
    first_class = _class_slug(items[0].line.tax_class) if items else STANDARD
    costs: dict[str, Decimal] = {}
    for item in items:
        if item.total < 0:
            continue
        key = _class_slug(item.line.tax_class) if item.line.taxable else "non-taxable"
        costs[key] = costs.get(key, Decimal(0)) + item.total
    for charge in [*shipping, *fees]:
        if charge.total < 0:
            continue
        # Shipping's class is "inherit", which counts as the first item's class here; fees
        # reaching this point were taxable at the standard class or carry their own taxes.
        costs[first_class] = costs.get(first_class, Decimal(0)) + charge.total
    return {k: v for k, v in costs.items() if v}
