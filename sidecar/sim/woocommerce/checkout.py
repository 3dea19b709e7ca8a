"""Placing an order: a cart (lines, coupons, shipping, fees) becomes an order with the totals
WooCommerce computes (see `cart`), then takes the status it was placed with.
"""

from __future__ import annotations

import secrets
from decimal import Decimal
from typing import Any

from sidecar.sim.woocommerce.cart import calculate_cart
from sidecar.sim.woocommerce.cart_types import CartLine
from sidecar.sim.woocommerce.cart_types import Coupon
from sidecar.sim.woocommerce.cart_types import Fee
from sidecar.sim.woocommerce.cart_types import Shipping
from sidecar.sim.woocommerce.errors import WooError
from sidecar.sim.woocommerce.format import stored
from sidecar.sim.woocommerce.orders import OrdersMixin
from sidecar.sim.woocommerce.taxes import TaxRate
from sidecar.sim.woocommerce.values import to_decimal

ADDRESS_FIELDS = (
    "first_name last_name company address_1 address_2 city state postcode country email phone"
).split()


class CheckoutMixin(OrdersMixin):
    """Orders placed from a cart description (checkout, REST create, the demo's customers)."""

    coupons: dict[str, Coupon]
    tax_rates: list[TaxRate]

    def place_order(self, data: dict[str, Any], *, created_via: str) -> dict[str, Any]:
        """Create an order from a cart description, computing totals like WooCommerce."""
        with self.lock:
            cart_lines, items = self._cart_lines(data.get("line_items") or [])
            coupons = [self._coupon(c) for c in data.get("coupon_lines") or []]
            shipping = [
                Shipping(
                    method_id=str(s.get("method_id", "flat_rate")),
                    method_title=str(s.get("method_title", "Flat rate")),
                    cost=to_decimal(s.get("total", s.get("cost", "0")), "shipping_lines"),
                    instance_id=str(s.get("instance_id", "")),
                )
                for s in data.get("shipping_lines") or []
            ]
            fees = [
                Fee(
                    name=str(f.get("name", "Fee")),
                    amount=to_decimal(f.get("total", f.get("amount", "0")), "fee_lines"),
                    taxable=f.get("tax_status", "taxable") == "taxable",
                    tax_class=str(f.get("tax_class", "")),
                )
                for f in data.get("fee_lines") or []
            ]
            totals = calculate_cart(
                cart_lines,
                rates=self.tax_rates,
                prices_include_tax=self.config.prices_include_tax,
                coupons=coupons,
                shipping=shipping,
                fees=fees,
            )
            now = self.now()
            order: dict[str, Any] = {
                "id": self._post_id(),
                "status": "pending",
                "currency": self.config.currency,
                "prices_include_tax": self.config.prices_include_tax,
                "created_via": created_via,
                "date_created": now,
                "date_modified": now,
                "date_paid": None,
                "date_completed": None,
                "customer_id": int(data.get("customer_id") or 0),
                "order_key": "wc_order_" + secrets.token_urlsafe(10).replace("-", "x")[:13],
                "billing": _address(data.get("billing"), with_email=True),
                "shipping": _address(data.get("shipping"), with_email=False),
                "payment_method": str(data.get("payment_method", "bacs")),
                "payment_method_title": str(
                    data.get("payment_method_title", "Direct bank transfer")
                ),
                "transaction_id": str(data.get("transaction_id", "")),
                "customer_ip_address": str(data.get("customer_ip_address", "")),
                "customer_user_agent": str(data.get("customer_user_agent", "")),
                "customer_note": str(data.get("customer_note", "")),
                "cart_hash": secrets.token_hex(16) if created_via != "rest-api" else "",
                "meta_data": [],
                "stock_reduced": False,
                "sales_recorded": False,
                "status_before_trash": None,
                "refund_ids": [],
                "totals": {
                    "discount_total": totals.discount_total,
                    "discount_tax": totals.discount_tax,
                    "shipping_total": totals.shipping_total,
                    "shipping_tax": totals.shipping_tax,
                    "cart_tax": totals.cart_tax,
                    "total": totals.total,
                    "total_tax": totals.total_tax,
                },
            }
            self._merge_meta(order["meta_data"], list(data.get("meta_data") or []))
            # WooCommerce Gift Cards: cards redeemed at checkout pay part of the order after
            # tax, like cash; `total` is what is left, the lines keep their amounts.
            order["gift_cards"] = [
                {"id": n + 1, "code": str(g.get("code", "")),
                 "amount": min(to_decimal(g.get("amount", "0"), "gift_cards"), totals.total)}
                for n, g in enumerate(data.get("gift_cards") or [])
            ]
            order["totals"]["total"] -= sum((g["amount"] for g in order["gift_cards"]),
                                            Decimal(0))
            order["line_items"] = [
                {**item, **_line_amounts(result), "id": self._item_id()}
                for item, result in zip(items, totals.lines, strict=True)
            ]
            order["shipping_lines"] = [
                {
                    "id": self._item_id(),
                    "method_title": s.method_title,
                    "method_id": s.method_id,
                    "instance_id": s.instance_id,
                    "total": r.total,
                    "total_tax": r.total_tax,
                    "taxes": r.taxes,
                    "meta_data": self._shipping_meta(order["line_items"], created_via),
                }
                for s, r in zip(shipping, totals.shipping, strict=True)
            ]
            order["fee_lines"] = [
                {
                    "id": self._item_id(),
                    "name": f.name,
                    "tax_class": f.tax_class,
                    "tax_status": "taxable" if f.taxable else "none",
                    "total": r.total,
                    "total_tax": r.total_tax,
                    "taxes": r.taxes,
                    "meta_data": [],
                }
                for f, r in zip(fees, totals.fees, strict=True)
            ]
            order["coupon_lines"] = [{"id": self._item_id(), **vars(c)} for c in totals.coupons]
            order["tax_lines"] = [
                {
                    "id": self._item_id(),
                    "rate_code": t.rate.rate_code,
                    "rate_id": t.rate.id,
                    "label": t.rate.label,
                    "tax_total": t.tax_total,
                    "shipping_tax_total": t.shipping_tax_total,
                    "rate_percent": t.rate.percent,
                }
                for t in totals.tax_lines
            ]
            self.orders[order["id"]] = order
            self.notes[order["id"]] = []
            # A new order fires woocommerce_new_order and, as the captures show, an update.
            self.emit("order", "created", order["id"])
            self.emit("order", "updated", order["id"])
            status = data.get("status") or ("processing" if data.get("set_paid") else "pending")
            if status != "pending":
                self.set_order_status(order["id"], status, paid=bool(data.get("set_paid")))
            return order

    def _cart_lines(self, wanted: list[dict[str, Any]]) -> tuple[list[CartLine], list[dict]]:
        cart_lines: list[CartLine] = []
        items: list[dict[str, Any]] = []
        for position, line in enumerate(wanted):
            product = None
            if line.get("sku"):
                product = self.find_sku(str(line["sku"]))
            elif line.get("variation_id"):
                product = self.products.get(int(line["variation_id"]))
            elif line.get("product_id"):
                product = self.products.get(int(line["product_id"]))
            if product is None or product["type"] == "variable":
                raise WooError(
                    "woocommerce_rest_invalid_product_id",
                    "Product ID provided is not associated with any product.",
                    400,
                )
            quantity = int(line.get("quantity", 1))
            if quantity <= 0:
                raise WooError(
                    "woocommerce_rest_invalid_product_quantity",
                    "Product quantity must be a positive float.",
                    400,
                )
            explicit_total = line.get("total")
            if explicit_total is not None:
                # An amount sent through REST is excluding tax, like WooCommerce line totals.
                unit = to_decimal(explicit_total, "line_items") / quantity
                includes_tax = False
            else:
                unit = Decimal(product["price_text"] or "0")
                includes_tax = self.config.prices_include_tax
            tax_class = self.effective_tax_class(product)
            cart_lines.append(
                CartLine(
                    key=str(position),
                    quantity=quantity,
                    unit_price=unit,
                    tax_class=tax_class,
                    taxable=product["tax_status"] == "taxable",
                    needs_shipping=not product["virtual"],
                    price_includes_tax=includes_tax,
                )
            )
            is_variation = product["type"] == "variation"
            parent = self.products.get(product["parent_id"]) if is_variation else None
            items.append(
                {
                    "name": product["name"],
                    "product_id": parent["id"] if parent else product["id"],
                    "variation_id": product["id"] if is_variation else 0,
                    "quantity": quantity,
                    "tax_class": tax_class,
                    "meta_data": [
                        self._item_meta(a["slug"], a["option"])
                        | {"display_key": a["name"]}
                        for a in product["attributes"]
                        if is_variation
                    ],
                    "parent_name": parent["name"] if parent else None,
                }
            )
        return cart_lines, items

    def _coupon(self, line: dict[str, Any]) -> Coupon:
        code = str(line.get("code", "")).lower()
        if "discount_type" in line or "amount" in line:
            return Coupon(
                code,
                str(line.get("discount_type", "percent")),
                to_decimal(line.get("amount", "0"), "coupon_lines"),
            )
        coupon = self.coupons.get(code)
        if coupon is None:
            raise WooError(
                "woocommerce_rest_invalid_coupon", f'Coupon "{code}" does not exist!', 400
            )
        return coupon

    def _shipping_meta(self, items: list[dict[str, Any]], created_via: str) -> list[dict]:
        if created_via == "rest-api":
            return []
        listing = ", ".join(f"{i['name']} &times; {i['quantity']}" for i in items)
        return [self._item_meta("Items", listing)]


def _address(data: Any, *, with_email: bool) -> dict[str, str]:
    data = data if isinstance(data, dict) else {}
    fields = [f for f in ADDRESS_FIELDS if with_email or f != "email"]
    return {name: str(data.get(name, "")) for name in fields}


def _line_amounts(result: Any) -> dict[str, Any]:
    """Line amounts as WooCommerce stores them: unrounded to 6 decimals, taxes rounded."""
    return {
        "subtotal": stored(result.subtotal),
        "subtotal_tax": result.subtotal_tax,
        "total": stored(result.total),
        "total_tax": result.total_tax,
        "taxes": {rid: stored(t) for rid, t in result.taxes.items()},
        "subtotal_taxes": {rid: stored(t) for rid, t in result.subtotal_taxes.items()},
    }
