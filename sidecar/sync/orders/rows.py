"""Order lines → document rows whose totals are exactly the WooCommerce line totals.

Fortnox rounds a row's `Price` to öre (fortnox-api.md §8.3), so a unit price taken from a line
total (24.900000000000002, 70.535714) cannot be sent as it is. Each row therefore carries the unit
price before coupons rounded *up* to öre, and the difference to the line's real total as a row
discount (`DiscountType` AMOUNT): price × quantity − discount is the line total to the öre, and
the coupon shows on the document as the discount it is. Prices include VAT when the shop's do
(`VATIncluded`), so row totals are the shop's gross line amounts (woocommerce.md §8.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_CEILING
from decimal import ROUND_HALF_UP
from decimal import Decimal

from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.sync.orders.accounts import AccountDecision
from sidecar.sync.orders.vat import SWEDISH_RATES
from sidecar.sync.orders.woo_order import Charge
from sidecar.sync.orders.woo_order import OrderNotMappable

CENT = Decimal("0.01")
ZERO = Decimal("0")
HUNDRED = Decimal("100")


def round_ore(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RowDraft:
    source: str  # "item 12", "fee 7", "shipping 5", "VAT adjustment", "rounding"
    description: str
    quantity: Decimal
    price: Decimal
    discount: Decimal
    vat: Decimal
    vat_reason: str | Message
    account: AccountDecision
    article_number: str = ""
    stock_article: bool = False

    @property
    def total(self) -> Decimal:
        return round_ore(self.price * self.quantity - self.discount)


@dataclass(frozen=True)
class Part:
    """An amount of a line at one VAT rate (gross when prices include VAT, else net)."""

    rate: Decimal
    amount: Decimal
    reason: str | Message


def checked_rate(rate: Decimal, where: str | Message) -> Decimal:
    if rate not in SWEDISH_RATES:
        raise OrderNotMappable(msg("mapping.not_a_swedish_rate", where=where, rate=rate))
    return rate.normalize() if rate else ZERO


def line_rate(charge: Charge, where: str | Message) -> tuple[Decimal, str | Message]:
    """The single VAT rate of a product line and why: from its taxes, or 0 when untaxed."""
    charged = [(rate, tax) for rate, tax in charge.tax_by_rate if tax != ZERO]
    if len(charged) > 1:
        raise OrderNotMappable(msg("mapping.several_rates", where=where))
    if charged:
        return checked_rate(charged[0][0], where), msg("vat.line_rate", rate=charged[0][0])
    if len(charge.tax_by_rate) == 1:
        rate = charge.tax_by_rate[0][0]
        return checked_rate(rate, where), msg("vat.line_rate_nothing_charged", rate=rate)
    return ZERO, "no tax on the line"


def amounts(charge: Charge, vat_included: bool) -> tuple[Decimal, Decimal]:
    """(before coupons, after coupons) as the document's rows state them."""
    if vat_included:
        return charge.subtotal + charge.subtotal_tax, charge.total + charge.total_tax
    return charge.subtotal, charge.total


def priced(quantity: Decimal, before: Decimal, after: Decimal,
           where: str | Message = "a line") -> tuple[Decimal, Decimal]:
    """(unit price, row discount) with price × quantity − discount == after, both in öre."""
    if quantity <= ZERO:
        raise OrderNotMappable(msg("mapping.quantity_not_positive", where=where,
                                   quantity=quantity))
    if quantity != round_ore(quantity):
        raise OrderNotMappable(msg("mapping.quantity_decimals", where=where, quantity=quantity))
    if after < ZERO:  # a negative fee: one row at its (negative) amount, nothing to discount
        if quantity != 1:
            raise OrderNotMappable(msg("mapping.negative_quantity", where=where, amount=after,
                                       quantity=quantity))
        return after, ZERO
    base = max(before, after)
    price = (base / quantity).quantize(CENT, rounding=ROUND_CEILING)
    return price, price * quantity - after


def split_by_rate(charge: Charge, vat_included: bool, where: str | Message) -> list[Part]:
    """A fee or shipping line per VAT rate. WooCommerce spreads a negative fee's tax over the
    cart's classes (woocommerce.md §8.6) and stores only the tax per rate; the net at a taxed
    rate is taken back from its tax (net = tax / rate), and the untaxed share is what remains.
    Exactness is restored afterwards by the reconciliation against the order's tax lines and
    total (rounding.py)."""
    entries = [(checked_rate(rate, where), tax) for rate, tax in charge.tax_by_rate]
    _, final = amounts(charge, vat_included)
    if len(entries) <= 1:
        rate, reason = line_rate(charge, where)
        return [Part(rate, final, reason)]
    parts: list[Part] = []
    for rate, tax in entries:
        if rate:
            net = round_ore(tax * HUNDRED / rate)
            amount = net + round_ore(tax) if vat_included else net
            parts.append(Part(rate, amount, f"{where} split by its tax at {rate} %"))
    remainder = final - sum((p.amount for p in parts), ZERO)
    if any(not rate for rate, _ in entries):
        parts.append(Part(ZERO, remainder, f"{where}: the share without tax"))
    elif parts:
        largest = max(range(len(parts)), key=lambda i: abs(parts[i].amount))
        kept = parts[largest]
        parts[largest] = Part(kept.rate, kept.amount + remainder, kept.reason)
    return [p for p in parts if p.amount]


def is_stock(article_number: str, fortnox_articles: Mapping[str, object]) -> bool:
    facts = fortnox_articles.get(article_number)
    return bool(getattr(facts, "is_stock", False))
