"""The `check_fortnox` job: what must be known of Fortnox before (and besides) the orders.

Every minute it looks at what is due, and does only that:

- while Fortnox has not been answering (sidecar.fortnox_access.reach), one light request, so
  the attention box sees the outage end even when nothing else asks Fortnox anything;
- the owner's settings checked against Fortnox (sidecar.sync.orders.settings_check): after
  connecting, after saving the settings that name accounts and codes, and daily;
- the Fortnox Lager check: daily, and after the owner saves the stock settings;
- both catalogs read into the products page's snapshot, after connecting (no writes).

A run with nothing due is not recorded (`JobSpec.quiet`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sidecar import checks
from sidecar import settings
from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxError
from sidecar.fortnox_access.state import CONNECTED
from sidecar.jobs.order_export import export_settings
from sidecar.jobs.order_export import fortnox_for
from sidecar.jobs.spec import JobContext
from sidecar.models import Shop
from sidecar.sync.catalog import ProductSettings
from sidecar.sync.catalog import products_report
from sidecar.sync.failures import classify
from sidecar.sync.orders.export_errors import SideCallFailed
from sidecar.sync.orders.fortnox_facts import warehouse_active
from sidecar.sync.orders.settings_check import check_settings
from sidecar.woo_access import WooNotConfigured
from sidecar.woo_access import woo_client_for
from sidecar.woocommerce import WooError


def check_fortnox_job(shop: Shop, ctx: JobContext) -> dict[str, Any]:
    if shop.fortnox_state != CONNECTED:
        return {}
    fortnox = fortnox_for(shop, ctx.require_config())
    counts: dict[str, Any] = {}
    reach = checks.get(shop, checks.REACH)
    if reach is not None and reach.state == checks.FAILING:
        counts["fortnox_probed"] = 1
        try:
            fortnox.get_company_information()  # its outcome is recorded by the client
        except FortnoxError:
            return counts  # still out: the rest waits for the next run
    if checks.is_due(checks.get(shop, checks.SETTINGS), ctx.now):
        values = settings.load(shop)
        counts.update(check_settings(shop, fortnox=fortnox, settings=export_settings(shop),
                                     price_list=str(values.get("products.price_list") or ""),
                                     now=ctx.now))
    if checks.is_due(checks.get(shop, checks.LAGER), ctx.now):
        counts["lager_checked"] = 1
        try:
            warehouse_active(shop, fortnox, ctx.now)
        except SideCallFailed:
            counts["lager_checked"] = 0  # tried again after its backoff
    counts.update(_refresh_catalog(shop, fortnox, ctx.now))
    return counts


def _refresh_catalog(shop: Shop, fortnox: FortnoxClient, now: datetime) -> dict[str, int]:
    """Both catalogs into the link book, when asked for (on connect): the products page then
    shows what is where at once, instead of after the first product sync."""
    row = checks.get(shop, checks.CATALOG)
    if row is None or row.next_at is None or row.next_at > now:
        return {}
    try:
        woo = woo_client_for(shop)
    except WooNotConfigured:
        return {}
    try:
        report = products_report(shop, fortnox=fortnox, woo=woo, now=now, refresh=True,
                                 settings=ProductSettings.from_values(settings.load(shop)))
    except (FortnoxError, WooError) as exc:
        failure = classify(exc)
        checks.failed(shop, checks.CATALOG, problem=failure.problem, cause=failure.cause,
                      now=now)
        return {"catalog_unread": 1}
    checks.answered(shop, checks.CATALOG, value=report.counts(), now=now, next_at=None)
    return {"catalog_read": 1}

