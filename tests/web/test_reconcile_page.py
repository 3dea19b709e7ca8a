"""The Reconciliation page: problems first with causes and links, the chart, the sums, the CSV
(parsed) and the PDF (rendered with pdftoppm, read with pdftotext), in Swedish and English."""

from __future__ import annotations

import csv
import io
import subprocess
import threading
from datetime import UTC
from datetime import date
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from sidecar import settings
from sidecar.models import ReconciliationReport
from sidecar.models import Shop
from sidecar.sync.reconcile.facts import Document
from sidecar.sync.reconcile.facts import Figures
from sidecar.sync.reconcile.facts import LedgerFacts
from sidecar.sync.reconcile.facts import Refund
from sidecar.sync.reconcile.facts import Sale
from sidecar.sync.reconcile.report import Keys
from sidecar.sync.reconcile.report import compare
from tests.web.conftest import post_form

MADE = datetime(2026, 3, 1, 0, 40, tzinfo=UTC)
VAT = ((Decimal(25), Decimal("39.80")),)


def sale(order_id: int, day: str, total: str = "199.00", **fields: object) -> Sale:
    values = {"id": order_id, "number": str(order_id), "day": day, "status": "processing",
              "currency": "SEK", "total": Decimal(total), "vat": VAT, "market": "se",
              "eligible": True, **fields}
    return Sale(**values)  # type: ignore[arg-type]


def invoice(number: str, order_id: int, day: str, total: str = "199", **fields: object
            ) -> Document:
    values = {"kind": "invoice", "number": number, "key": f"wc-testbutiken-{order_id}",
              "marker": "", "day": day, "currency": "SEK", "total": Decimal(total),
              "cancelled": False, **fields}
    return Document(**values)  # type: ignore[arg-type]


def facts(order_id: int, number: str) -> LedgerFacts:
    return LedgerFacts(order_id, f"wc-testbutiken-{order_id}", "exported", None, number,
                       sent=Figures(Decimal("199.00"), VAT))


@pytest.fixture(name="stored")
def _stored(web_shop: Shop) -> ReconciliationReport:
    """A February report: 3 orders matched, 1 missing, 1 amount changed in Fortnox, 1 refund
    without its credit invoice."""
    sales = [sale(1, "2026-02-03"), sale(2, "2026-02-03"), sale(3, "2026-02-10"),
             sale(4, "2026-02-11"), sale(5, "2026-02-20"),
             sale(6, "2026-02-27", refunds=(Refund(61, Decimal("49.50")),))]
    documents = [invoice("10", 1, "2026-02-03"), invoice("11", 2, "2026-02-03"),
                 invoice("12", 3, "2026-02-10"), invoice("14", 5, "2026-02-20", total="189"),
                 invoice("15", 6, "2026-02-27")]
    ledger = {1: facts(1, "10"), 2: facts(2, "11"), 3: facts(3, "12"), 5: facts(5, "14"),
              6: facts(6, "15")}
    changed = (invoice("14", 5, "2026-02-20", total="189"),
               Figures(Decimal("189.00"), ((Decimal(25), Decimal("37.80")),)))
    report = compare(date(2026, 2, 1), date(2026, 2, 28), sales=sales, documents=documents,
                     ledger=ledger, keys=Keys("wc-testbutiken-"),
                     details=lambda kind, number: changed if number == "14" else None)
    return ReconciliationReport.create(
        shop=web_shop, first_day="2026-02-01", last_day="2026-02-28", trigger="schedule",
        state="done", orders=report.orders, problems=len(report.problems),
        body=report.as_json(), created_at=MADE, finished_at=MADE)


def test_the_page_shows_the_problems_first_with_causes_and_links(
        signed_in: FlaskClient, stored: ReconciliationReport, web_shop: Shop) -> None:
    Shop.update(woo_url="https://butik.example.se").execute()
    page = signed_in.get("/reconcile", headers={"Accept-Language": "sv"})

    assert page.status_code == 200
    text = page.text
    assert '<a href="/reconcile"' in text and "Avstämning" in text  # in the navigation
    assert "6 ordrar, 3 stämmer på öret, 3 problem." in text
    assert f'href="/reconcile/{stored.id}.csv"' in text
    assert f'href="/reconcile/{stored.id}.pdf"' in text
    problems = text[text.index('id="problems-table"'):text.index('id="chart-heading"')]
    assert problems.count('class="problem ') == 3
    assert problems.index("Saknas i Fortnox") < problems.index("Beloppet skiljer")
    assert 'href="https://butik.example.se/wp-admin/post.php?post=4&amp;action=edit"' in problems
    assert 'href="/reconcile/document/invoice/14"' in problems
    assert "Order 4 (199,00" in problems and "skickades aldrig till Fortnox" in problems
    assert "−10,00" in problems or "-10,00" in problems
    assert text.count('class="bar-ok"') == 28  # one bar per day of February
    vat = text[text.index('id="vat-table"'):text.index('id="markets-heading"')]
    assert "25 %" in vat and "238,80" in vat and "197,00" in vat and "-41,80" in vat


def test_the_csv_opens_in_excel_with_semicolons_and_decimal_commas(
        signed_in: FlaskClient, stored: ReconciliationReport) -> None:
    swedish = signed_in.get(f"/reconcile/{stored.id}.csv", headers={"Accept-Language": "sv"})
    english = signed_in.get(f"/reconcile/{stored.id}.csv", headers={"Accept-Language": "en"})

    assert swedish.mimetype == "text/csv"
    assert "avstamning-2026-02-01-2026-02-28.csv" in swedish.headers["Content-Disposition"]
    assert swedish.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(swedish.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Datum", "Order", "Status i WooCommerce"]
    by_order = {row[1]: row for row in rows[1:]}
    assert len(by_order) == 6
    assert by_order["1"][4:9] == ["199,00", "faktura 10", "199,00", "0,00", "Stämmer"]
    assert by_order["5"][6:8] == ["189,00", "-10,00"]
    assert by_order["4"][8] == "Saknas i Fortnox"
    assert "Återbetalning 61" in by_order["6"][9]
    english_rows = list(csv.reader(io.StringIO(english.data.decode("utf-8-sig")),
                                   delimiter=";"))
    assert english_rows[0][0] == "Date"
    assert {row[1]: row for row in english_rows[1:]}["5"][6:8] == ["189.00", "-10.00"]


def test_the_pdf_renders_and_reads_as_the_report(
        signed_in: FlaskClient, stored: ReconciliationReport, tmp_path: Path) -> None:
    response = signed_in.get(f"/reconcile/{stored.id}.pdf", headers={"Accept-Language": "sv"})
    assert response.mimetype == "application/pdf"
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(response.data)

    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=60)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, timeout=60,
                          capture_output=True, text=True).stdout

    (png,) = tmp_path.glob("page*.png")
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 5_000
    assert "Avstämning 2026-02-01 – 2026-02-28" in text
    assert "Testbutiken" in text
    assert "Saknas i Fortnox" in text and "Beloppet skiljer" in text
    assert "Moms per momssats" in text and "238,80" in text
    assert len(response.data) < 200_000


def test_a_period_runs_in_the_background_and_bad_dates_are_refused(
        signed_in: FlaskClient, web_shop: Shop) -> None:
    refused = post_form(signed_in, "/reconcile/run", {"from": "2026-02-30", "to": "2026-02-01"})
    assert refused.status_code == 302
    assert ReconciliationReport.select().count() == 0

    started = post_form(signed_in, "/reconcile/run", {"from": "2026-02-01", "to": "2026-02-28"})
    assert started.status_code == 302
    for thread in threading.enumerate():
        if thread.name.startswith("reconcile:"):
            thread.join(timeout=30)
    row = ReconciliationReport.get()
    assert (row.first_day, row.last_day, row.trigger) == ("2026-02-01", "2026-02-28", "manual")
    assert row.state == "failed"  # this shop is connected to neither system
    page = signed_in.get(started.headers["Location"], headers={"Accept-Language": "sv"})
    assert page.status_code == 200
    assert "Fortnox eller WooCommerce är inte anslutet än" in page.text


def test_the_email_settings_are_checked_and_saved(signed_in: FlaskClient,
                                                  web_shop: Shop) -> None:
    post_form(signed_in, "/reconcile/email", {"email_to": "agare@butik.se, inte-en-adress",
                                              "email_frequency": "weekly", "language": "sv"})
    assert settings.get(web_shop, "reconcile.email_to") == []

    post_form(signed_in, "/reconcile/email", {
        "email_to": "agare@butik.se; revisor@byran.se", "email_frequency": "weekly",
        "language": "en"})
    assert settings.get(web_shop, "reconcile.email_to") == ["agare@butik.se",
                                                            "revisor@byran.se"]
    assert settings.get(web_shop, "reconcile.email_frequency") == "weekly"
    page = signed_in.get("/settings")
    assert "reconcile.email_to" not in page.text  # edited on its own page only


def test_a_document_link_says_in_words_when_fortnox_cannot_be_asked(
        signed_in: FlaskClient, web_shop: Shop) -> None:
    page = signed_in.get("/reconcile/document/invoice/14", headers={"Accept-Language": "sv"})

    assert page.status_code == 404
    assert "Anslut Fortnox och WooCommerce" in page.text
    assert signed_in.get("/reconcile/document/voucher/14").status_code == 404
    assert signed_in.get("/reconcile/99.csv").status_code == 404
