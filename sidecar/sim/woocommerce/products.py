"""Products and variations: create, update, delete, SKUs, prices and stock. State only; the
routes are in `products_routes`, the representations in `products_json`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from sidecar.sim.woocommerce.base import StoreBase
from sidecar.sim.woocommerce.errors import WooError


class ProductsMixin(StoreBase):
    """The catalogue: products, variations and their stock."""

    products: dict[int, dict[str, Any]]
    tax_classes: list[tuple[str, str]]

    def effective_tax_class(self, product: dict[str, Any]) -> str:
        if product["tax_class"] == "parent" and product["parent_id"] in self.products:
            return self.products[product["parent_id"]]["tax_class"]
        return "" if product["tax_class"] == "parent" else product["tax_class"]

    def find_sku(self, sku: str) -> dict[str, Any] | None:
        for product in self.products.values():
            if sku and product["sku"] == sku and product["status"] != "trash":
                return product
        return None

    def get_product(self, product_id: int, *, variation_of: int | None = None) -> dict[str, Any]:
        product = self.products.get(product_id)
        if variation_of is not None:
            if product is None or product["parent_id"] != variation_of:
                raise WooError("woocommerce_rest_product_variation_invalid_id", "Invalid ID.", 404)
            return product
        if product is None:
            raise WooError("woocommerce_rest_product_invalid_id", "Invalid ID.", 404)
        return product

    def create_product(self, data: dict[str, Any], *, parent_id: int = 0) -> dict[str, Any]:
        with self.lock:
            now = self.now()
            is_variation = parent_id != 0
            if is_variation:
                parent = self.get_product(parent_id)
            product: dict[str, Any] = {
                "id": 0,
                "name": data.get("name", ""),
                "slug": "",
                "type": "variation" if is_variation else data.get("type", "simple"),
                "status": data.get("status", "publish"),
                "sku": "",
                "regular_price": "",
                "sale_price": "",
                "price_text": "",
                "description": data.get("description", ""),
                "short_description": data.get("short_description", ""),
                "tax_status": "taxable",
                "tax_class": "parent" if is_variation else "",
                "manage_stock": False,
                "stock_quantity": None,
                "stock_status": "instock",
                "backorders": "no",
                "low_stock_amount": None,
                "weight": "",
                "dimensions": {"length": "", "width": "", "height": ""},
                "virtual": False,
                "parent_id": parent_id,
                "categories": list(data.get("categories", [])),
                "attributes": [],
                "default_attributes": list(data.get("default_attributes", [])),
                "variations": [],
                "meta_data": [],
                "total_sales": 0,
                "date_created": now,
                "date_modified": now,
            }
            self._apply_product_fields(product, data, creating=True)
            product["id"] = self._post_id()
            if is_variation:
                options = ", ".join(a["option"] for a in product["attributes"])
                product["name"] = f"{parent['name']} - {options}" if options else parent["name"]
                parent["variations"].append(product["id"])
            product["slug"] = _slugify(product["name"]) or str(product["id"])
            self.products[product["id"]] = product
            self.emit("product", "created", product["id"])
            return product

    def update_product(
        self, product_id: int, data: dict[str, Any], *, variation_of: int | None = None
    ) -> dict[str, Any]:
        with self.lock:
            product = self.products.get(product_id)
            if product is None:
                code = "woocommerce_rest_product_invalid_id"
                if variation_of is not None:
                    code = "woocommerce_rest_product_variation_invalid_id"
                raise WooError(code, "Invalid ID.", 400)
            if variation_of is None and product["type"] == "variation":
                raise WooError(
                    "woocommerce_rest_invalid_product_id",
                    "To manipulate product variations you should use the "
                    "/products/&lt;product_id&gt;/variations/&lt;id&gt; endpoint.",
                    404,
                )
            if variation_of is not None and product["parent_id"] != variation_of:
                raise WooError("woocommerce_rest_product_variation_invalid_id", "Invalid ID.", 400)
            self._apply_product_fields(product, data, creating=False)
            product["date_modified"] = self.now()
            self.emit("product", "updated", product_id)
            return product

    def delete_product(self, product_id: int, *, force: bool, variation_of: int | None = None):
        with self.lock:
            product = self.get_product(product_id, variation_of=variation_of)
            if not force and product["type"] != "variation":
                product["status"] = "trash"
                product["date_modified"] = self.now()
                self.emit("product", "deleted", product_id)
                return product
            del self.products[product_id]
            parent = self.products.get(product["parent_id"])
            if parent is not None and product_id in parent["variations"]:
                parent["variations"].remove(product_id)
            return product

    def _apply_product_fields(self, product: dict[str, Any], data: dict[str, Any], creating: bool):
        if "sku" in data:
            sku = str(data["sku"] or "").strip()
            other = self.find_sku(sku)
            if sku and other is not None and other is not product:
                raise WooError("product_invalid_sku", "Invalid or duplicated SKU.", 400)
            product["sku"] = sku
        for name in ("name", "description", "short_description", "weight"):
            if name in data and not (name == "name" and product["type"] == "variation"):
                product[name] = str(data[name] if data[name] is not None else "")
        if "status" in data:
            product["status"] = data["status"]
        if "tax_status" in data:
            product["tax_status"] = data["tax_status"]
        if "tax_class" in data:
            # Unknown slugs and "standard" are silently stored as the standard class.
            known = {slug for slug, _ in self.tax_classes if slug != "standard"}
            wanted = str(data["tax_class"] or "")
            if product["type"] == "variation" and wanted == "parent":
                product["tax_class"] = "parent"
            else:
                product["tax_class"] = wanted if wanted in known else ""
        if "virtual" in data:
            product["virtual"] = bool(data["virtual"])
        if "dimensions" in data and isinstance(data["dimensions"], dict):
            for axis in ("length", "width", "height"):
                if axis in data["dimensions"]:
                    product["dimensions"][axis] = str(data["dimensions"][axis])
        if "attributes" in data:
            product["attributes"] = [_attribute(a, product["type"]) for a in data["attributes"]]
        if "meta_data" in data:
            self._merge_meta(product["meta_data"], data["meta_data"])
        for price_field in ("regular_price", "sale_price"):
            if price_field in data:
                product[price_field] = _price_text(data[price_field])
        if product["type"] in ("variable", "grouped"):
            # Prices on variable and grouped parents are blanked; they live on variations.
            product["regular_price"] = product["sale_price"] = ""
        product["price_text"] = product["sale_price"] or product["regular_price"]
        if "backorders" in data:
            product["backorders"] = data["backorders"]
        if "low_stock_amount" in data:
            product["low_stock_amount"] = data["low_stock_amount"]
        if "manage_stock" in data:
            product["manage_stock"] = bool(data["manage_stock"])
        if "stock_quantity" in data and product["manage_stock"]:
            product["stock_quantity"] = _int_or_none(data["stock_quantity"])
        if "stock_status" in data and not product["manage_stock"]:
            product["stock_status"] = data["stock_status"]
        self._recompute_stock_status(product)

    @staticmethod
    def _recompute_stock_status(product: dict[str, Any]) -> None:
        if not product["manage_stock"]:
            return
        quantity = product["stock_quantity"] or 0
        if quantity > 0:
            product["stock_status"] = "instock"
        elif product["backorders"] != "no":
            product["stock_status"] = "onbackorder"
        else:
            product["stock_status"] = "outofstock"

    def change_stock(self, product: dict[str, Any], delta: int) -> None:
        """wc_update_product_stock: saves the product, so product.updated fires."""
        if not product["manage_stock"]:
            return
        product["stock_quantity"] = (product["stock_quantity"] or 0) + delta
        self._recompute_stock_status(product)
        product["date_modified"] = self.now()
        self.emit("product", "updated", product["id"])


def _slugify(name: str) -> str:
    table = str.maketrans("åäöÅÄÖéÉüÜ", "aaoaaoeeuu")
    return re.sub(r"[^a-z0-9]+", "-", name.translate(table).lower()).strip("-")


def _attribute(data: dict[str, Any], product_type: str) -> dict[str, Any]:
    name = str(data.get("name", ""))
    if product_type == "variation":
        slug = str(data.get("slug") or _slugify(name))
        return {
            "id": int(data.get("id", 0)),
            "name": name,
            "slug": slug,
            "option": data.get("option", ""),
        }
    return {
        "id": int(data.get("id", 0)),
        "name": name,
        "slug": str(data.get("slug") or name),
        "position": int(data.get("position", 0)),
        "visible": bool(data.get("visible", True)),
        "variation": bool(data.get("variation", True)),
        "options": list(data.get("options", [])),
    }


def _price_text(value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        Decimal(str(value))
    except InvalidOperation as exc:
        raise WooError("woocommerce_rest_invalid_price", "Invalid price.", 400) from exc
    return str(value)


def _int_or_none(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return int(Decimal(str(value)))
