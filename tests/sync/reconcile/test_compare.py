"""The comparison's rules on plain records: which outcome each case gets, what is read whole,
and how refunds pair with credit invoices."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from sidecar.sync.reconcile.credits import pair_refunds
from sidecar.sync.reconcile.facts import Document
from sidecar.sync.reconcile.facts import Figures
from sidecar.sync.reconcile.facts import LedgerFacts
from sidecar.sync.reconcile.facts import Refund
from sidecar.sync.reconcile.facts import Sale
from sidecar.sync.reconcile.facts import figures
from sidecar.sync.reconcile.outcome import Report
from sidecar.sync.reconcile.report import Keys
from sidecar.sync.reconcile.report import compare

VAT = ((Decimal(25), Decimal("39.90")),)
FEB = (date(2026, 2, 1), date(2026, 2, 28))


def sale(total: str = "199.50", **fields: object) -> Sale:
    values = {"id": 7, "number": "7", "day": "2026-02-10", "status": "processing",
              "currency": "SEK", "total": Decimal(total), "vat": VAT, "market": "se",
              "eligible": True, **fields}
    return Sale(**values)  # type: ignore[arg-type]


def doc(number: str, total: str = "200", kind: str = "invoice", key: str = "wc-s-7",
        **fields: object) -> Document:
    values = {"kind": kind, "number": number, "key": key, "marker": "", "day": "2026-02-10",
              "currency": "SEK", "total": Decimal(total), "cancelled": False, **fields}
    return Document(**values)  # type: ignore[arg-type]


def ledger(invoice: str | None = "1", order: str | None = None, **credits: str) -> LedgerFacts:
    return LedgerFacts(7, "wc-s-7", "exported", order, invoice,
                       sent=Figures(Decimal("199.50"), VAT),
                       credits={int(k[1:]): v for k, v in credits.items()})


def run(sales: list[Sale], documents: list[Document], facts: dict[int, LedgerFacts],
        read: dict[str, tuple[Document, Figures]] | None = None) -> tuple[Report, list[str]]:
    asked: list[str] = []

    def details(kind: str, number: str) -> tuple[Document, Figures] | None:
        asked.append(f"{kind} {number}")
        return (read or {}).get(number)

    report = compare(*FEB, sales=sales, documents=documents, ledger=facts, keys=Keys("wc-s-"),
                     details=details)
    return report, asked


def kinds(report: Report) -> list[str]:
    return [p.kind for p in report.problems]


def test_a_total_shown_in_whole_kronor_matches_without_reading_the_document() -> None:
    report, asked = run([sale()], [doc("1", "200")], {7: ledger()})

    assert kinds(report) == [] and asked == []
    assert report.markets[0].fortnox == Decimal("199.50")


def test_a_total_off_by_more_than_the_rounding_is_read_whole_and_differs() -> None:
    held = Figures(Decimal("189.50"), ((Decimal(25), Decimal("37.90")),))
    report, asked = run([sale()], [doc("1", "190")], {7: ledger()}, {"1": (doc("1", "190"), held)})

    assert kinds(report) == ["amount_differs"] and asked == ["invoice 1"]
    assert report.problems[0].difference == Decimal("-10.00")
    assert report.vat[0].fortnox == Decimal("37.90")


def test_a_document_the_ledger_names_but_the_lists_lack_is_read_and_missing_if_gone() -> None:
    report, asked = run([sale()], [], {7: ledger()})

    assert kinds(report) == ["missing"] and asked == ["invoice 1"]
    assert "Fortnox has no invoice 1" in report.problems[0].reason.english()


def test_an_order_never_sent_is_missing_with_the_exports_own_reason() -> None:
    facts = LedgerFacts(7, "wc-s-7", "failed", None, None, last_error="account 3001 missing")
    report, _ = run([sale()], [], {7: facts})

    assert kinds(report) == ["missing"]
    assert "account 3001 missing" in report.problems[0].reason.english()


def test_an_order_outside_the_owners_scope_is_not_reported() -> None:
    report, _ = run([sale(eligible=False, status="pending")], [], {})

    assert report.problems == [] and report.lines == []


def test_an_invoice_the_owner_made_of_our_fortnox_order_is_the_orders_invoice() -> None:
    facts = LedgerFacts(7, "wc-s-7", "exported", "3", None, sent=Figures(Decimal("199.50"), VAT))
    report, _ = run([sale()], [doc("3", kind="order"), doc("9")], {7: facts})

    assert kinds(report) == []
    assert report.lines[0].document == ("invoice", "9")


def test_a_second_invoice_is_a_duplicate_and_a_key_without_an_order_is_unexplained() -> None:
    copy = (doc("2"), Figures(Decimal("199.50"), VAT))
    stray = (doc("5", "50", key="wc-s-99"), Figures(Decimal("50"), ((Decimal(25), Decimal(10)),)))
    report, _ = run([sale()], [doc("1"), copy[0], stray[0], doc("6", key="wc-other-7")],
                    {7: ledger()}, {"2": copy, "5": stray})

    assert sorted(kinds(report)) == ["duplicate", "unexplained"]
    markets = {s.what: s.fortnox for s in report.markets}
    assert markets == {"se": Decimal("399.00"), "": Decimal("50")}  # the books hold them too


@pytest.mark.parametrize(("status", "credited", "expected"), [
    ("cancelled", [], ["cancelled_in_woo"]),
    ("cancelled", ["200"], []),  # credited in full: the books agree with the shop
    ("processing", None, ["cancelled_in_fortnox"]),
])
def test_cancellations_on_one_side_only(status: str, credited: list[str] | None,
                                        expected: list[str]) -> None:
    documents = [doc("1", cancelled=credited is None)]
    documents += [doc(f"1{n}", f"-{total}") for n, total in enumerate(credited or [])]
    report, _ = run([sale(status=status)], documents, {7: ledger()})

    assert kinds(report) == expected


def test_refunds_pair_by_ledger_then_marker_then_amount() -> None:
    refunds = [Refund(11, Decimal("49.50")), Refund(12, Decimal("20.00")),
               Refund(13, Decimal("100.00")), Refund(14, Decimal("5.00"))]
    by_ledger = doc("31", "-20")
    by_marker = doc("32", "-50", marker="refund-11", key="wc-s-7/refund-11")
    by_amount = doc("33", "-100")
    stranger = doc("34", "-70")

    pairs = pair_refunds(refunds, [stranger, by_amount, by_marker, by_ledger], {12: "31"})

    assert {(r.id, c.number) for r, c in pairs.paired} == {(11, "32"), (12, "31"), (13, "33")}
    assert [r.id for r in pairs.refunds_alone] == [14]
    assert [c.number for c in pairs.credits_alone] == ["34"]


def test_the_fortnox_arithmetic_of_sent_rows() -> None:
    sent = {"VATIncluded": True, "Freight": 49, "InvoiceRows": [
        {"Price": 149, "DeliveredQuantity": 2, "VAT": 25},
        {"Price": 79.5, "DeliveredQuantity": 1, "VAT": 12, "Discount": 10,
         "DiscountType": "AMOUNT"},
        {"Price": 0.03, "DeliveredQuantity": 1, "VAT": 0}]}

    held = figures(sent, "InvoiceRows")

    assert held.total == Decimal("416.53")
    assert held.vat == ((Decimal(25), Decimal("69.40")), (Decimal(12), Decimal("7.45")))
