"""/orders/dry-run: what an order would become in Fortnox, sending nothing; and the Retry
button of the dashboard's orders. Registered under the dashboard (endpoints dashboard.orders.*).
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from sidecar.fields import utcnow
from sidecar.jobs import order_export
from sidecar.sync.orders.woo_order import OrderNotMappable
from sidecar.web import dashboard_orders
from sidecar.web import labels
from sidecar.web.i18n import say
from sidecar.web.woo_check import describe
from sidecar.woocommerce.errors import WooError
from sidecar.woocommerce.errors import WooNotFound

bp = Blueprint("orders", __name__)


@bp.app_template_filter("pretty_json")
def pretty_json(value: Any) -> str:
    """A payload as sent: indented, Swedish letters as they are, amounts as text."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


@bp.route("/orders/dry-run", methods=["GET", "POST"])
def dry_run() -> ResponseReturnValue:
    """GET ?order=N (a link from the dashboard) or the settings page's form (POST)."""
    given = (request.form.get("order") if request.method == "POST"
             else request.args.get("order")) or ""
    result, error = None, ""
    if given.strip():
        result, error = _dry_run(given.strip().lstrip("#"))
    return render_template("orders/dry_run.html", order=given, result=result, error=error,
                           labels=labels), (
        422 if error else 200)


def _dry_run(given: str) -> tuple[dict[str, Any] | None, str]:
    if not given.isdigit():
        return None, _("Enter the order's number, like 1234.")
    config = current_app.extensions["sidecar.config"]
    try:
        return order_export.dry_run_order(g.signed_in.shop.slug, int(given), config), ""
    except WooNotFound:
        return None, _("WooCommerce has no order %(number)s.", number=given)
    except WooError as exc:
        return None, describe(exc)
    except order_export.CommandError as exc:
        return None, str(exc)
    except OrderNotMappable as exc:  # the reason is the answer
        return None, _("The order cannot be sent as it is: %(reason)s", reason=say(exc.message))


@bp.post("/orders/<int:order_id>/retry")
def retry(order_id: int) -> ResponseReturnValue:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if dashboard_orders.retry_order(app, g.signed_in.shop, order_id, now=utcnow()):
        flash(_("Order %(number)d will be sent again shortly. Reload the page in a moment to "
                "see the result.", number=order_id), "success")
    else:
        flash(_("Order %(number)d is not waiting for a retry.", number=order_id), "info")
    return redirect(url_for("dashboard.index") + "#orders")
