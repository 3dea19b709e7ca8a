"""Refunds made the way WooCommerce makes them, for orders made by the simulator's checkout.

WooCommerce's order screen (meta-boxes-order.js) prefills a line's refund as the line's total
divided by its quantity times the units refunded, kept to 6 decimals, and each tax as the
line's (unrounded) tax per unit times the units, rounded to öre; wc_create_refund stores those
and the amount is their sum rounded to öre. Shipping and fees are refunded whole. The REST body
of the refund then shows every amount negative and rounded to öre, each line naming its order
line in `_refunded_item_id`, and the refunded tax per rate in `tax_lines` (fixture rest/051).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Mapping
from decimal import ROUND_HALF_UP
from decimal import Decimal
from typing import Any

CENT = Decimal("0.01")
MICRO = Decimal("0.000001")


def ore(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def woo_refund(order: Mapping[str, Any], refund_id: int, *, items: Mapping[int, int] = {},
               shipping: Iterable[int] = (), fees: Iterable[int] = (),
               amount: str | None = None, reason: str = "") -> dict[str, Any]:
    """The REST body of a refund of `items` (order line id → units), whole shipping and fee
    lines by id, or (without lines) just `amount`."""
    rates = {t["rate_id"]: t for t in order["tax_lines"]}
    tax_total: dict[int, Decimal] = defaultdict(Decimal)
    shipping_tax: dict[int, Decimal] = defaultdict(Decimal)
    exact_sum = Decimal(0)
    bodies: dict[str, list[dict[str, Any]]] = {"line_items": [], "shipping_lines": [],
                                               "fee_lines": []}
    next_id = refund_id * 100
    for key, chosen in (("line_items", dict(items)), ("shipping_lines", set(shipping)),
                        ("fee_lines", set(fees))):
        for line in order[key]:
            if line["id"] not in chosen:
                continue
            whole = key != "line_items"
            units = Decimal(1) if whole else Decimal(chosen[line["id"]])
            quantity = Decimal(1) if whole else Decimal(line["quantity"])
            net = (Decimal(line["total"]) * units / quantity).quantize(MICRO)
            taxes = [(t["id"], ore(Decimal(t["total"] or 0) * units / quantity))
                     for t in line["taxes"] if Decimal(t["total"] or 0)]
            for rate_id, tax in taxes:
                (shipping_tax if key == "shipping_lines" else tax_total)[rate_id] += tax
            exact_sum += net + sum((tax for _, tax in taxes), Decimal(0))
            next_id += 1
            body: dict[str, Any] = {
                "id": next_id, "total": str(-ore(net)),
                "total_tax": str(-sum((tax for _, tax in taxes), Decimal(0))),
                "taxes": [{"id": rid, "total": str(-tax), "subtotal": str(-tax)}
                          for rid, tax in taxes],
                "meta_data": [{"id": next_id, "key": "_refunded_item_id",
                               "value": str(line["id"])}],
            }
            if key == "line_items":
                body.update({"name": line["name"], "product_id": line["product_id"],
                             "variation_id": line["variation_id"], "quantity": -int(units),
                             "subtotal": body["total"], "subtotal_tax": body["total_tax"],
                             "sku": line["sku"]})
            elif key == "shipping_lines":
                body.update({"method_title": line["method_title"],
                             "method_id": line["method_id"]})
            else:
                body["name"] = line["name"]
            bodies[key].append(body)
    tax_lines = [{"id": refund_id * 100 + 90 + n, "rate_code": rates[rid]["rate_code"],
                  "rate_id": rid, "label": rates[rid]["label"], "compound": False,
                  "tax_total": str(-tax_total[rid]), "shipping_tax_total": str(-shipping_tax[rid]),
                  "rate_percent": rates[rid]["rate_percent"]}
                 for n, rid in enumerate(sorted(set(tax_total) | set(shipping_tax)))]
    return {"id": refund_id, "date_created": "2026-03-02T11:00:00",
            "amount": amount if amount is not None else str(ore(exact_sum)),
            "reason": reason, "refunded_by": 1, "refunded_payment": False, "meta_data": [],
            **bodies, "tax_lines": tax_lines}


def refunded_vat(refund: Mapping[str, Any]) -> dict[Decimal, Decimal]:
    """WooCommerce's refunded VAT per rate (positive), from the refund's tax lines."""
    found: dict[Decimal, Decimal] = defaultdict(Decimal)
    for line in refund["tax_lines"]:
        found[Decimal(str(line["rate_percent"]))] -= (Decimal(line["tax_total"])
                                                      + Decimal(line["shipping_tax_total"]))
    return {rate: vat for rate, vat in found.items() if vat}


def restocked(order: dict[str, Any], line_id: int, units: int) -> dict[str, Any]:
    """The order as WooCommerce has it after restocking `units` of a refunded line."""
    for line in order["line_items"]:
        if line["id"] == line_id:
            meta = [m for m in line["meta_data"] if m["key"] != "_restock_refunded_items"]
            done = sum(int(m["value"]) for m in line["meta_data"]
                       if m["key"] == "_restock_refunded_items")
            line["meta_data"] = [*meta, {"key": "_restock_refunded_items",
                                         "value": str(done + units)}]
    return order
