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
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from decimal import ROUND_FLOOR
from decimal import ROUND_HALF_DOWN
from decimal import ROUND_HALF_UP
from decimal import Decimal

HUNDRED = Decimal(100)
ONE = Decimal(1)
# WC_Tax::calc_tax rounds each tax to wc_get_rounding_precision() = 6 decimals (of a cent here).
TAX_PRECISION = Decimal("0.000001")
STANDARD = ""  # WooCommerce's slug for the standard tax class


@dataclass(frozen=True)
class TaxRate:
    """One row of WooCommerce > Settings > Tax (a Swedish shop has one per class)."""

    id: int
    tax_class: str
    percent: Decimal
    label: str
    country: str = "SE"

    @property
    def rate_code(self) -> str:
        return f"{self.country}-{self.label.upper()}-1"


SWEDISH_TAX_RATES: tuple[TaxRate, ...] = (
    TaxRate(1, STANDARD, Decimal(25), "Moms 25%"),
    TaxRate(2, "reduced-rate", Decimal(12), "Moms 12%"),
    TaxRate(3, "super-reduced-rate", Decimal(6), "Moms 6%"),
    TaxRate(4, "zero-rate", Decimal(0), "Moms 0%"),
)
# The order of "Additional tax classes" decides which class shipping inherits.
SWEDISH_TAX_CLASSES: tuple[tuple[str, str], ...] = (
    ("standard", "Standard"),
    ("reduced-rate", "Reduced rate"),
    ("super-reduced-rate", "Super reduced rate"),
    ("zero-rate", "Zero rate"),
)


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
class _Item:
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


def calc_tax(
    price: Decimal, rates: Sequence[TaxRate], price_includes_tax: bool
) -> dict[int, Decimal]:
    """WC_Tax::calc_tax for simple (non-compound) rates."""
    taxes: dict[int, Decimal] = {}
    if price_includes_tax:
        combined = ONE + sum((r.percent for r in rates), Decimal(0)) / HUNDRED
        for rate in rates:
            taxes[rate.id] = price * (rate.percent / HUNDRED) / combined
    else:
        for rate in rates:
            taxes[rate.id] = price * rate.percent / HUNDRED
    return {rid: tax.quantize(TAX_PRECISION, rounding=ROUND_HALF_UP) for rid, tax in taxes.items()}


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
        _Item(
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

    coupon_results = _apply_coupons(items, coupons, prices_include_tax)

    # Totals: after discounts.
    for item in items:
        item.total = item.price - item.discount
        item.taxes = calc_tax(item.total, item.rates, item.line.price_includes_tax)
        item.total_tax = sum((round_line_tax(t) for t in item.taxes.values()), Decimal(0))
        if item.line.price_includes_tax:
            item.total -= sum(item.taxes.values(), Decimal(0))
    items_total = sum((_round_half_up(i.total) for i in items), Decimal(0))

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
    total = _round_half_up(items_total + fees_total + shipping_total + all_taxes)

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


def _round_half_up(cents: Decimal) -> Decimal:
    return cents.quantize(ONE, rounding=ROUND_HALF_UP)


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


def _shipping_rates(items: list[_Item], rates_for, tax_class_order: Sequence[str]) -> list[TaxRate]:
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
    taxes = {rid: _round_half_up(t) for rid, t in calc_tax(cost, rates, False).items()}
    return ChargeResult(total=cost, total_tax=sum(taxes.values(), Decimal(0)), taxes=taxes)


def _fee_line(
    fee: Fee,
    items: list[_Item],
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
        total = max(total, -_round_half_up(items_total + running + shipping_total))
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
    items: list[_Item], shipping: list[ChargeResult], fees: list[ChargeResult]
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


def _apply_coupons(
    items: list[_Item], coupons: Sequence[Coupon], prices_include_tax: bool
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


def _coupon_percent(items: list[_Item], percent: Decimal) -> None:
    given_total = Decimal(0)
    cart_total = Decimal(0)
    for item in items:
        price = _round_half_up(item.price)
        discount = (price * percent / HUNDRED).quantize(ONE, rounding=ROUND_FLOOR)
        discount = min(item.price - item.discount, discount).quantize(ONE, rounding=ROUND_HALF_DOWN)
        item.discount += discount
        given_total += discount
        cart_total += price
    whole = (cart_total * percent / HUNDRED).quantize(ONE, rounding=ROUND_HALF_DOWN)
    if given_total < whole:
        _coupon_remainder(items, whole - given_total)


def _coupon_fixed_product(items: list[_Item], per_item: Decimal) -> Decimal:
    given = Decimal(0)
    for item in items:
        discount = min(item.price - item.discount, per_item * item.line.quantity)
        item.discount += discount
        given += discount
    return given


def _coupon_fixed_cart(items: list[_Item], amount: Decimal) -> Decimal:
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


def _coupon_remainder(items: list[_Item], amount: Decimal) -> Decimal:
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
