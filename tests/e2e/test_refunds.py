"""Refunds, cancellations and gift cards end to end: WooCommerce's own webhooks → the sidecar
under gunicorn → the Fortnox simulator. One sidecar for the module; each test its own orders.
The Fortnox side is checked in the simulator's state: every credit linked to its invoice (or
naming it), exact to WooCommerce's refund, and nothing made twice."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

from sidecar.models import ActivityEntry
from sidecar.models import InboxEntry
from sidecar.models import OrderLedger
from sidecar.models import OrderStep
from sidecar.sim.fortnox import Knobs
from sidecar.sim.fortnox.money import RowInput
from sidecar.sim.fortnox.money import document_totals
from sidecar.sim.process import run_cli
from sidecar.sim.process import sidecar_database
from tests.e2e.order_export_setup import OWNER_EMAIL
from tests.e2e.order_export_setup import OWNER_PASSWORD
from tests.e2e.order_export_setup import Rig
from tests.e2e.order_export_setup import order_export_rig

pytestmark = pytest.mark.slow

SETTINGS = {"export.document_mode": "invoice", "export.bookkeep_invoice": True,
            "export.register_payment": True, "export.mode_of_payment": "BG",
            "export.gift_cards.skus": ["GC-500"],
            "export.payment_methods": {"cod": {"document_mode": "order"},
                                       "swish": {"document_mode": "order_then_invoice"}}}


@pytest.fixture(scope="module", name="rig")
def _rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Rig]:
    """The sidecar between both simulators, WooCommerce's order webhooks pointed at it, a
    catalogue with a stock article in both systems and a gift card."""
    with order_export_rig(tmp_path_factory.mktemp("refunds"), knobs=Knobs(),
                          settings=SETTINGS) as rig:
        rig.start()
        rig.hooks("order.created", "order.updated")
        with rig.fortnox_state.lock:
            rig.fortnox_state.create_article({"ArticleNumber": "MUG", "Description": "Kaffekopp",
                                              "StockGoods": True})
            rig.fortnox_state.set_stock("MUG", Decimal(50))
        for name, sku, price, tax, extra in (
                ("Kaffekopp", "MUG", "149.00", "", {"manage_stock": True, "stock_quantity": 50}),
                ("Kaffebönor", "BEANS", "79.50", "reduced-rate", {}),
                ("Kokbok", "BOOK", "299.00", "super-reduced-rate", {}),
                ("Presentkort 500 kr", "GC-500", "500.00", "", {"tax_status": "none"})):
            rig.store.create_product({"name": name, "sku": sku, "regular_price": price,
                                      "tax_class": tax, **extra})
        yield rig


def product(rig: Rig, sku: str) -> dict[str, Any]:
    found = rig.store.find_sku(sku)
    assert found is not None
    return dict(found)


def place(rig: Rig, lines: dict[str, int], *, payment: str = "bacs",
          **extra: Any) -> dict[str, Any]:
    order = rig.store.place_order({
        "line_items": [{"product_id": product(rig, sku)["id"], "quantity": q}
                       for sku, q in lines.items()],
        "status": "processing", "payment_method": payment, "set_paid": True,
        "billing": {"first_name": "Kund", "last_name": "Svensson", "address_1": "Storgatan 1",
                    "city": "Uppsala", "postcode": "753 20", "country": "SE",
                    "email": "kund@example.test"},
        "shipping_lines": [{"method_id": "flat_rate", "method_title": "Frakt", "total": "49.00"}],
        **extra}, created_via="checkout")
    return rig.woo_order(order["id"])


def refund(rig: Rig, order: dict[str, Any], lines: dict[str, int], *, restock: bool = False,
           shipping: bool = False) -> dict[str, Any]:
    by_sku = {line["sku"]: line["id"] for line in order["line_items"]}
    wanted = [{"id": by_sku[sku], "quantity": q} for sku, q in lines.items()]
    if shipping:
        wanted += [{"id": s["id"]} for s in order["shipping_lines"]]
    return rig.store.refund_order(order["id"], line_items=wanted, restock=restock, prefill=True)


def ledger(rig: Rig, order_id: int) -> OrderLedger | None:
    with sidecar_database(rig.env):
        return OrderLedger.get_or_none(OrderLedger.woo_order_id == order_id)


def settled(rig: Rig, order_id: int, *steps: str) -> bool:
    """The order's ledger has finished all these steps (e.g. "refund:130")."""
    with sidecar_database(rig.env):
        row = OrderLedger.get_or_none(OrderLedger.woo_order_id == order_id)
        if row is None or row.state not in ("exported", "credited", "cancelled"):
            return False
        done = {s.step for s in OrderStep.select().where(
            (OrderStep.ledger == row.id) & (OrderStep.state == "done"))}
        return set(steps) <= done


def wait(rig: Rig, order_id: int, *steps: str) -> OrderLedger:
    """Until the sidecar has done these steps; then a second more, as a person would take:
    the inbox knows an order's version by its date_modified in whole seconds, so a change in
    the same second as the sidecar's own write back is caught by the sweep, not at once (see
    test_followups)."""
    assert rig.sender.flush(timeout=30)
    assert rig.wait_for(lambda: settled(rig, order_id, *steps), timeout=60), explain(
        rig, order_id)
    time.sleep(1.1)
    row = ledger(rig, order_id)
    assert row is not None
    return row


def explain(rig: Rig, order_id: int) -> str:
    """What the sidecar did with the order, for a failed wait."""
    with sidecar_database(rig.env):
        row = OrderLedger.get_or_none(OrderLedger.woo_order_id == order_id)
        done = [] if row is None else [f"{s.step}/{s.state}/{s.error}" for s in
                                       OrderStep.select().where(OrderStep.ledger == row.id)]
        inbox = [f"{e.topic}/{e.status}/{e.last_error}" for e in InboxEntry.select().where(
            InboxEntry.resource_id == order_id)]
        told = [str(a.message) for a in ActivityEntry.select().where(
            ActivityEntry.woo_order_id == order_id)]
    return f"state={row and row.state} steps={done} inbox={inbox} activity={told}"


def plain(document: dict[str, Any]) -> dict[str, Any]:
    """A simulated document as JSON would carry it (its hidden bookkeeping left out)."""
    return dict(json.loads(json.dumps({k: v for k, v in document.items()
                                       if not k.startswith("_")}, default=str)))


def invoice(rig: Rig, number: str) -> dict[str, Any]:
    with rig.fortnox_state.lock:
        return plain(rig.fortnox_state.documents.invoices[str(number)])


def credits_of(rig: Rig, order_id: int) -> list[dict[str, Any]]:
    with rig.fortnox_state.lock:
        found = [plain(i) for i in rig.fortnox_state.documents.invoices.values()
                 if i["ExternalInvoiceReference1"].startswith(f"wc-default-{order_id}/")]
    return sorted(found, key=lambda i: int(i["DocumentNumber"]))


def net(document: dict[str, Any]) -> Decimal:
    return Decimal(str(document["Total"])) - Decimal(str(document["RoundOff"]))


def vat_by_rate(document: dict[str, Any]) -> dict[Decimal, Decimal]:
    rows = document.get("InvoiceRows") or document["OrderRows"]
    found = {}
    for rate in {Decimal(str(r["VAT"])) for r in rows}:
        vat = document_totals([RowInput(Decimal(str(r["Price"])),
                                        Decimal(str(r["DeliveredQuantity"])), rate,
                                        Decimal(str(r["Discount"])), r["DiscountType"])
                               for r in rows if Decimal(str(r["VAT"])) == rate],
                              vat_included=document["VATIncluded"],
                              round_to_whole_kronor=False).total_vat
        if vat:
            found[rate] = vat
    return found


def refunded_vat(refund_made: dict[str, Any]) -> dict[Decimal, Decimal]:
    return {Decimal(str(t["rate_percent"])): -(Decimal(t["tax_total"])
                                               + Decimal(t["shipping_tax_total"]))
            for t in refund_made["tax_lines"]}


def test_partial_refunds_in_invoice_mode_are_linked_exact_credits(rig: Rig) -> None:
    order = place(rig, {"MUG": 2, "BEANS": 3, "BOOK": 1})
    wait(rig, order["id"])
    first = refund(rig, order, {"BEANS": 1}, shipping=True)
    wait(rig, order["id"], f"refund:{first['id']}")
    second = refund(rig, order, {"BOOK": 1, "MUG": 1})

    row = wait(rig, order["id"], f"refund:{first['id']}", f"refund:{second['id']}")

    original = invoice(rig, row.fortnox_invoice_number)
    credit1, credit2 = credits_of(rig, order["id"])
    assert original["Booked"] is True
    assert original["CreditInvoiceReference"] == credit1["DocumentNumber"]
    assert credit1["InvoiceReference"] == original["DocumentNumber"]
    assert credit2["Remarks"].startswith(f"Kreditering av faktura {original['DocumentNumber']}")
    for credit, made in ((credit1, first), (credit2, second)):
        assert net(credit) == -made["amount"]
        assert vat_by_rate(credit) == {r: -v for r, v in refunded_vat(made).items()}
    assert net(original) + net(credit1) + net(credit2) == Decimal(order["total"]) - (
        first["amount"] + second["amount"])


def test_a_partial_refund_in_order_and_invoice_mode_credits_the_invoice_from_the_order(
        rig: Rig) -> None:
    order = place(rig, {"MUG": 1, "BEANS": 2}, payment="swish")
    row = wait(rig, order["id"])
    made = refund(rig, order, {"BEANS": 2})

    wait(rig, order["id"], f"refund:{made['id']}")

    original = invoice(rig, row.fortnox_invoice_number)
    (credit,) = credits_of(rig, order["id"])
    assert original["OrderReference"] == row.fortnox_order_number
    assert credit["InvoiceReference"] == original["DocumentNumber"]
    assert (net(credit), vat_by_rate(credit)) == (
        -made["amount"], {r: -v for r, v in refunded_vat(made).items()})


def test_a_refund_before_the_invoice_corrects_the_order_and_a_later_one_credits_its_invoice(
        rig: Rig) -> None:
    order = place(rig, {"MUG": 2, "BOOK": 2}, payment="cod")
    row = wait(rig, order["id"])
    early = refund(rig, order, {"BOOK": 1})
    wait(rig, order["id"], f"refund:{early['id']}")
    with rig.fortnox_state.lock:
        fortnox_order = rig.fortnox_state.documents.orders[row.fortnox_order_number]
        assert net(fortnox_order) == Decimal(order["total"]) - early["amount"]
        rig.fortnox_state.documents.bookkeep_invoice(  # invoiced and booked in Fortnox
            rig.fortnox_state.documents.create_invoice_from_order(
                row.fortnox_order_number)["InvoiceReference"])
    late = refund(rig, order, {"MUG": 1})

    row = wait(rig, order["id"], f"refund:{late['id']}")

    (credit,) = credits_of(rig, order["id"])
    from_order = invoice(rig, row.fortnox_invoice_number)
    assert net(from_order) == Decimal(order["total"]) - early["amount"]
    assert credit["InvoiceReference"] == from_order["DocumentNumber"]
    assert net(credit) == -late["amount"]


def test_a_cancellation_after_invoicing_credits_the_invoice_in_full(rig: Rig) -> None:
    order = place(rig, {"BEANS": 2, "BOOK": 1})
    row = wait(rig, order["id"])
    rig.store.set_order_status(order["id"], "cancelled")

    row = wait(rig, order["id"], "cancel")

    original = invoice(rig, row.fortnox_invoice_number)
    (credit,) = credits_of(rig, order["id"])
    assert row.state == "credited"
    assert credit["InvoiceReference"] == original["DocumentNumber"]
    assert (net(credit), vat_by_rate(credit)) == (
        -net(original), {r: -v for r, v in vat_by_rate(original).items()})


def test_a_restocked_refund_puts_the_goods_back_in_fortnox_stock(rig: Rig) -> None:
    order = place(rig, {"MUG": 3})
    wait(rig, order["id"])
    with rig.fortnox_state.lock:
        before = rig.fortnox_state.warehouse.in_stock("MUG")
    woo_before = product(rig, "MUG")["stock_quantity"]
    made = refund(rig, order, {"MUG": 2}, restock=True)

    wait(rig, order["id"], f"refund:{made['id']}")

    with rig.fortnox_state.lock:
        assert rig.fortnox_state.warehouse.in_stock("MUG") == before + 2
    assert product(rig, "MUG")["stock_quantity"] == woo_before + 2
    (credit,) = credits_of(rig, order["id"])
    assert sum(Decimal(str(r["DeliveredQuantity"])) for r in credit["InvoiceRows"]
               if r["ArticleNumber"] == "MUG") == -2


def test_a_gift_card_sold_then_redeemed_on_a_later_order(rig: Rig) -> None:
    sold = place(rig, {"GC-500": 1})
    sold_row = wait(rig, sold["id"])
    used = place(rig, {"MUG": 2}, gift_cards=[{"code": "XKQ2-PLMN", "amount": "100.00"}])

    used_row = wait(rig, used["id"], "giftcard_payment", "payment")

    sale = invoice(rig, sold_row.fortnox_invoice_number)
    assert [(Decimal(r["VAT"]), r["AccountNumber"]) for r in sale["InvoiceRows"]
            if r["Description"] == "Presentkort 500 kr"] == [(0, 2421)]
    assert Decimal(2421) not in {Decimal(r["AccountNumber"] or 0) for r in invoice(
        rig, used_row.fortnox_invoice_number)["InvoiceRows"]}
    use = invoice(rig, used_row.fortnox_invoice_number)
    assert net(use) == Decimal(used["total"]) + 100  # revenue and VAT of the whole sale
    with rig.fortnox_state.lock:
        payments = [p for p in rig.fortnox_state.documents.payments.values()
                    if p["InvoiceNumber"] == int(use["DocumentNumber"])]
        assert sorted((p["ModeOfPaymentAccount"], p["Amount"]) for p in payments) == sorted(
            [(2421, Decimal("100.00")), (1930, Decimal(str(use["Total"])) - 100)])
        assert rig.fortnox_state.documents.invoices[use["DocumentNumber"]]["Balance"] == 0


def test_what_was_credited_or_cancelled_in_fortnox_shows_on_the_dashboard_and_the_order(
        rig: Rig, tmp_path: Path) -> None:
    invoiced = place(rig, {"BEANS": 1})
    ordered = place(rig, {"BOOK": 1}, payment="cod")
    invoice_number = wait(rig, invoiced["id"]).fortnox_invoice_number
    order_number = wait(rig, ordered["id"]).fortnox_order_number
    with rig.fortnox_state.lock:  # the accountant, by hand in Fortnox
        credit = rig.fortnox_state.documents.credit_invoice(invoice_number)[
            "CreditInvoiceReference"]
        rig.fortnox_state.documents.cancel_order(order_number)

    run_cli(["jobs", "run", "order_status"], rig.env)

    documents = {order["id"]: json.loads(meta(rig.woo_order(order["id"]), "fortnox_documents"))
                 for order in (invoiced, ordered)}
    assert {"type": "credit_invoice", "number": credit, "invoice": invoice_number,
            "by_hand": True} in documents[invoiced["id"]]
    assert {"type": "order", "number": order_number, "cancelled": True} in documents[
        ordered["id"]]
    page = signed_in(rig, OWNER_EMAIL, OWNER_PASSWORD).get(
        f"{rig.sidecar.url}/", headers={"Accept-Language": "sv"}, timeout=10).text
    assert f"Kreditfaktura {credit} för faktura {invoice_number} (skapad i Fortnox)" in page
    assert "makulerad i Fortnox" in page


def meta(order: dict[str, Any], key: str) -> str:
    return str({m["key"]: m["value"] for m in order["meta_data"]}.get(key) or "[]")


def signed_in(rig: Rig, email: str, password: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{rig.sidecar.url}/auth/sign-in", timeout=10)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text
    answer = browser.post(f"{rig.sidecar.url}/auth/sign-in", timeout=10, data={
        "email": email, "password": password, "csrf_token": token.group(1)})
    assert answer.ok, answer.text
    return browser
