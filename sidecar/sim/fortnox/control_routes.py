"""The simulator's control API under `/_sim/` (documented in the package, `sidecar.sim.fortnox`).

No token, no rate limit: these stand for the test harness and for the Fortnox user clicking
in the GUI.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from flask import request

from sidecar.sim.fortnox.document_kinds import ORDER
from sidecar.sim.fortnox.errors import FortnoxApiError
from sidecar.sim.fortnox.errors import WarehouseApiError
from sidecar.sim.fortnox.state import FortnoxState
from sidecar.sim.fortnox.values import plain
from sidecar.sim.fortnox.values import render
from sidecar.sim.fortnox.values import to_decimal

bp = Blueprint("fortnox_control", __name__, url_prefix="/_sim")


def sim() -> FortnoxState:
    return current_app.extensions["fortnox_sim"]  # type: ignore[no-any-return]


def body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


@bp.errorhandler(KeyError)
@bp.errorhandler(ValueError)
@bp.errorhandler(TypeError)
def bad_control_request(error: Exception) -> tuple[Response, int]:
    return jsonify({"error": f"{type(error).__name__}: {error}"}), 400


@bp.get("/knobs")
def get_knobs() -> Response:
    return jsonify(sim().knobs.as_json())


@bp.post("/knobs")
def set_knobs() -> Response:
    state = sim()
    with state.lock:
        state.knobs.update(body())
        return jsonify(state.knobs.as_json())


@bp.post("/reset")
def reset() -> Response:
    state = sim()
    with state.lock:
        state.reset()
    return jsonify({"reset": True})


@bp.post("/seed")
def seed() -> Response:
    """Add data without auth or rate limit: stock_points, customers, articles, prices, stock."""
    state = sim()
    data = body()
    created: dict[str, list[str]] = {"stock_points": [], "customers": [], "articles": []}
    with state.lock:
        for point in data.get("stock_points", []):
            created["stock_points"].append(state.warehouse.add_stock_point(point)["code"])
        for customer in data.get("customers", []):
            created["customers"].append(state.create_customer(customer)["CustomerNumber"])
        for article in data.get("articles", []):
            created["articles"].append(state.create_article(article)["ArticleNumber"])
        for price in data.get("prices", []):
            key = (price.get("PriceList", "A"), price["ArticleNumber"],
                   to_decimal(price.get("FromQuantity", 0), "FromQuantity"))
            state.set_price(*key, to_decimal(price["Price"], "Price"),
                            create=key not in state.prices)
        for stock in data.get("stock", []):
            state.set_stock(stock["ArticleNumber"], to_decimal(stock["Quantity"], "Quantity"),
                            stock.get("StockPointCode"), stock.get("StockLocationCode"))
    return jsonify(created)


@bp.post("/expire-tokens")
def expire_tokens() -> Response:
    state = sim()
    with state.lock:
        count = state.tokens.expire_access_tokens(state.now())
    return jsonify({"expired": count})


@bp.post("/clock")
def advance_clock() -> Response:
    """Move the simulator's clock forward by `advance_seconds` (token expiry, lastmodified)."""
    state = sim()
    with state.lock:
        state.clock_offset += timedelta(seconds=float(body().get("advance_seconds", 0)))
        return jsonify({"now": state.now().isoformat()})


@bp.post("/topics/drop")
def drop_topics_connections() -> Response:
    """Close every Topics API connection now (a deploy at Fortnox, a lost network)."""
    state = sim()
    with state.lock:
        return jsonify({"drops": state.events.request_drop()})


@bp.get("/topics")
def topics_status() -> Response:
    """The Topics API: its address, connections so far and open, the commands clients sent
    (secrets masked), how many events were delivered, and each topic's log length."""
    state = sim()
    server = state.topics_server
    with state.lock:
        logs = {topic: len(events) for topic, events in state.events.logs.items() if events}
    if server is None:
        return jsonify({"url": None, "events": logs})
    return jsonify({"url": server.url, "connections": server.connections,
                    "open": server.open_connections,
                    "commands": [{"connection": n, **c} for n, c in list(server.commands)],
                    "delivered": len(server.delivered), "events": logs})


@bp.get("/requests")
def requests_log() -> Response:
    state = sim()
    path_part = request.args.get("path", "")
    with state.lock:
        entries = [e for e in state.request_log if path_part in e["path"]]
    return jsonify(plain(entries))


@bp.delete("/requests")
def clear_requests_log() -> Response:
    state = sim()
    with state.lock:
        state.request_log.clear()
        state.counters.clear()
    return jsonify({"cleared": True})


@bp.get("/counters")
def counters() -> Response:
    state = sim()
    by_route: dict[str, dict[str, int]] = {}
    with state.lock:
        for (route, status), count in state.counters.items():
            by_route.setdefault(route, {})[str(status)] = count
        total = sum(state.counters.values())
        limited = sum(c for (_, status), c in state.counters.items() if status == 429)
    return jsonify({"requests": by_route, "total": total, "rate_limited": limited})


# The Fortnox user in the GUI --------------------------------------------------------------

def _gui(action: Any) -> Response:
    state = sim()
    try:
        with state.lock:
            return jsonify(render(action(state)))
    except (FortnoxApiError, WarehouseApiError) as error:
        return jsonify(error.body()), error.status  # type: ignore[return-value]


@bp.post("/orders/<number>/<any(deliver, done, cancel, invoice):action>")
def order_gui_action(number: str, action: str) -> Response:
    """deliver: deliver all ordered; done: mark warehouse-ready; cancel; invoice."""

    def run(state: FortnoxState) -> dict[str, Any]:
        documents = state.documents
        if action == "deliver":
            return documents.mark_order_delivered(number)
        if action == "done":
            return documents.mark_warehouse_ready(ORDER, number)
        if action == "cancel":
            return documents.cancel_order(number)
        return documents.create_invoice_from_order(number)

    return _gui(run)


@bp.post("/articles/<path:number>")
def article_gui_change(number: str) -> Response:
    """Change an article: Price (in PriceList, default A), QuantityInStock (at StockPointCode /
    StockLocationCode), and any article field."""
    changes = body()

    def run(state: FortnoxState) -> dict[str, Any]:
        state.article(number)
        price_list = changes.pop("PriceList", "A")
        if "Price" in changes:
            amount = to_decimal(changes.pop("Price"), "Price")
            exists = (price_list, number, Decimal("0")) in state.prices
            state.set_price(price_list, number, Decimal("0"), amount, create=not exists)
        point = changes.pop("StockPointCode", None)
        location = changes.pop("StockLocationCode", None)
        if "QuantityInStock" in changes:
            state.set_stock(number, to_decimal(changes.pop("QuantityInStock"), "QuantityInStock"),
                            point, location)
        if changes:
            state.update_article(number, changes)
        return state.article_view(state.article(number))

    return _gui(run)


@bp.post("/invoices/<number>/<any(bookkeep, cancel, credit):action>")
def invoice_gui_action(number: str, action: str) -> Response:
    """bookkeep; cancel (makulera); credit: "Skapa kreditfaktura" on the whole invoice. The
    answer is the invoice the action made or changed (the credit invoice for credit)."""

    def run(state: FortnoxState) -> dict[str, Any]:
        documents = state.documents
        if action == "bookkeep":
            return documents.bookkeep_invoice(number)
        if action == "cancel":
            return documents.cancel_invoice(number)
        original = documents.credit_invoice(number)
        return documents.invoice(original["CreditInvoiceReference"])

    return _gui(run)


@bp.post("/invoices/<number>/payments")
def invoice_gui_payment(number: str) -> Response:
    """Register a payment (Amount defaults to the balance); bookkept unless bookkeep=false."""
    data = body()

    def run(state: FortnoxState) -> dict[str, Any]:
        invoice = state.documents.invoice(number)
        payment = state.documents.create_payment({
            "InvoiceNumber": number,
            "Amount": data.get("Amount", invoice["Balance"]),
            **{k: v for k, v in data.items() if k in ("PaymentDate", "ModeOfPayment")},
        })
        if data.get("bookkeep", True):
            state.documents.bookkeep_payment(payment["Number"])
        return payment

    return _gui(run)
