"""Gift cards: sold without VAT to the liability account; redeemed as a payment of the invoice
from it, the sale keeping its full revenue and VAT. Pure mapping cases, then both simulators."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from sidecar.fortnox.wire import encode_body
from sidecar.models import Shop
from sidecar.sim.fortnox.money import document_totals
from sidecar.sync.orders.credit_rows import CreditContext
from sidecar.sync.orders.credit_rows import map_credit
from sidecar.sync.orders.mapping import ExportContext
from sidecar.sync.orders.mapping import ProductFacts
from sidecar.sync.orders.mapping import map_order
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import OrderNotMappable
from sidecar.sync.orders.woo_order import parse_order
from sidecar.sync.orders.woo_refund import parse_refund
from sidecar.sync.orders.woo_refund import rates_by_id
from tests.sync.orders.test_followups import _shop  # noqa: F401 - fixture
from tests.sync.orders.test_followups import _systems  # noqa: F401 - fixture
from tests.sync.orders.test_followups import export
from tests.sync.orders.test_order_totals_property import _row_input
from tests.sync.orders.test_order_totals_property import fortnox_vat_by_rate
from tests.sync.orders.woo_refunds import woo_refund
from tests.sync.shop import Cart
from tests.sync.shop import Product
from tests.sync.shop import woo_order
from tests.sync.systems import Systems
from tests.sync.systems import before_round_off

MUG = Product("MUG", "149.00")
CARD = Product("PRESENTKORT-500", "500.00", "zero-rate")
TAXED_CARD = Product("PRESENTKORT-200", "200.00")  # a shop that forgot the tax status


def invoice_of(body: dict[str, Any], settings: ExportSettings,
               context: ExportContext | None = None) -> dict[str, Any]:
    mapped = map_order(parse_order(body), settings, context or ExportContext("1"))
    document = mapped.invoice or mapped.order
    assert document is not None
    return dict(json.loads(encode_body(document)))


def totals(document: dict[str, Any]) -> tuple[Decimal, dict[Decimal, Decimal]]:
    rows = document.get("InvoiceRows") or document["OrderRows"]
    total = document_totals([_row_input(r) for r in rows], vat_included=document["VATIncluded"],
                            round_to_whole_kronor=False).total
    return total, fortnox_vat_by_rate(rows, Decimal(0), document["VATIncluded"])


def card_rows(document: dict[str, Any]) -> list[tuple[int, int]]:
    rows = document.get("InvoiceRows") or document["OrderRows"]
    return [(r["VAT"], r["AccountNumber"]) for r in rows if "PRESENTKORT" in r["Description"]
            or r["Description"].startswith("Presentkort")]


def test_a_gift_card_marked_by_sku_is_booked_without_vat_on_2421() -> None:
    body = woo_order(Cart([(MUG, 1), (CARD, 1)]))
    settings = ExportSettings.from_values("t", {"export.gift_cards.skus": ["PRESENTKORT-500"]})

    invoice = invoice_of(body, settings)

    assert card_rows(invoice) == [(0, 2421)]
    assert totals(invoice) == (Decimal(body["total"]), {Decimal(25): Decimal("29.80")})


def test_a_gift_card_the_shop_taxed_is_still_booked_without_vat_and_the_owner_told() -> None:
    body = woo_order(Cart([(MUG, 1), (TAXED_CARD, 1)]))
    settings = ExportSettings.from_values("t", {"export.gift_cards.skus": ["PRESENTKORT-200"],
                                                "export.gift_cards.account": "2420"})

    mapped = map_order(parse_order(body), settings, ExportContext("1"))
    invoice = json.loads(encode_body(mapped.invoice))

    assert card_rows(invoice) == [(0, 2420)]
    assert totals(invoice) == (Decimal(body["total"]), {Decimal(25): Decimal("29.80")})
    assert any("booked without VAT" in str(w) for w in mapped.warnings)


def test_gift_cards_marked_by_category_or_by_their_plugin_are_recognised() -> None:
    body = woo_order(Cart([(MUG, 1), (CARD, 2)]))
    card_line = body["line_items"][1]
    by_category = ExportSettings.from_values("t", {"export.gift_cards.categories": ["kort"]})
    context = ExportContext("1", products={card_line["product_id"]: ProductFacts(
        card_line["product_id"], ("kort",))})
    plugin_body = json.loads(json.dumps(body))
    plugin_body["line_items"][1]["meta_data"] = [  # PW WooCommerce Gift Cards' line meta
        {"key": "pw_gift_card_amount", "value": "500"},
        {"key": "pw_gift_card_number", "value": "AB2C-DEFG-HJ3K-LMNP"},
        {"key": "pw_gift_card_number", "value": "QR4S-TUVW-XY5Z-ABCD"}]

    assert card_rows(invoice_of(body, by_category, context)) == [(0, 2421)]
    assert card_rows(invoice_of(plugin_body, ExportSettings.from_values("t", {}))) == [
        (0, 2421)]
    assert card_rows(invoice_of(body, ExportSettings.from_values("t", {}))) == [(0, 3004)]


def test_a_redeemed_card_leaves_the_sale_its_full_revenue_and_vat() -> None:
    body = woo_order(Cart([(MUG, 2)]))
    body["gift_cards"] = [{"id": 4, "code": "XKQ2-PLMN", "amount": "100.00"}]
    body["total"] = str(Decimal(body["total"]) - 100)  # what is left to pay

    invoice = invoice_of(body, ExportSettings.from_values("t", {}))
    order_only = invoice_of(body, ExportSettings.from_values("t", {
        "export.document_mode": "order"}))

    assert totals(invoice) == (Decimal("298.00"), {Decimal(25): Decimal("59.60")})
    assert card_rows(invoice) == []  # paid from 2421 by an invoice payment
    assert totals(order_only) == (Decimal("198.00"), {Decimal(25): Decimal("59.60")})
    assert card_rows(order_only) == [(0, 2421)]


@pytest.mark.parametrize("shape", [
    {"gift_cards": [{"code": "X"}]},
    {"gift_cards": [{"code": "X", "amount": "-5"}]},
    {"gift_cards": "X"},
])
def test_a_gift_card_shape_the_export_does_not_know_is_refused_in_words(
        shape: dict[str, Any]) -> None:
    body = {**woo_order(Cart([(MUG, 1)])), **shape}

    with pytest.raises(OrderNotMappable, match="gift_cards"):
        parse_order(body)


def test_a_redemption_the_order_does_not_show_stops_the_export_with_the_reason() -> None:
    """PW Gift Cards keeps its redemptions out of the REST order: only `total` is lower."""
    body = woo_order(Cart([(MUG, 2)]))
    body["total"] = str(Decimal(body["total"]) - 100)

    with pytest.raises(OrderNotMappable, match="gift card"):
        invoice_of(body, ExportSettings.from_values("t", {}))


# Both simulators -----------------------------------------------------------------------------


def test_a_gift_card_sold_then_redeemed_on_a_later_order_goes_through_2421(
        systems: Systems, shop: Shop) -> None:
    card = systems.store.create_product({"name": "Presentkort 500 kr", "sku": "GC-500",
                                         "regular_price": "500.00", "tax_status": "none",
                                         "virtual": True, "categories": [{"id": 9}]})
    (mug,) = systems.products(("MUG", "149.00", ""))
    settings = {"gift_cards.categories": ["presentkort"], "register_payment": True,
                "mode_of_payment": "BG"}
    with systems.store.lock:
        systems.store.products[card["id"]]["categories"] = [
            {"id": 9, "name": "Presentkort", "slug": "presentkort"}]
    sold = systems.place([(card, 1)], set_paid=True)
    export(systems, shop, sold["id"], **settings)
    redeemed = systems.place([(mug, 2)], set_paid=True,
                             gift_cards=[{"code": "XKQ2-PLMN", "amount": "100.00"}])

    export(systems, shop, redeemed["id"], **settings)
    export(systems, shop, redeemed["id"], **settings)

    sale, use = sorted(systems.invoices(), key=lambda i: int(i["DocumentNumber"]))
    assert [(r["VAT"], r["AccountNumber"]) for r in sale["InvoiceRows"]
            if r["Price"] and r["Description"] != "Fast frakt"] == [(0, 2421)]
    assert before_round_off(use) == Decimal(redeemed["total"]) + 100  # the full sale
    payments = {p["ModeOfPaymentAccount"]: p for p in
                systems.fortnox_state.documents.payments.values()
                if p["InvoiceNumber"] == int(use["DocumentNumber"])}
    assert payments[2421]["Amount"] == Decimal("100.00") and payments[2421]["Booked"]
    customer_paid = [p for account, p in payments.items() if account != 2421]
    assert [p["Amount"] for p in customer_paid] == [use["Total"] - 100]
    assert use["Balance"] == 0


def test_a_refunded_gift_card_is_credited_as_it_was_sold_without_vat() -> None:
    body = woo_order(Cart([(MUG, 1), (TAXED_CARD, 1)]))
    card_line = body["line_items"][1]["id"]
    refund = parse_refund(woo_refund(body, 901, items={card_line: 1}), rates_by_id(body))

    draft = map_credit(parse_order(body), refund, ExportSettings.from_values("t", {}),
                       CreditContext(market="se", gift_card_lines=frozenset({card_line})))

    assert [(r.vat, r.account.account, r.total) for r in draft.rows] == [
        (Decimal(0), 2421, Decimal("200.00"))]
    assert draft.expected_vat == ()
