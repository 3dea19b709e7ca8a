"""/reconcile ("Avstämning"): the stored reports, problems first, the chart per day, the sums,
the CSV and PDF downloads, a run for any period, the e-mail settings, and a Fortnox document
as Fortnox holds it now (the link from each problem)."""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint
from flask import Response
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_currency
from flask_babel import get_locale
from flask_babel import gettext as _

from sidecar import settings
from sidecar.fortnox import FortnoxError
from sidecar.jobs.reconcile_report import NotConnected
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.reports import report_csv
from sidecar.reports import report_pdf
from sidecar.reports.mail import file_name
from sidecar.settings import SettingError
from sidecar.sync.reconcile import PROBLEM_KINDS
from sidecar.sync.reconcile import ReportSettings
from sidecar.sync.reconcile import stored_report
from sidecar.web import reconcile_data as data
from sidecar.web import settings_form
from sidecar.web.i18n import say

bp = Blueprint("reconcile", __name__)
# The report's e-mail settings are edited here, not in the settings page's generic form.
settings_form.OWN_FORMS.add("reconcile")

DOCUMENT_KINDS = ("invoice", "order")


@bp.app_template_filter("money")
def money(value: Decimal, currency: str) -> str:
    """An amount as the reader's language writes it (1 234,50 kr / SEK 1,234.50)."""
    return format_currency(value, currency) if currency else str(value)


@bp.get("/reconcile")
def index() -> ResponseReturnValue:
    shop = g.signed_in.shop
    wanted = request.args.get("report", type=int)
    row = data.chosen(shop, wanted)
    if wanted is not None and row is None:
        abort(404)
    report = stored_report(row) if row is not None else None
    first, last = data.default_period(data.today())
    email = ReportSettings.from_values(settings.load(shop))
    return render_template(
        "reconcile.html", row=row, report=report, reports=data.recent(shop),
        first=request.args.get("from") or first.isoformat(),
        last=request.args.get("to") or last.isoformat(), email=email,
        email_to=", ".join(email.email_to), kinds=PROBLEM_KINDS, word=_word, say=say,
        order_link=lambda order_id: data.order_link(shop, order_id),
        error=say(Message.from_json(row.error)) if row is not None and row.error else "",
        peak=max([1, *(d.orders for d in report.days)]) if report else 1)


@bp.post("/reconcile/run")
def run() -> ResponseReturnValue:
    period = data.parse_period(request.form.get("from", ""), request.form.get("to", ""))
    if period is None:
        flash(_("Enter two dates like 2025-03-01, the first not after the last, at most a "
                "year apart."), "error")
        return redirect(url_for("reconcile.index", **{"from": request.form.get("from", ""),
                                                      "to": request.form.get("to", "")}))
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    row = data.start_report(app, g.signed_in.shop, *period)
    flash(_("The reconciliation has started. This page shows it when it is done."), "success")
    return redirect(url_for("reconcile.index", report=row.id))


@bp.post("/reconcile/email")
def email() -> ResponseReturnValue:
    changes = {"reconcile.email_to": request.form.get("email_to", ""),
               "reconcile.email_frequency": request.form.get("email_frequency", ""),
               "reconcile.language": request.form.get("language", "")}
    try:
        settings.save(g.signed_in.shop, changes)
    except SettingError as exc:
        flash(_("Nothing was saved: %(reason)s", reason=_email_error(exc)), "error")
    else:
        flash(_("Settings saved."), "success")
    return redirect(url_for("reconcile.index") + "#email")


@bp.get("/reconcile/<int:report_id>.csv", defaults={"kind": "csv"})
@bp.get("/reconcile/<int:report_id>.pdf", defaults={"kind": "pdf"})
def download(report_id: int, kind: str) -> ResponseReturnValue:
    shop = g.signed_in.shop
    row = data.chosen(shop, report_id)
    report = stored_report(row) if row is not None else None
    if report is None:
        abort(404)
    language = str(get_locale() or "sv")
    if kind == "csv":
        body, mimetype = report_csv(report, language), "text/csv; charset=utf-8"
    else:
        body = report_pdf(report, shop=shop.name, made=row.finished_at or row.created_at,
                          language=language)
        mimetype = "application/pdf"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = \
        f'attachment; filename="{file_name(report, language, kind)}"'
    return response


@bp.get("/reconcile/document/<kind>/<number>")
def document(kind: str, number: str) -> ResponseReturnValue:
    if kind not in DOCUMENT_KINDS or not number.isdigit():
        abort(404)
    problem = ""
    held = None
    try:
        held = data.held_document(g.signed_in.shop, current_app.extensions["sidecar.config"],
                                  kind, number)
        if held is None:
            problem = _("Fortnox has no %(kind)s %(number)s.", kind=_word(f"document.{kind}"),
                        number=number)
    except NotConnected:
        problem = _("Connect Fortnox and WooCommerce on the settings page first.")
    except FortnoxError as exc:
        problem = _("Fortnox did not answer: %(error)s", error=exc.message)
    return render_template("reconcile_document.html", held=held, problem=problem, kind=kind,
                           number=number, word=_word), 200 if held else 404


def _word(code: str, **params: object) -> str:
    return say(msg(code, **params))


def _email_error(error: SettingError) -> str:
    if error.key == "reconcile.email_to":
        return _("enter e-mail addresses separated by commas (at most 10).")
    return _("choose one of the offered values.")

