"""Side calls never stop the order path, end to end: the sidecar under gunicorn between both
simulators. Fortnox Lager answering 404, then 503 for two minutes; the stop rule with a SKU
Fortnox has, one it gets later and one it lacks; the dry run of a stopped order."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import requests

from sidecar.models import InboxEntry
from sidecar.models import OrderLedger
from sidecar.sim.fortnox import Knobs
from sidecar.sim.process import sidecar_database
from tests.e2e.order_export_setup import Rig
from tests.e2e.order_export_setup import order_export_rig
from tests.e2e.test_order_export import catalogue
from tests.e2e.test_order_export import place

pytestmark = pytest.mark.slow

LAGER = "/api/warehouse/tenants-v4"
OUTAGE_SECONDS = 120


def export_form(**changes: Any) -> dict[str, Any]:
    """The settings page's "Order export" part as an owner sends it."""
    return {"export.document_mode": "order", "export.trigger_statuses": "processing",
            "export.first_order_date": "", "export.unknown_article": "description_only",
            "export.shipping_as": "row", "export.our_reference": "",
            "export.terms_of_payment": "", "export.mode_of_payment": "",
            "export.customer.match_by": "email",
            "export.customer.organisation_number_meta_key": "_organisation_number",
            "export.customer.vat_number_meta_keys": "_billing_vat_number",
            "export.customer.guests": "own",
            "export.customer.shared_guest_customer_number": "",
            "export.stock.draw_down": "on", "export.stock.stock_point_code": "", **changes}


def deliver_all(rig: Rig, orders: list[dict[str, Any]]) -> None:
    with requests.Session() as http:
        for order in orders:
            assert 200 <= rig.deliver(http, "order.created", order["id"]) < 300


def ledgers(rig: Rig, orders: list[dict[str, Any]]) -> dict[int, OrderLedger]:
    with sidecar_database(rig.env):
        return {row.woo_order_id: row for row in OrderLedger.select().where(
            OrderLedger.woo_order_id.in_([o["id"] for o in orders]))}


def parked(rig: Rig) -> int:
    with sidecar_database(rig.env):
        return InboxEntry.select().where(InboxEntry.status == "parked").count()


def sent_orders(rig: Rig) -> list[dict[str, Any]]:
    with rig.fortnox_state.lock:
        return [e["body"]["Order"] for e in rig.fortnox_state.request_log
                if e["method"] == "POST" and e["path"] == "/3/orders" and e["status"] == 201]


def test_lager_answering_404_then_503_for_two_minutes_stops_no_order(tmp_path: Path) -> None:
    with order_export_rig(tmp_path, knobs=Knobs(path_errors={LAGER: 404}),
                          settings={"export.document_mode": "order"}) as rig:
        rig.start()
        products = catalogue(rig)
        owner = rig.owner()
        first = [place(rig, products, n, email=f"kund{n}@example.test") for n in range(3)]
        deliver_all(rig, first)

        assert rig.wait_for(lambda: all(r.state == "exported" for r in ledgers(
            rig, first).values()) and len(ledgers(rig, first)) == 3, timeout=60), \
            rig.ledger_states()
        # No Lager: no warehouse fields, and the settings page says so, once.
        assert all("DeliveryState" not in order for order in sent_orders(rig))
        assert owner.get("/settings/export").count("Fortnox Lager is not available") == 1

        # The owner saves the stock settings (Lager is asked again) just as it starts failing.
        rig.knobs(path_errors={LAGER: 503})
        failing_since = time.monotonic()
        saved = owner.post("/settings/sync/export",
                           export_form(**{"export.stock.stock_point_code": "MAIN"}))
        assert saved.status_code == 302
        second = [place(rig, products, n, email=f"kund{n}@example.test") for n in range(3, 6)]
        deliver_all(rig, second)

        assert rig.wait_for(lambda: all(r.last_error for r in ledgers(rig, second).values())
                            and len(ledgers(rig, second)) == 3, timeout=60)
        waiting = ledgers(rig, second)
        page = owner.get("/")
        assert all("Lager check (GET /api/warehouse/tenants-v4)" in r.last_error
                   and "Lager check" in r.last_hint for r in waiting.values())
        assert "rejected the document" not in page
        assert "Lager check (GET /api/warehouse/tenants-v4)" in page  # on the order's row
        assert "Lager check" not in owner.attention()  # waiting, not needing the owner
        assert all(r.state != "failed" for r in waiting.values())

        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - failing_since)))
        assert parked(rig) == 0 and not any(r.fortnox_order_number for r in ledgers(
            rig, second).values())
        rig.knobs(path_errors={})

        assert rig.wait_for(lambda: all(r.state == "exported" for r in ledgers(
            rig, second).values()), timeout=90), rig.ledger_states()
        assert parked(rig) == 0
        assert rig.ledger_states() == {"exported": 6}
        # Lager answered again: the orders now carry its fields and the chosen stock point.
        newest = sent_orders(rig)[-3:]
        assert all(o["DeliveryState"] == "delivery" and o["StockPointCode"] == "MAIN"
                   for o in newest)


def test_the_stop_rule_checks_against_the_articles_fortnox_has(tmp_path: Path) -> None:
    with order_export_rig(tmp_path, knobs=Knobs(),
                          settings={"export.unknown_article": "stop"}) as rig:
        with rig.fortnox_state.lock:
            rig.fortnox_state.create_article({"ArticleNumber": "MUG", "Description": "Mugg"})
        rig.start()
        mug, beans, _ = catalogue(rig)
        known = place(rig, [mug], 1, email="kund1@example.test")
        deliver_all(rig, [known])
        assert rig.wait_for(lambda: rig.ledger_states() == {"exported": 1}, timeout=60)
        # BEANS becomes an article after the sidecar read the register; BOOK never does.
        with rig.fortnox_state.lock:
            rig.fortnox_state.create_article({"ArticleNumber": "BEANS", "Description": "Bönor"})
        later = place(rig, [beans], 2, email="kund2@example.test")
        unknown = place(rig, [catalogue_product(rig, "BOOK")], 3, email="kund3@example.test")
        deliver_all(rig, [later, unknown])

        assert rig.wait_for(lambda: rig.ledger_states() == {"exported": 2, "failed": 1},
                            timeout=60), rig.ledger_states()
        rows = {invoice["ExternalInvoiceReference1"]: invoice["InvoiceRows"][0]
                for invoice in rig.fortnox_state.documents.invoices.values()}
        assert rows[f"wc-default-{known['id']}"]["ArticleNumber"] == "MUG"
        assert rows[f"wc-default-{later['id']}"]["ArticleNumber"] == "BEANS"
        box = rig.owner().attention()
        assert f"Order {unknown['id']} was not exported" in box
        assert "SKU BOOK is not an article in Fortnox, and the settings say to stop" in box
        assert box.count("was not exported") == 1

        dry = rig.cli("orders", "dry-run", str(unknown["id"]))
        assert dry.returncode == 0, dry.stderr
        assert "Traceback" not in dry.stderr
        assert "stops: " in dry.stdout and "SKU BOOK is not an article" in dry.stdout


def catalogue_product(rig: Rig, sku: str) -> dict[str, Any]:
    with rig.store.lock:
        return next(p for p in rig.store.products.values() if p.get("sku") == sku)
