"""The simulated shop's state and rules: products, orders, notes, refunds, webhooks.

Everything here runs under one lock (`store.lock`, re-entrant) and knows nothing of HTTP. Each
change that WooCommerce would announce through a webhook hook calls `store.emit(resource, event,
resource_id)`; the sender in woocommerce_webhooks.py listens and delivers.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from sidecar.sim.woocommerce.cart import SWEDISH_TAX_CLASSES
from sidecar.sim.woocommerce.cart import SWEDISH_TAX_RATES
from sidecar.sim.woocommerce.cart import CartLine
from sidecar.sim.woocommerce.cart import Coupon
from sidecar.sim.woocommerce.cart import Fee
from sidecar.sim.woocommerce.cart import Shipping
from sidecar.sim.woocommerce.cart import calculate_cart
from sidecar.sim.woocommerce.format import stored
from sidecar.sim.woocommerce.orders_json import STATUS_LABELS
from sidecar.sim.woocommerce.orders_json import Site

ORDER_STATUSES = (
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
)
# Statuses in which WooCommerce has reduced stock and counted the sale.
STOCK_REDUCING_STATUSES = ("processing", "completed", "on-hold")
STOCK_RESTORING_STATUSES = ("cancelled", "pending")
VALID_EVENTS = ("created", "updated", "deleted", "restored")
VALID_RESOURCES = ("coupon", "customer", "order", "product")
BLOCKED_ACTIONS = (
    "action.woocommerce_login_credentials",
    "action.woocommerce_product_csv_importer_check_import_file_path",
    "action.woocommerce_webhook_should_deliver",
)
ADDRESS_FIELDS = (
    "first_name last_name company address_1 address_2 city state postcode country email phone"
).split()


class WooError(Exception):
    """A WP_Error: REST answers it as {"code", "message", "data": {"status", ...}}."""

    def __init__(self, code: str, message: str, status: int = 400, **data: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status
        self.data = data

    def body(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "data": {"status": self.status, **self.data},
        }


@dataclass
class WooSimConfig:
    """Knobs of the simulated shop. Most can also be changed at runtime through /_sim/config."""

    consumer_key: str = "ck_sim_0000000000000000000000000000000000000000"
    consumer_secret: str = "cs_sim_0000000000000000000000000000000000000000"  # noqa: S105
    key_permissions: str = "read_write"
    # Real WooCommerce accepts Basic auth only over HTTPS; the sim is HTTP on loopback.
    allow_basic_auth: bool = True
    # The shop's home URL (OAuth base string, links, X-WC-Webhook-Source); None = as reached.
    site_url: str | None = None
    timezone: str = "Europe/Stockholm"
    currency: str = "SEK"
    prices_include_tax: bool = True
    weight_unit: str = "kg"
    wc_version: str = "8.4.0"
    wp_version: str = "6.4.2"
    latency_ms: int = 0
    # Injected failures on /wp-json routes: {status code: probability}, e.g. {503: 0.1}.
    error_rates: dict[int, float] = field(default_factory=dict)
    # Deliver webhooks inside the request that caused them instead of on a background queue.
    webhooks_synchronous: bool = False
    delivery_timeout_seconds: float = 60.0
    ping_timeout_seconds: float = 5.0
    # woocommerce_max_webhook_delivery_failures.
    max_delivery_failures: int = 5
    # WordPress's wp_safe_remote_post only allows ports 80, 443 and 8080.
    restrict_delivery_ports: bool = False
    seed: bool = False


class WooStore:
    """In-memory shop. Public methods take and return plain dicts, raising WooError."""

    def __init__(self, config: WooSimConfig) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.listeners: list[Callable[[str, str, int], None]] = []
        self.reset()

    # -- housekeeping -------------------------------------------------------------------

    def reset(self) -> None:
        with self.lock:
            self.products: dict[int, dict[str, Any]] = {}
            self.orders: dict[int, dict[str, Any]] = {}
            self.refunds: dict[int, dict[str, Any]] = {}
            self.notes: dict[int, list[dict[str, Any]]] = {}
            self.webhooks: dict[int, dict[str, Any]] = {}
            self.coupons: dict[str, Coupon] = {}
            self.tax_classes: list[tuple[str, str]] = list(SWEDISH_TAX_CLASSES)
            self.tax_rates = list(SWEDISH_TAX_RATES)
            self.clock_offset = timedelta(0)
            self.detected_url: str | None = None
            # WordPress posts share one id sequence: products, orders and refunds interleave.
            self._next_post_id = 10
            self._next_item_id = 1
            self._next_meta_id = 1
            self._next_note_id = 1
            self._next_webhook_id = 1

    def now(self) -> datetime:
        """The shop's clock (UTC, whole seconds as WordPress stores them)."""
        return (datetime.now(UTC) + self.clock_offset).replace(microsecond=0)

    @property
    def site(self) -> Site:
        url = (self.config.site_url or self.detected_url or "http://127.0.0.1").rstrip("/")
        return Site(
            url, ZoneInfo(self.config.timezone), self.config.currency, self.config.wc_version
        )

    def emit(self, resource: str, event: str, resource_id: int) -> None:
        for listener in self.listeners:
            listener(resource, event, resource_id)

    def _post_id(self) -> int:
        self._next_post_id += 1
        return self._next_post_id - 1

    def _item_id(self) -> int:
        self._next_item_id += 1
        return self._next_item_id - 1

    def _meta(self, key: str, value: Any, display: bool = False) -> dict[str, Any]:
        self._next_meta_id += 1
        meta: dict[str, Any] = {"id": self._next_meta_id - 1, "key": key, "value": value}
        if display:
            meta.update(display_key=key, display_value=value)
        return meta

    # -- products -------------------------------------------------------------------------

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

    def _merge_meta(self, meta: list[dict[str, Any]], updates: list[dict[str, Any]]) -> None:
        """WooCommerce meta_data semantics: update by id or key, add new, null value deletes."""
        for update in updates:
            existing = next(
                (
                    m
                    for m in meta
                    if ("id" in update and m["id"] == update["id"])
                    or ("id" not in update and m["key"] == update.get("key"))
                ),
                None,
            )
            if update.get("value") is None and existing is not None:
                meta.remove(existing)
            elif existing is not None:
                existing["value"] = update.get("value")
            elif update.get("key"):
                meta.append(self._meta(update["key"], update.get("value")))

    def change_stock(self, product: dict[str, Any], delta: int) -> None:
        """wc_update_product_stock: saves the product, so product.updated fires."""
        if not product["manage_stock"]:
            return
        product["stock_quantity"] = (product["stock_quantity"] or 0) + delta
        self._recompute_stock_status(product)
        product["date_modified"] = self.now()
        self.emit("product", "updated", product["id"])

    # -- orders ---------------------------------------------------------------------------

    def get_order(self, order_id: int) -> dict[str, Any]:
        order = self.orders.get(order_id)
        if order is None:
            raise WooError("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", 404)
        return order

    def place_order(self, data: dict[str, Any], *, created_via: str) -> dict[str, Any]:
        """Create an order from a cart description, computing totals like WooCommerce."""
        with self.lock:
            cart_lines, items = self._cart_lines(data.get("line_items") or [])
            coupons = [self._coupon(c) for c in data.get("coupon_lines") or []]
            shipping = [
                Shipping(
                    method_id=str(s.get("method_id", "flat_rate")),
                    method_title=str(s.get("method_title", "Flat rate")),
                    cost=_decimal(s.get("total", s.get("cost", "0")), "shipping_lines"),
                    instance_id=str(s.get("instance_id", "")),
                )
                for s in data.get("shipping_lines") or []
            ]
            fees = [
                Fee(
                    name=str(f.get("name", "Fee")),
                    amount=_decimal(f.get("total", f.get("amount", "0")), "fee_lines"),
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
                unit = _decimal(explicit_total, "line_items") / quantity
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
                        self._meta(a["slug"], a["option"], display=True)
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
                _decimal(line.get("amount", "0"), "coupon_lines"),
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
        return [self._meta("Items", listing, display=True)]

    def update_order(self, order_id: int, data: dict[str, Any]) -> dict[str, Any]:
        """PUT /orders/<id>: fields first, then the status transition, then one save."""
        with self.lock:
            order = self.get_order(order_id)
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
        """The status transition with WooCommerce's side effects (stock, dates, notes)."""
        with self.lock:
            order = self.get_order(order_id)
            if status == "trash":
                return self.trash_order(order_id)
            if order["status"] == "trash":
                self.restore_order(order_id)
            if status not in ORDER_STATUSES:
                raise WooError(
                    "rest_invalid_param",
                    "Invalid parameter(s): status",
                    400,
                    params={"status": f"status is not one of {', '.join(ORDER_STATUSES)}."},
                )
            old = order["status"]
            if old == status:
                return order
            now = self.now()
            order["status"] = status
            order["date_modified"] = now
            self.add_note(
                order_id,
                f"Order status changed from {STATUS_LABELS[old]} to {STATUS_LABELS[status]}.",
            )
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
            return order

    def _reduce_stock(self, order: dict[str, Any]) -> None:
        order["stock_reduced"] = True
        changes = []
        for item in order["line_items"]:
            product = self.products.get(item["variation_id"] or item["product_id"])
            product = self._stock_owner(product)
            if product is None:
                continue
            product["total_sales"] += item["quantity"]
            if product["manage_stock"]:
                before = product["stock_quantity"] or 0
                self.change_stock(product, -item["quantity"])
                item["meta_data"].append(
                    self._meta("_reduced_stock", str(item["quantity"]), display=True)
                )
                changes.append(
                    f"{item['name']} ({product['sku']}) {before}&rarr;{before - item['quantity']}"
                )
        if changes:
            self.add_note(order["id"], "Stock levels reduced: " + ", ".join(changes))

    def _restore_stock(self, order: dict[str, Any]) -> None:
        order["stock_reduced"] = False
        for item in order["line_items"]:
            reduced = next((m for m in item["meta_data"] if m["key"] == "_reduced_stock"), None)
            product = self._stock_owner(
                self.products.get(item["variation_id"] or item["product_id"])
            )
            if reduced is None or product is None:
                continue
            item["meta_data"].remove(reduced)
            self.change_stock(product, int(reduced["value"]))

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
                    total = _decimal(wanted.get("refund_total", "0"), "line_items")
                    tax = sum(
                        (
                            _decimal(v, "refund_tax")
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

    # -- webhooks ---------------------------------------------------------------------------

    @staticmethod
    def valid_topic(topic: str) -> bool:
        if topic.startswith("action."):
            hook = topic[len("action.") :]
            return (hook.startswith(("woocommerce_", "wc_"))) and topic not in BLOCKED_ACTIONS
        resource, _, event = topic.partition(".")
        return resource in VALID_RESOURCES and event in VALID_EVENTS

    def create_webhook(self, data: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            topic = str(data.get("topic") or "").lower()
            if not self.valid_topic(topic):
                raise WooError(
                    "woocommerce_rest_shop_webhook_invalid_topic",
                    "Webhook topic is required and must be valid.",
                    400,
                )
            url = str(data.get("delivery_url") or "")
            if not re.match(r"^https?://[^\s/]+", url):
                raise WooError(
                    "woocommerce_rest_shop_webhook_invalid_delivery_url",
                    "Webhook delivery URL must be a valid URL starting with http:// or https://.",
                    400,
                )
            now = self.now()
            webhook = {
                "id": self._next_webhook_id,
                "name": str(data.get("name") or f"Webhook created on {now:%b %d, %Y @ %I:%M %p}"),
                # The REST controller does not honour status on create: new webhooks are active.
                "status": "active",
                "topic": topic,
                "delivery_url": url,
                "secret": str(data.get("secret") or secrets.token_urlsafe(37)[:50]),
                "api_version": "wp_api_v3",
                "failure_count": 0,
                "pending_delivery": True,
                "date_created": now,
                "date_modified": now,
            }
            self._next_webhook_id += 1
            self.webhooks[webhook["id"]] = webhook
            return webhook

    def get_webhook(self, webhook_id: int) -> dict[str, Any]:
        webhook = self.webhooks.get(webhook_id)
        if webhook is None:
            raise WooError("woocommerce_rest_shop_webhook_invalid_id", "Invalid ID.", 404)
        return webhook

    def update_webhook(self, webhook_id: int, data: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            webhook = self.get_webhook(webhook_id)
            if "topic" in data:
                topic = str(data["topic"] or "").lower()
                if not self.valid_topic(topic):
                    raise WooError(
                        "woocommerce_rest_shop_webhook_invalid_topic",
                        "Webhook topic must be valid.",
                        400,
                    )
                webhook["topic"] = topic
            if "delivery_url" in data and data["delivery_url"] != webhook["delivery_url"]:
                webhook["delivery_url"] = str(data["delivery_url"])
                webhook["pending_delivery"] = True
            for name in ("name", "secret"):
                if name in data:
                    webhook[name] = str(data[name])
            if "status" in data:
                status = str(data["status"])
                # Unknown statuses fall back to disabled; the failure count is left alone.
                webhook["status"] = (
                    status if status in ("active", "paused", "disabled") else "disabled"
                )
            webhook["date_modified"] = self.now()
            return webhook

    def delete_webhook(self, webhook_id: int) -> dict[str, Any]:
        with self.lock:
            webhook = self.get_webhook(webhook_id)
            del self.webhooks[webhook_id]
            return webhook


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


def _decimal(value: Any, param: str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise WooError(
            "rest_invalid_param",
            f"Invalid parameter(s): {param}",
            400,
            params={param: f"{value!r} is not a number."},
        ) from exc


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
