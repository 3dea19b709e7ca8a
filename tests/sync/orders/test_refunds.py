"""Refunds and cancellations of exported orders, against both simulators over HTTP.

Each refund is one Fortnox document: a credit invoice linked to the invoice it corrects, or,
before the order is invoiced, a correction of the Fortnox order. The Fortnox side is checked in
the simulator's state.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from sidecar.models import ActivityEntry
from sidecar.models import OrderLedger
from sidecar.models import OrderStep
from sidecar.models import Shop
from sidecar.sync.orders.fortnox_documents import documents_of
from tests.sync.orders.test_followups import _shop  # noqa: F401 - fixture
from tests.sync.orders.test_followups import _systems  # noqa: F401 - fixture
from tests.sync.orders.test_followups import export
from tests.sync.systems import Systems
from tests.sync.systems import before_round_off


def by_number(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(documents, key=lambda d: int(d["DocumentNumber"]))


def items(order: dict[str, Any]) -> list[int]:
    return [line["id"] for line in order["line_items"]]


def stock_article(systems: Systems, number: str, quantity: int) -> None:
    """A stock article in Fortnox with `quantity` in stock."""
    with systems.fortnox_state.lock:
        systems.fortnox_state.create_article({"ArticleNumber": number, "Description": number,
                                              "StockGoods": True})
        systems.fortnox_state.set_stock(number, Decimal(quantity))


def refund(systems: Systems, order: dict[str, Any], lines: dict[int, int], *,
           restock: bool = False, shipping: bool = False, **extra: Any) -> dict[str, Any]:
    """A refund made on the order screen: the units of each line, optionally the shipping."""
    wanted = [{"id": line, "quantity": units} for line, units in lines.items()]
    if shipping:
        wanted += [{"id": s["id"]} for s in order["shipping_lines"]]
    return systems.store.refund_order(order["id"], line_items=wanted, restock=restock,
                                      prefill=True, **extra)


def vat_by_rate(document: dict[str, Any]) -> dict[Decimal, Decimal]:
    """VAT per rate of a simulated Fortnox document, worked out from its rows."""
    from sidecar.sim.fortnox.money import RowInput
    from sidecar.sim.fortnox.money import document_totals

    found = {}
    for rate in {row["VAT"] for row in document["InvoiceRows"]}:
        rows = [RowInput(row["Price"], row["DeliveredQuantity"], row["VAT"], row["Discount"],
                         row["DiscountType"]) for row in document["InvoiceRows"]
                if row["VAT"] == rate]
        vat = document_totals(rows, vat_included=document["VATIncluded"],
                              round_to_whole_kronor=False).total_vat
        if vat:
            found[rate] = vat
    return found


def woo_refund_vat(systems: Systems, refund_body: dict[str, Any]) -> dict[Decimal, Decimal]:
    """WooCommerce's refunded VAT per rate, positive."""
    return {Decimal(str(t["rate_percent"])): -(Decimal(t["tax_total"])
                                               + Decimal(t["shipping_tax_total"]))
            for t in refund_body["tax_lines"]}


def test_a_full_refund_credits_the_whole_invoice_once(systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 2)])
    export(systems, shop, order["id"])
    systems.store.refund_order(order["id"], reason="Ångrat köp")

    export(systems, shop, order["id"])
    export(systems, shop, order["id"])

    original, credit = by_number(systems.invoices())
    assert credit["Credit"] == "true" and credit["InvoiceReference"] == original["DocumentNumber"]
    assert credit["Total"] == -original["Total"] and credit["TotalVAT"] == -original["TotalVAT"]
    assert original["Booked"] is True  # Fortnox credits booked invoices only
    assert OrderLedger.get().state == "credited"


def test_a_partial_refund_is_one_linked_credit_with_the_refunds_own_rows_and_vat(
        systems: Systems, shop: Shop) -> None:
    mug, beans = systems.products(("MUG", "149.00", ""), ("BEANS", "79.00", "reduced-rate"))
    order = systems.place([(mug, 1), (beans, 3)])
    export(systems, shop, order["id"])
    made = refund(systems, order, {items(order)[1]: 1}, shipping=True, reason="Trasig")
    body = systems.woo.list_order_refunds(order["id"])[0]

    export(systems, shop, order["id"])

    original, credit = by_number(systems.invoices())
    assert original["CreditInvoiceReference"] == credit["DocumentNumber"]
    assert credit["InvoiceReference"] == original["DocumentNumber"]
    assert before_round_off(credit) == -made["amount"]
    refunded = woo_refund_vat(systems, body)
    assert vat_by_rate(credit) == {rate: -vat for rate, vat in refunded.items()}
    rows = [(r["Description"], r["VAT"], r["AccountNumber"]) for r in credit["InvoiceRows"]
            if r["Price"]]
    assert rows == [("Produkt BEANS", 12, 3002), ("Fast frakt", 25, 3520)]
    assert credit["ExternalInvoiceReference2"] == f"refund-{made['id']}"
    assert OrderLedger.get().state == "exported"


@pytest.mark.parametrize("fortnox_does", ["ignore", "link", "reject"])
def test_a_second_refund_is_a_second_credit_whatever_fortnox_makes_of_its_reference(
        systems: Systems, shop: Shop, fortnox_does: str) -> None:
    """A second credit can't be made with /credit (an invoice holds one link); it is POSTed
    naming the original. Fortnox's answer to that is unknown, so all three are tried."""
    systems.knobs(credit_reference_on_post=fortnox_does)
    mug, book = systems.products(("MUG", "149.00", ""), ("BOOK", "299.00", "super-reduced-rate"))
    order = systems.place([(mug, 3), (book, 2)])
    export(systems, shop, order["id"])
    first = refund(systems, order, {items(order)[0]: 1})
    export(systems, shop, order["id"])
    second = refund(systems, order, {items(order)[1]: 1})

    export(systems, shop, order["id"])
    export(systems, shop, order["id"])

    original, credit1, credit2 = by_number(systems.invoices())
    assert original["CreditInvoiceReference"] == credit1["DocumentNumber"]
    assert (before_round_off(credit1), before_round_off(credit2)) == (
        -first["amount"], -second["amount"])
    assert vat_by_rate(credit2) == {Decimal(6): Decimal("-16.92")}
    assert credit2["ExternalInvoiceReference1"] == f"wc-testbutiken-{order['id']}/refund-" \
        f"{second['id']}"
    assert credit2["Remarks"].startswith(f"Kreditering av faktura {original['DocumentNumber']}")
    linked = fortnox_does == "link"
    assert (credit2["Credit"] == "true") is linked
    assert (credit2["InvoiceReference"] == original["DocumentNumber"]) is linked
    *_, shown = documents_of(OrderLedger.get())
    assert (shown.number, shown.refund, shown.unlinked) == (
        credit2["DocumentNumber"], second["id"], not linked)
    summaries = {s.step: s.fortnox_number for s in OrderStep.select().where(
        OrderStep.step.startswith("refund:"))}
    assert summaries == {f"refund:{first['id']}": credit1["DocumentNumber"],
                         f"refund:{second['id']}": credit2["DocumentNumber"]}


def test_an_amount_only_refund_is_split_over_the_rates_and_the_owner_is_told(
        systems: Systems, shop: Shop) -> None:
    mug, beans = systems.products(("MUG", "149.00", ""), ("BEANS", "79.00", "reduced-rate"))
    order = systems.place([(mug, 1), (beans, 3)])
    export(systems, shop, order["id"])
    systems.store.refund_order(order["id"], amount=Decimal("100.00"), reason="Kompensation")

    export(systems, shop, order["id"])

    credit = by_number(systems.invoices())[-1]
    assert before_round_off(credit) == Decimal("-100.00")
    assert set(vat_by_rate(credit)) == {Decimal(25), Decimal(12)}
    told = ActivityEntry.get(ActivityEntry.message.contains("split over"))
    assert told.level == "info"


def test_a_lost_answer_is_looked_up_before_a_credit_is_sent_again(
        systems: Systems, shop: Shop) -> None:
    mug, beans = systems.products(("MUG", "149.00", ""), ("BEANS", "79.00", "reduced-rate"))
    order = systems.place([(mug, 2), (beans, 2)])
    export(systems, shop, order["id"])
    refund(systems, order, {items(order)[0]: 1})
    systems.knobs(create_timeout_probability=1.0)  # every create is made, its answer lost
    export(systems, shop, order["id"])
    refund(systems, order, {items(order)[1]: 1})
    export(systems, shop, order["id"])
    systems.knobs(create_timeout_probability=0.0)

    export(systems, shop, order["id"])

    assert len(systems.invoices()) == 3  # the invoice and one credit per refund
    adopted = OrderStep.select().where(OrderStep.error.contains("adopted")).count()
    assert adopted == 2


def test_restocked_goods_come_back_to_fortnox_stock_through_the_credit(
        systems: Systems, shop: Shop) -> None:
    stock_article(systems, "MUG", 10)
    mug = systems.store.create_product({"name": "Mugg", "sku": "MUG", "regular_price": "149.00",
                                        "manage_stock": True, "stock_quantity": 10})
    order = systems.place([(mug, 3)])
    export(systems, shop, order["id"])
    assert systems.fortnox_state.warehouse.in_stock("MUG") == 7
    refund(systems, order, {items(order)[0]: 1}, restock=True)
    refund(systems, order, {items(order)[0]: 1}, restock=False)

    export(systems, shop, order["id"])

    assert systems.fortnox_state.warehouse.in_stock("MUG") == 8  # as WooCommerce: 1 back
    assert systems.store.products[mug["id"]]["stock_quantity"] == 8
    first, second = by_number(systems.invoices())[1:]
    assert [r["ArticleNumber"] for r in first["InvoiceRows"] if r["Price"]] == ["MUG"]
    assert [r["ArticleNumber"] for r in second["InvoiceRows"] if r["Price"]] == [""]


def test_a_refund_before_invoicing_corrects_the_fortnox_order_so_its_invoice_is_net(
        systems: Systems, shop: Shop) -> None:
    mug, beans = systems.products(("MUG", "149.00", ""), ("BEANS", "79.00", "reduced-rate"))
    order = systems.place([(mug, 2), (beans, 3)])
    export(systems, shop, order["id"], document_mode="order")
    made = refund(systems, order, {items(order)[1]: 2})

    export(systems, shop, order["id"], document_mode="order")
    export(systems, shop, order["id"], document_mode="order")

    (fortnox_order,) = systems.orders()
    net = Decimal(order["total"]) - made["amount"]
    assert Decimal(str(fortnox_order["Total"])) - Decimal(str(fortnox_order["RoundOff"])) == net
    assert [r["Description"] for r in fortnox_order["OrderRows"]].count(
        f"Återbetalning {made['id']}") == 1
    with systems.fortnox_state.lock:  # then someone invoices it in Fortnox
        systems.fortnox_state.documents.create_invoice_from_order(
            fortnox_order["DocumentNumber"])
    (invoice,) = systems.invoices()
    assert before_round_off(invoice) == net
    assert vat_by_rate(invoice)[Decimal(12)] == Decimal("25.39") - woo_refund_vat(
        systems, systems.woo.list_order_refunds(order["id"])[0])[Decimal(12)]
    summary = OrderStep.get(OrderStep.step == f"refund:{made['id']}")
    assert (summary.request["kind"], summary.fortnox_number) == (
        "order", fortnox_order["DocumentNumber"])


def test_in_order_then_invoice_mode_a_refund_before_the_invoice_is_taken_off_the_order(
        systems: Systems, shop: Shop) -> None:
    mug, beans = systems.products(("MUG", "149.00", ""), ("BEANS", "79.00", "reduced-rate"))
    order = systems.place([(mug, 2), (beans, 3)], set_paid=True)
    made = refund(systems, order, {items(order)[0]: 1})

    export(systems, shop, order["id"], document_mode="order_then_invoice",
           register_payment=True, mode_of_payment="BG")

    (invoice,) = systems.invoices()  # no credit: the invoice is the net sale
    assert before_round_off(invoice) == Decimal(order["total"]) - made["amount"]
    (payment,) = systems.fortnox_state.documents.payments.values()
    assert payment["Amount"] == invoice["Total"]
    assert OrderStep.get(OrderStep.step == f"refund:{made['id']}").request["kind"] == "order"
    assert not ActivityEntry.select().where(ActivityEntry.message.contains("not booked")
                                            ).exists()


def test_a_refund_of_the_whole_order_before_invoicing_cancels_the_fortnox_order(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 1)])
    export(systems, shop, order["id"], document_mode="order")
    systems.store.refund_order(order["id"])

    export(systems, shop, order["id"], document_mode="order")
    export(systems, shop, order["id"], document_mode="order")

    assert systems.orders()[0]["Cancelled"] is True
    assert OrderLedger.get().state == "cancelled"
    assert ActivityEntry.select().where(ActivityEntry.message.contains("refunded in full")
                                        ).count() == 1


def test_a_refund_credits_the_invoice_someone_made_in_fortnox_from_our_order(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 1)])
    export(systems, shop, order["id"], document_mode="order")
    with systems.fortnox_state.lock:  # the accountant invoices the order in Fortnox
        systems.fortnox_state.documents.create_invoice_from_order(
            OrderLedger.get().fortnox_order_number)
    systems.store.refund_order(order["id"])

    export(systems, shop, order["id"], document_mode="order")

    original, credit = by_number(systems.invoices())
    assert credit["InvoiceReference"] == original["DocumentNumber"]
    assert OrderLedger.get().fortnox_invoice_number == original["DocumentNumber"]


def test_a_paid_order_refunded_before_its_export_is_exported_and_credited(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 1)], set_paid=True)
    systems.store.refund_order(order["id"])

    export(systems, shop, order["id"])

    original, credit = by_number(systems.invoices())
    assert credit["Credit"] == "true" and credit["InvoiceReference"] == original["DocumentNumber"]
    assert OrderLedger.get().state == "credited"


def test_a_refund_of_an_order_never_exported_is_noted_and_booked_once_it_is(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 2)], status="on-hold")
    made = refund(systems, order, {items(order)[0]: 1})

    export(systems, shop, order["id"])
    export(systems, shop, order["id"])

    assert systems.invoices() == []
    assert ActivityEntry.select().where(ActivityEntry.message.contains("never sent")
                                        ).count() == 1
    systems.store.set_order_status(order["id"], "processing")
    export(systems, shop, order["id"])
    assert before_round_off(by_number(systems.invoices())[-1]) == -made["amount"]


def test_a_credit_made_by_hand_in_fortnox_stops_automatic_credits_and_tells_the_owner(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 2)])
    export(systems, shop, order["id"])
    number = OrderLedger.get().fortnox_invoice_number
    with systems.fortnox_state.lock:
        systems.fortnox_state.documents.bookkeep_invoice(number)
        systems.fortnox_state.documents.credit_invoice(number)
    refund(systems, order, {items(order)[0]: 1})

    export(systems, shop, order["id"])
    export(systems, shop, order["id"])

    assert len(systems.invoices()) == 2
    (told,) = ActivityEntry.select().where(ActivityEntry.message.contains("made in Fortnox"))
    assert told.level == "warning"


def test_a_cancellation_after_invoicing_credits_the_invoice_in_full_with_its_stock(
        systems: Systems, shop: Shop) -> None:
    stock_article(systems, "MUG", 10)
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 2)], coupon_lines=[{"code": "tio", "discount_type": "percent",
                                                     "amount": "10"}])
    export(systems, shop, order["id"], document_mode="order_then_invoice")
    systems.store.set_order_status(order["id"], "cancelled")

    export(systems, shop, order["id"], document_mode="order_then_invoice")
    export(systems, shop, order["id"], document_mode="order_then_invoice")

    original, credit = by_number(systems.invoices())
    assert credit["InvoiceReference"] == original["DocumentNumber"]
    assert before_round_off(credit) == -before_round_off(original)
    assert vat_by_rate(credit) == {r: -v for r, v in vat_by_rate(original).items()}
    assert systems.fortnox_state.warehouse.in_stock("MUG") == 10
    assert OrderLedger.get().state == "credited"


def test_with_the_setting_off_a_cancellation_after_invoicing_only_asks_the_owner(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 1)])
    export(systems, shop, order["id"])
    systems.store.set_order_status(order["id"], "cancelled")

    export(systems, shop, order["id"], credit_cancelled_invoices=False)
    export(systems, shop, order["id"], credit_cancelled_invoices=False)

    (entry,) = ActivityEntry.select().where(ActivityEntry.message.contains("cancelled"))
    assert "Credit the invoice" in entry.hint
    assert len(systems.invoices()) == 1


def test_a_run_stopped_between_the_credit_and_its_rows_finishes_without_a_second_credit(
        systems: Systems, shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    from sidecar.fortnox import FortnoxTransient

    mug, beans = systems.products(("MUG", "149.00", ""), ("BEANS", "79.00", "reduced-rate"))
    order = systems.place([(mug, 2), (beans, 2)])
    export(systems, shop, order["id"])
    made = refund(systems, order, {items(order)[1]: 1})
    real_update = systems.fortnox.update_invoice

    def down(number: str, fields: dict[str, Any]) -> dict[str, Any]:
        raise FortnoxTransient("Fortnox is down", status=503)

    monkeypatch.setattr(systems.fortnox, "update_invoice", down)  # the credit is made, then...
    with pytest.raises(Exception, match="down"):
        export(systems, shop, order["id"])
    monkeypatch.setattr(systems.fortnox, "update_invoice", real_update)

    export(systems, shop, order["id"])

    _, credit = by_number(systems.invoices())  # one credit, its rows the refund's
    assert before_round_off(credit) == -made["amount"]
    with systems.fortnox_state.lock:
        credits_asked = [e for e in systems.fortnox_state.request_log
                         if e["path"].endswith("/credit")]
    assert len(credits_asked) == 1


def test_a_run_stopped_after_the_correction_does_not_correct_the_order_twice(
        systems: Systems, shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    from sidecar.sync.orders import refund_ledger

    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 3)])
    export(systems, shop, order["id"], document_mode="order")
    made = refund(systems, order, {items(order)[0]: 1})
    real_record = refund_ledger.record

    def crash(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(refund_ledger, "record", crash)
    with pytest.raises(Exception, match="killed"):
        export(systems, shop, order["id"], document_mode="order")
    monkeypatch.setattr(refund_ledger, "record", real_record)

    export(systems, shop, order["id"], document_mode="order")

    (fortnox_order,) = systems.orders()
    assert [r["Description"] for r in fortnox_order["OrderRows"]].count(
        f"Återbetalning {made['id']}") == 1
    assert before_round_off({"Total": fortnox_order["Total"],
                             "RoundOff": fortnox_order["RoundOff"]}) == Decimal(
        order["total"]) - made["amount"]
    assert OrderStep.get(OrderStep.step == f"refund:{made['id']}").request["kind"] == "order"
    assert not ActivityEntry.select().where(ActivityEntry.message.contains("not booked")
                                            ).exists()


def test_an_order_cancelled_in_fortnox_while_being_corrected_is_noted_as_cancelled(
        systems: Systems, shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 3)])
    export(systems, shop, order["id"], document_mode="order")
    made = refund(systems, order, {items(order)[0]: 1})
    real_update = systems.fortnox.update_order

    def cancelled_first(number: str, fields: dict[str, Any]) -> dict[str, Any]:
        with systems.fortnox_state.lock:  # someone in Fortnox, just before our change
            systems.fortnox_state.documents.cancel_order(number)
        return real_update(number, fields)

    monkeypatch.setattr(systems.fortnox, "update_order", cancelled_first)

    export(systems, shop, order["id"], document_mode="order")

    summary = OrderStep.get(OrderStep.step == f"refund:{made['id']}")
    assert (summary.state, summary.request["kind"]) == ("noted", "order_cancelled_in_fortnox")
