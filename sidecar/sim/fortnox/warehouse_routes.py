"""Fortnox Lager (`/api/warehouse/...`): tenant, stock points and locations, stock balances."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import jsonify
from flask import request

from sidecar.sim.fortnox.rest import locked
from sidecar.sim.fortnox.rest import sim
from sidecar.sim.fortnox.values import plain

bp = Blueprint("fortnox_warehouse", __name__)


def _csv_args(name: str) -> list[str]:
    return [part for value in request.args.getlist(name) for part in value.split(",") if part]


@bp.get("/api/warehouse/tenants-v4")
@locked
def warehouse_tenant() -> Response:
    config = sim().config
    return jsonify({"activated": config.warehouse_activated, "tenantId": config.tenant_id})


@bp.get("/api/warehouse/stockpoints-v1")
@locked
def list_stock_points() -> Response:
    points = sim().warehouse.list_stock_points(request.args.get("q", ""),
                                               request.args.get("state", "ACTIVE"))
    return jsonify(plain(points))


@bp.post("/api/warehouse/stockpoints-v1")
@locked
def create_stock_point() -> Response:
    point = sim().warehouse.add_stock_point(request.get_json(silent=True) or {})
    response = jsonify(plain(point))
    response.status_code = 201
    return response


@bp.get("/api/warehouse/stockpoints-v1/<id_or_code>")
@locked
def get_stock_point(id_or_code: str) -> Response:
    return jsonify(plain(sim().warehouse.stock_point(id_or_code)))


@bp.put("/api/warehouse/stockpoints-v1/<id_or_code>")
@locked
def update_stock_point(id_or_code: str) -> Response:
    point = sim().warehouse.update_stock_point(id_or_code, request.get_json(silent=True) or {})
    return jsonify(plain(point))


@bp.get("/api/warehouse/stockpoints-v1/<id_or_code>/stocklocations")
@locked
def list_stock_locations(id_or_code: str) -> Response:
    query = request.args.get("q", "").lower()
    locations = [loc for loc in sim().warehouse.stock_point(id_or_code)["stockLocations"]
                 if query in f"{loc['code']} {loc['name']}".lower()]
    return jsonify(plain(locations))


@bp.get("/api/warehouse/stockpoints-v1/itemsummary/<path:item_id>")
@locked
def item_summary(item_id: str) -> Response:
    return jsonify(plain(sim().warehouse.item_summary(item_id, request.args.get("q", ""))))


@bp.get("/api/warehouse/status-v1/stockbalance")
@locked
def stock_balance() -> Response:
    balances = sim().warehouse.stock_balance(_csv_args("itemIds"), _csv_args("stockPointCodes"))
    return jsonify(plain(balances))

