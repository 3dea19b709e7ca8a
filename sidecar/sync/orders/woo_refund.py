"""A WooCommerce refund (REST v3 `orders/<id>/refunds`) read into frozen dataclasses.

WooCommerce stores a refund as an order of its own whose amounts are negative: each refunded
line has a negative quantity and totals and names the order line it refunds in the meta
`_refunded_item_id`; its `tax_lines` give the refunded VAT per rate (fixtures rest/048, 051).
An amount-only refund has no lines and no tax (rest/047). Here every amount is made positive:
"refunded 1 mug, 108.12 + 27.03 VAT". Whether a refund put goods back in stock is not on the
refund but on the order's line: `_restock_refunded_items`, the quantity restocked so far
(rest/049), so `restocked_by_line` reads it from the order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sidecar.sync.orders.woo_order import ZERO
from sidecar.sync.orders.woo_order import OrderNotMappable
from sidecar.sync.orders.woo_order import _entries
from sidecar.sync.orders.woo_order import _text
from sidecar.sync.orders.woo_order import money
from sidecar.sync.orders.woo_order import whole_number

LINE_KINDS = (("line_items", "item"), ("fee_lines", "fee"), ("shipping_lines", "shipping"))


@dataclass(frozen=True)
class RefundLine:
    """One refunded line, amounts positive and excluding VAT (as WooCommerce stores them)."""

    kind: str  # "item" | "fee" | "shipping"
    line_id: int  # the refund's own line
    refunded_line_id: int  # the order's line it refunds; 0 when WooCommerce did not say
    name: str
    quantity: Decimal  # units refunded; 0 when only money was refunded on the line
    total: Decimal
    total_tax: Decimal
    tax_by_rate: tuple[tuple[Decimal, Decimal], ...]
    sku: str = ""


@dataclass(frozen=True)
class WooRefund:
    id: int
    date_created: str  # site-local, ISO without offset
    amount: Decimal  # what went back to the customer
    reason: str
    lines: tuple[RefundLine, ...]
    vat_by_rate: tuple[tuple[Decimal, Decimal], ...]  # from the refund's tax_lines

    @property
    def lines_total(self) -> Decimal:
        return sum((line.total + line.total_tax for line in self.lines), ZERO)

    @property
    def unexplained(self) -> Decimal:
        """The part of the amount no line accounts for (all of it for an amount-only refund)."""
        return self.amount - self.lines_total


def rates_by_id(order_payload: Mapping[str, Any]) -> dict[int, Decimal]:
    """Tax rate id → percent, from an order's (or a refund's) `tax_lines`."""
    found: dict[int, Decimal] = {}
    for line in _entries(order_payload.get("tax_lines"), "tax_lines"):
        where = f"tax line {line.get('id')}"
        found[whole_number(line.get("rate_id"), f"{where}: rate_id")] = money(
            line.get("rate_percent"), f"{where}: rate_percent")
    return found


def parse_refund(body: Mapping[str, Any], order_rates: Mapping[int, Decimal]) -> WooRefund:
    """The refund as the credit needs it; raises OrderNotMappable naming the field."""
    if not isinstance(body, Mapping):
        raise OrderNotMappable("a refund is not a JSON object")
    refund_id = whole_number(body.get("id"), "the refund id")
    where = f"refund {refund_id}"
    rates = {**order_rates, **rates_by_id(body)}
    vat: dict[Decimal, Decimal] = {}
    for line in _entries(body.get("tax_lines"), f"{where}: tax_lines"):
        rate = money(line.get("rate_percent"), f"{where}: tax line rate_percent")
        amount = -(money(line.get("tax_total"), f"{where}: tax_total")
                   + money(line.get("shipping_tax_total"), f"{where}: shipping_tax_total"))
        vat[rate] = vat.get(rate, ZERO) + amount
    lines = tuple(_line(kind, line, rates, where) for key, kind in LINE_KINDS
                  for line in _entries(body.get(key), f"{where}: {key}"))
    if not vat:  # no tax lines: the lines' own taxes are all there is
        for line in lines:
            for rate, tax in line.tax_by_rate:
                vat[rate] = vat.get(rate, ZERO) + tax
    return WooRefund(
        id=refund_id,
        date_created=_text(body.get("date_created")),
        amount=abs(money(body.get("amount"), f"{where}: amount")),
        reason=_text(body.get("reason")).strip(),
        lines=lines,
        vat_by_rate=tuple(sorted(((r, v) for r, v in vat.items()), reverse=True)),
    )


def _line(kind: str, line: Mapping[str, Any], rates: Mapping[int, Decimal],
          where: str) -> RefundLine:
    here = f"{where}, {kind} line {line.get('id')}"
    taxes: dict[Decimal, Decimal] = {}
    for tax in _entries(line.get("taxes"), f"{here}: taxes"):
        amount = -money(tax.get("total"), f"{here}: tax")
        rate_id = whole_number(tax.get("id"), f"{here}: tax rate id")
        if rate_id not in rates:
            if amount == ZERO:
                continue
            raise OrderNotMappable(f"{here} is taxed at rate id {rate_id}, which neither the "
                                   "refund nor the order lists")
        taxes[rates[rate_id]] = taxes.get(rates[rate_id], ZERO) + amount
    meta = {m.get("key"): m.get("value")
            for m in _entries(line.get("meta_data"), f"{here}: meta_data") if "key" in m}
    quantity = abs(money(line.get("quantity"), f"{here}: quantity")) if kind == "item" else (
        Decimal(1))
    return RefundLine(
        kind=kind,
        line_id=whole_number(line.get("id"), f"{here}: id"),
        refunded_line_id=whole_number(meta.get("_refunded_item_id"), f"{here}: refunded item"),
        name=_text(line.get("name")) or _text(line.get("method_title")),
        quantity=quantity,
        total=-money(line.get("total"), f"{here}: total"),
        total_tax=-money(line.get("total_tax"), f"{here}: total_tax"),
        tax_by_rate=tuple(taxes.items()),
        sku=_text(line.get("sku")).strip(),
    )


def restocked_by_line(order_payload: Mapping[str, Any]) -> dict[int, Decimal]:
    """Order line id → units WooCommerce has put back in stock for its refunds, so far."""
    found: dict[int, Decimal] = {}
    for line in _entries(order_payload.get("line_items"), "line_items"):
        for meta in _entries(line.get("meta_data"), "line meta_data"):
            if meta.get("key") == "_restock_refunded_items":
                found[whole_number(line.get("id"), "line id")] = abs(
                    money(meta.get("value"), "_restock_refunded_items"))
    return found
