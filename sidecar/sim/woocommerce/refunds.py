"""Refunds of orders: whole or per line, with restocking, the way wc_create_refund works.

A refund names order items of any kind (products, shipping, fees) by id, each with its
`refund_total` and `refund_tax` per rate (REST v3 sends `[{id, refund_total}]`; a `{rate_id:
amount}` map is taken too). The refund keeps them as lines of its own with negative amounts,
each naming its order item in `_refunded_item_id`, plus the refunded tax per rate in
`tax_lines` (fixtures rest/048, 051). Restocking a product line puts the units back and counts
them on the order's item in `_restock_refunded_items`, lowering `_reduced_stock` (rest/049).

`prefill=True` is the shop's order screen: a line given only a quantity is refunded at its
total per unit times the units (six decimals) and its tax per unit times the units (rounded
to öre), as meta-boxes-order.js fills the fields in. The REST route never prefills.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sidecar.sim.woocommerce.errors import WooError
from sidecar.sim.woocommerce.format import money
from sidecar.sim.woocommerce.format import stored
from sidecar.sim.woocommerce.format import trimmed
from sidecar.sim.woocommerce.orders import OrdersMixin
from sidecar.sim.woocommerce.values import to_decimal

ZERO = Decimal(0)
KINDS = ("line_items", "shipping_lines", "fee_lines")


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
        prefill: bool = False,
    ) -> dict[str, Any]:
        """Record a refund the way wc_create_refund does (order.updated via order_refunded)."""
        with self.lock:
            order = self.get_order(order_id)
            already = sum((self.refunds[i]["amount"] for i in order["refund_ids"]), Decimal(0))
            remaining = order["totals"]["total"] - already
            lines: dict[str, list[dict[str, Any]]] = {key: [] for key in KINDS}
            taxes: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
            restocked = []
            line_sum = ZERO
            for wanted in line_items or []:
                key, item = self._order_item(order, int(wanted.get("id", 0)))
                units = int(wanted.get("quantity", 0) or 0)
                net, tax_by_rate = self._refunded_amounts(key, item, wanted, units, prefill)
                line_sum += net + sum(tax_by_rate.values(), ZERO)
                for rate_id, tax in tax_by_rate.items():
                    taxes[rate_id][1 if key == "shipping_lines" else 0] += tax
                lines[key].append(self._refund_line(key, item, units, net, tax_by_rate))
                if restock and units and key == "line_items":
                    restocked.append((item, units))
            if amount is None:  # the lines' sum; without lines, what is left of the order
                amount = Decimal(money(line_sum)) if line_items else remaining
            if amount <= 0 or amount > remaining:
                raise WooError(
                    "woocommerce_rest_cannot_create_order_refund",
                    "Invalid refund amount.",
                    500,
                )
            for item, units in restocked:
                self._restock_refunded(order_id, item, units)
            refund = {
                "id": self._post_id(),
                "order_id": order_id,
                "date_created": self.now(),
                "amount": amount,
                "reason": reason,
                **lines,
                "tax_lines": self._refund_tax_lines(order, taxes),
            }
            self.refunds[refund["id"]] = refund
            order["refund_ids"].append(refund["id"])
            order["date_modified"] = self.now()
            self.add_note(
                order_id, f"Refunded {amount:.2f} kr" + (f" – {reason}" if reason else "")
            )
            self.emit("order", "updated", order_id)
            if amount == remaining:
                # wc_order_fully_refunded moves the order to Refunded.
                self.set_order_status(order_id, "refunded")
            return refund

    @staticmethod
    def _order_item(order: dict[str, Any], item_id: int) -> tuple[str, dict[str, Any]]:
        for key in KINDS:
            for item in order[key]:
                if item["id"] == item_id:
                    return key, item
        raise WooError("woocommerce_rest_invalid_order_item", "Invalid order item.", 400)

    @staticmethod
    def _refunded_amounts(key: str, item: dict[str, Any], wanted: dict[str, Any], units: int,
                          prefill: bool) -> tuple[Decimal, dict[int, Decimal]]:
        given = wanted.get("refund_tax") or {}
        if isinstance(given, list):  # REST v3: [{"id": rate_id, "refund_total": "1.23"}]
            given = {entry.get("id"): entry.get("refund_total") for entry in given}
        quantity = Decimal(item.get("quantity", 1)) if key == "line_items" else Decimal(1)
        share = (Decimal(units) / quantity if key == "line_items" else Decimal(1)) if units \
            else Decimal(1)
        if "refund_total" in wanted or not prefill:
            net = to_decimal(wanted.get("refund_total", "0"), "line_items")
            tax_by_rate = {int(rid): to_decimal(value, "refund_tax")
                           for rid, value in given.items()}
        else:
            net = stored(Decimal(item["total"]) * share)
            tax_by_rate = {int(rid): money(Decimal(t) * share) for rid, t in
                           item["taxes"].items() if Decimal(t)}
            tax_by_rate = {rid: Decimal(value) for rid, value in tax_by_rate.items()}
        return net, {rid: tax for rid, tax in tax_by_rate.items() if tax}

    def _refund_line(self, key: str, item: dict[str, Any], units: int, net: Decimal,
                     tax_by_rate: dict[int, Decimal]) -> dict[str, Any]:
        tax = sum(tax_by_rate.values(), ZERO)
        line: dict[str, Any] = {
            "id": self._item_id(),
            "total": money(-net),
            "total_tax": money(-tax),
            "taxes": [{"id": rid, "total": trimmed(-t), "subtotal": trimmed(-t)}
                      for rid, t in tax_by_rate.items()],
            "meta_data": [self._meta("_refunded_item_id", str(item["id"]), display=True)],
        }
        if key == "line_items":
            product = self.products.get(item["variation_id"] or item["product_id"])
            line = {"id": line["id"], "name": item["name"], "product_id": item["product_id"],
                    "variation_id": item["variation_id"], "quantity": -units,
                    "tax_class": item["tax_class"], "subtotal": line["total"],
                    "subtotal_tax": line["total_tax"], **line,
                    "sku": product["sku"] if product is not None else None,
                    "price": float(net / units) if units else 0}
        elif key == "shipping_lines":
            line = {"id": line["id"], "method_title": item["method_title"],
                    "method_id": item["method_id"], "instance_id": item["instance_id"], **line}
        else:
            line = {"id": line["id"], "name": item["name"], "tax_class": item["tax_class"],
                    "tax_status": item["tax_status"], **line}
        return line

    def _restock_refunded(self, order_id: int, item: dict[str, Any], units: int) -> None:
        """wc_restock_refunded_items: stock back, counted on the order's item."""
        product = self._stock_owner(self.products.get(item["variation_id"] or item["product_id"]))
        if product is None or not product["manage_stock"]:
            return
        before = product["stock_quantity"] or 0
        self.change_stock(product, units)
        meta = {m["key"]: m for m in item["meta_data"]}
        if "_reduced_stock" in meta:
            reduced = meta["_reduced_stock"]
            reduced["value"] = str(max(int(reduced["value"]) - units, 0))
        counted = meta.get("_restock_refunded_items")
        if counted is None:
            item["meta_data"].append(self._meta("_restock_refunded_items", str(units)))
        else:
            counted["value"] = str(int(counted["value"]) + units)
        self.add_note(order_id, f"Item #{product['id']} stock increased from {before} to "
                                f"{before + units}.")

    def _refund_tax_lines(self, order: dict[str, Any],
                          taxes: dict[int, list[Decimal]]) -> list[dict[str, Any]]:
        by_rate = {t["rate_id"]: t for t in order["tax_lines"]}
        return [{"id": self._item_id(), "rate_code": by_rate[rid]["rate_code"], "rate_id": rid,
                 "label": by_rate[rid]["label"], "compound": False,
                 "tax_total": money(-items), "shipping_tax_total": money(-shipping),
                 "rate_percent": by_rate[rid]["rate_percent"], "meta_data": []}
                for rid, (items, shipping) in taxes.items() if rid in by_rate]
