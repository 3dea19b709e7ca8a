"""REST v3 representations of orders, their notes and refunds (what GET returns and webhooks
carry).

Field sets, order and formats follow the captured deliveries in tests/fixtures/woocommerce/.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sidecar.sim.woocommerce.format import money
from sidecar.sim.woocommerce.format import php_number
from sidecar.sim.woocommerce.format import stored
from sidecar.sim.woocommerce.format import trimmed
from sidecar.sim.woocommerce.format import wp_dates
from sidecar.sim.woocommerce.site import CURRENCY_SYMBOLS
from sidecar.sim.woocommerce.site import Site
from sidecar.sim.woocommerce.site import date_fields


def order_json(order: dict[str, Any], store: Any, site: Site) -> dict[str, Any]:
    """GET /orders/<id>, field for field like the captured order.created bodies."""
    totals = order["totals"]
    key = order["order_key"]
    body: dict[str, Any] = {
        "id": order["id"],
        "parent_id": 0,
        "status": order["status"],
        "currency": order["currency"],
        "version": site.wc_version,
        "prices_include_tax": order["prices_include_tax"],
        "date_created": wp_dates(order["date_created"], site.tz)[0],
        "date_modified": wp_dates(order["date_modified"], site.tz)[0],
        "discount_total": money(totals["discount_total"]),
        "discount_tax": money(totals["discount_tax"]),
        "shipping_total": money(totals["shipping_total"]),
        "shipping_tax": money(totals["shipping_tax"]),
        "cart_tax": money(totals["cart_tax"]),
        "total": money(totals["total"]),
        "total_tax": money(totals["total_tax"]),
        "customer_id": order["customer_id"],
        "order_key": key,
        "billing": dict(order["billing"]),
        "shipping": dict(order["shipping"]),
        "payment_method": order["payment_method"],
        "payment_method_title": order["payment_method_title"],
        "transaction_id": order["transaction_id"],
        "customer_ip_address": order["customer_ip_address"],
        "customer_user_agent": order["customer_user_agent"],
        "created_via": order["created_via"],
        "customer_note": order["customer_note"],
        "date_completed": wp_dates(order["date_completed"], site.tz)[0],
        "date_paid": wp_dates(order["date_paid"], site.tz)[0],
        "cart_hash": order["cart_hash"],
        "number": str(order["id"]),
        "meta_data": [dict(m) for m in order["meta_data"]],
        "line_items": [_line_item_json(item, store) for item in order["line_items"]],
        "tax_lines": [_tax_line_json(t) for t in order["tax_lines"]],
        "shipping_lines": [_charge_json(s, shipping=True) for s in order["shipping_lines"]],
        "fee_lines": [_charge_json(f, shipping=False) for f in order["fee_lines"]],
        "coupon_lines": [_coupon_json(c) for c in order["coupon_lines"]],
        # Oldest first, negative (049); GET /orders/<id>/refunds lists them newest first.
        "refunds": [
            {"id": r["id"], "reason": r["reason"], "total": money(-r["amount"])}
            for r in sorted((store.refunds[i] for i in order["refund_ids"]), key=lambda r: r["id"])
        ],
        "payment_url": (
            f"{site.url}/checkout/order-pay/{order['id']}/?pay_for_order=true&key={key}"
        ),
        "is_editable": order["status"] in ("pending", "on-hold", "auto-draft"),
        "needs_payment": order["status"] in ("pending", "failed") and totals["total"] > 0,
        "needs_processing": True,
        **{
            f"{name}_gmt": wp_dates(order[name], site.tz)[1]
            for name in ("date_created", "date_modified", "date_completed", "date_paid")
        },
        "currency_symbol": CURRENCY_SYMBOLS.get(order["currency"], order["currency"]),
    }
    if order.get("gift_cards"):  # WooCommerce Gift Cards adds its field to the REST order
        body["gift_cards"] = [{"id": g["id"], "code": g["code"], "amount": money(g["amount"])}
                              for g in order["gift_cards"]]
    extra = {"customer": f"customers/{order['customer_id']}"} if order["customer_id"] else {}
    body["_links"] = site.links(f"orders/{order['id']}", "orders", **extra)
    return body


def _line_item_json(item: dict[str, Any], store: Any) -> dict[str, Any]:
    product_id = item["variation_id"] or item["product_id"]
    product = store.products.get(product_id)
    quantity = item["quantity"]
    return {
        "id": item["id"],
        "name": item["name"],
        "product_id": item["product_id"],
        "variation_id": item["variation_id"],
        "quantity": quantity,
        "tax_class": item["tax_class"],
        "subtotal": money(item["subtotal"]),
        "subtotal_tax": money(item["subtotal_tax"]),
        "total": money(item["total"]),
        "total_tax": money(item["total_tax"]),
        "taxes": [
            {"id": rid, "total": trimmed(total), "subtotal": trimmed(item["subtotal_taxes"][rid])}
            for rid, total in item["taxes"].items()
        ],
        "meta_data": [dict(m) for m in item["meta_data"]],
        # The SKU is read from the product at response time; null once the product is gone.
        "sku": product["sku"] if product is not None else None,
        # A PHP float: the stored (6-decimal) line total divided by the quantity, in floats.
        "price": _php_division(stored(item["total"]), quantity),
        "image": {"id": 0 if item["variation_id"] else "", "src": ""},
        "parent_name": item["parent_name"],
    }


def _php_division(total: Decimal, quantity: int) -> int | float:
    if not quantity:
        return 0
    price = float(total) / quantity
    return int(price) if price.is_integer() else price


def _tax_line_json(tax_line: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": tax_line["id"],
        "rate_code": tax_line["rate_code"],
        "rate_id": tax_line["rate_id"],
        "label": tax_line["label"],
        "compound": False,
        "tax_total": money(tax_line["tax_total"]),
        "shipping_tax_total": money(tax_line["shipping_tax_total"]),
        "rate_percent": php_number(tax_line["rate_percent"]),
        "meta_data": [],
    }


def _charge_json(charge: dict[str, Any], *, shipping: bool) -> dict[str, Any]:
    taxes = [
        {"id": rid, "total": trimmed(amount), "subtotal": ""}
        for rid, amount in charge["taxes"].items()
    ]
    if shipping:
        head = {
            "id": charge["id"],
            "method_title": charge["method_title"],
            "method_id": charge["method_id"],
            "instance_id": charge["instance_id"],
        }
    else:
        head = {
            "id": charge["id"],
            "name": charge["name"],
            "tax_class": charge["tax_class"],
            "tax_status": charge["tax_status"],
            "amount": "",  # the fee as entered in the admin; empty for fees added by code
        }
    return {
        **head,
        "total": money(charge["total"]),
        "total_tax": money(charge["total_tax"]),
        "taxes": taxes,
        "meta_data": [dict(m) for m in charge["meta_data"]],
    }


def _coupon_json(coupon: dict[str, Any]) -> dict[str, Any]:
    # Coupon amounts are stored floats, printed without padding ("90.9").
    return {
        "id": coupon["id"],
        "code": coupon["code"],
        "discount": trimmed(coupon["discount"]),
        "discount_tax": trimmed(coupon["discount_tax"]),
        "meta_data": [dict(m) for m in coupon.get("meta_data", [])],
    }


def note_json(order_id: int, note: dict[str, Any], site: Site) -> dict[str, Any]:
    return {
        "id": note["id"],
        "author": note["author"],
        **date_fields("date_created", note["date_created"], site),
        "note": note["note"],
        "customer_note": note["customer_note"],
        "_links": site.links(
            f"orders/{order_id}/notes/{note['id']}",
            f"orders/{order_id}/notes",
            up=f"orders/{order_id}",
        ),
    }


def refund_json(refund: dict[str, Any], store: Any, site: Site) -> dict[str, Any]:
    """A refund (048): its lines with negative amounts, the refunded item's id in their meta."""
    order_id = refund["order_id"]
    return {
        "id": refund["id"],
        **date_fields("date_created", refund["date_created"], site),
        "amount": money(refund["amount"]),
        "reason": refund["reason"],
        "refunded_by": 1,
        "refunded_payment": False,
        "meta_data": [],
        "line_items": [_line_item_json(item, store) for item in refund["line_items"]],
        "shipping_lines": [_charge_json(s, shipping=True)
                           for s in refund.get("shipping_lines", [])],
        "tax_lines": [_tax_line_json(t) for t in refund.get("tax_lines", [])],
        "fee_lines": [_charge_json(f, shipping=False) for f in refund.get("fee_lines", [])],
        "_links": site.links(
            f"orders/{order_id}/refunds/{refund['id']}",
            f"orders/{order_id}/refunds",
            up=f"orders/{order_id}",
        ),
    }
