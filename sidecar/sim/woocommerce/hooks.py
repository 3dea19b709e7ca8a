"""What happens around every request: latency, injected errors and authentication before a
REST route; synchronous webhook delivery and the request log after; errors as WordPress
answers them.
"""

from __future__ import annotations

import time
from datetime import datetime

from flask import Flask
from flask import Response
from flask import g
from flask import request
from werkzeug.exceptions import HTTPException

from sidecar.sim.woocommerce.auth import authenticate
from sidecar.sim.woocommerce.errors import WooError
from sidecar.sim.woocommerce.rest import error_response
from sidecar.sim.woocommerce.rest import query_params
from sidecar.sim.woocommerce.rest import respond
from sidecar.sim.woocommerce.simulator import WooSim

WP_CRITICAL_ERROR = (
    "<p>There has been a critical error on this website.</p>"
    '<p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">'
    "Learn more about troubleshooting WordPress.</a></p>"
)


def register(app: Flask, sim: WooSim) -> None:
    """Add the request hooks and error handlers to `app`."""

    @app.before_request
    def before() -> Response | None:
        g.started = time.monotonic()
        g.auth = "none"
        store = sim.store
        if store.detected_url is None and not sim.config.site_url:
            store.detected_url = request.host_url.rstrip("/")
        if not request.path.startswith("/wp-json/"):
            return None
        if sim.config.latency_ms:
            time.sleep(sim.config.latency_ms / 1000)
        injected = _injected_error(sim)
        if injected is not None:
            return injected
        home = sim.config.site_url or request.host_url
        basic = (
            (request.authorization.username or "", request.authorization.password or "")
            if request.authorization and request.authorization.type == "basic"
            else None
        )
        params = query_params()
        if request.mimetype == "application/x-www-form-urlencoded":
            params.update(request.form.to_dict())
        result = authenticate(
            keys=sim.keys(),
            method=request.method,
            home_url=home,
            path=request.path,
            params=params,
            authorization=request.headers.get("Authorization", ""),
            basic=basic,
            allow_basic=sim.config.allow_basic_auth,
            nonces=sim.nonces,
        )
        g.auth = result.method
        g.key = result.key
        if result.failure is not None:
            error = WooError(result.failure.code, result.failure.message, result.failure.status)
            error.basic = result.failure.basic_challenge  # type: ignore[attr-defined]
            return error_response(error)
        return None

    @app.after_request
    def after(response: Response) -> Response:
        if sim.config.webhooks_synchronous and request.path.startswith(("/wp-json/", "/_sim/")):
            # WooCommerce without async delivery sends at PHP shutdown of this request.
            sim.sender.run_pending()
        if request.path.startswith("/_sim/"):
            return response
        if "Link" not in response.headers:
            # WordPress's discovery link, on every answer without paging links.
            home = (sim.config.site_url or request.host_url).rstrip("/")
            response.headers["Link"] = f'<{home}/wp-json/>; rel="https://api.w.org/"'
        rule = request.url_rule.rule if request.url_rule else "(no route)"
        entry = {
            "at": datetime.now().astimezone().isoformat(timespec="milliseconds"),
            "method": request.method,
            "path": request.path,
            "query": request.query_string.decode("latin-1"),
            "route": rule,
            "status": response.status_code,
            "auth": g.get("auth", "none"),
            "duration_ms": round((time.monotonic() - g.get("started", time.monotonic())) * 1000, 1),
        }
        with sim.log_lock:
            sim.request_log.append(entry)
            del sim.request_log[:-5000]
            sim.counters[f"{request.method} {rule}"] += 1
            sim.counters[f"status {response.status_code}"] += 1
        return response

    @app.errorhandler(WooError)
    def woo_error(error: WooError) -> Response:
        return error_response(error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        if error.code in (404, 405):
            return respond(
                {
                    "code": "rest_no_route",
                    "message": "No route was found matching the URL and request method.",
                    "data": {"status": 404},
                },
                404,
            )
        return respond(
            {"code": "http_error", "message": str(error), "data": {"status": error.code}},
            error.code or 500,
        )


def _injected_error(sim: WooSim) -> Response | None:
    for status, rate in sorted(sim.config.error_rates.items()):
        if rate > 0 and sim.random.random() < rate:
            with sim.log_lock:
                sim.counters[f"injected {status}"] += 1
            if int(status) == 500:
                body = {
                    "code": "internal_server_error",
                    "message": WP_CRITICAL_ERROR,
                    "data": {"status": 500},
                    "additional_errors": [],
                }
                return respond(body, 500)
            html = (
                f"<html><head><title>{status}</title></head><body><center><h1>{status}</h1>"
                "</center><hr><center>nginx</center></body></html>"
            )
            return Response(html, status=int(status), mimetype="text/html")
    return None
