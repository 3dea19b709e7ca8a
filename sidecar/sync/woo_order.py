"""A WooCommerce order (REST v3 / webhook body) read once into frozen dataclasses, money as Decimal.

Parsing is tolerant of extra keys (plugins add them) and strict about money: amounts come from the
string totals, never from the float `price` (woocommerce.md §2.4, §8.10). A line's VAT rate is
found through its `taxes[].id` → `tax_lines[].rate_id` → `rate_percent` (§2.5).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

ZERO = Decimal("0")


class OrderNotMappable(ValueError):
    """The order cannot become a Fortnox document as it stands; the message tells the owner why."""


@dataclass(frozen=True)
class Address:
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    address_1: str = ""
    address_2: str = ""
    city: str = ""
    state: str = ""
    postcode: str = ""
    country: str = ""
    email: str = ""
    phone: str = ""

    @property
    def person(self) -> str:
        return " ".join(p for p in (self.first_name.strip(), self.last_name.strip()) if p)

    @property
    def has_name(self) -> bool:
        return bool(self.person or self.company.strip())

    @property
    def has_street(self) -> bool:
        return bool(self.address_1.strip() or self.city.strip() or self.postcode.strip())


@dataclass(frozen=True)
class Charge:
    """One line of the order: a product, a fee or a shipping line (amounts excluding VAT)."""

    kind: str  # "item" | "fee" | "shipping"
    line_id: int
    name: str
    quantity: Decimal
    subtotal: Decimal  # before coupons; equals total for fees and shipping
    subtotal_tax: Decimal
    total: Decimal  # after coupons
    total_tax: Decimal
    tax_by_rate: tuple[tuple[Decimal, Decimal], ...]  # (rate percent, unrounded tax)
    sku: str = ""
    product_id: int = 0
    variation_id: int = 0
    method_id: str = ""
    instance_id: str = ""

    @property
    def rates(self) -> tuple[Decimal, ...]:
        return tuple(rate for rate, _ in self.tax_by_rate)


@dataclass(frozen=True)
class WooOrder:
    id: int
    number: str
    status: str
    currency: str
    prices_include_tax: bool
    date_created: str  # site-local, ISO without offset
    date_paid: str | None
    customer_id: int
    customer_note: str
    payment_method: str
    payment_method_title: str
    billing: Address
    shipping: Address
    items: tuple[Charge, ...]
    fees: tuple[Charge, ...]
    shipping_lines: tuple[Charge, ...]
    vat_by_rate: tuple[tuple[Decimal, Decimal], ...]  # from tax_lines: items + fees + shipping
    total: Decimal
    meta: Mapping[str, Any]

    @property
    def charges(self) -> tuple[Charge, ...]:
        return self.items + self.fees + self.shipping_lines

    @property
    def is_vat_exempt(self) -> bool:
        return str(self.meta.get("is_vat_exempt", "")).lower() == "yes"

    @property
    def charged_vat(self) -> bool:
        return any(amount != ZERO for _, amount in self.vat_by_rate)


def money(value: Any, where: str) -> Decimal:
    if value in (None, ""):
        return ZERO
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise OrderNotMappable(f"{where} is not an amount: {value!r}") from None
    if not amount.is_finite():
        raise OrderNotMappable(f"{where} is not an amount: {value!r}")
    return amount


def parse_order(body: Mapping[str, Any]) -> WooOrder:
    """The order as the mapping needs it; raises OrderNotMappable when a rate cannot be found."""
    rate_by_id: dict[int, Decimal] = {}
    vat_by_rate: dict[Decimal, Decimal] = {}
    for line in body.get("tax_lines") or []:
        rate = money(line.get("rate_percent"), "tax_lines.rate_percent")
        rate_by_id[int(line["rate_id"])] = rate
        vat = money(line.get("tax_total"), "tax_total") + money(
            line.get("shipping_tax_total"), "shipping_tax_total"
        )
        vat_by_rate[rate] = vat_by_rate.get(rate, ZERO) + vat
    meta = {m.get("key"): m.get("value") for m in body.get("meta_data") or [] if "key" in m}
    return WooOrder(
        id=int(body["id"]),
        number=str(body.get("number") or body["id"]),
        status=str(body.get("status", "")),
        currency=str(body.get("currency") or "SEK").upper(),
        prices_include_tax=bool(body.get("prices_include_tax")),
        date_created=str(body.get("date_created") or ""),
        date_paid=body.get("date_paid") or None,
        customer_id=int(body.get("customer_id") or 0),
        customer_note=str(body.get("customer_note") or ""),
        payment_method=str(body.get("payment_method") or ""),
        payment_method_title=str(body.get("payment_method_title") or ""),
        billing=_address(body.get("billing")),
        shipping=_address(body.get("shipping")),
        items=tuple(_charge("item", line, rate_by_id) for line in body.get("line_items") or []),
        fees=tuple(_charge("fee", line, rate_by_id) for line in body.get("fee_lines") or []),
        shipping_lines=tuple(
            _charge("shipping", line, rate_by_id) for line in body.get("shipping_lines") or []
        ),
        vat_by_rate=tuple(sorted(vat_by_rate.items(), reverse=True)),
        total=money(body.get("total"), "total"),
        meta=meta,
    )


def _address(data: Any) -> Address:
    data = data if isinstance(data, Mapping) else {}
    names = Address.__dataclass_fields__
    return Address(**{k: html.unescape(str(v or "")) for k, v in data.items() if k in names})


def _charge(kind: str, line: Mapping[str, Any], rate_by_id: Mapping[int, Decimal]) -> Charge:
    where = f"{kind} line {line.get('id')}"
    taxes: dict[Decimal, Decimal] = {}
    for tax in line.get("taxes") or []:
        amount = money(tax.get("total"), where)
        rate_id = int(tax["id"])
        if rate_id not in rate_by_id:
            if amount == ZERO:
                continue  # a rate removed from the order with nothing charged
            raise OrderNotMappable(f"{where} is taxed at rate id {rate_id}, which the order's "
                                   "tax lines do not list")
        rate = rate_by_id[rate_id]
        taxes[rate] = taxes.get(rate, ZERO) + amount
    total = money(line.get("total"), where)
    total_tax = money(line.get("total_tax"), where)
    is_item = kind == "item"
    return Charge(
        kind=kind,
        line_id=int(line.get("id") or 0),
        name=html.unescape(str(line.get("name") or line.get("method_title") or "")),
        quantity=money(line.get("quantity"), where) if is_item else Decimal(1),
        subtotal=money(line.get("subtotal"), where) if is_item else total,
        subtotal_tax=money(line.get("subtotal_tax"), where) if is_item else total_tax,
        total=total,
        total_tax=total_tax,
        tax_by_rate=tuple(taxes.items()),
        sku=str(line.get("sku") or "").strip(),
        product_id=int(line.get("product_id") or 0),
        variation_id=int(line.get("variation_id") or 0),
        method_id=str(line.get("method_id") or ""),
        instance_id=str(line.get("instance_id") or ""),
    )
