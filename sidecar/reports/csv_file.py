"""The report as a CSV file Excel opens as it is: UTF-8 with a byte-order mark, `;` between
fields, amounts with two decimals and, in Swedish, a decimal comma. One line per order of the
period, then one per document no order explains; the problem's cause in words."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from sidecar.messages.words import Words
from sidecar.sync.reconcile.outcome import MATCHED
from sidecar.sync.reconcile.outcome import Problem
from sidecar.sync.reconcile.outcome import Report

BOM = "\ufeff"
COLUMNS = ("day", "order", "status", "currency", "woo", "document", "fortnox", "difference",
           "outcome", "cause")


def report_csv(report: Report, language: str) -> bytes:
    words = Words(language)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([words(f"reconcile.col.{column}") for column in COLUMNS])
    causes: dict[int, list[Problem]] = {}
    strays = []
    for problem in report.problems:
        if problem.order_id is not None and problem.order_number:
            causes.setdefault(problem.order_id, []).append(problem)
        else:
            strays.append(problem)

    def amount(value: Decimal | None) -> str:
        return "" if value is None else words.plain_number(value)

    for line in report.lines:
        found = causes.get(line.order_id, [])
        difference = None if line.fortnox is None else line.fortnox - line.woo
        writer.writerow([line.day, line.order_number, line.status, line.currency,
                         amount(line.woo), words.document(line.document), amount(line.fortnox),
                         amount(difference) if line.outcome != MATCHED else amount(Decimal(0)),
                         " / ".join(dict.fromkeys(words.kind(p.kind) for p in found))
                         or words.kind(MATCHED),
                         " ".join(words.say(p.reason) for p in found)])
    for problem in strays:
        writer.writerow([problem.day, "", "", problem.currency, amount(problem.woo),
                         words.document(problem.document), amount(problem.fortnox),
                         amount(problem.difference), words.kind(problem.kind),
                         words.say(problem.reason)])
    return (BOM + out.getvalue()).encode("utf-8")
