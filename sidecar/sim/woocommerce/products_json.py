"""REST v3 representations of products and variations (what GET returns and webhooks carry).

Field sets, order and formats follow the captured deliveries in tests/fixtures/woocommerce/.
"""

from __future__ import annotations

from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from sidecar.sim.woocommerce.format import money
from sidecar.sim.woocommerce.site import CURRENCY_SYMBOLS
from sidecar.sim.woocommerce.site import Site
from sidecar.sim.woocommerce.site import date_fields
from sidecar.sim.woocommerce.text import sanitize_title
from sidecar.sim.woocommerce.text import wpautop


def price_html(prices: list[Decimal], currency: str, regular: Decimal | None = None) -> str:
    """WooCommerce's price HTML with Swedish number format (1 234,00 kr): one price, a range
    ("199,00 – 269,00"), or a sale (the regular price struck through)."""
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
    if low != high:
        return f"{one(low)} &ndash; {one(high)}"
    if regular is not None and regular != low:
        return f'<del aria-hidden="true">{one(regular)}</del> <ins>{one(low)}</ins>'
    return one(low)


def product_json(product: dict[str, Any], store: Any, site: Site,
                 context: str = "view") -> dict[str, Any]:
    """GET /products/<id> for simple, variable and variation products.

    `context` "edit" is what WooCommerce answers a POST, PUT or batch with: descriptions and a
    variation's tax class as stored, plus `permalink_template` and `generated_slug`; "view"
    (GET, webhooks) passes descriptions through wpautop and resolves a "parent" tax class.
    """
    is_variation = product["type"] == "variation"
    parent = store.products.get(product["parent_id"]) if is_variation else None
    regular: Decimal | None = None
    children = [store.products[i] for i in product["variations"] if i in store.products]
    on_sale = bool(product["sale_price"])
    if product["type"] == "variable":
        priced = [c for c in children if _effective_price(c) is not None]
        prices = [_effective_price(c) for c in priced]
        cheapest = min(priced, key=_effective_price, default=None)
        # The parent shows its cheapest child's price as that child stores it ("199").
        price = cheapest["price_text"] if cheapest is not None else ""
        on_sale = any(c["sale_price"] for c in children)
    else:
        current = _effective_price(product)
        prices = [current] if current is not None else []
        price = product["price_text"]
        regular = _decimal(product["regular_price"]) if product["sale_price"] else None
    slug = product["slug"]
    permalink = f"{site.url}/product/{slug}/"
    if parent is not None:
        query = "&".join(f"attribute_{a['slug']}={a['option']}"
                         for a in store.variation_attributes(product))
        permalink = f"{site.url}/product/{parent['slug']}/" + (f"?{query}" if query else "")
    body: dict[str, Any] = {
        "id": product["id"],
        "name": product["name"],
        "slug": slug,
        "permalink": permalink,
        **date_fields("date_created", product["date_created"], site),
        **date_fields("date_modified", product["date_modified"], site),
        "type": product["type"],
        "status": product["status"],
        "featured": False,
        "catalog_visibility": "visible",
        "description": _content(product["description"], context),
        "short_description": _content(product["short_description"], context),
        "sku": product["sku"],
        "price": price,
        "regular_price": product["regular_price"],
        "sale_price": product["sale_price"],
        "date_on_sale_from": None,
        "date_on_sale_from_gmt": None,
        "date_on_sale_to": None,
        "date_on_sale_to_gmt": None,
        "on_sale": on_sale,
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
        "tax_class": _tax_class(product, store, context),
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
        "shipping_taxable": not product["virtual"]
        and product["tax_status"] in ("taxable", "shipping"),
        "shipping_class": "",
        "shipping_class_id": 0,
        "reviews_allowed": not is_variation,
        "average_rating": "0" if context == "edit" else "0.00",
        "rating_count": 0,
        "upsell_ids": [],
        "cross_sell_ids": [],
        "parent_id": product["parent_id"],
        "purchase_note": "",
        "categories": list(product["categories"]),
        "tags": [],
        "images": [],
        "attributes": list(store.variation_attributes(product) if is_variation
                           else product["attributes"]),
        "default_attributes": list(product["default_attributes"]),
        # Only a variable product lists variations (a product moved under another is not one).
        "variations": list(product["variations"]) if product["type"] == "variable" else [],
        "grouped_products": [],
        "menu_order": 0,
        "price_html": price_html(prices, site.currency, regular),
        "related_ids": [],
        "meta_data": list(product["meta_data"]),
        "stock_status": product["stock_status"],
        "has_options": product["type"] == "variable",
        "post_password": "",
    }
    if context == "edit":
        body["permalink_template"] = f"{site.url}/product/%pagename%/"
        body["generated_slug"] = sanitize_title(product["name"])
    extra = {"up": f"products/{product['parent_id']}"} if product["parent_id"] else {}
    body["_links"] = site.links(f"products/{product['id']}", "products", **extra)
    return body


def variation_json(variation: dict[str, Any], store: Any, site: Site,
                   context: str = "view") -> dict[str, Any]:
    """GET /products/<parent>/variations/<id>: a smaller shape than /products/<id>, without
    `type`, named only by its attribute values ("M, Svart"; "" without attributes)."""
    full = product_json(variation, store, site, context)
    keys = (
        "id date_created date_created_gmt date_modified date_modified_gmt description "
        "permalink sku price regular_price sale_price date_on_sale_from date_on_sale_from_gmt "
        "date_on_sale_to date_on_sale_to_gmt on_sale status purchasable virtual downloadable "
        "downloads download_limit download_expiry tax_status tax_class manage_stock "
        "stock_quantity stock_status backorders backorders_allowed backordered low_stock_amount "
        "weight dimensions shipping_class shipping_class_id"
    ).split()
    body = {k: full[k] for k in keys}
    shown = store.variation_attributes(variation)
    body["image"] = None
    body["attributes"] = list(shown)
    body["menu_order"] = 0
    body["meta_data"] = full["meta_data"]
    body["name"] = ", ".join(a["option"] for a in shown if a["option"])
    body["parent_id"] = variation["parent_id"]
    parent = variation["parent_id"]
    body["_links"] = site.links(
        f"products/{parent}/variations/{variation['id']}",
        f"products/{parent}/variations",
        up=f"products/{parent}",
    )
    return body


def _content(text: str, context: str) -> str:
    return text if context == "edit" else wpautop(text)


def _tax_class(product: dict[str, Any], store: Any, context: str) -> str:
    if context == "edit" and product["tax_class"] == "parent":
        return "parent"
    return str(store.effective_tax_class(product))


def _effective_price(product: dict[str, Any]) -> Decimal | None:
    return _decimal(product["sale_price"] or product["regular_price"])


def _decimal(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text not in ("", None) else None
    except InvalidOperation:
        return None
