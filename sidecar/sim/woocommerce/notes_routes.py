"""`/orders/<id>/notes` and `/orders/<id>/refunds`: list and create."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Flask
from flask import Response

from sidecar.sim.woocommerce.errors import WooError
from sidecar.sim.woocommerce.listing import paginate
from sidecar.sim.woocommerce.orders_json import note_json
from sidecar.sim.woocommerce.orders_json import refund_json
from sidecar.sim.woocommerce.rest import API
from sidecar.sim.woocommerce.rest import authorize
from sidecar.sim.woocommerce.rest import query_params
from sidecar.sim.woocommerce.rest import request_body
from sidecar.sim.woocommerce.rest import respond
from sidecar.sim.woocommerce.simulator import WooSim
from sidecar.sim.woocommerce.store import WooStore
from sidecar.sim.woocommerce.validation import as_boolean


def register(app: Flask, sim: WooSim) -> None:
    """Add the note and refund routes to `app`."""
    store = sim.store

    @app.get(f"{API}/orders/<int:order_id>/notes")
    def list_notes(order_id: int) -> Response:
        authorize("list")
        with store.lock:
            store.get_order(order_id)
            kind = query_params().get("type", "any")
            notes = [
                n
                for n in store.notes[order_id]
                if kind == "any" or (kind == "customer") == n["customer_note"]
            ]
            # Newest first; notes of the same second in the order they were written (060).
            notes.sort(key=lambda n: n["id"])
            notes.sort(key=lambda n: n["date_created"], reverse=True)
            return respond([note_json(order_id, n, store.site) for n in notes])

    @app.post(f"{API}/orders/<int:order_id>/notes")
    def create_note(order_id: int) -> Response:
        authorize("create")
        data = request_body()
        if not data.get("note"):
            raise WooError(
                "woocommerce_rest_missing_parameter", "Missing parameter(s): note", 400
            )  # schema: note is required
        with store.lock:
            note = store.add_note(
                order_id,
                str(data["note"]),
                customer_note=bool(data.get("customer_note", False)),
                by_user=bool(data.get("added_by_user", False)),
            )
            return respond(note_json(order_id, note, store.site), 201)

    @app.get(f"{API}/orders/<int:order_id>/refunds")
    def list_refunds(order_id: int) -> Response:
        authorize("list")
        with store.lock:
            order = store.get_order(order_id)
            refunds = [store.refunds[i] for i in reversed(order["refund_ids"])]
            page, headers = paginate(refunds)
            return respond([refund_json(r, store, store.site) for r in page], headers=headers)

    @app.get(f"{API}/orders/<int:order_id>/refunds/<int:refund_id>")
    def get_refund(order_id: int, refund_id: int) -> Response:
        authorize("view")
        with store.lock:
            return respond(refund_json(store.refund_of(order_id, refund_id), store, store.site))

    @app.post(f"{API}/orders/<int:order_id>/refunds")
    def create_refund(order_id: int) -> Response:
        authorize("create")
        data = request_body()
        # v3 refunds through the gateway and restocks unless told not to (046, 048);
        # `restock_items` and `restock` are not its parameters.
        refund = refund_from_body(store, order_id, data,
                                  api_refund=as_boolean(data.get("api_refund")) is not False,
                                  restock=as_boolean(data.get("api_restock")) is not False)
        with store.lock:
            return respond(refund_json(refund, store, store.site), 201)


def refund_from_body(store: WooStore, order_id: int, data: dict[str, Any], *, api_refund: bool,
                     restock: bool, prefill: bool = False) -> dict[str, Any]:
    """A refund as the REST route and the control API (`prefill`: as the order screen fills
    in what a line refunds) take it from a JSON body."""
    amount = data.get("amount")
    with store.lock:
        return store.refund_order(
            order_id,
            amount=Decimal(str(amount)) if amount not in (None, "") else None,
            reason=str(data.get("reason", "")),
            line_items=data.get("line_items"),
            restock=restock,
            api_refund=api_refund,
            prefill=prefill,
        )
