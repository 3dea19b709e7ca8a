"""Jobs glue for the reconciliation report: the daily run, a run for any period (the page's
button and `sidecar reconcile`), and the e-mail.

The daily run is an hourly job that reports the previous Swedish calendar day once that day
has settled (half an hour past midnight, so an order of 23:59 is exported first); a day already
reported is not reported again, so a sidecar that was down at night reports the day when it is
back. A report that fails (a system did not answer) is tried again the next hour; the owner is
told once per day. Problems go to the attention box, one entry per kind; the e-mail goes daily, or
weekly on Mondays with the week Monday to Sunday.
"""

from __future__ import annotations

import logging
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sidecar import activity
from sidecar import settings as shop_settings
from sidecar.config import Config
from sidecar.fields import utcnow
from sidecar.jobs.fortnox_to_woo import clients_for
from sidecar.jobs.order_export import export_settings
from sidecar.jobs.spec import JobContext
from sidecar.messages import msg
from sidecar.models import ReconciliationReport
from sidecar.models import Shop
from sidecar.reports import MailFailed
from sidecar.reports import report_csv
from sidecar.reports import report_mail
from sidecar.reports import report_pdf
from sidecar.reports import send_mail
from sidecar.sync.reconcile import ReportFailed
from sidecar.sync.reconcile import ReportSettings
from sidecar.sync.reconcile import period_text
from sidecar.sync.reconcile import record_problems
from sidecar.sync.reconcile import run_report
from sidecar.sync.reconcile import start
from sidecar.sync.reconcile.outcome import Report

log = logging.getLogger(__name__)

SWEDISH_TIME = ZoneInfo("Europe/Stockholm")
SETTLE = timedelta(minutes=30)
WORKFLOW = "reconcile"


class NotConnected(Exception):
    """Fortnox or WooCommerce is not connected yet: nothing can be compared."""

    message = msg("reconcile.not_connected")

    def __init__(self) -> None:
        super().__init__(self.message.english())


def day_to_report(now: datetime) -> date:
    """The last Swedish calendar day that has settled."""
    return (now.astimezone(SWEDISH_TIME) - SETTLE).date() - timedelta(days=1)


def daily_job(shop: Shop, ctx: JobContext) -> dict[str, Any]:
    config = ctx.require_config()
    day = day_to_report(ctx.now)
    if _reported(shop, day, day):
        return {"already_reported": 1}
    if clients_for(shop, config) is None:
        return {"skipped": 1}
    report = _scheduled(shop, day, day, config, ctx.now)
    if report is None:
        return {"failed": 1}
    counts = {"orders": report.orders, "problems": len(report.problems),
              "attention": record_problems(shop, report, now=ctx.now), "emailed": 0}
    wanted = ReportSettings.from_values(shop_settings.load(shop))
    if wanted.emails and wanted.email_frequency == "daily":
        counts["emailed"] += _email(shop, report, wanted, config, ctx.now)
    elif wanted.emails and wanted.email_frequency == "weekly" and day.weekday() == 6:
        week = _scheduled(shop, day - timedelta(days=6), day, config, ctx.now)
        if week is not None:
            counts["emailed"] += _email(shop, week, wanted, config, ctx.now)
    return counts


def _reported(shop: Shop, first: date, last: date) -> bool:
    return _scheduled_runs(shop, first, last, "done") > 0


def _scheduled_runs(shop: Shop, first: date, last: date, state: str) -> int:
    return ReconciliationReport.select().where(
        (ReconciliationReport.shop == shop) & (ReconciliationReport.trigger == "schedule")
        & (ReconciliationReport.first_day == first.isoformat())
        & (ReconciliationReport.last_day == last.isoformat())
        & (ReconciliationReport.state == state)).count()


def _scheduled(shop: Shop, first: date, last: date, config: Config, now: datetime
               ) -> Report | None:
    try:
        return report_for(shop, first, last, trigger="schedule", config=config, now=now)[1]
    except (ReportFailed, NotConnected) as exc:
        reason = exc.message
        if _scheduled_runs(shop, first, last, "failed") > 1:
            return None  # said already; the next hour tries again
        activity.record(shop, now=now, level="error", workflow=WORKFLOW,
                        subject=msg("subject.reconcile", period=period_text(first, last)),
                        message=msg("reconcile.failed", period=period_text(first, last),
                                    reason=reason),
                        hint=msg("hint.status_retry_next_run"))
        return None


def report_for(shop: Shop, first: date, last: date, *, trigger: str, config: Config,
               now: datetime, row: ReconciliationReport | None = None
               ) -> tuple[ReconciliationReport, Report]:
    """Compare the period now and keep the report. Raises NotConnected or ReportFailed."""
    clients = clients_for(shop, config)
    if clients is None:
        raise NotConnected
    fortnox, woo = clients
    row = row or start(shop, first, last, trigger=trigger, now=now)
    report = run_report(shop, row, fortnox=fortnox, woo=woo, settings=export_settings(shop),
                        today=now.astimezone(SWEDISH_TIME).date(), now=now)
    return row, report


class CommandFailed(Exception):
    """`sidecar reconcile` cannot do what was asked; the message says why in one line."""


def command(shop: Shop, first_text: str, last_text: str, *, config: Config,
            csv_path: Path | None, pdf_path: Path | None, language: str) -> Report:
    """`sidecar reconcile`: compare, keep the report, write the files asked for."""
    first, last = _day("--from", first_text), _day("--to", last_text)
    if last < first:
        raise CommandFailed(f"--to {last} is before --from {first}")
    now = utcnow()
    try:
        report = report_for(shop, first, last, trigger="cli", config=config, now=now)[1]
    except ReportFailed as exc:
        raise CommandFailed(exc.message.english()) from None
    except NotConnected as exc:
        raise CommandFailed(str(exc)) from None
    for path, make in ((csv_path, lambda: report_csv(report, language)),
                       (pdf_path, lambda: report_pdf(report, shop=shop.name, made=now,
                                                     language=language))):
        if path is not None:
            try:
                path.write_bytes(make())
            except OSError as exc:
                raise CommandFailed(f"cannot write {path}: {exc.strerror}") from None
    return report


def _day(option: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandFailed(f"{option}: expected a date like 2025-03-01, got {text!r}") from None


def _email(shop: Shop, report: Report, wanted: ReportSettings, config: Config,
           now: datetime) -> int:
    period = period_text(report.first, report.last)
    try:
        if config.smtp is None:
            raise MailFailed("no SMTP server is configured (SIDECAR_SMTP_URL)")
        send_mail(config.smtp, report_mail(
            report, shop=shop.name, made=now, language=wanted.language,
            sender=config.smtp.sender, recipients=wanted.email_to,
            link=f"{config.public_url}/reconcile"))
    except MailFailed as exc:
        log.warning("reconcile.mail_failed shop=%s error=%s", shop.id, exc)
        activity.record(shop, now=now, level="error", workflow=WORKFLOW,
                        subject=msg("subject.reconcile", period=period),
                        message=msg("reconcile.email_failed", period=period, error=str(exc)),
                        hint=msg("hint.reconcile_smtp"))
        return 0
    ReconciliationReport.update(emailed_at=now).where(
        (ReconciliationReport.shop == shop)
        & (ReconciliationReport.first_day == report.first.isoformat())
        & (ReconciliationReport.last_day == report.last.isoformat())
        & (ReconciliationReport.state == "done")).execute()
    return 1
