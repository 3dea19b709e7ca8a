"""The control API under `/_sim/` (documented in the package, `sidecar.sim.woocommerce`): no
auth; it stands for the test harness, the shop's customers and its admin.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from flask import Flask
from flask import Response
from flask import request

from sidecar.sim.woocommerce.errors import WooError
from sidecar.sim.woocommerce.notes_routes import refund_from_body
from sidecar.sim.woocommerce.orders_json import order_json
from sidecar.sim.woocommerce.orders_json import refund_json
from sidecar.sim.woocommerce.products_json import product_json
from sidecar.sim.woocommerce.rest import request_body
from sidecar.sim.woocommerce.rest import respond
from sidecar.sim.woocommerce.seed import seed_demo_shop
from sidecar.sim.woocommerce.simulator import WooSim
from sidecar.sim.woocommerce.snapshot import load_snapshot

RUNTIME_KNOBS = (
    "latency_ms",
    "error_rates",
    "webhooks_synchronous",
    "delivery_timeout_seconds",
    "ping_timeout_seconds",
    "max_delivery_failures",
    "restrict_delivery_ports",
    "allow_basic_auth",
    "prices_include_tax",
    "currency",
    "weight_unit",
    "site_url",
    "key_permissions",
    "timezone",
)


def register(app: Flask, sim: WooSim) -> None:
    """Add the control API to `app`."""
    store = sim.store

    @app.post("/_sim/reset")
    def reset() -> Response:
        sim.reset()
        return respond({"reset": True})

    @app.post("/_sim/seed")
    def seed() -> Response:
        created = seed_demo_shop(store)
        with store.lock:
            return respond([product_json(p, store, store.site) for p in created], 201)

    @app.post("/_sim/checkout")
    def checkout() -> Response:
        data = request_body()
        data.setdefault("status", "processing")
        data.setdefault("customer_ip_address", request.remote_addr or "")
        data.setdefault("customer_user_agent", request.headers.get("User-Agent", ""))
        with store.lock:
            order = store.place_order(data, created_via=str(data.get("created_via", "checkout")))
            return respond(order_json(order, store, store.site), 201)

    @app.post("/_sim/orders/<int:order_id>/status")
    def set_status(order_id: int) -> Response:
        status = str(request_body().get("status", ""))
        with store.lock:
            order = store.set_order_status(order_id, status)
            return respond(order_json(order, store, store.site))

    @app.post("/_sim/orders/<int:order_id>/refunds")
    def refund(order_id: int) -> Response:
        # The admin's manual refund: no gateway involved, restocked only when asked.
        body = request_body()
        created = refund_from_body(store, order_id, body, api_refund=False,
                                   restock=body.get("restock") is True, prefill=True)
        with store.lock:
            return respond(refund_json(created, store, store.site), 201)

    @app.post("/_sim/load")
    def load() -> Response:
        return respond({"loaded": load_snapshot(store, request_body())})

    @app.post("/_sim/webhooks/<int:webhook_id>/fail")
    def fail_deliveries(webhook_id: int) -> Response:
        times = int(request_body().get("times", 1))
        with store.lock:
            webhook = store.get_webhook(webhook_id)
            for _ in range(times):
                sim.sender.count_outcome(webhook, ok=False)
            return respond({"status": webhook["status"], "failure_count": webhook["failure_count"]})

    @app.post("/_sim/webhooks/flush")
    def flush() -> Response:
        timeout = float(request_body().get("timeout", 30))
        done = sim.sender.flush(timeout=timeout)
        return respond({"flushed": done, "pending": sim.sender.pending()}, 200 if done else 504)

    @app.get("/_sim/deliveries")
    def deliveries() -> Response:
        return respond(list(sim.sender.deliveries))

    @app.get("/_sim/requests")
    def requests_log() -> Response:
        with sim.log_lock:
            return respond(list(sim.request_log))

    @app.get("/_sim/counters")
    def counters() -> Response:
        with sim.log_lock:
            counts = dict(sim.counters)
        deliveries = list(sim.sender.deliveries)
        counts["deliveries ok"] = sum(1 for d in deliveries if d["kind"] == "delivery" and d["ok"])
        counts["deliveries failed"] = sum(
            1 for d in deliveries if d["kind"] == "delivery" and not d["ok"]
        )
        counts["pings"] = sum(1 for d in deliveries if d["kind"] == "ping")
        counts["webhook queue"] = sim.sender.pending()
        return respond(counts)

    @app.route("/_sim/config", methods=["GET", "POST"])
    def config() -> Response:
        if request.method == "POST":
            for name, value in request_body().items():
                if name not in RUNTIME_KNOBS:
                    raise WooError("sim_unknown_knob", f"Unknown knob {name!r}.", 400)
                if name == "error_rates":
                    value = {int(k): float(v) for k, v in value.items()}
                setattr(sim.config, name, value)
        return respond({name: getattr(sim.config, name) for name in RUNTIME_KNOBS})

    @app.post("/_sim/clock")
    def clock() -> Response:
        body = request_body()
        with store.lock:
            if "freeze_at" in body:
                frozen = body["freeze_at"]
                store.frozen_at = (
                    None if frozen is None
                    else datetime.fromisoformat(str(frozen).replace("Z", "+00:00"))
                    .replace(tzinfo=UTC)
                )
            store.clock_offset += timedelta(seconds=float(body.get("advance_seconds", 0)))
            now = store.now()
        return respond({"now_gmt": now.strftime("%Y-%m-%dT%H:%M:%S"),
                        "frozen": store.frozen_at is not None})
