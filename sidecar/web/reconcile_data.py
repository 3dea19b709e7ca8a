"""What the Reconciliation page shows and starts: stored reports, a run for a chosen period in
the background, a Fortnox document read live, and the links to the order and the document.
Queries and glue only; the comparison is `sidecar.sync.reconcile`."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask import Flask

from sidecar.config import Config
from sidecar.db import database
from sidecar.fields import utcnow
from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxNotFound
from sidecar.jobs.fortnox_to_woo import clients_for
from sidecar.jobs.reconcile_report import SWEDISH_TIME
from sidecar.jobs.reconcile_report import NotConnected
from sidecar.jobs.reconcile_report import report_for
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import ReconciliationReport
from sidecar.models import Shop
from sidecar.sync.reconcile import ReportFailed
from sidecar.sync.reconcile import start
from sidecar.sync.reconcile.facts import figures
from sidecar.sync.reconcile.reader import ROWS

log = logging.getLogger(__name__)

REPORTS_SHOWN = 15
LONGEST_PERIOD = timedelta(days=366)


@dataclass(frozen=True)
class Held:
    """A Fortnox document as Fortnox holds it now, for the page that shows one."""

    kind: str
    number: str
    document: dict[str, Any]
    rows: list[dict[str, Any]]
    total: Decimal
    vat: tuple[tuple[Decimal, Decimal], ...]


def recent(shop: Shop) -> list[ReconciliationReport]:
    return list(ReconciliationReport.select(
        ReconciliationReport.id, ReconciliationReport.first_day, ReconciliationReport.last_day,
        ReconciliationReport.trigger, ReconciliationReport.state, ReconciliationReport.orders,
        ReconciliationReport.problems, ReconciliationReport.created_at,
        ReconciliationReport.emailed_at,
    ).where(ReconciliationReport.shop == shop)
        .order_by(ReconciliationReport.created_at.desc(), ReconciliationReport.id.desc())
        .limit(REPORTS_SHOWN))


def chosen(shop: Shop, report_id: int | None) -> ReconciliationReport | None:
    """The report asked for, else the newest one that is done (or running, or failed)."""
    query = ReconciliationReport.select().where(ReconciliationReport.shop == shop)
    if report_id is not None:
        return query.where(ReconciliationReport.id == report_id).first()
    return (query.where(ReconciliationReport.state == "done")
            .order_by(ReconciliationReport.created_at.desc()).first()
            or query.order_by(ReconciliationReport.created_at.desc()).first())


def default_period(today: date) -> tuple[date, date]:
    """The current month up to yesterday; on the first of a month, the whole previous month."""
    yesterday = today - timedelta(days=1)
    return yesterday.replace(day=1), yesterday


def today() -> date:
    return utcnow().astimezone(SWEDISH_TIME).date()


def parse_period(first: str, last: str) -> tuple[date, date] | None:
    try:
        period = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
    except ValueError:
        return None
    if period[1] < period[0] or period[1] - period[0] > LONGEST_PERIOD:
        return None
    return period


def start_report(app: Flask, shop: Shop, first: date, last: date) -> ReconciliationReport:
    """Start a report for the period; the row says `running` until the thread is done."""
    config = app.extensions["sidecar.config"]
    row = start(shop, first, last, trigger="manual", now=utcnow())
    threading.Thread(target=_fill, args=(shop.id, row.id, config), daemon=True,
                     name=f"reconcile:{shop.id}").start()
    return row


def _fill(shop_id: int, row_id: int, config: Config) -> None:
    with database.connection_context():
        shop = Shop.get_by_id(shop_id)
        row = ReconciliationReport.get_by_id(row_id)
        first, last = date.fromisoformat(row.first_day), date.fromisoformat(row.last_day)
        try:
            report_for(shop, first, last, trigger="manual", config=config, now=utcnow(),
                       row=row)
        except NotConnected as exc:
            _failed(row, exc.message)
        except ReportFailed:
            pass  # the row says why
        except Exception as exc:  # the page must learn that it ended
            log.exception("reconcile.page_run_failed shop=%s report=%s", shop_id, row_id)
            _failed(row, msg("error.unexpected", error=f"{type(exc).__name__}: {exc}"))


def _failed(row: ReconciliationReport, reason: Message) -> None:
    ReconciliationReport.update(state="failed", error=reason.as_json(), finished_at=utcnow()
                                ).where(ReconciliationReport.id == row.id).execute()


def order_link(shop: Shop, order_id: int | None) -> str:
    """The order in WooCommerce's admin (WooCommerce forwards it to its own order screen)."""
    if not order_id or not shop.woo_url:
        return ""
    return f"{shop.woo_url.rstrip('/')}/wp-admin/post.php?post={order_id}&action=edit"


def held_document(shop: Shop, config: Config, kind: str, number: str) -> Held | None:
    """The document read from Fortnox now; None when Fortnox has none by that number.
    Raises NotConnected or a FortnoxError."""
    clients = clients_for(shop, config)
    if clients is None:
        raise NotConnected
    fortnox: FortnoxClient = clients[0]
    try:
        whole = (fortnox.get_invoice if kind == "invoice" else fortnox.get_order)(number)
    except FortnoxNotFound:
        return None
    computed = figures(whole, ROWS[kind])
    total = Decimal(str(whole.get("Total") or 0)) - Decimal(str(whole.get("RoundOff") or 0))
    return Held(kind, number, whole, list(whole.get(ROWS[kind]) or []), total, computed.vat)
