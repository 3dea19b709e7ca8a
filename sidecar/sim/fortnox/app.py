"""The Fortnox simulator's Flask app: the factory, and what happens around every request
(token, rate limit, scope, injected faults before a view; request log and lost answers after).
"""

from __future__ import annotations

import json
import random
import time
from decimal import Decimal
from typing import Any

from flask import Flask
from flask import Response
from flask import g
from flask import jsonify
from flask import request
from werkzeug.serving import run_simple

from sidecar.sim.fortnox import articles_routes
from sidecar.sim.fortnox import control_routes
from sidecar.sim.fortnox import customers_routes
from sidecar.sim.fortnox import documents_routes
from sidecar.sim.fortnox import oauth_routes
from sidecar.sim.fortnox import registers_routes
from sidecar.sim.fortnox import rest
from sidecar.sim.fortnox import warehouse_routes
from sidecar.sim.fortnox.config import FortnoxSimConfig
from sidecar.sim.fortnox.errors import NOT_AUTHORISED_FOR_SCOPE
from sidecar.sim.fortnox.errors import RATE_LIMITED_BODY
from sidecar.sim.fortnox.errors import UNAUTHORIZED_BODY
from sidecar.sim.fortnox.errors import FortnoxApiError
from sidecar.sim.fortnox.errors import WarehouseApiError
from sidecar.sim.fortnox.faults import DROP_CONNECTION
from sidecar.sim.fortnox.faults import ConnectionDropper
from sidecar.sim.fortnox.faults import draw_error
from sidecar.sim.fortnox.faults import injected_response
from sidecar.sim.fortnox.faults import is_create
from sidecar.sim.fortnox.state import FortnoxState

# First path segment under /3 -> scope (reference §1.5; delivery/payment terms assumed settings).
SCOPES = {
    "orders": "order", "invoices": "invoice", "invoicepayments": "payment",
    "customers": "customer", "articles": "article", "prices": "price", "pricelists": "price",
    "companyinformation": "companyinformation", "currencies": "currency",
    "accounts": "bookkeeping", "settings": "settings", "modesofpayments": "settings",
    "wayofdeliveries": "settings", "termsofdeliveries": "settings",
    "termsofpayments": "settings", "units": "settings",
}


def create_app(config: FortnoxSimConfig | None = None) -> Flask:
    config = config or FortnoxSimConfig()
    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["fortnox_sim"] = FortnoxState(config)
    for routes in (oauth_routes, control_routes, customers_routes, articles_routes,
                   registers_routes, documents_routes, warehouse_routes, rest):
        app.register_blueprint(routes.bp)  # rest last: its /3/<path> answers unknown paths
    app.before_request(_gate)
    app.after_request(_record)
    app.register_error_handler(FortnoxApiError, _fortnox_error)
    app.register_error_handler(WarehouseApiError, _fortnox_error)
    app.wsgi_app = ConnectionDropper(app.wsgi_app)  # type: ignore[method-assign]
    return app


def run(host: str, port: int, config: FortnoxSimConfig, topics_port: int | None = None) -> None:
    """Serve the simulator until interrupted (threaded, like Fortnox serves many clients), and
    its Topics API (WebSocket) on `topics_port` (default: the next port)."""
    from sidecar.sim.fortnox.topics_server import serve_topics

    app = create_app(config)
    topics = serve_topics(app.extensions["fortnox_sim"], host,
                          port + 1 if topics_port is None else topics_port)
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        topics.stop()


def _state() -> FortnoxState:
    from flask import current_app

    return current_app.extensions["fortnox_sim"]  # type: ignore[no-any-return]


def _is_api(path: str) -> bool:
    return path.startswith(("/3/", "/api/"))


def _json_body() -> dict[str, Any] | None:
    raw = request.get_data(cache=True)
    if not raw:
        return None
    try:
        data = json.loads(raw, parse_float=Decimal)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _gate() -> Response | tuple[Response, int] | None:
    """Before an API view: observer, token, rate limit, scope, latency, injected errors."""
    if not _is_api(request.path):
        return None
    state = _state()
    g.sim_body = _json_body()
    g.sim_tenant = None
    if state.config.request_observer is not None:
        state.config.request_observer(request.method, request.path, g.sim_body)
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    with state.lock:
        now = state.now()
        access = state.tokens.authenticate(token, now) if scheme.lower() == "bearer" else None
        if access is None:
            return jsonify(UNAUTHORIZED_BODY), 401
        g.sim_tenant = access.tenant_id
        knobs = state.knobs
        if knobs.rate_limit_enabled and not state.limiter.allow(
            access.tenant_id, now.timestamp(), limit=knobs.rate_limit_requests,
            window=knobs.rate_limit_window_seconds,
        ):
            return jsonify(RATE_LIMITED_BODY), 429
        scope = _scope_for(request.path)
        if state.config.enforce_scopes and scope and scope not in access.scopes:
            error = FortnoxApiError(403, NOT_AUTHORISED_FOR_SCOPE,
                                    f"Har inte behörighet för scope {scope}")
            return jsonify(error.body()), 403
        latency = knobs.latency_ms / 1000
        injected = knobs.path_errors.get(request.path) or draw_error(knobs.error_rates)
    if latency:
        time.sleep(latency)
    if injected is not None:
        return injected_response(injected)
    return None


def _scope_for(path: str) -> str | None:
    if path.startswith("/api/warehouse/"):
        return "warehouse"
    segment = path.split("/")[2] if path.count("/") >= 2 else ""
    return SCOPES.get(segment)


def _fortnox_error(error: Exception) -> tuple[Response, int]:
    assert isinstance(error, FortnoxApiError | WarehouseApiError)
    return jsonify(error.body()), error.status


def _record(response: Response) -> Response:
    """After every API or OAuth request: log, count, and maybe lose the answer of a create."""
    path = request.path
    if not (_is_api(path) or path.startswith("/oauth-v1/")):
        return response
    state = _state()
    rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
    with state.lock:
        state.counters[(f"{request.method} {rule}", response.status_code)] += 1
        state.request_log.append({
            "method": request.method,
            "path": path,
            "query": request.query_string.decode("utf-8", "replace"),
            "status": response.status_code,
            "tenant": g.get("sim_tenant"),
            "time": state.now(),
            "body": g.get("sim_body") if _is_api(path) else None,  # OAuth bodies hold secrets
        })
        knobs = state.knobs
        lose_answer = (_is_api(path) and 200 <= response.status_code < 300
                       and is_create(request.method, path)
                       and random.random() < knobs.create_timeout_probability)
        mode, delay = knobs.create_timeout_mode, knobs.create_timeout_delay_seconds
    if lose_answer:
        if mode == "drop":
            request.environ[DROP_CONNECTION] = True
        else:
            time.sleep(delay)  # past the client's read timeout; the create is already committed
    return response
