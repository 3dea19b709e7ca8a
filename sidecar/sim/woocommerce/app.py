"""The WooCommerce simulator's Flask app: the factory, hooks, REST routes and control API."""

from __future__ import annotations

import math
import random
import re
import threading
import time
from collections import Counter
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Flask
from flask import Response
from flask import g
from flask import request
from werkzeug.exceptions import HTTPException

from sidecar.sim.woocommerce.auth import ApiKey
from sidecar.sim.woocommerce.auth import NonceBook
from sidecar.sim.woocommerce.auth import authenticate
from sidecar.sim.woocommerce.auth import permission_failure
from sidecar.sim.woocommerce.format import php_json
from sidecar.sim.woocommerce.orders_json import note_json
from sidecar.sim.woocommerce.orders_json import order_json
from sidecar.sim.woocommerce.orders_json import product_json
from sidecar.sim.woocommerce.orders_json import refund_json
from sidecar.sim.woocommerce.orders_json import variation_json
from sidecar.sim.woocommerce.orders_json import webhook_json
from sidecar.sim.woocommerce.seed import seed_demo_shop
from sidecar.sim.woocommerce.settings import setting_groups
from sidecar.sim.woocommerce.store import ORDER_STATUSES
from sidecar.sim.woocommerce.store import WooError
from sidecar.sim.woocommerce.store import WooSimConfig
from sidecar.sim.woocommerce.store import WooStore
from sidecar.sim.woocommerce.webhook_delivery import WebhookSender

API = "/wp-json/wc/v3"
BATCH_LIMIT = 100
DATE_PARAM = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")
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
WP_CRITICAL_ERROR = (
    "<p>There has been a critical error on this website.</p>"
    '<p><a href="https://wordpress.org/documentation/article/faq-troubleshooting/">'
    "Learn more about troubleshooting WordPress.</a></p>"
)
BASIC_REALM = (
    'Basic realm="WooCommerce API. Use a consumer key in the username field and a consumer '
    'secret in the password field."'
)


class WooSim:
    """What app.extensions["woocommerce_sim"] holds: the store, the sender and the logs."""

    def __init__(self, config: WooSimConfig) -> None:
        self.config = config
        self.store = WooStore(config)
        self.sender = WebhookSender(self.store)
        self.nonces = NonceBook()
        self.request_log: list[dict[str, Any]] = []
        self.counters: Counter[str] = Counter()
        self.log_lock = threading.Lock()
        self.random = random.Random()
        if config.seed:
            seed_demo_shop(self.store)

    def keys(self) -> dict[str, ApiKey]:
        config = self.config
        return {
            config.consumer_key: ApiKey(
                config.consumer_key, config.consumer_secret, config.key_permissions
            )
        }

    def reset(self) -> None:
        self.sender.clear()
        self.store.reset()
        with self.log_lock:
            self.request_log.clear()
            self.counters.clear()


def create_app(config: WooSimConfig | None = None) -> Flask:
    app = Flask(__name__)
    sim = WooSim(config or WooSimConfig())
    app.extensions["woocommerce_sim"] = sim
    _register_hooks(app, sim)
    _register_rest(app, sim)
    _register_control(app, sim)
    return app


def run(host: str, port: int, config: WooSimConfig) -> None:
    """Serve the simulator until interrupted (threaded, like a PHP-FPM pool)."""
    from werkzeug.serving import run_simple

    if config.site_url is None:
        config.site_url = f"http://{host}:{port}"
    run_simple(host, port, create_app(config), threaded=True)


# -- plumbing ---------------------------------------------------------------------------------


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


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if data is None and request.form:
        data = request.form.to_dict()
    return data if isinstance(data, dict) else {}


def _params() -> dict[str, str]:
    """Query parameters as PHP's $_GET sees them: the last duplicate wins."""
    return {key: request.args.getlist(key)[-1] for key in request.args}


def _flag(name: str) -> bool:
    return _params().get(name, "").lower() in ("1", "true", "yes")


def _register_hooks(app: Flask, sim: WooSim) -> None:
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
        params = _params()
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


def authorize(action: str) -> None:
    """The route's permission callback plus the key's read/write check."""
    key = g.get("key")
    if key is None:
        code, message = DENIED[action]
        raise WooError(code, message, 401)
    failure = permission_failure(key, request.method)
    if failure is not None:
        raise WooError(failure.code, failure.message, failure.status)


def invalid_param(name: str, message: str) -> WooError:
    return WooError(
        "rest_invalid_param",
        f"Invalid parameter(s): {name}",
        400,
        params={name: message},
        details={name: {"code": "rest_invalid_param", "message": message, "data": None}},
    )


def paginate(items: list[Any]) -> tuple[list[Any], dict[str, str]]:
    params = _params()
    per_page = _int_param(params, "per_page", 10)
    if not 1 <= per_page <= 100:
        raise invalid_param(
            "per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)"
        )
    page = _int_param(params, "page", 1)
    if page < 1:
        raise invalid_param("page", "page must be greater than or equal to 1")
    offset = _int_param(params, "offset", (page - 1) * per_page)
    total = len(items)
    pages = math.ceil(total / per_page) if total else 0
    headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
    links = []
    base = request.base_url
    query = {k: v for k, v in params.items() if not k.startswith("oauth_")}
    if page > 1:
        links.append(f'<{base}?{urlencode({**query, "page": page - 1})}>; rel="prev"')
    if page < pages:
        links.append(f'<{base}?{urlencode({**query, "page": page + 1})}>; rel="next"')
    if links:
        headers["Link"] = ", ".join(links)
    return items[offset : offset + per_page], headers


def _int_param(params: dict[str, str], name: str, default: int) -> int:
    if name not in params:
        return default
    try:
        return int(params[name])
    except ValueError as exc:
        raise invalid_param(name, f"{name} is not of type integer.") from exc


def _date_param(params: dict[str, str], name: str, tz: Any) -> datetime | None:
    """A WP date filter as a naive datetime in the frame it is compared in."""
    value = params.get(name)
    if not value:
        return None
    if not DATE_PARAM.match(value):
        raise invalid_param(name, "Invalid date.")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(tz).replace(tzinfo=None)
    return parsed.replace(microsecond=0)


def _filter_dates(records: list[dict[str, Any]], field: str, tz: Any) -> list[dict[str, Any]]:
    """after/before on date_created, modified_after/_before on date_modified; exclusive."""
    params = _params()
    gmt = params.get("dates_are_gmt", "").lower() in ("1", "true", "yes")
    frame = ZoneInfo("UTC") if gmt else tz
    bounds = {
        "after": ("date_created", _date_param(params, "after", frame)),
        "before": ("date_created", _date_param(params, "before", frame)),
        "modified_after": ("date_modified", _date_param(params, "modified_after", frame)),
        "modified_before": ("date_modified", _date_param(params, "modified_before", frame)),
    }
    for name, (date_field, bound) in bounds.items():
        if bound is None:
            continue

        def seen(record: dict[str, Any], date_field: str = date_field) -> datetime:
            return record[date_field].astimezone(frame).replace(tzinfo=None)

        if name.endswith("after"):
            records = [r for r in records if seen(r) > bound]
        else:
            records = [r for r in records if seen(r) < bound]
    del field
    return records


def _sort(records: list[dict[str, Any]], allowed: tuple[str, ...], name_field: str = "name"):
    params = _params()
    orderby = params.get("orderby", "date")
    if orderby not in allowed:
        raise invalid_param("orderby", f"orderby is not one of {', '.join(allowed)}.")
    order = params.get("order", "desc")
    if order not in ("asc", "desc"):
        raise invalid_param("order", "order is not one of asc, desc.")
    keys = {
        "date": lambda r: (r["date_created"], r["id"]),
        "modified": lambda r: (r["date_modified"], r["id"]),
        "id": lambda r: r["id"],
        "include": lambda r: r["id"],
        "title": lambda r: (str(r.get(name_field, "")), r["id"]),
        "slug": lambda r: (str(r.get("slug", "")), r["id"]),
    }
    return sorted(records, key=keys[orderby], reverse=order == "desc")


def _include(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    wanted = _params().get("include")
    if not wanted:
        return records
    ids = {int(x) for x in wanted.split(",") if x.strip().isdigit()}
    return [r for r in records if r["id"] in ids]


# -- REST routes --------------------------------------------------------------------------------


def _register_rest(app: Flask, sim: WooSim) -> None:
    store = sim.store

    def site():
        return store.site

    # Orders ---------------------------------------------------------------------------------

    @app.get(f"{API}/orders")
    def list_orders() -> Response:
        authorize("list")
        params = _params()
        statuses = [s for s in params.get("status", "any").split(",") if s]
        with store.lock:
            orders = list(store.orders.values())
            if "any" not in statuses:
                unknown = [
                    s for s in statuses if s not in (*ORDER_STATUSES, "trash", "checkout-draft")
                ]
                if unknown:
                    raise invalid_param(
                        "status",
                        "status is not one of any, trash, " + ", ".join(ORDER_STATUSES) + ".",
                    )
                orders = [o for o in orders if o["status"] in statuses]
            else:
                orders = [o for o in orders if o["status"] not in ("trash", "checkout-draft")]
            if params.get("customer"):
                orders = [o for o in orders if o["customer_id"] == int(params["customer"])]
            orders = _include(_filter_dates(orders, "date_modified", site().tz))
            orders = _sort(orders, ("date", "id", "include", "title", "slug", "modified"))
            page, headers = paginate(orders)
            return respond([order_json(o, store, site()) for o in page], headers=headers)

    @app.post(f"{API}/orders")
    def create_order() -> Response:
        authorize("create")
        data = _body()
        if data.get("id"):
            raise WooError(
                "woocommerce_rest_shop_order_exists", "Cannot create existing order.", 400
            )
        with store.lock:
            order = store.place_order(data, created_via="rest-api")
            return respond(order_json(order, store, site()), 201)

    @app.get(f"{API}/orders/<int:order_id>")
    def get_order(order_id: int) -> Response:
        authorize("view")
        with store.lock:
            return respond(order_json(store.get_order(order_id), store, site()))

    @app.route(f"{API}/orders/<int:order_id>", methods=["PUT", "PATCH", "POST"])
    def update_order(order_id: int) -> Response:
        authorize("edit")
        data = _body()
        if "status" in data and data["status"] not in (*ORDER_STATUSES, "trash"):
            raise invalid_param("status", "status is not one of " + ", ".join(ORDER_STATUSES) + ".")
        with store.lock:
            order = store.update_order(order_id, data)
            return respond(order_json(order, store, site()))

    @app.delete(f"{API}/orders/<int:order_id>")
    def delete_order(order_id: int) -> Response:
        authorize("delete")
        with store.lock:
            body = order_json(store.get_order(order_id), store, site())
            order = store.delete_order(order_id, force=_flag("force"))
            if not _flag("force"):
                body = order_json(order, store, site())
            return respond(body)

    @app.get(f"{API}/orders/<int:order_id>/notes")
    def list_notes(order_id: int) -> Response:
        authorize("list")
        with store.lock:
            store.get_order(order_id)
            kind = _params().get("type", "any")
            notes = [
                n
                for n in store.notes[order_id]
                if kind == "any" or (kind == "customer") == n["customer_note"]
            ]
            notes.sort(key=lambda n: (n["date_created"], n["id"]), reverse=True)
            return respond([note_json(order_id, n, site()) for n in notes])

    @app.post(f"{API}/orders/<int:order_id>/notes")
    def create_note(order_id: int) -> Response:
        authorize("create")
        data = _body()
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
            return respond(note_json(order_id, note, site()), 201)

    @app.get(f"{API}/orders/<int:order_id>/refunds")
    def list_refunds(order_id: int) -> Response:
        authorize("list")
        with store.lock:
            order = store.get_order(order_id)
            refunds = [store.refunds[i] for i in reversed(order["refund_ids"])]
            page, headers = paginate(refunds)
            return respond([refund_json(r, site()) for r in page], headers=headers)

    @app.post(f"{API}/orders/<int:order_id>/refunds")
    def create_refund(order_id: int) -> Response:
        authorize("create")
        refund = _refund(store, order_id, _body())
        return respond(refund_json(refund, site()), 201)

    # Products and variations ----------------------------------------------------------------

    @app.get(f"{API}/products")
    def list_products() -> Response:
        authorize("list")
        params = _params()
        with store.lock:
            products = [p for p in store.products.values() if p["status"] != "trash"]
            if params.get("sku"):
                # A SKU query covers variations too.
                skus = {s.strip() for s in params["sku"].split(",")}
                products = [p for p in products if p["sku"] in skus]
            else:
                products = [p for p in products if p["type"] != "variation"]
            if params.get("status") and params["status"] != "any":
                products = [p for p in products if p["status"] == params["status"]]
            if params.get("type"):
                products = [p for p in products if p["type"] == params["type"]]
            products = _include(_filter_dates(products, "date_modified", site().tz))
            products = _sort(products, ("date", "id", "include", "title", "slug", "modified"))
            page, headers = paginate(products)
            return respond([product_json(p, store, site()) for p in page], headers=headers)

    @app.post(f"{API}/products")
    def create_product() -> Response:
        authorize("create")
        data = _body()
        _validate_product_args(data)
        with store.lock:
            return respond(product_json(store.create_product(data), store, site()), 201)

    @app.get(f"{API}/products/<int:product_id>")
    def get_product(product_id: int) -> Response:
        authorize("view")
        with store.lock:
            return respond(product_json(store.get_product(product_id), store, site()))

    @app.route(f"{API}/products/<int:product_id>", methods=["PUT", "PATCH", "POST"])
    def update_product(product_id: int) -> Response:
        authorize("edit")
        data = _body()
        _validate_product_args(data)
        with store.lock:
            return respond(product_json(store.update_product(product_id, data), store, site()))

    @app.delete(f"{API}/products/<int:product_id>")
    def delete_product(product_id: int) -> Response:
        authorize("delete")
        with store.lock:
            body = product_json(store.get_product(product_id), store, site())
            store.delete_product(product_id, force=_flag("force"))
            return respond(body)

    @app.post(f"{API}/products/batch")
    def batch_products() -> Response:
        authorize("batch")
        return respond(_batch(sim, _body(), parent_id=None))

    @app.get(f"{API}/products/<int:parent_id>/variations")
    def list_variations(parent_id: int) -> Response:
        authorize("list")
        params = _params()
        with store.lock:
            parent = store.get_product(parent_id)
            variations = [store.products[i] for i in parent["variations"] if i in store.products]
            if params.get("sku"):
                skus = {s.strip() for s in params["sku"].split(",")}
                variations = [v for v in variations if v["sku"] in skus]
            variations = _sort(
                _include(variations),
                ("date", "id", "include", "title", "slug", "modified", "menu_order"),
            )
            page, headers = paginate(variations)
            return respond([variation_json(v, store, site()) for v in page], headers=headers)

    @app.post(f"{API}/products/<int:parent_id>/variations")
    def create_variation(parent_id: int) -> Response:
        authorize("create")
        data = _body()
        _validate_product_args(data)
        with store.lock:
            variation = store.create_product(data, parent_id=parent_id)
            return respond(variation_json(variation, store, site()), 201)

    @app.get(f"{API}/products/<int:parent_id>/variations/<int:variation_id>")
    def get_variation(parent_id: int, variation_id: int) -> Response:
        authorize("view")
        with store.lock:
            variation = store.get_product(variation_id, variation_of=parent_id)
            return respond(variation_json(variation, store, site()))

    @app.route(
        f"{API}/products/<int:parent_id>/variations/<int:variation_id>",
        methods=["PUT", "PATCH", "POST"],
    )
    def update_variation(parent_id: int, variation_id: int) -> Response:
        authorize("edit")
        data = _body()
        _validate_product_args(data)
        with store.lock:
            variation = store.update_product(variation_id, data, variation_of=parent_id)
            return respond(variation_json(variation, store, site()))

    @app.delete(f"{API}/products/<int:parent_id>/variations/<int:variation_id>")
    def delete_variation(parent_id: int, variation_id: int) -> Response:
        authorize("delete")
        if not _flag("force"):
            raise WooError(
                "woocommerce_rest_trash_not_supported", "Variations do not support trashing.", 501
            )
        with store.lock:
            variation = store.get_product(variation_id, variation_of=parent_id)
            body = variation_json(variation, store, site())
            store.delete_product(variation_id, force=True, variation_of=parent_id)
            return respond(body)

    @app.post(f"{API}/products/<int:parent_id>/variations/batch")
    def batch_variations(parent_id: int) -> Response:
        authorize("batch")
        with store.lock:
            store.get_product(parent_id)
        return respond(_batch(sim, _body(), parent_id=parent_id))

    # Taxes and settings ---------------------------------------------------------------------

    @app.get(f"{API}/taxes/classes")
    def tax_classes() -> Response:
        authorize("list")
        body = [
            {
                "slug": slug,
                "name": name,
                "_links": {"collection": [{"href": site().api("taxes/classes")}]},
            }
            for slug, name in store.tax_classes
        ]
        return respond(body)

    @app.get(f"{API}/settings/<group>")
    def settings_group(group: str) -> Response:
        authorize("list")
        groups = setting_groups(sim.config, site())
        if group not in groups:
            raise WooError("rest_setting_setting_group_invalid", "Invalid setting group.", 404)
        return respond(groups[group])

    @app.get(f"{API}/settings/<group>/<setting_id>")
    def setting(group: str, setting_id: str) -> Response:
        authorize("view")
        groups = setting_groups(sim.config, site())
        found = [s for s in groups.get(group, []) if s["id"] == setting_id]
        if not found:
            raise WooError("rest_setting_setting_invalid", "Invalid setting.", 404)
        return respond(found[0])

    # Webhooks -------------------------------------------------------------------------------

    @app.get(f"{API}/webhooks")
    def list_webhooks() -> Response:
        authorize("list")
        status = _params().get("status", "all")
        with store.lock:
            hooks = [w for w in store.webhooks.values() if status in ("all", w["status"])]
            hooks = _sort(_include(hooks), ("date", "id", "include", "title"))
            page, headers = paginate(hooks)
            return respond([webhook_json(w, site()) for w in page], headers=headers)

    @app.post(f"{API}/webhooks")
    def create_webhook() -> Response:
        authorize("create")
        webhook = store.create_webhook(_body())
        # The REST controller pings inside the request and ignores the outcome.
        sim.sender.ping(webhook["id"])
        with store.lock:
            return respond(webhook_json(store.get_webhook(webhook["id"]), site()), 201)

    @app.get(f"{API}/webhooks/<int:webhook_id>")
    def get_webhook(webhook_id: int) -> Response:
        authorize("view")
        with store.lock:
            return respond(webhook_json(store.get_webhook(webhook_id), site()))

    @app.route(f"{API}/webhooks/<int:webhook_id>", methods=["PUT", "PATCH", "POST"])
    def update_webhook(webhook_id: int) -> Response:
        authorize("edit")
        webhook = store.update_webhook(webhook_id, _body())
        if webhook["status"] == "active" and webhook["pending_delivery"]:
            sim.sender.ping(webhook_id)
        with store.lock:
            return respond(webhook_json(store.get_webhook(webhook_id), site()))

    @app.delete(f"{API}/webhooks/<int:webhook_id>")
    def delete_webhook(webhook_id: int) -> Response:
        authorize("delete")
        if not _flag("force"):
            raise WooError(
                "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", 501
            )
        with store.lock:
            return respond(webhook_json(store.delete_webhook(webhook_id), site()))


def _validate_product_args(data: dict[str, Any]) -> None:
    """The schema checks WordPress runs on top-level requests (batch items skip them)."""
    strings = ("name", "sku", "regular_price", "sale_price", "weight", "tax_class", "description")
    for name in strings:
        if name in data and data[name] is not None and not isinstance(data[name], str):
            raise invalid_param(name, f"{name} is not of type string.")
    if (
        "stock_quantity" in data
        and data["stock_quantity"] is not None
        and (
            isinstance(data["stock_quantity"], bool) or not isinstance(data["stock_quantity"], int)
        )
    ):
        raise invalid_param("stock_quantity", "stock_quantity is not of type integer,null.")
    if "manage_stock" in data and not isinstance(data["manage_stock"], bool):
        raise invalid_param("manage_stock", "manage_stock is not of type boolean.")
    enums = {
        "stock_status": ("instock", "outofstock", "onbackorder"),
        "tax_status": ("taxable", "shipping", "none"),
        "backorders": ("no", "notify", "yes"),
        "status": ("draft", "pending", "private", "publish", "future"),
        "type": ("simple", "grouped", "external", "variable"),
    }
    for name, allowed in enums.items():
        if name in data and data[name] not in allowed:
            raise invalid_param(name, f"{name} is not one of {', '.join(allowed)}.")


def _batch(sim: WooSim, data: dict[str, Any], *, parent_id: int | None) -> dict[str, Any]:
    """WC_REST_Controller::batch_items: 100 items at most, per-item errors, forced deletes."""
    store = sim.store
    lists = {name: data.get(name) or [] for name in ("create", "update", "delete")}
    if sum(len(items) for items in lists.values()) > BATCH_LIMIT:
        raise WooError(
            "woocommerce_rest_request_entity_too_large",
            f"Unable to accept more than {BATCH_LIMIT} items for this request.",
            413,
        )
    site = store.site

    def render(product: dict[str, Any]) -> dict[str, Any]:
        if parent_id is None:
            return product_json(product, store, site)
        return variation_json(product, store, site)

    def failed(item_id: Any, error: WooError) -> dict[str, Any]:
        return {
            "id": item_id,
            "error": {
                "code": error.code,
                "message": error.message,
                "data": {"status": error.status, **error.data},
            },
        }

    response: dict[str, list[dict[str, Any]]] = {}
    with store.lock:
        for item in lists["create"]:
            try:
                created = store.create_product(dict(item), parent_id=parent_id or 0)
                response.setdefault("create", []).append(render(created))
            except WooError as error:
                response.setdefault("create", []).append(failed(0, error))
        for item in lists["update"]:
            try:
                product_id = int(item.get("id") or 0)
                changes = {k: v for k, v in item.items() if k != "id"}
                updated = store.update_product(product_id, changes, variation_of=parent_id)
                response.setdefault("update", []).append(render(updated))
            except WooError as error:
                response.setdefault("update", []).append(failed(item.get("id"), error))
        for raw_id in lists["delete"]:
            product_id = int(raw_id)
            if product_id == 0:
                continue
            try:
                body = render(store.get_product(product_id, variation_of=parent_id))
                store.delete_product(product_id, force=True, variation_of=parent_id)
                response.setdefault("delete", []).append(body)
            except WooError as error:
                response.setdefault("delete", []).append(failed(product_id, error))
    return response


def _refund(store: WooStore, order_id: int, data: dict[str, Any]) -> dict[str, Any]:
    amount = data.get("amount")
    with store.lock:
        return store.refund_order(
            order_id,
            amount=Decimal(str(amount)) if amount not in (None, "") else None,
            reason=str(data.get("reason", "")),
            line_items=data.get("line_items"),
            restock=bool(data.get("restock", data.get("api_restock", False))),
        )


# -- control API --------------------------------------------------------------------------------

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


def _register_control(app: Flask, sim: WooSim) -> None:
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
        data = _body()
        data.setdefault("status", "processing")
        data.setdefault("customer_ip_address", request.remote_addr or "")
        data.setdefault("customer_user_agent", request.headers.get("User-Agent", ""))
        with store.lock:
            order = store.place_order(data, created_via=str(data.get("created_via", "checkout")))
            return respond(order_json(order, store, store.site), 201)

    @app.post("/_sim/orders/<int:order_id>/status")
    def set_status(order_id: int) -> Response:
        status = str(_body().get("status", ""))
        with store.lock:
            order = store.set_order_status(order_id, status)
            return respond(order_json(order, store, store.site))

    @app.post("/_sim/orders/<int:order_id>/refunds")
    def refund(order_id: int) -> Response:
        created = _refund(store, order_id, _body())
        return respond(refund_json(created, store.site), 201)

    @app.post("/_sim/webhooks/flush")
    def flush() -> Response:
        timeout = float(_body().get("timeout", 30))
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
            for name, value in _body().items():
                if name not in RUNTIME_KNOBS:
                    raise WooError("sim_unknown_knob", f"Unknown knob {name!r}.", 400)
                if name == "error_rates":
                    value = {int(k): float(v) for k, v in value.items()}
                setattr(sim.config, name, value)
        return respond({name: getattr(sim.config, name) for name in RUNTIME_KNOBS})

    @app.post("/_sim/clock")
    def clock() -> Response:
        from datetime import timedelta

        seconds = float(_body().get("advance_seconds", 0))
        with store.lock:
            store.clock_offset += timedelta(seconds=seconds)
            now = store.now()
        return respond({"now_gmt": now.strftime("%Y-%m-%dT%H:%M:%S")})
