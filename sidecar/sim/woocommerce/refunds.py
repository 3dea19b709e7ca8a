"""Refunds of orders: whole or per line, with restocking, the way wc_create_refund works."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sidecar.sim.woocommerce.errors import WooError
from sidecar.sim.woocommerce.orders import OrdersMixin
from sidecar.sim.woocommerce.values import to_decimal


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
    ) -> dict[str, Any]:
        """Record a refund the way wc_create_refund does (order.updated via order_refunded)."""
        with self.lock:
            order = self.get_order(order_id)
            already = sum((self.refunds[i]["amount"] for i in order["refund_ids"]), Decimal(0))
            remaining = order["totals"]["total"] - already
            refund_lines = []
            if line_items:
                by_id = {item["id"]: item for item in order["line_items"]}
                line_sum = Decimal(0)
                for wanted in line_items:
                    item = by_id.get(int(wanted.get("id", 0)))
                    if item is None:
                        raise WooError(
                            "woocommerce_rest_invalid_order_item", "Invalid order item.", 400
                        )
                    quantity = int(wanted.get("quantity", 0))
                    total = to_decimal(wanted.get("refund_total", "0"), "line_items")
                    tax = sum(
                        (
                            to_decimal(v, "refund_tax")
                            for v in (wanted.get("refund_tax") or {}).values()
                        ),
                        Decimal(0),
                    )
                    line_sum += total + tax
                    refund_lines.append(
                        {
                            "id": self._item_id(),
                            "name": item["name"],
                            "product_id": item["product_id"],
                            "quantity": -quantity,
                            "total": f"{-total:.2f}",
                            "total_tax": f"{-tax:.2f}",
                        }
                    )
                    if restock and quantity:
                        product = self._stock_owner(
                            self.products.get(item["variation_id"] or item["product_id"])
                        )
                        if product is not None:
                            self.change_stock(product, quantity)
                if amount is None:
                    amount = line_sum
            if amount is None:
                amount = remaining
            if amount <= 0 or amount > remaining:
                raise WooError(
                    "woocommerce_rest_cannot_create_order_refund",
                    "Invalid refund amount.",
                    500,
                )
            refund = {
                "id": self._post_id(),
                "order_id": order_id,
                "date_created": self.now(),
                "amount": amount,
                "reason": reason,
                "line_items": refund_lines,
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
