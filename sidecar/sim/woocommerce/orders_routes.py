"""`/orders`: list, create, get, update, delete."""

from __future__ import annotations

from flask import Flask
from flask import Response

from sidecar.sim.woocommerce.errors import WooError
from sidecar.sim.woocommerce.listing import filter_dates
from sidecar.sim.woocommerce.listing import only_included
from sidecar.sim.woocommerce.listing import ordered
from sidecar.sim.woocommerce.listing import paginate
from sidecar.sim.woocommerce.orders import ORDER_STATUSES
from sidecar.sim.woocommerce.orders_json import order_json
from sidecar.sim.woocommerce.rest import API
from sidecar.sim.woocommerce.rest import authorize
from sidecar.sim.woocommerce.rest import invalid_param
from sidecar.sim.woocommerce.rest import query_flag
from sidecar.sim.woocommerce.rest import query_params
from sidecar.sim.woocommerce.rest import request_body
from sidecar.sim.woocommerce.rest import respond
from sidecar.sim.woocommerce.simulator import WooSim


def register(app: Flask, sim: WooSim) -> None:
    """Add the order routes to `app`."""
    store = sim.store

    @app.get(f"{API}/orders")
    def list_orders() -> Response:
        authorize("list")
        params = query_params()
        statuses = [s for s in params.get("status", "any").split(",") if s]
        with store.lock:
            orders = list(store.orders.values())
            if "any" not in statuses:
                unknown = [
                    s for s in statuses if s not in (*ORDER_STATUSES, "trash", "checkout-draft")
                ]
                if unknown:
                    raise invalid_param(
                        "status",
                        "status is not one of any, trash, " + ", ".join(ORDER_STATUSES) + ".",
                    )
                orders = [o for o in orders if o["status"] in statuses]
            else:
                orders = [o for o in orders if o["status"] not in ("trash", "checkout-draft")]
            if params.get("customer"):
                orders = [o for o in orders if o["customer_id"] == int(params["customer"])]
            orders = only_included(filter_dates(orders, "date_modified", store.site.tz))
            orders = ordered(orders, ("date", "id", "include", "title", "slug", "modified"))
            page, headers = paginate(orders)
            return respond([order_json(o, store, store.site) for o in page], headers=headers)

    @app.post(f"{API}/orders")
    def create_order() -> Response:
        authorize("create")
        data = request_body()
        if data.get("id"):
            raise WooError(
                "woocommerce_rest_shop_order_exists", "Cannot create existing order.", 400
            )
        with store.lock:
            order = store.place_order(data, created_via="rest-api")
            return respond(order_json(order, store, store.site), 201)

    @app.get(f"{API}/orders/<int:order_id>")
    def get_order(order_id: int) -> Response:
        authorize("view")
        with store.lock:
            return respond(order_json(store.get_order(order_id), store, store.site))

    @app.route(f"{API}/orders/<int:order_id>", methods=["PUT", "PATCH", "POST"])
    def update_order(order_id: int) -> Response:
        authorize("edit")
        data = request_body()
        if "status" in data and data["status"] not in (*ORDER_STATUSES, "trash"):
            raise invalid_param("status", "status is not one of " + ", ".join(ORDER_STATUSES) + ".")
        with store.lock:
            order = store.update_order(order_id, data)
            return respond(order_json(order, store, store.site))

    @app.delete(f"{API}/orders/<int:order_id>")
    def delete_order(order_id: int) -> Response:
        authorize("delete")
        with store.lock:
            body = order_json(store.get_order(order_id), store, store.site)
            order = store.delete_order(order_id, force=query_flag("force"))
            if not query_flag("force"):
                body = order_json(order, store, store.site)
            return respond(body)
