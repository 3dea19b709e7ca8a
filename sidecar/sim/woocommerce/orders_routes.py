"""`/orders`: list, create, get, update, delete."""

from __future__ import annotations

from flask import Flask
from flask import Response

from sidecar.sim.woocommerce.errors import WooError
from sidecar.sim.woocommerce.listing import filter_dates
from sidecar.sim.woocommerce.listing import only_included
from sidecar.sim.woocommerce.listing import ordered
from sidecar.sim.woocommerce.listing import paginate
from sidecar.sim.woocommerce.orders import EDITABLE_STATUSES
from sidecar.sim.woocommerce.orders_json import order_json
from sidecar.sim.woocommerce.rest import API
from sidecar.sim.woocommerce.rest import authorize
from sidecar.sim.woocommerce.rest import query_flag
from sidecar.sim.woocommerce.rest import query_params
from sidecar.sim.woocommerce.rest import request_body
from sidecar.sim.woocommerce.rest import respond
from sidecar.sim.woocommerce.simulator import WooSim
from sidecar.sim.woocommerce.validation import ParamErrors
from sidecar.sim.woocommerce.validation import check_schema


def register(app: Flask, sim: WooSim) -> None:
    """Add the order routes to `app`."""
    store = sim.store

    @app.get(f"{API}/orders")
    def list_orders() -> Response:
        authorize("list")
        params = query_params()
        statuses = [s for s in params.get("status", "any").split(",") if s]
        allowed = ("any", "trash", *EDITABLE_STATUSES)
        errors = ParamErrors()
        for index, status in enumerate(statuses):
            if status not in allowed:
                # status is an array parameter: WordPress names the bad element (096).
                errors.not_in("status", allowed, label=f"status[{index}]")
        errors.check()
        with store.lock:
            orders = list(store.orders.values())
            if "any" not in statuses:
                orders = [o for o in orders if o["status"] in statuses]
            else:
                orders = [o for o in orders if o["status"] not in ("trash", "checkout-draft")]
            if params.get("customer"):
                orders = [o for o in orders if o["customer_id"] == int(params["customer"])]
            orders = only_included(filter_dates(orders, store.site.tz))
            orders = ordered(orders, ("date", "id", "include", "title", "slug", "modified"))
            page, headers = paginate(orders, hpos=True)
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
        data = check_schema(request_body(), (("status", EDITABLE_STATUSES),
                                             ("customer_id", "integer"), ("set_paid", "boolean")))
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
