"""Load a shop's state from what its REST API answered: products, variations, orders, notes,
webhooks, and where the id sequences stand (`POST /_sim/load`).

This rebuilds a real store from captured GETs (the contract test starts from the store the
exchanges in tests/fixtures/woocommerce/rest were captured from). Values are taken as given:
names are not filtered again, dates come from the `_gmt` fields, ids are kept.

- Products in the `/products` shape. A variation may come in the `/variations` shape (no
  `type`, named by its values only) with its `parent_id`; its title is then made as
  WooCommerce makes it. A `tax_class` of "parent" may be given where the store keeps it.
- Orders in the `/orders` shape. Line amounts are stored at six decimals in WooCommerce but
  sent at two, so a line's total is rebuilt from its `price` × quantity.
- `next_ids`: {"post", "item", "meta", "item_meta", "note", "webhook"}: the next id each
  sequence gives.
"""

from __future__ import annotations

import copy
import secrets
from datetime import UTC
from datetime import datetime
from decimal import Decimal
from typing import Any

from sidecar.sim.woocommerce.orders import STOCK_REDUCING_STATUSES
from sidecar.sim.woocommerce.store import WooStore
from sidecar.sim.woocommerce.text import sanitize_title

TOTALS = ("discount_total", "discount_tax", "shipping_total", "shipping_tax", "cart_tax",
          "total", "total_tax")
SEQUENCES = {"post": "_next_post_id", "item": "_next_item_id", "meta": "_next_meta_id",
             "item_meta": "_next_item_meta_id", "note": "_next_note_id",
             "webhook": "_next_webhook_id"}


def load_snapshot(store: WooStore, snapshot: dict[str, Any]) -> dict[str, int]:
    """Add the snapshot's objects to the shop (same ids replace); counts of what was loaded."""
    with store.lock:
        products = [_product(p) for p in snapshot.get("products") or []]
        store.products.update({p["id"]: p for p in products})
        for product in products:
            from_values = product.pop("name_from_values")
            if product["type"] == "variation":
                parent = store.products.get(product["parent_id"])
                if parent is not None:
                    parent["variations"] = sorted({*parent["variations"], product["id"]})
                if from_values:
                    product["name"] = store.variation_title(product)
                    product["slug"] = product["slug"] or sanitize_title(product["name"])
        orders = [_order(o) for o in snapshot.get("orders") or []]
        for order in orders:
            store.orders[order["id"]] = order
            store.notes.setdefault(order["id"], [])
        for order_id, notes in (snapshot.get("notes") or {}).items():
            store.notes[int(order_id)] = [_note(n) for n in notes]
        webhooks = [_webhook(w) for w in snapshot.get("webhooks") or []]
        store.webhooks.update({w["id"]: w for w in webhooks})
        for name, value in (snapshot.get("next_ids") or {}).items():
            setattr(store, SEQUENCES[name], int(value))
        return {"products": len(products), "orders": len(orders), "webhooks": len(webhooks)}


def _gmt(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


def _product(p: dict[str, Any]) -> dict[str, Any]:
    from_variations_route = "type" not in p and int(p.get("parent_id") or 0) > 0
    kind = "variation" if from_variations_route else str(p.get("type") or "simple")
    return {
        "id": int(p["id"]),
        "name": str(p.get("name") or ""),
        "name_from_values": from_variations_route,
        "slug": str(p.get("slug") or ""),
        "type": kind,
        "status": str(p.get("status") or "publish"),
        "sku": str(p.get("sku") or ""),
        "regular_price": str(p.get("regular_price") or ""),
        "sale_price": str(p.get("sale_price") or ""),
        "price_text": "" if kind == "variable" else str(p.get("price") or ""),
        "description": str(p.get("description") or ""),
        "short_description": str(p.get("short_description") or ""),
        "tax_status": str(p.get("tax_status") or "taxable"),
        "tax_class": str(p.get("tax_class") or ""),
        "manage_stock": p.get("manage_stock") is True,
        "stock_quantity": p.get("stock_quantity"),
        "stock_status": str(p.get("stock_status") or "instock"),
        "backorders": str(p.get("backorders") or "no"),
        "low_stock_amount": p.get("low_stock_amount"),
        "weight": str(p.get("weight") or ""),
        "dimensions": dict(p.get("dimensions") or {"length": "", "width": "", "height": ""}),
        "virtual": p.get("virtual") is True,
        "parent_id": int(p.get("parent_id") or 0),
        "categories": copy.deepcopy(p.get("categories") or []),
        "attributes": [_attribute(a, kind) for a in p.get("attributes") or []],
        "default_attributes": copy.deepcopy(p.get("default_attributes") or []),
        "variations": [],
        "meta_data": copy.deepcopy(p.get("meta_data") or []),
        "total_sales": int(p.get("total_sales") or 0),
        "date_created": _gmt(p.get("date_created_gmt")),
        "date_modified": _gmt(p.get("date_modified_gmt")),
    }


def _attribute(a: dict[str, Any], kind: str) -> dict[str, Any]:
    attribute = copy.deepcopy(a)
    if kind == "variation":
        attribute.setdefault("slug", sanitize_title(str(a.get("name") or "")))
    return attribute


def _money(entries: list[dict[str, Any]], field: str = "total") -> dict[int, Decimal]:
    return {int(t["id"]): Decimal(str(t[field] or "0")) for t in entries}


def _line(li: dict[str, Any]) -> dict[str, Any]:
    quantity = int(li["quantity"])
    return {
        "id": int(li["id"]),
        "name": str(li["name"]),
        "product_id": int(li["product_id"]),
        "variation_id": int(li["variation_id"]),
        "quantity": quantity,
        "tax_class": str(li.get("tax_class") or ""),
        "meta_data": copy.deepcopy(li.get("meta_data") or []),
        "parent_name": li.get("parent_name"),
        "subtotal": Decimal(li["subtotal"]),
        "subtotal_tax": Decimal(li["subtotal_tax"]),
        "total": Decimal(str(li["price"])) * quantity,
        "total_tax": Decimal(li["total_tax"]),
        "taxes": _money(li["taxes"]),
        "subtotal_taxes": _money(li["taxes"], "subtotal"),
    }


def _charge(c: dict[str, Any], shipping: bool) -> dict[str, Any]:
    head = ({"method_title": c["method_title"], "method_id": c["method_id"],
             "instance_id": c["instance_id"]} if shipping else
            {"name": c["name"], "tax_class": c["tax_class"], "tax_status": c["tax_status"]})
    return {"id": int(c["id"]), **head, "total": Decimal(c["total"]),
            "total_tax": Decimal(c["total_tax"]), "taxes": _money(c["taxes"]),
            "meta_data": copy.deepcopy(c.get("meta_data") or [])}


def _order(o: dict[str, Any]) -> dict[str, Any]:
    lines = [_line(li) for li in o["line_items"]]
    return {
        "id": int(o["id"]),
        "status": str(o["status"]),
        "currency": str(o["currency"]),
        "prices_include_tax": o["prices_include_tax"] is True,
        "created_via": str(o.get("created_via") or ""),
        **{name: _gmt(o.get(f"{name}_gmt"))
           for name in ("date_created", "date_modified", "date_paid", "date_completed")},
        "customer_id": int(o.get("customer_id") or 0),
        "order_key": str(o.get("order_key") or ""),
        "billing": dict(o["billing"]),
        "shipping": dict(o["shipping"]),
        **{name: str(o.get(name) or "") for name in (
            "payment_method", "payment_method_title", "transaction_id", "customer_ip_address",
            "customer_user_agent", "customer_note", "cart_hash")},
        "meta_data": copy.deepcopy(o.get("meta_data") or []),
        "stock_reduced": any(m["key"] == "_reduced_stock" for li in lines
                             for m in li["meta_data"]),
        "sales_recorded": o["status"] in STOCK_REDUCING_STATUSES,
        "status_before_trash": None,
        "refund_ids": [],
        "totals": {name: Decimal(o[name]) for name in TOTALS},
        "line_items": lines,
        "shipping_lines": [_charge(s, True) for s in o.get("shipping_lines") or []],
        "fee_lines": [_charge(f, False) for f in o.get("fee_lines") or []],
        "coupon_lines": [{"id": int(c["id"]), "code": c["code"],
                          "discount": Decimal(c["discount"]),
                          "discount_tax": Decimal(c["discount_tax"]),
                          "meta_data": copy.deepcopy(c.get("meta_data") or [])}
                         for c in o.get("coupon_lines") or []],
        "tax_lines": [{"id": int(t["id"]), "rate_code": t["rate_code"],
                       "rate_id": int(t["rate_id"]), "label": t["label"],
                       "tax_total": Decimal(t["tax_total"]),
                       "shipping_tax_total": Decimal(t["shipping_tax_total"]),
                       "rate_percent": Decimal(str(t["rate_percent"]))}
                      for t in o.get("tax_lines") or []],
    }


def _note(n: dict[str, Any]) -> dict[str, Any]:
    return {"id": int(n["id"]), "author": str(n.get("author") or "WooCommerce"),
            "date_created": _gmt(n["date_created_gmt"]), "note": str(n["note"]),
            "customer_note": n.get("customer_note") is True}


def _webhook(w: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": int(w["id"]),
        "name": str(w.get("name") or ""),
        "status": str(w.get("status") or "active"),
        "topic": str(w["topic"]),
        "delivery_url": str(w["delivery_url"]),
        "secret": str(w.get("secret") or secrets.token_urlsafe(37)[:50]),
        "api_version": "wp_api_v3",
        "failure_count": int(w.get("failure_count") or 0),
        "pending_delivery": False,
        "date_created": _gmt(w.get("date_created_gmt")),
        "date_modified": _gmt(w.get("date_modified_gmt")),
    }
