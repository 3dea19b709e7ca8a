"""`/products` and `/products/<id>/variations`: list, get, create, update, delete, batch."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask import Response

from sidecar.sim.woocommerce.errors import WooError
from sidecar.sim.woocommerce.listing import filter_dates
from sidecar.sim.woocommerce.listing import only_included
from sidecar.sim.woocommerce.listing import ordered
from sidecar.sim.woocommerce.listing import paginate
from sidecar.sim.woocommerce.product_fields import PRODUCT_SCHEMA
from sidecar.sim.woocommerce.products_json import product_json
from sidecar.sim.woocommerce.products_json import variation_json
from sidecar.sim.woocommerce.rest import API
from sidecar.sim.woocommerce.rest import authorize
from sidecar.sim.woocommerce.rest import query_flag
from sidecar.sim.woocommerce.rest import query_params
from sidecar.sim.woocommerce.rest import request_body
from sidecar.sim.woocommerce.rest import respond
from sidecar.sim.woocommerce.simulator import WooSim
from sidecar.sim.woocommerce.store import WooStore
from sidecar.sim.woocommerce.validation import as_integer
from sidecar.sim.woocommerce.validation import check_schema

BATCH_LIMIT = 100
EDIT = "edit"
# A variation's schema has no name, type or slug: those are ignored when sent (020).
VARIATION_SCHEMA = tuple((name, rule) for name, rule in PRODUCT_SCHEMA if name not in (
    "name", "slug", "type", "featured", "catalog_visibility", "short_description",
    "sold_individually", "parent_id"))


def register(app: Flask, sim: WooSim) -> None:
    """Add the product and variation routes to `app`."""
    store = sim.store

    @app.get(f"{API}/products")
    def list_products() -> Response:
        authorize("list")
        params = query_params()
        with store.lock:
            products = [p for p in store.products.values() if p["status"] != "trash"]
            if params.get("sku"):
                # A SKU query covers variations too.
                skus = {s.strip() for s in params["sku"].split(",")}
                products = [p for p in products if p["sku"] in skus]
            else:
                products = [p for p in products if p["type"] != "variation"]
            if params.get("status") and params["status"] != "any":
                products = [p for p in products if p["status"] == params["status"]]
            if params.get("type"):
                products = [p for p in products if p["type"] == params["type"]]
            if params.get("search"):
                products = [p for p in products if _found(p, params["search"])]
            products = only_included(filter_dates(products, store.site.tz))
            products = ordered(products, ("date", "id", "include", "title", "slug", "modified"))
            page, headers = paginate(products)
            return respond([product_json(p, store, store.site) for p in page], headers=headers)

    @app.post(f"{API}/products")
    def create_product() -> Response:
        authorize("create")
        data = check_schema(request_body(), PRODUCT_SCHEMA)
        with store.lock:
            return respond(product_json(store.create_product(data), store, store.site, EDIT), 201)

    @app.get(f"{API}/products/<int:product_id>")
    def get_product(product_id: int) -> Response:
        authorize("view")
        with store.lock:
            return respond(product_json(store.get_product(product_id), store, store.site))

    @app.route(f"{API}/products/<int:product_id>", methods=["PUT", "PATCH", "POST"])
    def update_product(product_id: int) -> Response:
        authorize("edit")
        data = check_schema(request_body(), PRODUCT_SCHEMA)
        with store.lock:
            updated = store.update_product(product_id, data)
            return respond(product_json(updated, store, store.site, EDIT))

    @app.delete(f"{API}/products/<int:product_id>")
    def delete_product(product_id: int) -> Response:
        authorize("delete")
        with store.lock:
            # The answer shows the product as it was before it went to the trash.
            body = product_json(store.get_product(product_id), store, store.site, EDIT)
            store.delete_product(product_id, force=query_flag("force"))
            return respond(body)

    @app.post(f"{API}/products/batch")
    def batch_products() -> Response:
        authorize("batch")
        return respond(batch(sim, request_body(), parent_id=None))

    @app.get(f"{API}/products/<int:parent_id>/variations")
    def list_variations(parent_id: int) -> Response:
        authorize("list")
        params = query_params()
        with store.lock:
            parent = store.get_product(parent_id)
            variations = [store.products[i] for i in parent["variations"] if i in store.products]
            if params.get("sku"):
                skus = {s.strip() for s in params["sku"].split(",")}
                variations = [v for v in variations if v["sku"] in skus]
            variations = ordered(
                only_included(filter_dates(variations, store.site.tz)),
                ("date", "id", "include", "title", "slug", "modified", "menu_order"),
            )
            page, headers = paginate(variations)
            return respond([variation_json(v, store, store.site) for v in page], headers=headers)

    @app.post(f"{API}/products/<int:parent_id>/variations")
    def create_variation(parent_id: int) -> Response:
        authorize("create")
        data = check_schema(request_body(), VARIATION_SCHEMA)
        with store.lock:
            variation = store.create_product(data, parent_id=parent_id)
            return respond(variation_json(variation, store, store.site, EDIT), 201)

    @app.get(f"{API}/products/<int:parent_id>/variations/<int:variation_id>")
    def get_variation(parent_id: int, variation_id: int) -> Response:
        authorize("view")
        with store.lock:
            variation = store.get_product(variation_id, variation_of=parent_id)
            return respond(variation_json(variation, store, store.site))

    @app.route(
        f"{API}/products/<int:parent_id>/variations/<int:variation_id>",
        methods=["PUT", "PATCH", "POST"],
    )
    def update_variation(parent_id: int, variation_id: int) -> Response:
        authorize("edit")
        with store.lock:
            _check_parent(store, parent_id, variation_id)
        data = check_schema(request_body(), VARIATION_SCHEMA)
        with store.lock:
            variation = store.update_product(variation_id, data, variation_of=parent_id)
            return respond(variation_json(variation, store, store.site, EDIT))

    @app.delete(f"{API}/products/<int:parent_id>/variations/<int:variation_id>")
    def delete_variation(parent_id: int, variation_id: int) -> Response:
        authorize("delete")
        if not query_flag("force"):
            raise WooError(
                "woocommerce_rest_trash_not_supported", "Variations do not support trashing.", 501
            )
        with store.lock:
            variation = store.get_product(variation_id, variation_of=parent_id)
            body = variation_json(variation, store, store.site, EDIT)
            store.delete_product(variation_id, force=True, variation_of=parent_id)
            return respond(body)

    @app.post(f"{API}/products/<int:parent_id>/variations/batch")
    def batch_variations(parent_id: int) -> Response:
        authorize("batch")
        with store.lock:
            store.get_product(parent_id)
        return respond(batch(sim, request_body(), parent_id=parent_id))


def _check_parent(store: WooStore, parent_id: int, variation_id: int) -> None:
    """The single variation PUT's permission check, before the body is looked at (024)."""
    product = store.products.get(variation_id)
    if product is not None and product["parent_id"] not in (0, parent_id):
        raise WooError("woocommerce_rest_cannot_edit",
                       "Parent product does not match current variation.", 403)


def _found(product: dict[str, Any], search: str) -> bool:
    """WordPress's search: every word (quotes keep phrases) in the title, excerpt or content,
    as stored (so "&" finds "&amp;")."""
    text = " ".join((product["name"], product["short_description"],
                     product["description"])).casefold()
    terms = [t.strip('"') for t in re.findall(r'"[^"]*"|\S+', search)]
    terms = [t for t in terms if t and not (len(t) == 1 and re.match(r"[a-zA-Z-]", t))]
    return all(t.casefold() in text for t in terms)


def batch(sim: WooSim, data: dict[str, Any], *, parent_id: int | None) -> dict[str, Any]:
    """WC_REST_Controller::batch_items: 100 items at most, per-item errors, forced deletes.

    Items skip the schema (`product_fields` coerces instead), and a variations batch does not
    check that an item belongs to its parent: it moves the item there (034, 035).
    """
    store = sim.store
    lists = {name: data.get(name) or [] for name in ("create", "update", "delete")}
    if sum(len(items) for items in lists.values()) > BATCH_LIMIT:
        raise WooError(
            "woocommerce_rest_request_entity_too_large",
            f"Unable to accept more than {BATCH_LIMIT} items for this request.",
            413,
        )
    site = store.site

    def render(product: dict[str, Any]) -> dict[str, Any]:
        if parent_id is None:
            return product_json(product, store, site, EDIT)
        return variation_json(product, store, site, EDIT)

    def failed(item_id: Any, error: WooError) -> dict[str, Any]:
        return {"id": item_id, "error": error.body()}

    response: dict[str, list[dict[str, Any]]] = {}
    with store.lock:
        for item in lists["create"]:
            try:
                created = store.create_product(dict(item), parent_id=parent_id or 0)
                response.setdefault("create", []).append(render(created))
            except WooError as error:
                response.setdefault("create", []).append(failed(0, error))
        for item in lists["update"]:
            try:
                product_id = as_integer(item.get("id")) or 0
                changes = {k: v for k, v in item.items() if k != "id"}
                updated = store.update_product(product_id, changes, variation_of=parent_id)
                response.setdefault("update", []).append(render(updated))
            except WooError as error:
                response.setdefault("update", []).append(failed(item.get("id"), error))
        for raw_id in lists["delete"]:
            product_id = as_integer(raw_id) or 0
            if product_id == 0:
                continue
            try:
                body = render(store.get_product(product_id, variation_of=parent_id))
                store.delete_product(product_id, force=True, variation_of=parent_id)
                response.setdefault("delete", []).append(body)
            except WooError as error:
                response.setdefault("delete", []).append(failed(product_id, error))
    return response
