"""`/webhooks`: list, create (with its ping), get, update, delete."""

from __future__ import annotations

from flask import Flask
from flask import Response

from sidecar.sim.woocommerce.errors import WooError
from sidecar.sim.woocommerce.listing import only_included
from sidecar.sim.woocommerce.listing import ordered
from sidecar.sim.woocommerce.listing import paginate
from sidecar.sim.woocommerce.rest import API
from sidecar.sim.woocommerce.rest import authorize
from sidecar.sim.woocommerce.rest import query_flag
from sidecar.sim.woocommerce.rest import query_params
from sidecar.sim.woocommerce.rest import request_body
from sidecar.sim.woocommerce.rest import respond
from sidecar.sim.woocommerce.simulator import WooSim
from sidecar.sim.woocommerce.validation import check_schema
from sidecar.sim.woocommerce.webhooks_json import webhook_json


def register(app: Flask, sim: WooSim) -> None:
    """Add the webhook routes to `app`."""
    store = sim.store

    @app.get(f"{API}/webhooks")
    def list_webhooks() -> Response:
        authorize("list")
        status = query_params().get("status", "all")
        with store.lock:
            hooks = [w for w in store.webhooks.values() if status in ("all", w["status"])]
            hooks = ordered(only_included(hooks), ("date", "id", "include", "title"), ties="asc")
            page, headers = paginate(hooks)
            return respond([webhook_json(w, store.site) for w in page], headers=headers)

    @app.post(f"{API}/webhooks")
    def create_webhook() -> Response:
        authorize("create")
        webhook = store.create_webhook(request_body())
        # The REST controller pings inside the request and ignores the outcome.
        sim.sender.ping(webhook["id"])
        with store.lock:
            return respond(webhook_json(store.get_webhook(webhook["id"]), store.site), 201)

    @app.get(f"{API}/webhooks/<int:webhook_id>")
    def get_webhook(webhook_id: int) -> Response:
        authorize("view")
        with store.lock:
            return respond(webhook_json(store.get_webhook(webhook_id), store.site))

    @app.route(f"{API}/webhooks/<int:webhook_id>", methods=["PUT", "PATCH", "POST"])
    def update_webhook(webhook_id: int) -> Response:
        authorize("edit")
        with store.lock:
            store.get_webhook(webhook_id)
        data = check_schema(request_body(), (("name", "string"),
                                             ("status", ("active", "paused", "disabled")),
                                             ("topic", "string"), ("secret", "string")))
        webhook = store.update_webhook(webhook_id, data)
        if webhook["status"] == "active" and webhook["pending_delivery"]:
            sim.sender.ping(webhook_id)
        with store.lock:
            return respond(webhook_json(store.get_webhook(webhook_id), store.site))

    @app.delete(f"{API}/webhooks/<int:webhook_id>")
    def delete_webhook(webhook_id: int) -> Response:
        authorize("delete")
        if not query_flag("force"):
            raise WooError(
                "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", 501
            )
        with store.lock:
            return respond(webhook_json(store.delete_webhook(webhook_id), store.site))
