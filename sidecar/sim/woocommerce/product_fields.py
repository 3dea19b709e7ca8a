"""Request fields onto a product record, as WC_Product's setters take them.

Single requests have passed the schema (`validation`) first; batch items have not, so these
setters see raw JSON and coerce it as WooCommerce does (tests/fixtures/woocommerce/rest 016,
029, 034): a price that is no number becomes "" (the product is then not purchasable), a
stock quantity goes through wc_stock_amount ("abc" is 0), a number sent for a string field
becomes its text, an unknown tax class the standard one. Names and descriptions go through
wp_filter_post_kses (`text`); a variation's name can't be set at all.
"""

from __future__ import annotations

import math
import re
from typing import Any

from sidecar.sim.woocommerce.text import kses_post
from sidecar.sim.woocommerce.text import post_title
from sidecar.sim.woocommerce.text import sanitize_title

# The product schema, in WooCommerce's order (the order WordPress reports bad parameters in).
PRODUCT_SCHEMA: tuple[tuple[str, Any], ...] = (
    ("name", "string"),
    ("slug", "string"),
    ("type", ("simple", "grouped", "external", "variable")),
    ("status", ("draft", "pending", "private", "publish", "future")),
    ("featured", "boolean"),
    ("catalog_visibility", ("visible", "catalog", "search", "hidden")),
    ("description", "string"),
    ("short_description", "string"),
    ("sku", "string"),
    ("regular_price", "string"),
    ("sale_price", "string"),
    ("virtual", "boolean"),
    ("downloadable", "boolean"),
    ("tax_status", ("taxable", "shipping", "none")),
    ("tax_class", "string"),
    ("manage_stock", "boolean"),
    ("stock_quantity", "integer"),
    ("stock_status", ("instock", "outofstock", "onbackorder")),
    ("backorders", ("no", "notify", "yes")),
    ("low_stock_amount", "integer,null"),
    ("sold_individually", "boolean"),
    ("weight", "string"),
    ("dimensions", "object"),
    ("parent_id", "integer"),
    ("menu_order", "integer"),
)
DECIMAL_SEPARATOR = ","  # the shop's woocommerce_price_decimal_sep


def wc_format_decimal(value: Any) -> str:
    """wc_format_decimal without rounding: "12,50" is "12.50", "abc" is "", 129.5 "129.5"."""
    if value is None or isinstance(value, bool):
        return "1" if value is True else ""
    if isinstance(value, int | float):
        return php_float_text(value)
    text = str(value).replace(DECIMAL_SEPARATOR, ".")
    return re.sub(r"\.(?![^.]+$)|[^0-9.-]", "", " ".join(text.split()))


def php_float_text(value: float | int) -> str:
    """How PHP prints a number: 10.0 is "10", 0.5 "0.5"."""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def wc_stock_amount(value: Any) -> int | None:
    """wc_stock_amount = intval: "abc" is 0, "5.7" 5; null clears."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return int(value) if math.isfinite(value) else 0
    match = re.match(r"\s*[+-]?\d+", str(value))
    return int(match.group(0)) if match else 0


def wc_string_to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return value == 1 or str(value if value is not None else "").lower() in ("yes", "true", "1")


def wc_clean(value: Any) -> str:
    """sanitize_text_field, roughly: no tags, no line breaks, whitespace collapsed, trimmed."""
    text = re.sub(r"<[^>]*>", "", _text(value))
    text = re.sub(r"%[a-fA-F0-9]{2}", "", text)
    return " ".join(text.split())


def apply_fields(product: dict[str, Any], data: dict[str, Any], tax_classes: set[str]) -> None:
    """Set what `data` asks on `product` (a working copy: the caller keeps it only on success).

    The SKU is checked by the caller; here only its cleaning happens.
    """
    is_variation = product["type"] == "variation"
    if "sku" in data:
        product["sku"] = wc_clean(data["sku"])
    if "name" in data and not is_variation:
        product["name"] = post_title(_text(data["name"]))
    for name in ("description", "short_description"):
        if name in data:
            product[name] = kses_post(_text(data[name]))
    if "status" in data:
        product["status"] = str(data["status"])
    if "tax_status" in data:
        product["tax_status"] = str(data["tax_status"])
    if "tax_class" in data:
        wanted = _text(data["tax_class"])
        if is_variation and wanted == "parent":
            product["tax_class"] = "parent"
        else:
            # Unknown slugs and "standard" are silently stored as the standard class.
            product["tax_class"] = wanted if wanted in tax_classes else ""
    if "virtual" in data:
        product["virtual"] = wc_string_to_bool(data["virtual"])
    if "weight" in data:
        product["weight"] = wc_format_decimal(data["weight"]) if data["weight"] != "" else ""
    if isinstance(data.get("dimensions"), dict):
        for axis in ("length", "width", "height"):
            if axis in data["dimensions"]:
                product["dimensions"][axis] = wc_format_decimal(data["dimensions"][axis])
    if "attributes" in data and isinstance(data["attributes"], list):
        product["attributes"] = [attribute(a, product["type"]) for a in data["attributes"]
                                 if isinstance(a, dict)]
    for price_field in ("regular_price", "sale_price"):
        if price_field in data:
            product[price_field] = wc_format_decimal(data[price_field])
    if product["type"] in ("variable", "grouped"):
        # Prices on variable and grouped parents are blanked; they live on variations.
        product["regular_price"] = product["sale_price"] = ""
    product["price_text"] = product["sale_price"] or product["regular_price"]
    _apply_stock(product, data)


def _apply_stock(product: dict[str, Any], data: dict[str, Any]) -> None:
    if "backorders" in data:
        product["backorders"] = str(data["backorders"])
    if "low_stock_amount" in data:
        product["low_stock_amount"] = wc_stock_amount(data["low_stock_amount"])
    if "manage_stock" in data:
        product["manage_stock"] = wc_string_to_bool(data["manage_stock"])
    if "stock_quantity" in data and product["manage_stock"]:
        product["stock_quantity"] = wc_stock_amount(data["stock_quantity"])
    if "stock_status" in data and not product["manage_stock"]:
        product["stock_status"] = str(data["stock_status"])
    recompute_stock_status(product)


def recompute_stock_status(product: dict[str, Any]) -> None:
    """A product that manages stock is out of stock at 0 or below (negative stock is kept)."""
    if not product["manage_stock"]:
        return
    quantity = product["stock_quantity"] or 0
    if quantity > 0:
        product["stock_status"] = "instock"
    elif product["backorders"] != "no":
        product["stock_status"] = "onbackorder"
    else:
        product["stock_status"] = "outofstock"


def attribute(data: dict[str, Any], product_type: str) -> dict[str, Any]:
    """An attribute as stored: a variation's {name, slug, option}, a parent's options list."""
    name = _text(data.get("name"))
    if product_type == "variation":
        return {"id": int(data.get("id") or 0), "name": name,
                "slug": _text(data.get("slug")) or sanitize_title(name),
                "option": _text(data.get("option"))}
    return {
        "id": int(data.get("id") or 0),
        "name": name,
        "slug": _text(data.get("slug")) or name,
        "position": int(data.get("position") or 0),
        "visible": wc_string_to_bool(data.get("visible", True)),
        "variation": wc_string_to_bool(data.get("variation", True)),
        "options": [_text(o) for o in data.get("options") or []],
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, int | float):
        return php_float_text(value)
    return str(value)
