"""REST v3 representations of products and variations (what GET returns and webhooks carry).

Field sets, order and formats follow the captured deliveries in tests/fixtures/woocommerce/.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sidecar.sim.woocommerce.format import money
from sidecar.sim.woocommerce.site import CURRENCY_SYMBOLS
from sidecar.sim.woocommerce.site import Site
from sidecar.sim.woocommerce.site import date_fields


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
        **date_fields("date_created", product["date_created"], site),
        **date_fields("date_modified", product["date_modified"], site),
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
