"""Long actions the owner starts from the dashboard: a full product sync, and fetching every
order since the first order date. Both run as the ordinary jobs (lease, JobRun), in the
background; the dashboard shows their last run and reloads itself while one is running.
Registered under the dashboard (endpoints dashboard.actions.*)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from datetime import date
from datetime import datetime

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from sidecar import settings
from sidecar.models import JobRun
from sidecar.models import Shop
from sidecar.sync.catalog.product_sync import FULL_CURSOR as PRODUCT_FULL_CURSOR
from sidecar.sync.cursors import write_cursor
from sidecar.sync.reconcile.sweep import CURSOR as ORDER_SWEEP_CURSOR
from sidecar.web import dashboard_actions

bp = Blueprint("actions", __name__)

PRODUCT_SYNC = "product_sync"
ORDER_SWEEP = "sweep_orders"
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Progress:
    job: str
    run: JobRun | None

    @property
    def running(self) -> bool:
        return self.run is not None and self.run.outcome == "running"


def progress(shop: Shop) -> list[Progress]:
    return [Progress(job, JobRun.select().where(JobRun.job == job, JobRun.shop == shop)
                     .order_by(JobRun.started_at.desc()).first())
            for job in (PRODUCT_SYNC, ORDER_SWEEP)]


def first_order_date(shop: Shop) -> date | None:
    text = settings.get(shop, "export.first_order_date")
    return date.fromisoformat(text) if text else None


def start_backfill(shop: Shop) -> date | None:
    """Point the catch-up sweep back at the first order date and run it now: every order
    changed since then is looked at again, and the ones not yet in Fortnox are queued (the
    sweep skips what is exported, and the first order date still holds). None: no date set."""
    first = first_order_date(shop)
    if first is None:
        return None
    write_cursor(shop, ORDER_SWEEP_CURSOR, datetime(first.year, first.month, first.day,
                                                    tzinfo=UTC))
    dashboard_actions.run_now(current_app._get_current_object(),  # type: ignore[attr-defined]
                              ORDER_SWEEP, shop)
    return first


def start_full_product_sync(shop: Shop) -> None:
    """The product sync compares every product (not only changed ones) when its last full
    comparison is old enough; marking it long ago makes this run a full one."""
    write_cursor(shop, PRODUCT_FULL_CURSOR, LONG_AGO)
    dashboard_actions.run_now(current_app._get_current_object(),  # type: ignore[attr-defined]
                              PRODUCT_SYNC, shop)


@bp.post("/actions/product-sync")
def full_product_sync() -> ResponseReturnValue:
    start_full_product_sync(g.signed_in.shop)
    flash(_("The product sync has started. This page shows its progress."), "success")
    return redirect(url_for("dashboard.index") + "#long-actions")


@bp.post("/actions/backfill")
def backfill() -> ResponseReturnValue:
    first = start_backfill(g.signed_in.shop)
    if first is None:
        flash(_("Set the first order date in Settings → Order export first."), "error")
    else:
        flash(_("Fetching every order since %(date)s. This page shows the progress.",
                date=first.isoformat()), "success")
    return redirect(url_for("dashboard.index") + "#long-actions")
