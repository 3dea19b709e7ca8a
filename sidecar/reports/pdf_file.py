"""The report as a PDF an accountant can file: A4, the period and the shop on top, the summary
and a chart per day, the problems with their causes, the sums per VAT rate and per market,
refunds against credits, and the days as a table; page numbers in the footer.

ReportLab's platypus lays it out (tables split over pages with their headings repeated); the
standard Helvetica covers Swedish letters, so no font is embedded and the file stays small.
"""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing
from reportlab.graphics.shapes import Line
from reportlab.graphics.shapes import Rect
from reportlab.graphics.shapes import String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph
from reportlab.platypus import SimpleDocTemplate
from reportlab.platypus import Spacer
from reportlab.platypus import Table
from reportlab.platypus import TableStyle

from sidecar.messages.words import Words
from sidecar.sync.reconcile.outcome import Report
from sidecar.sync.reconcile.outcome import Sum

MATCHED_COLOUR = colors.HexColor("#2e7d32")
PROBLEM_COLOUR = colors.HexColor("#c62828")
GRID = colors.HexColor("#bbbbbb")
HEAD = colors.HexColor("#eeeeee")
WIDTH = A4[0] - 36 * mm
CHART_HEIGHT = 45 * mm


def report_pdf(report: Report, *, shop: str, made: datetime, language: str) -> bytes:
    words = Words(language)
    styles = getSampleStyleSheet()
    small = ParagraphStyle("small", parent=styles["BodyText"], fontSize=8, leading=10)
    title = words("subject.reconcile", period=_period(report))
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                 topMargin=16 * mm, bottomMargin=16 * mm, title=title,
                                 author=shop, subject=title, creator="Fortnox sidecar")
    story: list[Any] = [
        Paragraph(escape(title), styles["Title"]),
        Paragraph(escape(words("reconcile.made", shop=shop, time=words.time(made))),
                  styles["Normal"]),
        Spacer(1, 4 * mm),
        Paragraph(escape(words("reconcile.summary", orders=report.orders,
                               matched=report.matched, problems=len(report.problems))),
                  styles["Heading3"]),
        _chart(report, words),
        Spacer(1, 4 * mm),
        Paragraph(escape(words("reconcile.heading.problems")), styles["Heading2"]),
    ]
    if report.problems:
        rows = [[words(f"reconcile.col.{c}") for c in ("outcome", "order", "document", "woo",
                                                         "fortnox", "cause")]]
        rows += [[Paragraph(escape(words.kind(p.kind)), small), p.order_number,
                  words.document(p.document), _money(words, p.woo), _money(words, p.fortnox),
                  Paragraph(escape(words.say(p.reason)), small)] for p in report.problems]
        story.append(_table(rows, (28, 12, 30, 23, 20, None), numeric=(3, 4)))
    else:
        story.append(Paragraph(escape(words("reconcile.no_problems")), styles["Normal"]))
    for heading, sums, name in (
            ("reconcile.heading.vat", report.vat, lambda s: words.rate(s.what)),
            ("reconcile.heading.markets", report.markets, lambda s: words.market(s.what)),
            ("reconcile.heading.refunds", report.refunds,
             lambda s: words("reconcile.refunds_row"))):
        story.append(Paragraph(escape(words(heading)), styles["Heading2"]))
        story.append(_sums(words, sums, name))
    story.append(Paragraph(escape(words("reconcile.heading.days")), styles["Heading2"]))
    story.append(_table([[words(f"reconcile.col.{c}") for c in ("day", "orders", "matched",
                                                                "problems")]]
                        + [[d.day, str(d.orders), str(d.matched), str(d.problems)]
                           for d in report.days], (30, 25, 25, 25), numeric=(1, 2, 3)))

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.drawString(18 * mm, 10 * mm, f"{shop} · {title}")
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, str(doc.page))
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()


def _period(report: Report) -> str:
    first, last = report.first.isoformat(), report.last.isoformat()
    return first if first == last else f"{first} – {last}"


def _money(words: Words, value: Decimal | None) -> str:
    return "" if value is None else words.number(value)


def _sums(words: Words, sums: list[Sum], name: Any) -> Table:
    rows = [["", words("reconcile.col.currency"), words("reconcile.col.woo"),
             words("reconcile.col.fortnox"), words("reconcile.col.difference")]]
    rows += [[name(s), s.currency, words.number(s.woo), words.number(s.fortnox),
              words.number(s.difference)] for s in sums]
    return _table(rows, (None, 18, 30, 30, 26), numeric=(2, 3, 4))


def _table(rows: list[list[Any]], widths_mm: tuple[float | None, ...],
           numeric: tuple[int, ...] = ()) -> Table:
    fixed = sum(w for w in widths_mm if w is not None) * mm
    free = [w for w in widths_mm if w is None]
    share = (WIDTH - fixed) / len(free) if free else 0
    table = Table(rows, colWidths=[w * mm if w is not None else share for w in widths_mm],
                  repeatRows=1, hAlign="LEFT")
    style = [("FONT", (0, 0), (-1, -1), "Helvetica", 8),
             ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8),
             ("BACKGROUND", (0, 0), (-1, 0), HEAD),
             ("GRID", (0, 0), (-1, -1), 0.25, GRID),
             ("VALIGN", (0, 0), (-1, -1), "TOP")]
    style += [("ALIGN", (column, 0), (column, -1), "RIGHT") for column in numeric]
    table.setStyle(TableStyle(style))
    return table


def _chart(report: Report, words: Words) -> Drawing:
    """Bars per day: matched orders (green) and problems (red) side by side, with a legend."""
    drawing = Drawing(WIDTH, CHART_HEIGHT + 10)
    for offset, colour, label in ((0, MATCHED_COLOUR, words.kind("matched")),
                                  (90, PROBLEM_COLOUR, words("reconcile.col.problems"))):
        drawing.add(Rect(offset, CHART_HEIGHT + 3, 6, 6, fillColor=colour, strokeColor=None))
        drawing.add(String(offset + 9, CHART_HEIGHT + 3.5, label, fontName="Helvetica",
                           fontSize=7))
    days = report.days or []
    peak = max([1, *(max(d.matched, d.problems) for d in days)])
    slot = WIDTH / max(1, len(days))
    bar = max(1.0, slot * 0.4)
    base = 10.0
    scale = (CHART_HEIGHT - base - 4) / peak
    drawing.add(Line(0, base, WIDTH, base, strokeColor=GRID, strokeWidth=0.5))
    for index, day in enumerate(days):
        x = index * slot + slot * 0.1
        drawing.add(Rect(x, base, bar, day.matched * scale, fillColor=MATCHED_COLOUR,
                         strokeColor=None))
        drawing.add(Rect(x + bar, base, bar, day.problems * scale, fillColor=PROBLEM_COLOUR,
                         strokeColor=None))
        if len(days) <= 31:
            drawing.add(String(x + bar, 1, day.day[8:10], fontName="Helvetica", fontSize=6,
                               textAnchor="middle"))
    return drawing
