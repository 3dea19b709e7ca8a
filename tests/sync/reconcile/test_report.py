"""The reconciliation against both simulators over HTTP: orders exported by the real export, then
one of every kind of problem planted in Fortnox or WooCommerce, each found exactly once."""

from __future__ import annotations

import copy
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sidecar.models import Shop
from sidecar.sync.orders.export import export_order
from sidecar.sync.reconcile import build_report
from sidecar.sync.reconcile.outcome import MATCHED
from sidecar.sync.reconcile.outcome import Report
from tests.sync.orders.test_followups import _shop  # noqa: F401 - the shop fixture
from tests.sync.orders.test_followups import _systems  # noqa: F401 - the simulators
from tests.sync.systems import Systems

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
FIRST, LAST = date(2026, 2, 1), date(2026, 2, 28)
SETTINGS = {"bookkeep_invoice": False}


def on_day(systems: Systems, day: date) -> None:
    """The shop's clock at noon (Swedish time) of `day`."""
    noon = datetime(day.year, day.month, day.day, 11, 0, tzinfo=UTC)
    systems.store.clock_offset = noon - datetime.now(UTC)


def exported(systems: Systems, shop: Shop, day: date, products: list[dict[str, Any]],
             **settings: Any) -> dict[str, Any]:
    on_day(systems, day)
    order = systems.place([(p, 1 + day.day % 2) for p in products])
    export_order(Shop.get_by_id(shop.id), systems.woo.get_order(order["id"]),
                 fortnox=systems.fortnox, woo=systems.woo,
                 settings=systems.settings(shop, **{**SETTINGS, **settings}), now=NOW,
                 worker="w", facts=systems.facts)
    return systems.woo.get_order(order["id"])


def reconcile(systems: Systems, shop: Shop, first: date = FIRST, last: date = LAST,
              **settings: Any) -> Report:
    return build_report(Shop.get_by_id(shop.id), fortnox=systems.fortnox, woo=systems.woo,
                        settings=systems.settings(shop, **{**SETTINGS, **settings}),
                        first=first, last=last, today=datetime.now(UTC).date())


def invoice_of(systems: Systems, order: dict[str, Any]) -> dict[str, Any]:
    key = f"wc-testbutiken-{order['id']}"
    (invoice,) = [i for i in systems.invoices() if i["ExternalInvoiceReference1"] == key]
    return invoice


def test_a_month_of_orders_exported_as_they_are_matches_to_the_ore(
        systems: Systems, shop: Shop) -> None:
    mug, beans, book = systems.products(("MUG", "149.00", ""), ("BEANS", "79.50", "reduced-rate"),
                                        ("BOOK", "299.00", "super-reduced-rate"))
    orders = [exported(systems, shop, FIRST + timedelta(days=n), [mug, beans, book][: 1 + n % 3])
              for n in range(0, 28, 3)]

    report = reconcile(systems, shop)

    assert report.problems == []
    assert [line.outcome for line in report.lines] == [MATCHED] * len(orders)
    assert sum(d.orders for d in report.days) == len(orders) and len(report.days) == 28
    woo_total = sum((Decimal(o["total"]) for o in orders), Decimal(0))
    (market,) = report.markets
    assert (market.what, market.woo, market.fortnox) == ("se", woo_total, woo_total)
    rates = {Decimal(str(t["rate_percent"])) for o in orders for t in o["tax_lines"]}
    assert {Decimal(s.what) for s in report.vat} == rates and rates
    assert all(s.difference == 0 for s in report.vat)
    woo_vat = sum((Decimal(t["tax_total"]) + Decimal(t["shipping_tax_total"])
                   for o in orders for t in o["tax_lines"]), Decimal(0))
    assert sum((s.woo for s in report.vat), Decimal(0)) == woo_vat


def test_each_planted_problem_is_found_once_and_nothing_else(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    orders = [exported(systems, shop, FIRST + timedelta(days=n), [mug]) for n in range(10)]
    documents = systems.fortnox_state.documents
    state = systems.fortnox_state
    # Missing: placed and never sent (the export never saw it).
    on_day(systems, FIRST + timedelta(days=12))
    missing = systems.place([(mug, 1)])
    # An amount changed in Fortnox by hand.
    changed = invoice_of(systems, orders[1])
    with state.lock:
        rows = [{"ArticleNumber": r["ArticleNumber"], "Description": r["Description"],
                 "DeliveredQuantity": str(r["DeliveredQuantity"]), "Price": str(r["Price"]),
                 "VAT": str(r["VAT"]), "AccountNumber": r["AccountNumber"]}
                for r in changed["InvoiceRows"]]
        rows[0]["Price"] = str(Decimal(rows[0]["Price"]) - 10)
        documents.update_invoice(changed["DocumentNumber"], {"InvoiceRows": rows})
        # A duplicate made behind the sidecar's back (a copy of the invoice in Fortnox).
        original = invoice_of(systems, orders[2])
        copied = {k: copy.deepcopy(original[k]) for k in (
            "CustomerNumber", "ExternalInvoiceReference1", "InvoiceDate", "VATIncluded")}
        copied["InvoiceRows"] = [{"ArticleNumber": r["ArticleNumber"], "Price": str(r["Price"]),
                                  "DeliveredQuantity": str(r["DeliveredQuantity"]),
                                  "VAT": str(r["VAT"])} for r in original["InvoiceRows"]]
        documents.create_invoice(copied)
        # A document cancelled in Fortnox.
        documents.cancel_invoice(invoice_of(systems, orders[3])["DocumentNumber"])
        # A document naming our key that no order explains.
        documents.create_invoice({"CustomerNumber": original["CustomerNumber"],
                                  "ExternalInvoiceReference1": "wc-testbutiken-99999",
                                  "InvoiceDate": (FIRST + timedelta(days=20)).isoformat(),
                                  "InvoiceRows": [{"Description": "Tavla", "Price": "500",
                                                   "DeliveredQuantity": "1", "VAT": "25"}]})
        # A credit invoice made in Fortnox with no refund in the shop (an invoice is booked
        # before Fortnox credits it).
        credited = invoice_of(systems, orders[6])["DocumentNumber"]
        documents.bookkeep_invoice(credited)
        documents.credit_invoice(credited)
    # A refund in WooCommerce the sidecar never credited (its webhook was lost).
    systems.store.refund_order(orders[4]["id"], amount=Decimal("20.00"), reason="Skadad")
    # Cancelled in WooCommerce, the invoice left as it was.
    systems.store.set_order_status(orders[5]["id"], "cancelled")

    report = reconcile(systems, shop)

    kinds = sorted(p.kind for p in report.problems)
    assert kinds == sorted(["missing", "amount_differs", "duplicate", "cancelled_in_fortnox",
                            "unexplained", "refund_without_credit", "cancelled_in_woo",
                            "credit_without_refund"]), "\n".join(
        f"{p.kind}: {p.reason.english()}" for p in report.problems)
    by_kind = {p.kind: p for p in report.problems}
    assert by_kind["missing"].order_number == missing["number"]
    assert by_kind["amount_differs"].order_number == orders[1]["number"]
    assert by_kind["amount_differs"].difference == Decimal("-10.00")
    assert by_kind["duplicate"].order_number == orders[2]["number"]
    assert by_kind["cancelled_in_fortnox"].order_number == orders[3]["number"]
    assert by_kind["unexplained"].order_id == 99999
    assert by_kind["refund_without_credit"].woo == Decimal("20.00")
    assert by_kind["cancelled_in_woo"].order_number == orders[5]["number"]
    assert by_kind["credit_without_refund"].order_number == orders[6]["number"]
    outcomes = {line.order_number: line.outcome for line in report.lines}
    assert [outcomes[o["number"]] for o in orders[7:]] == [MATCHED] * 3


def test_refunds_credited_by_the_sidecar_pair_with_their_credit_invoices(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    part, whole, twice = (exported(systems, shop, FIRST + timedelta(days=n), [mug])
                          for n in (2, 5, 9))
    systems.store.refund_order(part["id"], amount=Decimal("49.50"), reason="Skadad")
    systems.store.refund_order(whole["id"], amount=Decimal(whole["total"]))
    systems.store.refund_order(twice["id"], amount=Decimal("10.00"))
    systems.store.refund_order(twice["id"], amount=Decimal("15.25"))
    for order in (part, whole, twice):  # the refunds' webhooks: the export credits them
        export_order(Shop.get_by_id(shop.id), systems.woo.get_order(order["id"]),
                     fortnox=systems.fortnox, woo=systems.woo,
                     settings=systems.settings(shop, **SETTINGS), now=NOW, worker="w",
                     facts=systems.facts)
    credits = [i for i in systems.invoices() if i["Credit"] == "true" or i["Total"] < 0]
    assert len(credits) == 4

    report = reconcile(systems, shop)

    assert report.problems == [], [p.reason.english() for p in report.problems]
    (refunds,) = report.refunds
    refunded = Decimal("49.50") + Decimal(whole["total"]) + Decimal("25.25")
    assert refunds.woo == refunds.fortnox == refunded
