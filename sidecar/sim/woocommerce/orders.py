"""Orders after checkout: edits, status transitions with WooCommerce's side effects (stock,
dates, notes), trash and delete, and order notes. State only; the routes are in
`orders_routes` and `notes_routes`, the representations in `orders_json`.
"""

from __future__ import annotations

from typing import Any

from sidecar.sim.woocommerce.errors import WooError
from sidecar.sim.woocommerce.products import ProductsMixin
from sidecar.sim.woocommerce.validation import invalid_param
from sidecar.sim.woocommerce.validation import wp_list

ORDER_STATUSES = (
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
)
# What PUT /orders/<id> accepts as status (059): no trash.
EDITABLE_STATUSES = ("auto-draft", *ORDER_STATUSES, "checkout-draft")
# Statuses in which WooCommerce has reduced stock and counted the sale.
STOCK_REDUCING_STATUSES = ("processing", "completed", "on-hold")
STOCK_RESTORING_STATUSES = ("cancelled", "pending")
STATUS_LABELS = {
    "pending": "Pending payment",
    "processing": "Processing",
    "on-hold": "On hold",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "refunded": "Refunded",
    "failed": "Failed",
    "checkout-draft": "Draft",
    "trash": "Trash",
}


class OrdersMixin(ProductsMixin):
    """Orders and their notes; orders draw on the products' stock."""

    orders: dict[int, dict[str, Any]]
    notes: dict[int, list[dict[str, Any]]]
    _next_note_id: int

    def get_order(self, order_id: int, *, status: int = 404) -> dict[str, Any]:
        """The order; a missing id is 404 on GET and DELETE, 400 on PUT (090)."""
        order = self.orders.get(order_id)
        if order is None:
            raise WooError("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", status)
        return order

    def update_order(self, order_id: int, data: dict[str, Any]) -> dict[str, Any]:
        """PUT /orders/<id>: fields first, then the status transition, then one save."""
        with self.lock:
            order = self.get_order(order_id, status=400)
            unsupported = {"line_items", "shipping_lines", "fee_lines", "coupon_lines"} & set(data)
            if unsupported:
                raise WooError(
                    "woocommerce_sim_unsupported",
                    "The simulator does not recalculate edited order lines: "
                    + ", ".join(sorted(unsupported)),
                    400,
                )
            for name in ("billing", "shipping"):
                if isinstance(data.get(name), dict):
                    order[name].update(
                        {k: str(v) for k, v in data[name].items() if k in order[name]}
                    )
            for name in (
                "payment_method",
                "payment_method_title",
                "transaction_id",
                "customer_note",
            ):
                if name in data:
                    order[name] = str(data[name])
            if "customer_id" in data:
                order["customer_id"] = int(data["customer_id"] or 0)
            if "meta_data" in data:
                self._merge_meta(order["meta_data"], list(data["meta_data"] or []))
            order["date_modified"] = self.now()
            status = data.get("status")
            if data.get("set_paid") and order["status"] in ("pending", "failed", "on-hold"):
                status = status or "processing"
            if status and status != order["status"]:
                self.set_order_status(order_id, status, paid=bool(data.get("set_paid")))
            else:
                self.emit("order", "updated", order_id)
            return order

    def set_order_status(self, order_id: int, status: str, *, paid: bool = False) -> dict:
        """The status transition with WooCommerce's side effects: stock reduced once (on
        processing, completed or on-hold) and put back on cancelled or pending, sales counted
        once and taken back on cancel, dates, and the notes (stock note first, 055/060)."""
        with self.lock:
            order = self.get_order(order_id)
            if status == "trash":
                return self.trash_order(order_id)
            if order["status"] == "trash":
                self.restore_order(order_id)
            if status not in (*ORDER_STATUSES, "auto-draft", "checkout-draft"):
                raise invalid_param(
                    "status", f"status is not one of {wp_list(EDITABLE_STATUSES)}.",
                    "rest_not_in_enum")
            old = order["status"]
            if old == status:
                return order
            now = self.now()
            order["status"] = status
            order["date_modified"] = now
            paid_now = status == "completed" or (
                status == "processing" and (paid or order["payment_method"] != "cod")
            )
            if paid_now and order["date_paid"] is None:
                order["date_paid"] = now
            if status == "completed":
                order["date_completed"] = now
            self.emit("order", "updated", order_id)
            self.emit("action", f"woocommerce_order_status_{status}", order_id)
            if status in STOCK_REDUCING_STATUSES and not order["stock_reduced"]:
                self._reduce_stock(order)
            elif status in STOCK_RESTORING_STATUSES and order["stock_reduced"]:
                self._restore_stock(order)
            self._count_sales(order)
            self.add_note(
                order_id,
                f"Order status changed from {_label(old)} to {_label(status)}.",
            )
            return order

    def _reduce_stock(self, order: dict[str, Any]) -> None:
        order["stock_reduced"] = True
        changes = []
        for item in order["line_items"]:
            product = self._stock_owner(
                self.products.get(item["variation_id"] or item["product_id"]))
            if product is None or not product["manage_stock"]:
                continue
            before, after = self.change_stock(product, -item["quantity"])
            item["meta_data"].append(
                self._item_meta("_reduced_stock", str(item["quantity"]))
            )
            changes.append(f"{self.formatted_name(product)} {before}&rarr;{after}")
        if changes:
            self.add_note(order["id"], "Stock levels reduced: " + ", ".join(changes))

    def _restore_stock(self, order: dict[str, Any]) -> None:
        order["stock_reduced"] = False
        changes = []
        for item in order["line_items"]:
            reduced = next((m for m in item["meta_data"] if m["key"] == "_reduced_stock"), None)
            product = self._stock_owner(
                self.products.get(item["variation_id"] or item["product_id"])
            )
            if reduced is None or product is None or not product["manage_stock"]:
                continue
            item["meta_data"].remove(reduced)
            before, after = self.change_stock(product, int(reduced["value"]))
            changes.append(f"{self.formatted_name(product)} {before}&rarr;{after}")
        if changes:
            self.add_note(order["id"], "Stock levels increased: " + ", ".join(changes))

    def _count_sales(self, order: dict[str, Any]) -> None:
        """wc_update_total_sales_counts: the parent product's total_sales, once per order, taken
        back when the order is cancelled or trashed (without saving the product)."""
        recorded = order.get("sales_recorded", False)
        reversed_ = order["status"] in ("cancelled", "trash")
        if order["status"] not in (*STOCK_REDUCING_STATUSES, "cancelled", "trash") or (
                recorded != reversed_):
            return
        sign = -1 if reversed_ else 1
        for item in order["line_items"]:
            product = self.products.get(item["product_id"])
            if product is not None:
                product["total_sales"] += sign * item["quantity"]
        order["sales_recorded"] = not reversed_

    def _stock_owner(self, product: dict[str, Any] | None) -> dict[str, Any] | None:
        # A variation without its own stock management draws on its parent's stock.
        if product is not None and product["type"] == "variation" and not product["manage_stock"]:
            parent = self.products.get(product["parent_id"])
            if parent is not None and parent["manage_stock"]:
                return parent
        return product

    def trash_order(self, order_id: int) -> dict[str, Any]:
        with self.lock:
            order = self.get_order(order_id)
            if order["status"] != "trash":
                order["status_before_trash"] = order["status"]
                order["status"] = "trash"
                order["date_modified"] = self.now()
                self._count_sales(order)
                self.emit("order", "deleted", order_id)
            return order

    def restore_order(self, order_id: int) -> dict[str, Any]:
        with self.lock:
            order = self.get_order(order_id)
            if order["status"] == "trash":
                order["status"] = order["status_before_trash"] or "pending"
                order["date_modified"] = self.now()
                self.emit("order", "restored", order_id)
            return order

    def delete_order(self, order_id: int, *, force: bool) -> dict[str, Any]:
        """DELETE /orders/<id>: trash (order.deleted), or with force gone for good (silent)."""
        with self.lock:
            if not force:
                return self.trash_order(order_id)
            order = self.get_order(order_id)
            del self.orders[order_id]
            return order

    def add_note(
        self, order_id: int, text: str, *, customer_note: bool = False, by_user: bool = False
    ) -> dict[str, Any]:
        """An order note. Notes do not save the order, so no webhook fires."""
        with self.lock:
            self.get_order(order_id)
            note = {
                "id": self._next_note_id,
                "author": "admin" if by_user else "WooCommerce",
                "date_created": self.now(),
                "note": text,
                "customer_note": customer_note,
            }
            self._next_note_id += 1
            self.notes[order_id].append(note)
            return note


def _label(status: str) -> str:
    return STATUS_LABELS.get(status, status)
