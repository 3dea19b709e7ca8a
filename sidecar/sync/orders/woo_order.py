"""A WooCommerce order (REST v3 / webhook body) read once into frozen dataclasses, money as Decimal.

The body is loaded by `WooOrderSchema` (marshmallow, tolerant of extra keys, strict about money:
amounts come from the string totals, never from the float `price`, woocommerce.md §2.4, §8.10). A
line's VAT rate is found through its `taxes[].id` → `tax_lines[].rate_id` → `rate_percent` (§2.5).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from typing import ClassVar

from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import post_load

from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.woocommerce.schemas import ZERO
from sidecar.woocommerce.schemas import Entries
from sidecar.woocommerce.schemas import Flag
from sidecar.woocommerce.schemas import Lenient
from sidecar.woocommerce.schemas import Money
from sidecar.woocommerce.schemas import Text
from sidecar.woocommerce.schemas import WholeNumber
from sidecar.woocommerce.schemas import load
from sidecar.woocommerce.schemas import shown


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
    refunds: tuple[tuple[int, Decimal], ...] = ()  # (refund id, amount) as the order lists them

    @property
    def charges(self) -> tuple[Charge, ...]:
        return self.items + self.fees + self.shipping_lines

    @property
    def is_vat_exempt(self) -> bool:
        return str(self.meta.get("is_vat_exempt", "")).lower() == "yes"

    @property
    def charged_vat(self) -> bool:
        return any(amount != ZERO for _, amount in self.vat_by_rate)


ADDRESS = Lenient.from_dict({name: Text() for name in Address.__dataclass_fields__})()


class AnAddress(fields.Field):
    """An address; anything but an object (WooCommerce never sends that) is an empty one."""

    def deserialize(self, value: Any, attr: str | None = None,
                    data: Mapping[str, Any] | None = None, **kwargs: Any) -> Address:
        return Address(**ADDRESS.load(value)) if isinstance(value, Mapping) else Address()


class Currency(Text):
    empty = "SEK"

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        code = super()._deserialize(value, attr, data).strip().upper() or "SEK"
        if len(code) != 3 or not code.isascii() or not code.isalpha():
            raise ValidationError(f"{shown(value)} is not a currency code")
        return code


class PaidAt(fields.Field):
    """When the order was paid (site-local ISO text); anything else means not paid."""

    def deserialize(self, value: Any, attr: str | None = None,
                    data: Mapping[str, Any] | None = None, **kwargs: Any) -> str | None:
        return value if isinstance(value, str) and value else None


class TaxLineSchema(Lenient):
    rate_id = WholeNumber()
    rate_percent = Money()
    tax_total = Money()
    shipping_tax_total = Money()


class LineTaxSchema(Lenient):
    labels: ClassVar[dict[str, str]] = {"id": "tax rate id", "total": "tax"}
    id = WholeNumber()
    total = Money()


class ChargeSchema(Lenient):
    """A fee or shipping line; loaded as a dict, made a Charge once the order's rates are known."""

    id = WholeNumber()
    name = Text()
    method_title = Text()
    method_id = Text()
    instance_id = Text()
    sku = Text()
    product_id = WholeNumber()
    variation_id = WholeNumber()
    taxes = Entries(LineTaxSchema)
    total = Money()
    total_tax = Money()
    meta_data = Entries()


class ItemSchema(ChargeSchema):
    quantity = Money()
    subtotal = Money()
    subtotal_tax = Money()


class ListedRefundSchema(Lenient):
    id = WholeNumber()
    total = Money()


class GiftCardSchema(Lenient):
    amount = Money(load_default=None)
    code = Text()
    card_number = Text()


def line_where(kind: str) -> Callable[[Mapping[str, Any]], str]:
    """How a refusal names a line of this kind: "item line 3"."""
    return lambda line: f"{kind} line {shown(line.get('id'))}"


class WooOrderSchema(Lenient):
    labels: ClassVar[dict[str, str]] = {"id": "the order id", "total": "the order total",
              "currency": "the order's currency"}
    id = WholeNumber()
    number = Text()
    status = Text()
    currency = Currency()
    prices_include_tax = Flag()
    date_created = Text()
    date_paid = PaidAt()
    customer_id = WholeNumber()
    customer_note = Text()
    payment_method = Text()
    payment_method_title = Text()
    billing = AnAddress()
    shipping = AnAddress()
    tax_lines = Entries(TaxLineSchema, where=lambda line: f"tax line {line.get('id')}")
    line_items = Entries(ItemSchema, where=line_where("item"))
    fee_lines = Entries(ChargeSchema, where=line_where("fee"))
    shipping_lines = Entries(ChargeSchema, where=line_where("shipping"))
    total = Money()
    meta_data = Entries()
    refunds = Entries(ListedRefundSchema, where=lambda r: f"refund {shown(r.get('id'))}")
    gift_cards = Entries(GiftCardSchema, where=lambda _: "gift_cards")
    pw_gift_card_lines = Entries(GiftCardSchema, where=lambda _: "pw_gift_card_lines")

    @post_load(pass_original=True)
    def make(self, data: dict[str, Any], original: Mapping[str, Any], **_: Any) -> WooOrder:
        if data["id"] <= 0:
            raise OrderNotMappable(f"the order has no id: {shown(original.get('id'))}")
        rate_by_id: dict[int, Decimal] = {}
        vat_by_rate: dict[Decimal, Decimal] = {}
        for line in data["tax_lines"]:
            rate = line["rate_percent"]
            rate_by_id[line["rate_id"]] = rate
            vat_by_rate[rate] = (vat_by_rate.get(rate, ZERO) + line["tax_total"]
                                 + line["shipping_tax_total"])
        return WooOrder(
            id=data["id"],
            number=data["number"] or str(data["id"]),
            status=data["status"],
            currency=data["currency"],
            prices_include_tax=data["prices_include_tax"],
            date_created=data["date_created"],
            date_paid=data["date_paid"],
            customer_id=data["customer_id"],
            customer_note=data["customer_note"],
            payment_method=data["payment_method"],
            payment_method_title=data["payment_method_title"],
            billing=data["billing"],
            shipping=data["shipping"],
            items=tuple(_charge("item", line, rate_by_id) for line in data["line_items"]),
            fees=tuple(_charge("fee", line, rate_by_id) for line in data["fee_lines"]),
            shipping_lines=tuple(_charge("shipping", line, rate_by_id)
                                 for line in data["shipping_lines"]),
            vat_by_rate=tuple(sorted(vat_by_rate.items(), reverse=True)),
            total=data["total"],
            meta={m.get("key"): m.get("value") for m in data["meta_data"] if "key" in m},
            gift_card_payments=_gift_card_payments(data),
            refunds=tuple((r["id"], abs(r["total"])) for r in data["refunds"]),
        )


ORDER = WooOrderSchema()


def parse_order(body: Mapping[str, Any]) -> WooOrder:
    """The order as the mapping needs it; raises OrderNotMappable (saying which field and why)
    when a field has a shape WooCommerce would not send or a rate cannot be found."""
    return load(ORDER, body, what="the order", refused=OrderNotMappable)  # type: ignore[no-any-return]


def _gift_card_payments(data: Mapping[str, Any]) -> tuple[tuple[str, Decimal], ...]:
    """Redeemed gift cards: WooCommerce Gift Cards' `gift_cards` [{id, code, amount}] and the
    `pw_gift_card_lines` [{card_number, amount}] some plugins add for PW Gift Cards."""
    found = []
    for key, code_key in (("gift_cards", "code"), ("pw_gift_card_lines", "card_number")):
        for entry in data[key]:
            amount = entry["amount"]
            if amount is None or amount < ZERO:
                raise OrderNotMappable(f"{key} holds an entry that is not a gift card with a "
                                       f"code and an amount redeemed (amount: {amount})")
            if amount:
                found.append((entry[code_key] or "?", amount))
    return tuple(found)


def _charge(kind: str, line: Mapping[str, Any], rate_by_id: Mapping[int, Decimal]) -> Charge:
    taxes: dict[Decimal, Decimal] = {}
    for tax in line["taxes"]:
        rate_id, amount = tax["id"], tax["total"]
        if rate_id not in rate_by_id:
            if amount == ZERO:
                continue  # a rate removed from the order with nothing charged
            raise OrderNotMappable(f"{kind} line {shown(line['id'])} is taxed at rate id "
                                   f"{rate_id}, which the order's tax lines do not list")
        rate = rate_by_id[rate_id]
        taxes[rate] = taxes.get(rate, ZERO) + amount
    is_item = kind == "item"
    return Charge(
        kind=kind,
        line_id=line["id"],
        name=line["name"] or line["method_title"],
        quantity=line["quantity"] if is_item else Decimal(1),
        subtotal=line["subtotal"] if is_item else line["total"],
        subtotal_tax=line["subtotal_tax"] if is_item else line["total_tax"],
        total=line["total"],
        total_tax=line["total_tax"],
        tax_by_rate=tuple(taxes.items()),
        sku=line["sku"].strip(),
        product_id=line["product_id"],
        variation_id=line["variation_id"],
        method_id=line["method_id"],
        instance_id=line["instance_id"],
        meta_keys=frozenset(str(m.get("key")) for m in line["meta_data"]),
    )
