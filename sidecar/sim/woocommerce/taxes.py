"""A Swedish shop's tax rates and classes, and WC_Tax::calc_tax, in Decimal (amounts in cents)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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
    ("standard", "Standard rate"),
    ("reduced-rate", "Reduced rate"),
    ("super-reduced-rate", "Super reduced rate"),
    ("zero-rate", "Zero rate"),
)


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


def round_half_up(cents: Decimal) -> Decimal:
    return cents.quantize(ONE, rounding=ROUND_HALF_UP)
