"""The one gate in front of every route: sign-in required unless the endpoint is on the
allow-list, and a CSRF token on every state-changing request unless the request is signed.

A route added later is protected by default. To open one, either name its endpoint in
``OPEN_ENDPOINTS`` (with the reason), or, for a server-to-server ``/api/...`` view that checks an
HMAC signature itself, decorate it with ``@signed_by_shop``. ``tests/web/test_url_map.py`` walks
the URL map and fails on any other open route.

WooCommerce's webhook deliveries (``/webhooks/woocommerce``) never reach this gate: they are
answered in front of Flask by ``sidecar/webhooks/endpoint.py``, which checks their HMAC first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from typing import TypeVar

from flask import Flask
from flask import current_app
from flask import g
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from sidecar.web import csrf
from sidecar.web import sessions

# endpoint -> why it may be reached without signing in
OPEN_ENDPOINTS: dict[str, str] = {
    "health.healthz": "probed by Docker and monitoring",
    "web.static": "stylesheet of the sign-in page",
    "auth.sign_in": "the sign-in form itself",
    "auth.wordpress": "the WordPress plugin's signed, single-use link",
    "language.choose": "the language switch is on the sign-in page too",
}

NO_SESSION_ENDPOINTS = frozenset({"health.healthz", "web.static"})

View = TypeVar("View", bound=Callable[..., Any])
SIGNED_MARK = "sidecar_signed_by_shop"


def signed_by_shop(view: View) -> View:
    """Open a server-to-server view (under ``/api/``) that verifies the shop's HMAC itself:
    no session and no CSRF token needed. Use on nothing a browser should reach."""
    setattr(view, SIGNED_MARK, True)
    return view


def is_signed_endpoint(app: Flask, endpoint: str | None) -> bool:
    view = app.view_functions.get(endpoint or "")
    return bool(view is not None and getattr(view, SIGNED_MARK, False))


def is_open(app: Flask, endpoint: str | None) -> bool:
    return endpoint in OPEN_ENDPOINTS or is_signed_endpoint(app, endpoint)


def wants_json() -> bool:
    return (request.path.startswith("/api/")
            or request.headers.get("X-Requested-With") == "XMLHttpRequest"
            or request.accept_mimetypes.best == "application/json")


def check_request() -> ResponseReturnValue | None:
    """Runs before every view: None lets the request through."""
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no route: Flask answers 404 or 405 without running a view
    # /healthz must not touch the database through the session (it judges the DB itself).
    skip_session = endpoint in NO_SESSION_ENDPOINTS or is_signed_endpoint(current_app, endpoint)
    g.signed_in = None if skip_session else sessions.current()
    if g.signed_in is None and not is_open(current_app, endpoint):
        if wants_json():
            return jsonify(error="sign in first"), 401
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    if (request.method not in csrf.SAFE_METHODS
            and not is_signed_endpoint(current_app, endpoint)
            and not csrf.is_valid(request)):
        if wants_json():
            return jsonify(error="missing or wrong CSRF token"), 403
        return render_template("errors/csrf.html"), 403
    return None


def init_guard(app: Flask) -> None:
    app.before_request(check_request)
