"""`run_report`: read both systems for a period, compare, and keep the result; and the problems
it found, one attention-box entry per kind.

A report is a row (`ReconciliationReport`) from the moment it starts, so the page can say one is
running; it ends `done` with the report as JSON, or `failed` with the reason in words.
"""

from __future__ import annotations

import logging
from datetime import date
from datetime import datetime

from sidecar import activity
from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxError
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import ReconciliationReport
from sidecar.models import Shop
from sidecar.sync.orders.mapping import order_reference
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.reconcile.outcome import PROBLEM_KINDS
from sidecar.sync.reconcile.outcome import Report
from sidecar.sync.reconcile.reader import DocumentReader
from sidecar.sync.reconcile.reader import read_documents
from sidecar.sync.reconcile.reader import read_ledger
from sidecar.sync.reconcile.reader import read_sales
from sidecar.sync.reconcile.report import Keys
from sidecar.sync.reconcile.report import compare
from sidecar.woocommerce import WooClient
from sidecar.woocommerce.errors import WooError

log = logging.getLogger(__name__)

WORKFLOW = "reconcile"
ORDERS_NAMED = 10  # order numbers named in an attention-box entry; the page has them all


class ReportFailed(Exception):
    """Reading one of the systems failed; `message` says which and why, for the owner."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.english())
        self.message = message


def period_text(first: date, last: date) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"


def build_report(shop: Shop, *, fortnox: FortnoxClient, woo: WooClient,
                 settings: ExportSettings, first: date, last: date, today: date) -> Report:
    """Compare the period; raises ReportFailed when a system cannot be read."""
    keys = Keys(order_reference(settings.shop_slug, 0)[:-1])
    try:
        sales = list(read_sales(woo, first, last, settings))
    except WooError as exc:
        raise ReportFailed(msg("reconcile.woo_unreadable", error=str(exc))) from exc
    try:
        documents = read_documents(fortnox, first, last, max(last, today))
        order_ids = {s.id for s in sales} | {i for d in documents
                                             if (i := keys.order_id(d.key)) is not None}
        ledger = read_ledger(shop, order_ids)
        reader = DocumentReader(fortnox)
        report = compare(first, last, sales=sales, documents=documents, ledger=ledger,
                         keys=keys, details=reader.details)
    except FortnoxError as exc:
        raise ReportFailed(msg("reconcile.fortnox_unreadable", error=exc.message)) from exc
    log.info("reconcile.done shop=%s first=%s last=%s orders=%s problems=%s documents=%s "
             "read_whole=%s", shop.id, first, last, report.orders, len(report.problems),
             len(documents), reader.read)
    return report


def start(shop: Shop, first: date, last: date, *, trigger: str, now: datetime
          ) -> ReconciliationReport:
    return ReconciliationReport.create(shop=shop, first_day=first.isoformat(),
                                       last_day=last.isoformat(), trigger=trigger,
                                       state="running", orders=0, problems=0, created_at=now)


def run_report(shop: Shop, row: ReconciliationReport, *, fortnox: FortnoxClient,
               woo: WooClient, settings: ExportSettings, today: date, now: datetime
               ) -> Report:
    """Fill a started report row; on failure the row says why, and ReportFailed is raised."""
    first, last = date.fromisoformat(row.first_day), date.fromisoformat(row.last_day)
    try:
        report = build_report(shop, fortnox=fortnox, woo=woo, settings=settings, first=first,
                              last=last, today=today)
    except ReportFailed as exc:
        _finish(row, now, state="failed", error=exc.message.as_json())
        raise
    _finish(row, now, state="done", body=report.as_json(), orders=report.orders,
            problems=len(report.problems))
    return report


def _finish(row: ReconciliationReport, now: datetime, **fields: object) -> None:
    ReconciliationReport.update(finished_at=now, **fields).where(
        ReconciliationReport.id == row.id).execute()
    for name, value in fields.items():
        setattr(row, name, value)


def stored_report(row: ReconciliationReport) -> Report | None:
    return Report.from_json(row.body) if row.state == "done" and row.body else None


def record_problems(shop: Shop, report: Report, *, now: datetime) -> int:
    """One attention-box entry per kind of problem found, naming its orders; returns how many
    entries were written."""
    period = period_text(report.first, report.last)
    written = 0
    for kind in PROBLEM_KINDS:
        found = [p for p in report.problems if p.kind == kind]
        if not found:
            continue
        named = [p.order_number or (f"{p.document[0]} {p.document[1]}" if p.document else "")
                 for p in found[:ORDERS_NAMED]]
        more = len(found) - len(named)
        activity.record(
            shop, now=now, level="error", workflow=WORKFLOW,
            subject=msg("subject.reconcile", period=period),
            message=msg(f"reconcile.found.{kind}", period=period, count=len(found),
                        orders=", ".join(named) + (f" (+{more})" if more else "")),
            hint=msg("hint.reconcile"), details={"report_first": report.first.isoformat(),
                                                 "report_last": report.last.isoformat()})
        written += 1
    return written


__all__ = ["PROBLEM_KINDS", "ReportFailed", "build_report", "period_text", "record_problems",
           "run_report", "start", "stored_report"]
