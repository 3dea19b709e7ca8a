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

from sidecar.messages import Message
from sidecar.messages import msg

ZERO = Decimal("0")


class OrderNotMappable(ValueError):
    """The order cannot become a Fortnox document as it stands; `message` tells the owner why,
    in their language where the reason has a code (English text otherwise, shown as it is)."""

    def __init__(self, reason: str | Message) -> None:
        self.message = reason if isinstance(reason, Message) else msg("plain", text=reason)
        super().__init__(self.message.english())


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
    meta_keys: frozenset[str] = frozenset()  # the line's meta keys (gift card plugins mark)

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
    # Gift cards redeemed on the order as (card code, amount): they paid part of it, so `total`
    # is what is left after them (see gift_cards.py for the shapes read).
    gift_card_payments: tuple[tuple[str, Decimal], ...] = ()

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
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise OrderNotMappable(f"{where} is not an amount: {_shown(value)}")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise OrderNotMappable(f"{where} is not an amount: {_shown(value)}") from None
    if not amount.is_finite():
        raise OrderNotMappable(f"{where} is not an amount: {_shown(value)}")
    return amount


def whole_number(value: Any, where: str) -> int:
    """An id or a count; WooCommerce sends them as numbers, some plugins as digit strings."""
    if value in (None, ""):
        return 0
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value.strip())
    raise OrderNotMappable(f"{where} is not a whole number: {_shown(value)}")


def _entries(value: Any, where: str) -> list[Mapping[str, Any]]:
    """A list of objects (line items, tax lines...); null or missing is an empty list."""
    if value in (None, ""):
        return []
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise OrderNotMappable(f"{where} is not a list of objects: {_shown(value)}")
    return value


def _text(value: Any) -> str:
    """Free text; a number or nothing where text belongs is read as text."""
    if value is None or isinstance(value, list | dict):
        return ""
    return html.unescape(str(value))


def _shown(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def parse_order(body: Mapping[str, Any]) -> WooOrder:
    """The order as the mapping needs it; raises OrderNotMappable (saying which field and why)
    when a field has a shape WooCommerce would not send or a rate cannot be found."""
    if not isinstance(body, Mapping):
        raise OrderNotMappable(f"the order is not a JSON object: {_shown(body)}")
    order_id = whole_number(body.get("id"), "the order id")
    if order_id <= 0:
        raise OrderNotMappable(f"the order has no id: {_shown(body.get('id'))}")
    rate_by_id: dict[int, Decimal] = {}
    vat_by_rate: dict[Decimal, Decimal] = {}
    for line in _entries(body.get("tax_lines"), "tax_lines"):
        where = f"tax line {line.get('id')}"
        rate = money(line.get("rate_percent"), f"{where}: rate_percent")
        rate_by_id[whole_number(line.get("rate_id"), f"{where}: rate_id")] = rate
        vat = money(line.get("tax_total"), f"{where}: tax_total") + money(
            line.get("shipping_tax_total"), f"{where}: shipping_tax_total"
        )
        vat_by_rate[rate] = vat_by_rate.get(rate, ZERO) + vat
    meta = {m.get("key"): m.get("value")
            for m in _entries(body.get("meta_data"), "meta_data") if "key" in m}
    for refund in _entries(body.get("refunds"), "refunds"):  # the follow-ups read them
        where = f"refund {_shown(refund.get('id'))}"
        whole_number(refund.get("id"), f"{where}: id")
        money(refund.get("total"), f"{where}: total")
    date_paid = body.get("date_paid")
    return WooOrder(
        id=order_id,
        number=_text(body.get("number")) or str(order_id),
        status=_text(body.get("status")),
        currency=_currency(body.get("currency")),
        prices_include_tax=body.get("prices_include_tax") in (True, "true", "yes", 1),
        date_created=_text(body.get("date_created")),
        date_paid=date_paid if isinstance(date_paid, str) and date_paid else None,
        customer_id=whole_number(body.get("customer_id"), "customer_id"),
        customer_note=_text(body.get("customer_note")),
        payment_method=_text(body.get("payment_method")),
        payment_method_title=_text(body.get("payment_method_title")),
        billing=_address(body.get("billing")),
        shipping=_address(body.get("shipping")),
        items=tuple(_charge("item", line, rate_by_id)
                    for line in _entries(body.get("line_items"), "line_items")),
        fees=tuple(_charge("fee", line, rate_by_id)
                   for line in _entries(body.get("fee_lines"), "fee_lines")),
        shipping_lines=tuple(_charge("shipping", line, rate_by_id)
                             for line in _entries(body.get("shipping_lines"), "shipping_lines")),
        vat_by_rate=tuple(sorted(vat_by_rate.items(), reverse=True)),
        total=money(body.get("total"), "the order total"),
        meta=meta,
        gift_card_payments=_gift_card_payments(body),
    )


def _gift_card_payments(body: Mapping[str, Any]) -> tuple[tuple[str, Decimal], ...]:
    """Redeemed gift cards: WooCommerce Gift Cards' `gift_cards` [{id, code, amount}] and the
    `pw_gift_card_lines` [{card_number, amount}] some plugins add for PW Gift Cards."""
    found = []
    for key, code_key in (("gift_cards", "code"), ("pw_gift_card_lines", "card_number")):
        for entry in _entries(body.get(key), key):
            amount = money(entry.get("amount"), f"{key}: amount")
            if amount < ZERO or "amount" not in entry:
                raise OrderNotMappable(f"{key} holds {_shown(dict(entry))}, not a gift card "
                                       "with a code and an amount redeemed")
            if amount:
                found.append((_text(entry.get(code_key)) or "?", amount))
    return tuple(found)


def _currency(value: Any) -> str:
    code = _text(value).strip().upper() or "SEK"
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise OrderNotMappable(f"the order's currency {_shown(value)} is not a currency code")
    return code


def _address(data: Any) -> Address:
    data = data if isinstance(data, Mapping) else {}
    names = Address.__dataclass_fields__
    return Address(**{k: _text(v) for k, v in data.items() if k in names})


def _charge(kind: str, line: Mapping[str, Any], rate_by_id: Mapping[int, Decimal]) -> Charge:
    where = f"{kind} line {_shown(line.get('id'))}"
    taxes: dict[Decimal, Decimal] = {}
    for tax in _entries(line.get("taxes"), f"{where}: taxes"):
        amount = money(tax.get("total"), f"{where}: tax")
        rate_id = whole_number(tax.get("id"), f"{where}: tax rate id")
        if rate_id not in rate_by_id:
            if amount == ZERO:
                continue  # a rate removed from the order with nothing charged
            raise OrderNotMappable(f"{where} is taxed at rate id {rate_id}, which the order's "
                                   "tax lines do not list")
        rate = rate_by_id[rate_id]
        taxes[rate] = taxes.get(rate, ZERO) + amount
    total = money(line.get("total"), f"{where}: total")
    total_tax = money(line.get("total_tax"), f"{where}: total_tax")
    is_item = kind == "item"
    return Charge(
        kind=kind,
        line_id=whole_number(line.get("id"), f"{where}: id"),
        name=_text(line.get("name")) or _text(line.get("method_title")),
        quantity=money(line.get("quantity"), f"{where}: quantity") if is_item else Decimal(1),
        subtotal=money(line.get("subtotal"), f"{where}: subtotal") if is_item else total,
        subtotal_tax=(money(line.get("subtotal_tax"), f"{where}: subtotal_tax") if is_item
                      else total_tax),
        total=total,
        total_tax=total_tax,
        tax_by_rate=tuple(taxes.items()),
        sku=_text(line.get("sku")).strip(),
        product_id=whole_number(line.get("product_id"), f"{where}: product_id"),
        variation_id=whole_number(line.get("variation_id"), f"{where}: variation_id"),
        method_id=_text(line.get("method_id")),
        instance_id=_text(line.get("instance_id")),
        meta_keys=frozenset(str(m.get("key")) for m in _entries(line.get("meta_data"),
                                                                 f"{where}: meta_data")),
    )
