"""/: what synced, what failed and what to do about it; buttons to run a job or retry.

The orders (dry run, retry) and the long actions have modules of their own, registered here."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from sidecar.fields import utcnow
from sidecar.jobs.registry import JOBS
from sidecar.web import attention
from sidecar.web import dashboard_actions
from sidecar.web import dashboard_data
from sidecar.web import dashboard_orders
from sidecar.web import feed_status
from sidecar.web import labels
from sidecar.web import long_actions
from sidecar.web import orders_page

bp = Blueprint("dashboard", __name__)
bp.register_blueprint(orders_page.bp)  # dashboard.orders.*
bp.register_blueprint(long_actions.bp)  # dashboard.actions.*


@bp.get("/")
def index() -> ResponseReturnValue:
    shop = g.signed_in.shop
    now = utcnow()
    return render_template(
        "dashboard.html",
        jobs=dashboard_data.job_rows(shop),
        setup=attention.setup_steps(shop),
        conditions=attention.conditions(shop, now),
        problems=dashboard_data.problems(shop),
        recent=dashboard_data.recent_activity(shop),
        days=dashboard_data.activity_per_day(shop, now=now),
        orders=dashboard_orders.order_rows(shop),
        export_days=dashboard_orders.exports_per_day(shop, now=now),
        long_runs=long_actions.progress(shop),
        first_order_date=long_actions.first_order_date(shop),
        labels=labels,
        feed=feed_status.feed_line(shop, current_app.extensions["sidecar.config"], now),
    )


@bp.post("/jobs/<name>/run")
def run_job_now(name: str) -> ResponseReturnValue:
    if name not in JOBS:
        abort(404)
    dashboard_actions.run_now(current_app._get_current_object(),  # type: ignore[attr-defined]
                             name, g.signed_in.shop)
    flash(_("%(job)s has started. Reload the page in a moment to see the result.",
            job=labels.job_title(name)), "success")
    return redirect(url_for("dashboard.index"))


@bp.post("/inbox/<int:entry_id>/retry")
def retry_delivery(entry_id: int) -> ResponseReturnValue:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if dashboard_actions.retry_delivery(app, g.signed_in.shop,
                                        entry_id, now=utcnow()):
        flash(_("It will be tried again shortly."), "success")
    else:
        flash(_("That item is no longer waiting for a retry."), "info")
    return redirect(url_for("dashboard.index"))


@bp.post("/problems/retry-all")
def retry_cause() -> ResponseReturnValue:
    """"Retry all": every order whose open error has the same cause."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    count = dashboard_orders.retry_cause(app, g.signed_in.shop, request.form.get("cause", ""),
                                         now=utcnow())
    if count:
        flash(ngettext("%(num)d order will be sent again shortly. Reload the page in a moment "
                       "to see the result.", "%(num)d orders will be sent again shortly. Reload "
                       "the page in a moment to see the result.", count), "success")
    else:
        flash(_("No order with that problem is waiting for a retry."), "info")
    return redirect(url_for("dashboard.index"))


@bp.post("/checks/settings")
def check_settings() -> ResponseReturnValue:
    """Check the settings against Fortnox again now (after fixing something in Fortnox)."""
    dashboard_actions.check_settings_now(current_app._get_current_object(),  # type: ignore
                                         g.signed_in.shop, now=utcnow())
    flash(_("The settings are being checked against Fortnox. Reload the page in a moment to see "
            "the result."), "success")
    return redirect(url_for("dashboard.index"))


@bp.post("/activity/<int:activity_id>/handled")
def mark_handled(activity_id: int) -> ResponseReturnValue:
    dashboard_actions.mark_handled(g.signed_in.shop, activity_id, now=utcnow())
    flash(_("Marked as handled."), "success")
    return redirect(url_for("dashboard.index"))
