"""The owner's pages, wired into the app: cookies, languages, the sign-in guard, CSRF,
security headers, the layout and the blueprints. The app factory calls ``init_site`` once."""

from __future__ import annotations

import logging

from flask import Blueprint
from flask import Flask
from flask import Response
from flask import g
from flask import render_template
from flask import request
from flask.typing import ResponseReturnValue

from sidecar.config import Config
from sidecar.crypto import SecretUnreadable
from sidecar.web import csrf
from sidecar.web import error_pages
from sidecar.web import guard
from sidecar.web import i18n
from sidecar.web import layout
from sidecar.web import sessions

log = logging.getLogger(__name__)

# Templates and static files of every owner page; the sidecar's own stylesheet, no build step.
bp = Blueprint("web", __name__, template_folder="templates", static_folder="static",
               static_url_path="/assets")

# The largest body a page or the plugin's API takes (the settings form is a few KB). A larger
# one is refused with 413 from its Content-Length, before a byte of it is read. Webhook
# deliveries have their own limit (sidecar/webhooks/endpoint.py).
MAX_BODY_BYTES = 1024 * 1024

SECURITY_HEADERS = {
    # No scripts, frames or outside resources: the pages are plain forms.
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # The WordPress sign-in link carries a signature in its query: never pass it on.
    "Referrer-Policy": "same-origin",
}


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _secret_key_changed(error: SecretUnreadable) -> ResponseReturnValue:
    log.error("site.secrets_unreadable: SIDECAR_SECRET_KEY is not the key the stored secrets "
              "were saved with")
    g.signed_in = None  # the layout must not read the shop (its secrets) again
    return render_template("errors/secret_key.html"), 503


def _request_not_received(error: TimeoutError) -> ResponseReturnValue:
    # Reading the body outlived SIDECAR_READ_TIMEOUT (sidecar.slow_clients): the client's
    # fault, not ours, and nothing was done.
    log.warning("site.request_not_received path=%s", request.path)
    return "the request was not received in time\n", 408, {"Content-Type": "text/plain"}


def init_site(app: Flask, config: Config) -> None:
    from sidecar.web import auth
    from sidecar.web import dashboard
    from sidecar.web import order_list
    from sidecar.web import products
    from sidecar.web import reconcile_page
    from sidecar.web import security_page
    from sidecar.web import settings_page

    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    sessions.configure_cookies(app, config)
    if app.config["SESSION_COOKIE_SECURE"] and config.public_url.startswith("http:"):
        log.warning("site.insecure_public_url url=%s: session cookies are Secure, so signing in "
                    "works only over https", config.public_url)
    i18n.init_i18n(app)
    guard.init_guard(app)
    error_pages.init_error_pages(app)
    app.after_request(_security_headers)
    app.register_error_handler(SecretUnreadable, _secret_key_changed)
    app.register_error_handler(TimeoutError, _request_not_received)
    app.context_processor(layout.template_context)
    # A global, not context: imported macros (forms) see globals only.
    app.jinja_env.globals["csrf_token"] = csrf.token
    for blueprint in (bp, auth.bp, dashboard.bp, order_list.bp, settings_page.bp, products.bp,
                      reconcile_page.bp, security_page.bp):
        app.register_blueprint(blueprint)
