"""The reconciliation end to end: orders of the last weeks exported by the real sidecar under
gunicorn, then one of each kind of problem planted (a lost webhook, an amount changed in
Fortnox by hand, a copy made in Fortnox, a cancellation in Fortnox, a refund whose webhook was
lost, a document naming our key that no order explains). `sidecar reconcile` finds each once
and nothing else; its CSV parses and its PDF reads; the daily job puts a day's problem in the
attention box and e-mails the PDF through a local SMTP server."""

from __future__ import annotations

import copy
import csv
import io
import subprocess
import sys
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from decimal import Decimal
from email import message_from_bytes
from email import policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from sidecar import settings as shop_settings
from sidecar.config import Config
from sidecar.config import SmtpConfig
from sidecar.jobs.registry import JOBS
from sidecar.jobs.runner import run_job
from sidecar.models import ActivityEntry
from sidecar.models import ReconciliationReport
from sidecar.models import Shop
from sidecar.sim.fortnox import Knobs
from sidecar.sim.process import ROOT
from sidecar.sim.process import free_port
from sidecar.sim.process import sidecar_database
from tests.e2e.order_export_setup import Rig
from tests.e2e.order_export_setup import order_export_rig

pytestmark = pytest.mark.slow

TODAY = datetime.now(UTC).date()
FIRST, LAST = TODAY - timedelta(days=30), TODAY - timedelta(days=2)
SETTINGS = {"export.bookkeep_invoice": False}  # unbooked invoices can be changed by hand


class Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 accepted"


def on_day(rig: Rig, day: date) -> None:
    noon = datetime(day.year, day.month, day.day, 11, 0, tzinfo=UTC)
    with rig.store.lock:
        rig.store.clock_offset = noon - datetime.now(UTC)


def place(rig: Rig, product: dict[str, Any], n: int) -> dict[str, Any]:
    return rig.store.place_order({
        "line_items": [{"product_id": product["id"], "quantity": 1 + n % 3}],
        "status": "processing", "payment_method": "bacs",
        "billing": {"first_name": "Kund", "last_name": f"Nummer{n}", "country": "SE",
                    "address_1": "Storgatan 1", "city": "Uppsala", "postcode": "753 20",
                    "email": f"kund{n}@example.test"}}, created_via="checkout")


def invoice_of(rig: Rig, order: dict[str, Any]) -> dict[str, Any]:
    key = f"wc-default-{order['id']}"
    (found,) = [i for i in rig.fortnox_state.documents.invoices.values()
                if i["ExternalInvoiceReference1"] == key]
    return found


def plant_problems(rig: Rig, orders: list[dict[str, Any]], mug: dict[str, Any]
                   ) -> dict[str, str]:
    """One of each kind; returns the order (or document) each kind must be found on."""
    state = rig.fortnox_state
    documents = state.documents
    on_day(rig, FIRST + timedelta(days=15))
    missing = place(rig, mug, 99)  # its webhook is lost: the sidecar is down
    with state.lock:
        changed = invoice_of(rig, orders[1])
        rows = [{"ArticleNumber": r["ArticleNumber"], "Description": r["Description"],
                 "DeliveredQuantity": str(r["DeliveredQuantity"]), "Price": str(r["Price"]),
                 "VAT": str(r["VAT"]), "AccountNumber": r["AccountNumber"]}
                for r in changed["InvoiceRows"]]
        rows[0]["Price"] = str(Decimal(rows[0]["Price"]) + 25)
        documents.update_invoice(changed["DocumentNumber"], {"InvoiceRows": rows})
        original = invoice_of(rig, orders[2])
        copied = {k: copy.deepcopy(original[k]) for k in ("CustomerNumber", "InvoiceDate",
                                                          "ExternalInvoiceReference1")}
        copied["InvoiceRows"] = [{"Description": r["Description"], "Price": str(r["Price"]),
                                  "DeliveredQuantity": str(r["DeliveredQuantity"]),
                                  "VAT": str(r["VAT"])} for r in original["InvoiceRows"]]
        duplicate = documents.create_invoice(copied)
        documents.cancel_invoice(invoice_of(rig, orders[3])["DocumentNumber"])
        stray = documents.create_invoice({
            "CustomerNumber": original["CustomerNumber"],
            "ExternalInvoiceReference1": "wc-default-777777",
            "InvoiceDate": (FIRST + timedelta(days=20)).isoformat(),
            "InvoiceRows": [{"Description": "Tavla", "Price": "450", "DeliveredQuantity": "1",
                             "VAT": "25"}]})
    rig.store.refund_order(orders[4]["id"], amount=Decimal("30.00"), reason="Skadad")
    return {"missing": str(missing["id"]), "amount_differs": str(orders[1]["id"]),
            "duplicate": f"invoice {duplicate['DocumentNumber']}",
            "cancelled_in_fortnox": str(orders[3]["id"]),
            "refund_without_credit": str(orders[4]["id"]),
            "unexplained": f"invoice {stray['DocumentNumber']}"}


def test_a_month_with_each_kind_of_problem_planted_finds_each_once(tmp_path: Path) -> None:
    with order_export_rig(tmp_path, knobs=Knobs(), settings=SETTINGS) as rig:
        rig.start()
        rig.hooks("order.created", "order.updated")
        mug = rig.store.create_product({"name": "Kaffekopp", "sku": "MUG",
                                        "regular_price": "149.00"})
        orders = []
        for n in range(12):
            on_day(rig, FIRST + timedelta(days=2 * n + 1))
            orders.append(place(rig, mug, n))
        assert rig.sender.flush(timeout=30)
        assert rig.wait_for(lambda: rig.ledger_states() == {"exported": 12}, timeout=90), \
            rig.ledger_states()
        rig.sidecar.stop()
        expected = plant_problems(rig, orders, mug)

        csv_file, pdf_file = tmp_path / "avstamning.csv", tmp_path / "avstamning.pdf"
        result = subprocess.run(
            [sys.executable, "-m", "sidecar.cli", "reconcile", "--from", FIRST.isoformat(),
             "--to", LAST.isoformat(), "--csv", str(csv_file), "--pdf", str(pdf_file)],
            env=rig.env, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)

        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr
        lines = result.stdout.strip().splitlines()
        assert lines[0] == f"{FIRST} – {LAST}: 13 orders, 8 matched, 6 problems", result.stdout
        assert sorted(line.split(":")[0] for line in lines[1:]) == sorted(expected)
        rows = list(csv.reader(io.StringIO(csv_file.read_bytes().decode("utf-8-sig")),
                               delimiter=";"))
        outcomes: dict[str, str] = {}
        for row in rows[1:]:
            outcomes[row[1] or row[5]] = row[8]
        swedish = {"missing": "Saknas i Fortnox", "amount_differs": "Beloppet skiljer",
                   "duplicate": "Dubblett", "cancelled_in_fortnox": "Makulerad bara i Fortnox",
                   "refund_without_credit": "Återbetalning utan kreditfaktura",
                   "unexplained": "Ingen order förklarar den"}
        on_orders = {"missing": expected["missing"], "amount_differs": str(orders[1]["id"]),
                     "duplicate": str(orders[2]["id"]),
                     "cancelled_in_fortnox": str(orders[3]["id"]),
                     "refund_without_credit": str(orders[4]["id"]),
                     "unexplained": "faktura " + expected["unexplained"].split()[1]}
        assert {kind: outcomes[where] for kind, where in on_orders.items()} == swedish
        assert sorted(outcomes.values()).count("Stämmer") == 8
        text = " ".join(subprocess.run(["pdftotext", str(pdf_file), "-"], capture_output=True,
                                       text=True, check=True, timeout=60).stdout.split())
        assert f"Avstämning {FIRST} – {LAST}" in text
        assert [kind for kind in expected if swedish[kind] not in text] == [], text

        daily_job_reports_and_mails_a_day(rig, orders[1])


def daily_job_reports_and_mails_a_day(rig: Rig, changed: dict[str, Any]) -> None:
    """The day of the changed invoice, as the daily job reports it after midnight."""
    day = date.fromisoformat(changed["date_created"][:10]) if isinstance(
        changed["date_created"], str) else changed["date_created"].date()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with sidecar_database(rig.env):
            shop = Shop.select().order_by(Shop.id).first()
            shop_settings.save(shop, {"reconcile.email_to": ["revisor@byran.se"],
                                      "reconcile.email_frequency": "daily"})
            config = Config.for_tests(
                rig.data_dir, database_url=rig.env.get("SIDECAR_DATABASE_URL"),
                fortnox_api_url=rig.fortnox_url, fortnox_auth_url=rig.fortnox_url + "/oauth-v1",
                fortnox_client_id=rig.env["SIDECAR_FORTNOX_CLIENT_ID"],
                fortnox_client_secret=rig.env["SIDECAR_FORTNOX_CLIENT_SECRET"],
                smtp=SmtpConfig("127.0.0.1", controller.port, "none", "", "",
                                "rapport@butik.se"))
            after_midnight = datetime(day.year, day.month, day.day, 23, 45, tzinfo=UTC)
            run = run_job(JOBS["reconcile_daily"], shop, trigger="manual", config=config,
                          clock=lambda: after_midnight)
            again = run_job(JOBS["reconcile_daily"], shop, trigger="manual", config=config,
                            clock=lambda: after_midnight + timedelta(hours=1))

            assert run.outcome == "ok", run.error
            assert run.counts == {"orders": 1, "problems": 1, "attention": 1, "emailed": 1}
            assert again.counts == {"already_reported": 1}
            # (the sidecar's own scheduler reported the real yesterday when it started)
            (report,) = ReconciliationReport.select().where(
                (ReconciliationReport.trigger == "schedule")
                & (ReconciliationReport.first_day == day.isoformat()))
            assert report.last_day == day.isoformat()
            assert report.emailed_at is not None
            (entry,) = ActivityEntry.select().where(ActivityEntry.workflow == "reconcile")
            assert entry.level == "error"
            assert entry.texts["message"][0] == "reconcile.found.amount_differs"
            assert str(changed["id"]) in entry.message
    finally:
        controller.stop()
    (raw,) = inbox.messages
    mail = message_from_bytes(raw, policy=policy.default)
    assert mail["To"] == "revisor@byran.se"
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_content().startswith(b"%PDF")
