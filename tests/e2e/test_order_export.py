"""Order export end to end: signed webhooks → the sidecar under gunicorn → the Fortnox simulator."""

from __future__ import annotations

import random
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

from sidecar.models import OrderLedger
from sidecar.sim.fortnox import Knobs
from sidecar.sim.process import sidecar_database
from sidecar.sync.orders.mapping import ExportContext
from sidecar.sync.orders.mapping import map_order
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import parse_order
from tests.e2e.order_export_setup import Rig
from tests.e2e.order_export_setup import order_export_rig

pytestmark = pytest.mark.slow

MODES_BY_PAYMENT = {"bacs": "invoice", "cod": "order", "swish": "order_then_invoice"}
SETTINGS = {"export.document_mode": "invoice", "export.payment_methods": {
    "cod": {"document_mode": "order"}, "swish": {"document_mode": "order_then_invoice"}}}


def place(rig: Rig, products: list[dict[str, Any]], n: int, *, email: str,
          payment_method: str = "bacs") -> dict[str, Any]:
    """Order n of the buyer with this e-mail (a returning buyer keeps name and address)."""
    lines = [{"product_id": p["id"], "quantity": 1 + (n + i) % 3} for i, p in enumerate(products)]
    return rig.store.place_order({
        "line_items": lines, "status": "processing", "payment_method": payment_method,
        "billing": {"first_name": "Kund", "last_name": email.split("@")[0],
                    "address_1": "Storgatan 1", "city": "Uppsala", "postcode": "753 20",
                    "country": "SE", "email": email},
        "shipping_lines": [{"method_id": "flat_rate", "method_title": "Frakt", "total": "49.00"}],
    }, created_via="checkout")


def catalogue(rig: Rig) -> list[dict[str, Any]]:
    return [rig.store.create_product({"name": name, "sku": sku, "regular_price": price,
                                      "tax_class": tax})
            for name, sku, price, tax in (("Kaffekopp", "MUG", "149.00", ""),
                                          ("Kaffebönor", "BEANS", "79.50", "reduced-rate"),
                                          ("Kokbok", "BOOK", "299.00", "super-reduced-rate"))]


def same(sent: Any, stored: Any) -> bool:
    if isinstance(sent, bool) or isinstance(stored, bool):
        return str(sent).lower() == str(stored).lower()
    if isinstance(sent, int | Decimal | float):
        return Decimal(str(sent)) == Decimal(str(stored))
    return str(sent) == str(stored)


def differences(sent: dict[str, Any], document: dict[str, Any], rows_key: str) -> list[str]:
    """Every header field and every row field we sent, compared with what Fortnox stored."""
    found = [f"{key}: sent {value!r}, Fortnox has {document.get(key)!r}"
             for key, value in sent.items() if key != rows_key
             and not same(value, document.get(key))]
    for number, (row, stored) in enumerate(zip(sent[rows_key], document[rows_key], strict=True)):
        found += [f"row {number} {key}: sent {value!r}, Fortnox has {stored.get(key)!r}"
                  for key, value in row.items() if not same(value, stored.get(key))]
    return found


def test_webhooks_become_fortnox_documents_in_all_three_modes_field_by_field(
        tmp_path: Path) -> None:
    with order_export_rig(tmp_path, knobs=Knobs(), settings=SETTINGS) as rig:
        rig.start()
        rig.hooks("order.created", "order.updated")
        products = catalogue(rig)
        placed = [place(rig, products, n, email=f"kund{n}@example.test", payment_method=method)
                  for n, method in enumerate(MODES_BY_PAYMENT)]
        assert rig.sender.flush(timeout=30)
        assert rig.wait_for(lambda: rig.ledger_states() == {"exported": 3}, timeout=60), \
            (rig.ledger_states(), rig.sidecar.log() if rig.sidecar else "")
        documents = rig.fortnox_state.documents
        with sidecar_database(rig.env):
            ledgers = {row.woo_order_id: row for row in OrderLedger.select()}
        settings = ExportSettings.from_values("default", SETTINGS)
        for order in placed:
            row = ledgers[order["id"]]
            body = rig.woo_order(order["id"])
            mode = MODES_BY_PAYMENT[order["payment_method"]]
            mapped = map_order(parse_order(body), settings, ExportContext(row.customer_number))
            assert row.document_mode == mode
            if mode in ("order", "order_then_invoice"):
                fortnox_order = documents.orders[row.fortnox_order_number]
                assert differences(mapped.order or {}, fortnox_order, "OrderRows") == []
                assert fortnox_order["Total"] - fortnox_order["RoundOff"] == Decimal(body["total"])
            if mode == "invoice":
                invoice = documents.invoices[row.fortnox_invoice_number]
                assert differences(mapped.invoice or {}, invoice, "InvoiceRows") == []
            if mode == "order_then_invoice":
                invoice = documents.invoices[row.fortnox_invoice_number]
                assert invoice["OrderReference"] == row.fortnox_order_number
            if mode != "order":
                assert invoice["Total"] - invoice["RoundOff"] == Decimal(body["total"])
                assert invoice["ExternalInvoiceReference1"] == f"wc-default-{order['id']}"
            meta = {m["key"]: m["value"] for m in body["meta_data"]}
            assert meta["fortnox_status"] == "exported"
            assert meta["fortnox_invoice_number"] == (row.fortnox_invoice_number or "")
        assert len(documents.orders) == 2 and len(documents.invoices) == 2


def test_300_orders_delivered_three_times_under_faults_and_two_sigkills_are_exported_once(
        tmp_path: Path) -> None:
    knobs = Knobs(rate_limit_enabled=False, error_rates={429: 0.01, 500: 0.075, 503: 0.075},
                  create_timeout_probability=0.1)
    settings = {"export.document_mode": "order_then_invoice"}
    with order_export_rig(tmp_path, knobs=knobs, rate_limit="250/5", settings=settings) as rig:
        rig.start("first.log")
        products = catalogue(rig)
        orders = [place(rig, products, n, email=f"kund{n % 40}@example.test") for n in range(300)]
        deliveries = [(topic, o["id"]) for o in orders
                      for topic in ("order.created", "order.updated", "order.updated")]
        random.Random(5).shuffle(deliveries)
        acknowledged: list[tuple[str, int]] = []

        def send(part: list[tuple[str, int]]) -> None:
            with requests.Session() as http:
                for topic, order_id in part:
                    for _ in range(100):  # the sidecar may be down: WooCommerce would resend
                        try:
                            if 200 <= rig.deliver(http, topic, order_id) < 300:
                                acknowledged.append((topic, order_id))
                                break
                        except requests.RequestException:
                            pass
                        time.sleep(0.2)

        senders = [threading.Thread(target=send, args=(deliveries[i::4],)) for i in range(4)]
        for thread in senders:
            thread.start()
        for kill in range(2):  # two SIGKILLs while work is in flight, each followed by a restart
            assert rig.wait_for(lambda k=kill: rig.ledger_states().get("exported", 0)
                                >= 60 * (k + 1), timeout=90), rig.ledger_states()
            rig.kill()
            # the new process frees what the killed one held (deliveries, orders, job leases)
            rig.start(f"restart-{kill}.log")
        for thread in senders:
            thread.join()
        assert len(acknowledged) == 900
        assert rig.wait_for(lambda: rig.ledger_states() == {"exported": 300}, timeout=120), \
            rig.ledger_states()

    documents = rig.fortnox_state.documents
    live_orders = [o for o in documents.orders.values() if not o["Cancelled"]]
    keys = sorted(o["ExternalInvoiceReference1"] for o in live_orders)
    assert len(live_orders) == len(documents.invoices) == 300
    assert len(set(keys)) == 300
    assert sorted(i["ExternalInvoiceReference1"] for i in documents.invoices.values()) == keys
    totals = {f"wc-default-{o['id']}": o["totals"]["total"] for o in orders}
    wrong = [i["DocumentNumber"] for i in documents.invoices.values()
             if i["Total"] - i["RoundOff"] != totals[i["ExternalInvoiceReference1"]]]
    assert wrong == []
    with rig.fortnox_state.lock:
        failed = sum(c for (_, status), c in rig.fortnox_state.counters.items() if status >= 429)
    assert failed > 50, "the fault injection did not bite"
