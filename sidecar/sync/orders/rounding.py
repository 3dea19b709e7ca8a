"""Make Fortnox's own arithmetic land on WooCommerce's total and VAT per rate, to the öre.

Fortnox computes VAT itself: per VAT rate, on the sum of that rate's rows, rounded half up; the
header `Freight` gets its own VAT at 25 % (the model in sidecar/sim/fortnox/money.py, built from a
recorded real invoice, fortnox-api.md §8.3 and the rounding addendum). WooCommerce rounds VAT per
line, half down when prices include VAT (woocommerce.md §8.1), so for a sizeable share of orders
round(Σ rows × rate) is an öre or two away from the shop's VAT for that rate, and the total moves
with it. Peers lose exactly these orders (peers.md §5: 21 of 40 matched).

What we do, when (and only when) the model disagrees with the order:
1. per rate, a "VAT adjustment" row at that rate, as small as possible, that moves Fortnox's
   rounded VAT onto the shop's VAT for the rate (a few öre of base; always reachable because one
   öre of base moves the VAT by at most one öre);
2. one 0 % "Öresavrundning" row on the rounding account (BAS 3740) that brings the document total
   to the order total exactly.
VAT per rate is then the shop's, the total is the shop's, and what differs is a few öre of net
between the sales account and 3740 — the same place Fortnox puts its own öresavrundning. More
decimals on the price would not help: Fortnox rounds `Price` to öre.

Totals here are before Fortnox's whole-kronor `RoundOff`; compare `Total - RoundOff`.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.sync.orders.accounts import AccountDecision
from sidecar.sync.orders.rows import CENT
from sidecar.sync.orders.rows import HUNDRED
from sidecar.sync.orders.rows import ZERO
from sidecar.sync.orders.rows import RowDraft
from sidecar.sync.orders.rows import round_ore
from sidecar.sync.orders.woo_order import OrderNotMappable

FREIGHT_VAT_RATE = Decimal("25")
# Beyond this the order's lines do not explain its total (a gift card or a plugin's line type we
# do not read): booking it as rounding would hide real money, so the export stops instead.
MAX_ROUNDING = Decimal("1.00")
MAX_VAT_ADJUSTMENT_BASE = Decimal("5.00")


@dataclass(frozen=True)
class ModelTotals:
    total: Decimal
    vat_by_rate: Mapping[Decimal, Decimal]


def vat_of(amount: Decimal, rate: Decimal, vat_included: bool) -> Decimal:
    if vat_included:
        return round_ore(amount * rate / (HUNDRED + rate))
    return round_ore(amount * rate / HUNDRED)


def model_totals(rows: Sequence[RowDraft], *, freight: Decimal, vat_included: bool
                 ) -> ModelTotals:
    """Document total and VAT per rate as Fortnox works them out for these rows."""
    base: dict[Decimal, Decimal] = {}
    for row in rows:
        base[row.vat] = base.get(row.vat, ZERO) + row.total
    return totals_by_rate(base, freight=freight, vat_included=vat_included)


def totals_by_rate(base: Mapping[Decimal, Decimal], *, freight: Decimal, vat_included: bool
                   ) -> ModelTotals:
    """Document total and VAT per rate from the sum of the rows at each rate and the freight."""
    vat = {rate: vat_of(amount, rate, vat_included) for rate, amount in base.items()}
    if freight:
        vat[FREIGHT_VAT_RATE] = vat.get(FREIGHT_VAT_RATE, ZERO) + vat_of(
            freight, FREIGHT_VAT_RATE, vat_included)
    total = sum(base.values(), ZERO) + freight
    if not vat_included:
        total += sum(vat.values(), ZERO)
    return ModelTotals(total=total, vat_by_rate={r: v for r, v in vat.items() if r})


def base_for_vat(base: Decimal, rate: Decimal, target: Decimal, vat_included: bool) -> Decimal:
    """The base nearest to `base`, in whole öre, whose rounded VAT at `rate` is `target`."""
    step = CENT if target > vat_of(base, rate, vat_included) else -CENT
    candidate = base
    for _ in range(100_000):
        if vat_of(candidate, rate, vat_included) == target:
            return candidate
        candidate += step
    raise OrderNotMappable(f"no amount gives {target} VAT at {rate} %")  # pragma: no cover


def reconcile(
    rows: Sequence[RowDraft],
    *,
    freight: Decimal,
    vat_included: bool,
    target_total: Decimal,
    target_vat: Mapping[Decimal, Decimal],
    account_for_rate: Callable[[Decimal], AccountDecision],
    rounding_account: int,
) -> tuple[list[RowDraft], list[str]]:
    """Extra rows (possibly none) that make the model agree with the order, and notes on them."""
    extra: list[RowDraft] = []
    notes: list[Message] = []
    row_base: dict[Decimal, Decimal] = {}
    for row in rows:
        row_base[row.vat] = row_base.get(row.vat, ZERO) + row.total
    freight_vat = vat_of(freight, FREIGHT_VAT_RATE, vat_included) if freight else ZERO
    for rate in sorted(set(row_base) | set(target_vat), reverse=True):
        if not rate:
            continue
        wanted = target_vat.get(rate, ZERO) - (freight_vat if rate == FREIGHT_VAT_RATE else ZERO)
        base = row_base.get(rate, ZERO)
        if vat_of(base, rate, vat_included) == wanted:
            continue
        delta = base_for_vat(base, rate, wanted, vat_included) - base
        if abs(delta) > MAX_VAT_ADJUSTMENT_BASE:
            raise OrderNotMappable(msg("mapping.vat_does_not_fit", rate=rate,
                                       vat=target_vat.get(rate, ZERO), delta=delta))
        extra.append(RowDraft(
            source="VAT adjustment", description=f"Öresjustering moms {rate} %",
            quantity=Decimal(1), price=delta, discount=ZERO, vat=rate,
            vat_reason=msg("vat.adjustment", rate=rate, wanted=wanted),
            account=account_for_rate(rate)))
        notes.append(msg("rounding.vat_row", rate=rate, delta=delta, wanted=wanted))
    residual = target_total - model_totals(
        [*rows, *extra], freight=freight, vat_included=vat_included).total
    if residual:
        if abs(residual) > MAX_ROUNDING:
            raise OrderNotMappable(msg("mapping.total_differs", total=target_total,
                                       residual=residual))
        extra.append(RowDraft(
            source="rounding", description="Öresavrundning", quantity=Decimal(1),
            price=residual, discount=ZERO, vat=ZERO,
            vat_reason=msg("vat.rounding"),
            account=AccountDecision(rounding_account, msg("account.rounding"))))
        notes.append(msg("rounding.total_row", residual=residual, total=target_total))
    return extra, notes
