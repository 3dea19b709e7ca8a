"""Refunds of orders: whole or per line, the way wc_create_refund and wc_restock_refunded_items
work (tests/fixtures/woocommerce/rest 046–051, 061).

- A refund names order items of any kind (products, shipping, fees) by id, each with its
  `refund_total` and `refund_tax` per rate (REST v3 sends `[{id, refund_total}]`; a `{rate id:
  amount}` map is taken too). The refund keeps them as lines of its own with negative amounts,
  each naming its order item in `_refunded_item_id`, plus the refunded tax per rate in
  `tax_lines` (shipping's in `shipping_tax_total`).
- `prefill` is the shop's order screen: a line given only a quantity is refunded at its total
  per unit times the units (six decimals) and its tax per unit times the units (rounded to
  öre), as meta-boxes-order.js fills the fields in. The REST route never prefills.
- An amount above what is left to refund, or below zero, is refused before anything is made.
- With `api_refund` (the REST default) the payment gateway must refund the money; none of a
  Swedish shop's offline gateways (bacs, cheque, cod) can, so the refund is deleted again and
  the answer is a 500 whose `data` is the bare status. Its post id stays used (046).
- With `restock` (the REST default, `api_restock`) each refunded product line whose stock was
  reduced goes back to stock: `_reduced_stock` goes down, `_restock_refunded_items` up, and a
  note "Item #14 stock increased from 42 to 43." is added. No other note is written.
- A refund of everything that is left moves the order to Refunded.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sidecar.sim.woocommerce.errors import WooError
from sidecar.sim.woocommerce.format import money
from sidecar.sim.woocommerce.format import stored
from sidecar.sim.woocommerce.orders import OrdersMixin
from sidecar.sim.woocommerce.validation import as_integer
from sidecar.sim.woocommerce.values import to_decimal

ZERO = Decimal(0)
KINDS = ("line_items", "shipping_lines", "fee_lines")
# Gateways that can send money back by themselves; a Swedish shop's offline ones can't.
REFUNDING_GATEWAYS: frozenset[str] = frozenset()


class RefundsMixin(OrdersMixin):
    """Refunds: recorded on the order; a full refund moves it to Refunded."""

    refunds: dict[int, dict[str, Any]]

    def refund_order(
        self,
        order_id: int,
        *,
        amount: Decimal | None = None,
        reason: str = "",
        line_items: list[dict[str, Any]] | None = None,
        restock: bool = False,
        api_refund: bool = False,
        prefill: bool = False,
    ) -> dict[str, Any]:
        """Record a refund the way wc_create_refund does (order.updated via order_refunded)."""
        with self.lock:
            order = self.get_order(order_id)
            already = sum((self.refunds[i]["amount"] for i in order["refund_ids"]), ZERO)
            remaining = order["totals"]["total"] - already
            wanted = self._refunded_lines(order, line_items or [], prefill)
            if amount is None:  # the lines' own amounts, or all that is left
                amount = (Decimal(money(-sum((line["total"] + line["total_tax"]
                                             for _, _, line in wanted), ZERO)))
                          if wanted else remaining)
            if amount < 0 or amount > remaining:
                raise _cannot_refund("Invalid refund amount.")
            refund_id = self._post_id()
            if api_refund and order["payment_method"] not in REFUNDING_GATEWAYS:
                raise _cannot_refund(
                    "The payment gateway for this order does not support automatic refunds.")
            lines: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
            for kind, item, line in wanted:
                line["id"] = self._item_id()
                line["meta_data"] = [self._item_meta("_refunded_item_id", str(item["id"]))]
                lines[kind].append(line)
            refund = {
                "id": refund_id,
                "order_id": order_id,
                "date_created": self.now(),
                "amount": amount,
                "reason": reason,
                **lines,
                "tax_lines": self._refund_tax_lines(order, lines),
            }
            self.refunds[refund["id"]] = refund
            order["refund_ids"].append(refund["id"])
            order["date_modified"] = self.now()
            if restock:
                self._restock_refunded(order, [(item, line) for kind, item, line in wanted
                                               if kind == "line_items"])
            self.emit("order", "updated", order_id)
            if amount == remaining:
                # wc_order_fully_refunded moves the order to Refunded.
                self.set_order_status(order_id, "refunded")
            return refund

    def _refunded_lines(self, order: dict[str, Any], wanted: list[dict[str, Any]],
                        prefill: bool) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
        """(kind, order item, refund line) per requested line; the lines carry negative
        amounts."""
        lines = []
        for request in wanted:
            kind, item = _order_item(order, as_integer(request.get("id")) or 0)
            quantity = as_integer(request.get("quantity")) or 0
            total, taxes = _refunded_amounts(kind, item, request, quantity, prefill)
            taxes = {rate: -amount for rate, amount in taxes.items() if amount}
            tax = sum(taxes.values(), ZERO)
            if kind == "line_items":
                line = {"name": item["name"], "product_id": item["product_id"],
                        "variation_id": item["variation_id"], "quantity": -quantity,
                        "tax_class": item["tax_class"], "subtotal": -total,
                        "subtotal_tax": tax, "subtotal_taxes": dict(taxes),
                        "parent_name": item["parent_name"]}
            elif kind == "shipping_lines":
                line = {"method_title": item["method_title"], "method_id": item["method_id"],
                        "instance_id": item["instance_id"]}
            else:
                line = {"name": item["name"], "tax_class": item["tax_class"],
                        "tax_status": item["tax_status"]}
            lines.append((kind, item, {**line, "total": -total, "total_tax": tax,
                                       "taxes": taxes}))
        return lines

    def _refund_tax_lines(self, order: dict[str, Any], lines: dict[str, list[dict[str, Any]]]
                          ) -> list[dict[str, Any]]:
        totals: dict[int, list[Decimal]] = {}  # rate id → [items' tax, shipping's tax]
        for kind, kind_lines in lines.items():
            for line in kind_lines:
                for rate, amount in line["taxes"].items():
                    totals.setdefault(rate, [ZERO, ZERO])[kind == "shipping_lines"] += amount
        known = {t["rate_id"]: t for t in order["tax_lines"]}
        rates = {r.id: r for r in self.tax_rates}
        tax_lines = []
        for rate_id, (items, shipping) in totals.items():
            source = known.get(rate_id)
            rate = rates.get(rate_id)
            tax_lines.append({
                "id": self._item_id(),
                "rate_code": source["rate_code"] if source else rate.rate_code if rate else "",
                "rate_id": rate_id,
                "label": source["label"] if source else rate.label if rate else "",
                "tax_total": items,
                "shipping_tax_total": shipping,
                "rate_percent": source["rate_percent"] if source else rate.percent if rate
                else ZERO,
            })
        return tax_lines

    def _restock_refunded(self, order: dict[str, Any],
                          wanted: list[tuple[dict[str, Any], dict[str, Any]]]) -> None:
        for item, line in wanted:
            quantity = -line["quantity"]
            reduced = next((m for m in item["meta_data"] if m["key"] == "_reduced_stock"), None)
            product = self._stock_owner(
                self.products.get(item["variation_id"] or item["product_id"]))
            if not reduced or not int(reduced["value"] or 0) or not quantity or product is None \
                    or not product["manage_stock"]:
                continue
            before, after = self.change_stock(product, quantity)
            reduced["value"] = reduced["display_value"] = str(int(reduced["value"]) - quantity)
            restocked = next((m for m in item["meta_data"]
                              if m["key"] == "_restock_refunded_items"), None)
            if restocked is None:
                item["meta_data"].append(self._item_meta("_restock_refunded_items", "0"))
                restocked = item["meta_data"][-1]
            restocked["value"] = restocked["display_value"] = str(
                int(restocked["value"]) + quantity)
            self.add_note(order["id"],
                          f"Item #{product['id']} stock increased from {before} to {after}.")

    def refund_of(self, order_id: int, refund_id: int) -> dict[str, Any]:
        order = self.get_order(order_id)
        if refund_id not in order["refund_ids"]:
            raise WooError("woocommerce_rest_shop_order_refund_invalid_id", "Invalid ID.", 404)
        return self.refunds[refund_id]


def _order_item(order: dict[str, Any], item_id: int) -> tuple[str, dict[str, Any]]:
    for kind in KINDS:
        for item in order[kind]:
            if item["id"] == item_id:
                return kind, item
    raise WooError("woocommerce_rest_invalid_order_item", "Invalid order item.", 400)


def _refunded_amounts(kind: str, item: dict[str, Any], request: dict[str, Any], units: int,
                      prefill: bool) -> tuple[Decimal, dict[int, Decimal]]:
    """What a line refunds, net and tax per rate, both positive: as given, or as the order
    screen prefills a line given only its quantity."""
    if "refund_total" in request or not prefill:
        return (to_decimal(request.get("refund_total") or "0", "line_items"),
                _refund_taxes(request))
    ordered = Decimal(item.get("quantity", 1)) if kind == "line_items" else Decimal(1)
    share = Decimal(units) / ordered if kind == "line_items" and units else Decimal(1)
    return (stored(Decimal(item["total"]) * share),
            {int(rate): Decimal(money(Decimal(tax) * share))
             for rate, tax in item["taxes"].items() if Decimal(tax)})


def _refund_taxes(request: dict[str, Any]) -> dict[int, Decimal]:
    """`refund_tax` as REST sends it ([{id, refund_total}]) or as WooCommerce keeps it
    ({rate id: amount})."""
    raw = request.get("refund_tax") or []
    pairs = raw.items() if isinstance(raw, dict) else (
        (t.get("id"), t.get("refund_total")) for t in raw if isinstance(t, dict))
    taxes: dict[int, Decimal] = {}
    for rate, amount in pairs:
        rate_id = as_integer(rate)
        if rate_id is not None:
            taxes[rate_id] = taxes.get(rate_id, ZERO) + to_decimal(amount or "0", "refund_tax")
    return taxes


def _cannot_refund(message: str) -> WooError:
    return WooError("woocommerce_rest_cannot_create_order_refund", message, 500, bare=True)
