"""Document arithmetic as Fortnox does it: Decimal, half-up, öre on rows, whole kronor on totals.

Worked from a recorded real invoice (accodeing/fortnox-api `save_new_fully_populated`): one row
100.00 at 25 %, Freight 25, AdministrationFee 50 gives FreightVAT 6.25, AdministrationFeeVAT
12.50, TotalVAT 43.75, Net 100, Gross 100, RoundOff 0.25 and Total 219.

Rules:
- row `Price` and quantities are rounded to 2 decimals, half-up, before anything else;
- row total = price × quantity less the discount (PERCENT of the row, or an AMOUNT for the row);
- VAT is computed per VAT rate on the sum of that rate's rows, so a document with many rows at
  one rate has no per-row öre drift;
- with `VATIncluded` the row prices (and Freight and AdministrationFee) include VAT, and VAT is
  taken out of each rate's sum, so row totals stay exactly what was sent;
- the total is rounded to whole kronor when the company rounds (SEK only); the difference is
  `RoundOff`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP
from decimal import Decimal

CENT = Decimal("0.01")
KRONA = Decimal("1")
HUNDRED = Decimal("100")
ZERO = Decimal("0")


def round_ore(value: Decimal) -> Decimal:
    """Round to öre (2 decimals), half-up, as Fortnox rounds prices and quantities."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class RowInput:
    price: Decimal
    quantity: Decimal
    vat: Decimal
    discount: Decimal = ZERO
    discount_type: str = "PERCENT"


@dataclass(frozen=True)
class RowAmounts:
    total: Decimal
    total_excluding_vat: Decimal
    price_excluding_vat: Decimal


@dataclass(frozen=True)
class DocumentTotals:
    rows: tuple[RowAmounts, ...]
    net: Decimal
    gross: Decimal
    freight_vat: Decimal
    administration_fee_vat: Decimal
    total_vat: Decimal
    round_off: Decimal
    total: Decimal


def _vat_part(amount: Decimal, rate: Decimal, vat_included: bool) -> Decimal:
    if vat_included:
        return round_ore(amount * rate / (HUNDRED + rate))
    return round_ore(amount * rate / HUNDRED)


def _excluding_vat(amount: Decimal, rate: Decimal, vat_included: bool) -> Decimal:
    return round_ore(amount * HUNDRED / (HUNDRED + rate)) if vat_included else amount


def row_total(row: RowInput) -> Decimal:
    gross = round_ore(row.price) * round_ore(row.quantity)
    if row.discount_type == "AMOUNT":
        return round_ore(gross - row.discount)
    return round_ore(gross * (HUNDRED - row.discount) / HUNDRED)


def document_totals(
    rows: list[RowInput],
    *,
    vat_included: bool,
    freight: Decimal = ZERO,
    administration_fee: Decimal = ZERO,
    freight_vat_rate: Decimal = Decimal("25"),
    administration_fee_vat_rate: Decimal = Decimal("25"),
    round_to_whole_kronor: bool = True,
) -> DocumentTotals:
    amounts: list[RowAmounts] = []
    sum_by_rate: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        total = row_total(row)
        sum_by_rate[row.vat] += total
        amounts.append(
            RowAmounts(
                total=total,
                total_excluding_vat=_excluding_vat(total, row.vat, vat_included),
                price_excluding_vat=_excluding_vat(round_ore(row.price), row.vat, vat_included),
            )
        )
    rows_vat = sum((_vat_part(s, rate, vat_included) for rate, s in sum_by_rate.items()), ZERO)
    rows_sum = sum(sum_by_rate.values(), ZERO)
    net = rows_sum - rows_vat if vat_included else rows_sum
    freight_vat = _vat_part(freight, freight_vat_rate, vat_included)
    fee_vat = _vat_part(administration_fee, administration_fee_vat_rate, vat_included)
    total_vat = rows_vat + freight_vat + fee_vat
    if vat_included:
        unrounded = rows_sum + freight + administration_fee
    else:
        unrounded = rows_sum + freight + administration_fee + total_vat
    total = unrounded
    if round_to_whole_kronor:
        total = unrounded.quantize(KRONA, rounding=ROUND_HALF_UP)
    return DocumentTotals(
        rows=tuple(amounts),
        net=net,
        gross=net,
        freight_vat=freight_vat,
        administration_fee_vat=fee_vat,
        total_vat=total_vat,
        round_off=total - unrounded,
        total=round_ore(total),
    )
