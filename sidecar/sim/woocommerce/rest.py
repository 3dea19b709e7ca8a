"""What the REST routes (`/wp-json/wc/v3/...`) share: JSON answers as WordPress encodes them,
request bodies and query parameters as PHP reads them, permission checks, parameter errors.
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask import g
from flask import request

from sidecar.sim.woocommerce.auth import permission_failure
from sidecar.sim.woocommerce.errors import WooError
from sidecar.sim.woocommerce.format import php_json

API = "/wp-json/wc/v3"
DENIED = {
    "list": ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."),
    "view": ("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."),
    "create": ("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."),
    "edit": ("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."),
    "delete": (
        "woocommerce_rest_cannot_delete",
        "Sorry, you are not allowed to delete this resource.",
    ),
    "batch": (
        "woocommerce_rest_cannot_batch",
        "Sorry, you are not allowed to batch manipulate this resource.",
    ),
}
BASIC_REALM = (
    'Basic realm="WooCommerce API. Use a consumer key in the username field and a consumer '
    'secret in the password field."'
)


def respond(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """REST responses go through wp_json_encode too: compact, slashes escaped."""
    response = Response(php_json(body), status=status, mimetype="application/json")
    response.headers["Content-Type"] = "application/json; charset=UTF-8"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def error_response(error: WooError) -> Response:
    headers = {"WWW-Authenticate": BASIC_REALM} if getattr(error, "basic", False) else None
    return respond(error.body(), error.status, headers)


def request_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if data is None and request.form:
        data = request.form.to_dict()
    return data if isinstance(data, dict) else {}


def query_params() -> dict[str, str]:
    """Query parameters as PHP's $_GET sees them: the last duplicate wins."""
    return {key: request.args.getlist(key)[-1] for key in request.args}


def query_flag(name: str) -> bool:
    return query_params().get(name, "").lower() in ("1", "true", "yes")


def authorize(action: str) -> None:
    """The route's permission callback plus the key's read/write check."""
    key = g.get("key")
    if key is None:
        code, message = DENIED[action]
        raise WooError(code, message, 401)
    failure = permission_failure(key, request.method)
    if failure is not None:
        raise WooError(failure.code, failure.message, failure.status)

