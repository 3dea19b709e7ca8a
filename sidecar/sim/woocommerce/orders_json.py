"""REST v3 representations of the simulator's records (what GET returns and webhooks carry).

Field sets, order and formats follow the captured deliveries in tests/fixtures/woocommerce/.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from decimal import Decimal
from typing import Any

from sidecar.sim.woocommerce.format import money
from sidecar.sim.woocommerce.format import php_number
from sidecar.sim.woocommerce.format import stored
from sidecar.sim.woocommerce.format import trimmed
from sidecar.sim.woocommerce.format import wp_dates

CURRENCY_SYMBOLS = {"SEK": "kr", "NOK": "kr", "DKK": "kr.", "EUR": "€", "USD": "$", "GBP": "£"}
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
WEBHOOK_HOOKS = {
    "order.created": ["woocommerce_new_order"],
    "order.updated": ["woocommerce_update_order", "woocommerce_order_refunded"],
    "order.deleted": ["wp_trash_post", "woocommerce_trash_order"],
    "order.restored": ["untrashed_post", "woocommerce_untrash_order"],
    "product.created": [
        "woocommerce_process_product_meta",
        "woocommerce_new_product",
        "woocommerce_new_product_variation",
    ],
    "product.updated": [
        "woocommerce_process_product_meta",
        "woocommerce_update_product",
        "woocommerce_update_product_variation",
    ],
    "product.deleted": ["wp_trash_post"],
    "product.restored": ["untrashed_post"],
    "customer.created": [
        "user_register",
        "woocommerce_created_customer",
        "woocommerce_new_customer",
    ],
    "customer.updated": ["profile_update", "woocommerce_update_customer"],
    "customer.deleted": ["delete_user"],
    "coupon.created": ["woocommerce_process_shop_coupon_meta", "woocommerce_new_coupon"],
    "coupon.updated": ["woocommerce_process_shop_coupon_meta", "woocommerce_update_coupon"],
    "coupon.deleted": ["wp_trash_post"],
    "coupon.restored": ["untrashed_post"],
}


@dataclass(frozen=True)
class Site:
    """What the representations need to know about the shop."""

    url: str  # home URL without trailing slash
    tz: tzinfo
    currency: str
    wc_version: str

    def api(self, route: str) -> str:
        return f"{self.url}/wp-json/wc/v3/{route}"

    def links(self, route: str, collection: str, **extra: str) -> dict[str, Any]:
        links: dict[str, Any] = {
            "self": [{"href": self.api(route)}],
            "collection": [{"href": self.api(collection)}],
        }
        for name, target in extra.items():
            links[name] = [{"href": self.api(target)}]
        return links


def _dates(prefix: str, moment: Any, site: Site) -> dict[str, Any]:
    local, gmt = wp_dates(moment, site.tz)
    return {prefix: local, f"{prefix}_gmt": gmt}


def price_html(prices: list[Decimal], currency: str) -> str:
    """WooCommerce's price HTML with Swedish number format (1 234,00 kr)."""
    symbol = "".join(f"&#{ord(c)};" for c in CURRENCY_SYMBOLS.get(currency, currency))

    def one(amount: Decimal) -> str:
        whole, _, frac = money(amount).partition(".")
        grouped = f"{int(whole):,}".replace(",", " ")
        return (
            '<span class="woocommerce-Price-amount amount"><bdi>'
            f'{grouped},{frac}&nbsp;<span class="woocommerce-Price-currencySymbol">{symbol}'
            "</span></bdi></span>"
        )

    if not prices:
        return ""
    low, high = min(prices), max(prices)
    return one(low) if low == high else f"{one(low)} &ndash; {one(high)}"


def product_json(product: dict[str, Any], store: Any, site: Site) -> dict[str, Any]:
    """GET /products/<id> for simple, variable and variation products."""
    is_variation = product["type"] == "variation"
    parent = store.products.get(product["parent_id"]) if is_variation else None
    children = [store.products[i] for i in product["variations"] if i in store.products]
    if product["type"] == "variable":
        prices = [_effective_price(c) for c in children if _effective_price(c) is not None]
        price = money(min(prices)) if prices else ""
    else:
        current = _effective_price(product)
        prices = [current] if current is not None else []
        price = product["price_text"]
    slug = product["slug"]
    permalink = f"{site.url}/product/{slug}/"
    if parent is not None:
        query = "&".join(f"attribute_{a['slug']}={a['option']}" for a in product["attributes"])
        permalink = f"{site.url}/product/{parent['slug']}/?{query}"
    body: dict[str, Any] = {
        "id": product["id"],
        "name": product["name"],
        "slug": slug,
        "permalink": permalink,
        **_dates("date_created", product["date_created"], site),
        **_dates("date_modified", product["date_modified"], site),
        "type": product["type"],
        "status": product["status"],
        "featured": False,
        "catalog_visibility": "visible",
        "description": product["description"],
        "short_description": product["short_description"],
        "sku": product["sku"],
        "price": price,
        "regular_price": product["regular_price"],
        "sale_price": product["sale_price"],
        "date_on_sale_from": None,
        "date_on_sale_from_gmt": None,
        "date_on_sale_to": None,
        "date_on_sale_to_gmt": None,
        "on_sale": bool(product["sale_price"]),
        "purchasable": bool(prices) or product["type"] == "variable",
        # Variations read total_sales from post meta, so WooCommerce sends a string.
        "total_sales": str(product["total_sales"]) if is_variation else product["total_sales"],
        "virtual": product["virtual"],
        "downloadable": False,
        "downloads": [],
        "download_limit": -1,
        "download_expiry": -1,
        "external_url": "",
        "button_text": "",
        "tax_status": product["tax_status"],
        "tax_class": store.effective_tax_class(product),
        "manage_stock": product["manage_stock"],
        "stock_quantity": product["stock_quantity"] if product["manage_stock"] else None,
        "backorders": product["backorders"],
        "backorders_allowed": product["backorders"] != "no",
        "backordered": False,
        "low_stock_amount": product["low_stock_amount"],
        "sold_individually": False,
        "weight": product["weight"],
        "dimensions": dict(product["dimensions"]),
        "shipping_required": not product["virtual"],
        "shipping_taxable": product["tax_status"] in ("taxable", "shipping"),
        "shipping_class": "",
        "shipping_class_id": 0,
        "reviews_allowed": not is_variation,
        "average_rating": "0.00",
        "rating_count": 0,
        "upsell_ids": [],
        "cross_sell_ids": [],
        "parent_id": product["parent_id"],
        "purchase_note": "",
        "categories": list(product["categories"]),
        "tags": [],
        "images": [],
        "attributes": list(product["attributes"]),
        "default_attributes": list(product["default_attributes"]),
        "variations": list(product["variations"]),
        "grouped_products": [],
        "menu_order": 0,
        "price_html": price_html(prices, site.currency),
        "related_ids": [],
        "meta_data": list(product["meta_data"]),
        "stock_status": product["stock_status"],
        "has_options": product["type"] == "variable",
        "post_password": "",
    }
    extra = {"up": f"products/{product['parent_id']}"} if is_variation else {}
    body["_links"] = site.links(f"products/{product['id']}", "products", **extra)
    return body


def variation_json(variation: dict[str, Any], store: Any, site: Site) -> dict[str, Any]:
    """GET /products/<parent>/variations/<id> (a smaller shape than /products/<id>)."""
    full = product_json(variation, store, site)
    keys = (
        "id name type date_created date_created_gmt date_modified date_modified_gmt description "
        "permalink sku price regular_price sale_price date_on_sale_from date_on_sale_from_gmt "
        "date_on_sale_to date_on_sale_to_gmt on_sale status purchasable virtual downloadable "
        "downloads download_limit download_expiry tax_status tax_class manage_stock "
        "stock_quantity stock_status backorders backorders_allowed backordered low_stock_amount "
        "weight dimensions shipping_class shipping_class_id attributes menu_order meta_data "
        "parent_id"
    ).split()
    body = {k: full[k] for k in keys}
    body["image"] = None
    parent = variation["parent_id"]
    body["_links"] = site.links(
        f"products/{parent}/variations/{variation['id']}",
        f"products/{parent}/variations",
        up=f"products/{parent}",
    )
    return body


def _effective_price(product: dict[str, Any]) -> Decimal | None:
    text = product["sale_price"] or product["regular_price"]
    return Decimal(text) if text not in ("", None) else None


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
        "refunds": [
            {"id": r["id"], "reason": r["reason"], "total": money(-r["amount"])}
            for r in sorted((store.refunds[i] for i in order["refund_ids"]), key=lambda r: -r["id"])
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
        # A PHP float: the stored (6-decimal) line total divided by the quantity.
        "price": php_number(stored(item["total"]) / quantity) if quantity else 0,
        "image": {"id": 0 if item["variation_id"] else "", "src": ""},
        "parent_name": item["parent_name"],
    }


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
        "meta_data": [],
    }


def note_json(order_id: int, note: dict[str, Any], site: Site) -> dict[str, Any]:
    return {
        "id": note["id"],
        "author": note["author"],
        **_dates("date_created", note["date_created"], site),
        "note": note["note"],
        "customer_note": note["customer_note"],
        "_links": site.links(
            f"orders/{order_id}/notes/{note['id']}",
            f"orders/{order_id}/notes",
            up=f"orders/{order_id}",
        ),
    }


def refund_json(refund: dict[str, Any], site: Site) -> dict[str, Any]:
    order_id = refund["order_id"]
    return {
        "id": refund["id"],
        **_dates("date_created", refund["date_created"], site),
        "amount": money(refund["amount"]),
        "reason": refund["reason"],
        "refunded_by": 1,
        "refunded_payment": False,
        "meta_data": [],
        "line_items": [dict(item) for item in refund["line_items"]],
        "shipping_lines": [],
        "tax_lines": [],
        "fee_lines": [],
        "_links": site.links(
            f"orders/{order_id}/refunds/{refund['id']}",
            f"orders/{order_id}/refunds",
            up=f"orders/{order_id}",
        ),
    }


def webhook_json(webhook: dict[str, Any], site: Site) -> dict[str, Any]:
    topic = webhook["topic"]
    resource, _, event = topic.partition(".")
    hooks = WEBHOOK_HOOKS.get(topic, [event] if resource == "action" else [])
    return {
        "id": webhook["id"],
        "name": webhook["name"],
        "status": webhook["status"],
        "topic": topic,
        "resource": resource,
        "event": event,
        "hooks": hooks,
        "delivery_url": webhook["delivery_url"],
        **_dates("date_created", webhook["date_created"], site),
        **_dates("date_modified", webhook["date_modified"], site),
        "_links": site.links(f"webhooks/{webhook['id']}", "webhooks"),
    }
