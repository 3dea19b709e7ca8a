"""Products and variations: create, update, delete, SKUs, stock, and what a save does. State
only; the routes are in `products_routes`, the representations in `products_json`, the field
setters in `product_fields`.

What a save does, as WooCommerce 8.4 (tests/fixtures/woocommerce/rest):
- a variation's name is never taken from a request: its title is made from its parent's name
  and its attribute values ("T-shirt - M, Svart") on every save, and follows a renamed parent;
- saving a variation saves its parent too (`WC_Product_Variable::sync`), so the parent's
  date_modified moves (it sends no webhook of its own);
- a write through a parent's variations route sets the variation's parent to that route's
  parent: the single PUT refuses a wrong parent first (403, in `products_routes`), the batch
  does not check and moves the product (034, 035);
- a failed write (a duplicated SKU) changes nothing.
"""

from __future__ import annotations

import copy
from typing import Any

from sidecar.sim.woocommerce.base import StoreBase
from sidecar.sim.woocommerce.errors import WooError
from sidecar.sim.woocommerce.product_fields import apply_fields
from sidecar.sim.woocommerce.product_fields import recompute_stock_status
from sidecar.sim.woocommerce.text import sanitize_title

UNCATEGORIZED = {"id": 15, "name": "Uncategorized", "slug": "uncategorized"}


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

    def variation_attributes(self, product: dict[str, Any]) -> list[dict[str, Any]]:
        """A variation's attributes that its parent offers (others are not shown or used)."""
        parent = self.products.get(product["parent_id"])
        if parent is None or product["type"] != "variation":
            return []
        offered = {sanitize_title(a["name"]) for a in parent["attributes"] if a.get("variation")}
        return [a for a in product["attributes"]
                if a["slug"] in offered or sanitize_title(a["name"]) in offered]

    def variation_title(self, product: dict[str, Any]) -> str:
        """WC_Product_Variation_Data_Store_CPT::generate_product_title."""
        parent = self.products.get(product["parent_id"])
        base = parent["name"] if parent is not None else ""
        shown = self.variation_attributes(product)
        with_values = len(shown) < 3 and not (
            len(shown) > 1 and any("-" in a["slug"] for a in shown))
        suffix = ", ".join(a["option"] for a in shown if a["option"])
        return f"{base} - {suffix}" if with_values and suffix else base

    def create_product(self, data: dict[str, Any], *, parent_id: int = 0) -> dict[str, Any]:
        with self.lock:
            now = self.now()
            is_variation = parent_id != 0
            if is_variation:
                self.get_product(parent_id)
            product = _new_product(data, parent_id, now)
            self._check_sku(product, data)
            apply_fields(product, data, self._tax_class_slugs())
            self._merge_meta(product["meta_data"], _meta_updates(data))
            product["id"] = self._post_id()
            self.products[product["id"]] = product
            if is_variation:
                self._attach(product, parent_id)
            self._saved(product)
            product["slug"] = sanitize_title(product["name"]) or str(product["id"])
            self.emit("product", "created", product["id"])
            return product

    def update_product(
        self, product_id: int, data: dict[str, Any], *, variation_of: int | None = None
    ) -> dict[str, Any]:
        """A write through `/products/<id>`, or through `/products/<variation_of>/variations`
        (which makes `variation_of` the product's parent, whatever it was)."""
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
            working = copy.deepcopy(product)
            self._check_sku(working, data)
            apply_fields(working, data, self._tax_class_slugs())
            self._merge_meta(working["meta_data"], _meta_updates(data))
            renamed = working["name"] != product["name"]
            product.clear()
            product.update(working)
            if variation_of is not None and product["parent_id"] != variation_of:
                self._attach(product, variation_of)
            if variation_of is None and "parent_id" in data:
                product["parent_id"] = int(data["parent_id"] or 0)
            self._saved(product)
            if renamed and product["type"] == "variable":
                for child in product["variations"]:
                    if child in self.products:
                        self.products[child]["name"] = self.variation_title(self.products[child])
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

    def change_stock(self, product: dict[str, Any], delta: int) -> tuple[int, int]:
        """wc_update_product_stock: saves the product, so product.updated fires. Returns the
        stock before and after."""
        before = product["stock_quantity"] or 0
        if not product["manage_stock"]:
            return before, before
        product["stock_quantity"] = before + delta
        recompute_stock_status(product)
        self._saved(product)
        self.emit("product", "updated", product["id"])
        return before, before + delta

    def formatted_name(self, product: dict[str, Any]) -> str:
        """WC_Product::get_formatted_name, as stock notes quote it."""
        identifier = product["sku"] or f"#{product['id']}"
        name = f"{product['name']} ({identifier})"
        return name + '<span class="description"></span>' if product["type"] == "variation" \
            else name

    def _saved(self, product: dict[str, Any]) -> None:
        now = self.now()
        product["date_modified"] = now
        if product["type"] == "variation":
            product["name"] = self.variation_title(product)
            parent = self.products.get(product["parent_id"])
            if parent is not None:
                parent["date_modified"] = now

    def _attach(self, product: dict[str, Any], parent_id: int) -> None:
        """Make `parent_id` the product's parent; only variations are listed under it."""
        old = self.products.get(product["parent_id"])
        if old is not None and product["id"] in old["variations"]:
            old["variations"].remove(product["id"])
        product["parent_id"] = parent_id
        parent = self.products.get(parent_id)
        if parent is not None and product["type"] == "variation":
            parent["variations"] = sorted({*parent["variations"], product["id"]})

    def _check_sku(self, product: dict[str, Any], data: dict[str, Any]) -> None:
        if "sku" not in data:
            return
        sku = " ".join(str(data["sku"] or "").split())
        other = self.find_sku(sku)
        if sku and other is not None and other["id"] != product["id"]:
            index = 1
            while self.find_sku(f"{sku}-{index}") is not None:
                index += 1
            raise WooError("product_invalid_sku", "Invalid or duplicated SKU.", 400,
                           resource_id=other["id"], unique_sku=f"{sku}-{index}")

    def _tax_class_slugs(self) -> set[str]:
        return {slug for slug, _ in self.tax_classes if slug != "standard"}


def _new_product(data: dict[str, Any], parent_id: int, now: Any) -> dict[str, Any]:
    is_variation = parent_id != 0
    return {
        "id": 0,
        "name": "",
        "slug": "",
        "type": "variation" if is_variation else str(data.get("type") or "simple"),
        "status": "publish",
        "sku": "",
        "regular_price": "",
        "sale_price": "",
        "price_text": "",
        "description": "",
        "short_description": "",
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
        "parent_id": 0,
        # WooCommerce files a product without categories under its default one.
        "categories": list(data.get("categories") or ([] if is_variation else [UNCATEGORIZED])),
        "attributes": [],
        "default_attributes": list(data.get("default_attributes") or []),
        "variations": [],
        "meta_data": [],
        "total_sales": 0,
        "date_created": now,
        "date_modified": now,
    }


def _meta_updates(data: dict[str, Any]) -> list[dict[str, Any]]:
    updates = data.get("meta_data")
    return [m for m in updates if isinstance(m, dict)] if isinstance(updates, list) else []
