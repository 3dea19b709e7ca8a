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
from typing import ClassVar

from marshmallow import ValidationError
from marshmallow import post_load

from sidecar.sync.orders.woo_order import ZERO
from sidecar.sync.orders.woo_order import ChargeSchema
from sidecar.sync.orders.woo_order import ItemSchema
from sidecar.sync.orders.woo_order import OrderNotMappable
from sidecar.sync.orders.woo_order import TaxLineSchema
from sidecar.sync.orders.woo_order import line_where
from sidecar.sync.orders.woo_order import shown
from sidecar.woocommerce.schemas import Entries
from sidecar.woocommerce.schemas import Lenient
from sidecar.woocommerce.schemas import Money
from sidecar.woocommerce.schemas import Text
from sidecar.woocommerce.schemas import WholeNumber
from sidecar.woocommerce.schemas import load

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


class _Refunded(Lenient):
    """A refund's line names the order line it refunds in its meta `_refunded_item_id`."""

    @post_load
    def refunded_item(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        meta = {m.get("key"): m.get("value") for m in data["meta_data"] if "key" in m}
        try:
            data["refunded_line_id"] = WHOLE_NUMBER.deserialize(meta.get("_refunded_item_id"))
        except ValidationError as error:
            raise ValidationError({"refunded item": error.messages}) from None
        return data


class RefundItemSchema(_Refunded, ItemSchema):
    pass


class RefundChargeSchema(_Refunded, ChargeSchema):
    pass


class WooRefundSchema(Lenient):
    """A refund; `order_rates` are the rates of the order it refunds (its lines may be taxed at
    a rate only the order lists)."""

    labels: ClassVar[dict[str, str]] = {"id": "the refund id"}
    id = WholeNumber()
    date_created = Text()
    amount = Money()
    reason = Text()
    tax_lines = Entries(TaxLineSchema, where=lambda line: f"tax line {line.get('id')}")
    line_items = Entries(RefundItemSchema, where=line_where("item"))
    fee_lines = Entries(RefundChargeSchema, where=line_where("fee"))
    shipping_lines = Entries(RefundChargeSchema, where=line_where("shipping"))

    def __init__(self, order_rates: Mapping[int, Decimal], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.order_rates = order_rates

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> WooRefund:
        where = f"refund {data['id']}"
        rates = {**self.order_rates, **_rates(data["tax_lines"])}
        vat: dict[Decimal, Decimal] = {}
        for line in data["tax_lines"]:
            rate = line["rate_percent"]
            vat[rate] = vat.get(rate, ZERO) - (line["tax_total"] + line["shipping_tax_total"])
        lines = tuple(_refund_line(kind, line, rates, where) for key, kind in LINE_KINDS
                      for line in data[key])
        if not vat:  # no tax lines: the lines' own taxes are all there is
            for refund_line in lines:
                for rate, tax in refund_line.tax_by_rate:
                    vat[rate] = vat.get(rate, ZERO) + tax
        return WooRefund(
            id=data["id"],
            date_created=data["date_created"],
            amount=abs(data["amount"]),
            reason=data["reason"].strip(),
            lines=lines,
            vat_by_rate=tuple(sorted(vat.items(), reverse=True)),
        )


class TaxRatesSchema(Lenient):
    tax_lines = Entries(TaxLineSchema, where=lambda line: f"tax line {line.get('id')}")


class RestockSchema(Lenient):
    line_items = Entries(ItemSchema, where=line_where("item"))


WHOLE_NUMBER, AMOUNT = WholeNumber(), Money()
TAX_RATES = TaxRatesSchema()
RESTOCKS = RestockSchema()


def _rates(tax_lines: Any) -> dict[int, Decimal]:
    return {line["rate_id"]: line["rate_percent"] for line in tax_lines}


def rates_by_id(order_payload: Mapping[str, Any]) -> dict[int, Decimal]:
    """Tax rate id → percent, from an order's (or a refund's) `tax_lines`."""
    return _rates(load(TAX_RATES, order_payload, what="the order",
                       refused=OrderNotMappable)["tax_lines"])


def parse_refund(body: Mapping[str, Any], order_rates: Mapping[int, Decimal]) -> WooRefund:
    """The refund as the credit needs it; raises OrderNotMappable naming the field."""
    where = f"refund {shown(body.get('id'))}: " if isinstance(body, Mapping) else ""
    return load(WooRefundSchema(order_rates), body, what="a refund", refused=OrderNotMappable,
                prefix=where)


def _refund_line(kind: str, line: Mapping[str, Any], rates: Mapping[int, Decimal],
                 where: str) -> RefundLine:
    here = f"{where}, {kind} line {line['id']}"
    taxes: dict[Decimal, Decimal] = {}
    for tax in line["taxes"]:
        amount, rate_id = -tax["total"], tax["id"]
        if rate_id not in rates:
            if amount == ZERO:
                continue
            raise OrderNotMappable(f"{here} is taxed at rate id {rate_id}, which neither the "
                                   "refund nor the order lists")
        taxes[rates[rate_id]] = taxes.get(rates[rate_id], ZERO) + amount
    return RefundLine(
        kind=kind,
        line_id=line["id"],
        refunded_line_id=line["refunded_line_id"],
        name=line["name"] or line["method_title"],
        quantity=abs(line["quantity"]) if kind == "item" else Decimal(1),
        total=-line["total"],
        total_tax=-line["total_tax"],
        tax_by_rate=tuple(taxes.items()),
        sku=line["sku"].strip(),
    )


def restocked_by_line(order_payload: Mapping[str, Any]) -> dict[int, Decimal]:
    """Order line id → units WooCommerce has put back in stock for its refunds, so far."""
    found: dict[int, Decimal] = {}
    for line in load(RESTOCKS, order_payload, what="the order",
                     refused=OrderNotMappable)["line_items"]:
        for meta in line["meta_data"]:
            if meta.get("key") == "_restock_refunded_items":
                try:
                    found[line["id"]] = abs(AMOUNT.deserialize(meta.get("value")))
                except ValidationError as error:
                    raise OrderNotMappable(f"_restock_refunded_items {error.messages[0]}") from None
    return found
