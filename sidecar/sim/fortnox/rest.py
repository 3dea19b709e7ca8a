"""What the views of the REST API (`/3/...`) and Fortnox Lager (`/api/warehouse/...`) share.

Each view parses, calls one state method under the state lock, and renders; the views are in
one module per resource family (`customers_routes`, `articles_routes`, `registers_routes`,
`documents_routes`, `warehouse_routes`). Authentication, rate limiting and injected faults
happen before the views, in `app`. An unknown `/3` path is answered here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import jsonify
from flask import request

from sidecar.sim.fortnox import errors as codes
from sidecar.sim.fortnox.errors import invalid
from sidecar.sim.fortnox.errors import not_found
from sidecar.sim.fortnox.listing import ListRules
from sidecar.sim.fortnox.listing import paginate
from sidecar.sim.fortnox.listing import select
from sidecar.sim.fortnox.state import FortnoxState
from sidecar.sim.fortnox.values import render

bp = Blueprint("fortnox_api", __name__)


def sim() -> FortnoxState:
    return current_app.extensions["fortnox_sim"]  # type: ignore[no-any-return]


def locked(view: Callable[..., Response]) -> Callable[..., Response]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        with sim().lock:
            return view(*args, **kwargs)

    return wrapper


def body_of(wrapper: str, schema: str) -> dict[str, Any]:
    """The object inside `{wrapper: {...}}`, checked against the spec."""
    raw = request.get_data()
    if not raw.strip():
        raise invalid(codes.EMPTY_OR_WRONG_BODY, "Ingen eller felaktig typ av data.")
    try:
        data = json.loads(raw, parse_float=Decimal)
    except ValueError:
        raise invalid(codes.JSON_SYNTAX_ERROR,
                      "Error deserializing JSON: JSON_ERROR_SYNTAX") from None
    if not isinstance(data, dict) or not isinstance(data.get(wrapper), dict):
        raise invalid(codes.EMPTY_OR_WRONG_BODY, "Ingen eller felaktig typ av data.")
    inner: dict[str, Any] = data[wrapper]
    sim().spec.check(schema, inner)
    return inner


def url_for_item(*parts: str) -> str:
    return request.host_url.rstrip("/") + "/3/" + "/".join(parts)


def one(wrapper: str, item: dict[str, Any], url: str, status: int = 200) -> Response:
    response = jsonify({wrapper: {"@url": url, **render(item)}})
    response.status_code = status
    return response


def many(wrapper: str, items: list[dict[str, Any]], rules: ListRules, keys: tuple[str, ...] | None,
         url: Callable[[dict[str, Any]], str]) -> Response:
    chosen = select(items, request.args, rules)
    page, meta = paginate(chosen, request.args)
    rendered = []
    for item in page:
        shown = render(item)
        if keys is not None:
            shown = {key: shown.get(key) for key in keys}
        rendered.append({"@url": url(item), **shown})
    return jsonify({"MetaInformation": meta, wrapper: rendered})


def date_range(items: list[dict[str, Any]], field_name: str) -> list[dict[str, Any]]:
    low, high = request.args.get("fromdate"), request.args.get("todate")
    return [i for i in items if (not low or (i[field_name] or "") >= low)
            and (not high or (i[field_name] or "") <= high)]

@bp.route("/3/<path:unknown>", methods=["GET", "POST", "PUT", "DELETE"])
def unknown_resource(unknown: str) -> Response:
    raise not_found(codes.NOT_FOUND_GENERIC, f"Resursen finns inte ({unknown})")
