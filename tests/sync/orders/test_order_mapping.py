"""Table tests of the order mapping: each case is a WooCommerce order and what Fortnox must get.

Every case is also held to the invariants: each payload passes Fortnox's OpenAPI contract, and
the Fortnox simulator's document arithmetic gives the order's total and VAT per rate.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from typing import Any

import pytest

from sidecar.fortnox.wire import encode_body
from sidecar.sim.fortnox.money import document_totals
from sidecar.sync.orders.mapping import ArticleFacts
from sidecar.sync.orders.mapping import ExportContext
from sidecar.sync.orders.mapping import MappedOrder
from sidecar.sync.orders.mapping import ProductFacts
from sidecar.sync.orders.mapping import map_order
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import parse_order
from tests.sync.orders.test_order_totals_property import _row_input
from tests.sync.orders.test_order_totals_property import fortnox_vat_by_rate
from tests.sync.shop import Cart
from tests.sync.shop import Product
from tests.sync.shop import contract_problems
from tests.sync.shop import fixture_order
from tests.sync.shop import woo_order

MUG = Product("RW-MUG-001", "149.00")  # 25 %
BEANS = Product("RW-FOOD-001", "79.00", "reduced-rate")  # 12 %
BOOK = Product("RW-BOOK-001", "299.00", "super-reduced-rate")  # 6 %
GIFT = Product("GIFTCARD", "100.00", "zero-rate")  # 0 %
COURSE = Product("COURSE-1", "500.00", virtual=True)
FLAT = {"method_id": "flat_rate", "method_title": "Fast frakt", "total": "49.00"}
DE_BILLING = {"first_name": "Jonas", "last_name": "Weber", "company": "Weber GmbH",
              "address_1": "Hauptstraße 5", "city": "Berlin", "postcode": "10115",
              "country": "DE", "email": "jonas@weber.example"}
US_BILLING = {"first_name": "Ana", "last_name": "Silva", "address_1": "969 Market St",
              "city": "San Francisco", "state": "CA", "postcode": "94103", "country": "US",
              "email": "ana@example.net"}
DE_VAT = [{"key": "_billing_vat_number", "value": "DE 123 456 789"}]


def untaxed(body: dict[str, Any]) -> dict[str, Any]:
    """What WooCommerce sends for reverse charge and export: no tax lines at all (§8.8)."""
    body = json.loads(json.dumps(body))
    body["tax_lines"] = []
    for key in ("line_items", "shipping_lines", "fee_lines"):
        for line in body[key]:
            assert Decimal(line["total_tax"]) == 0
            line["taxes"] = []
    return body


@dataclass
class Case:
    name: str
    cart: Cart | None = None
    fixture: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    context: dict[str, Any] = field(default_factory=dict)
    prices_include_tax: bool = True
    currency: str = "SEK"
    no_tax_lines: bool = False
    check: Callable[[MappedOrder, dict[str, Any]], None] = lambda mapped, body: None

    def body(self) -> dict[str, Any]:
        if self.fixture:
            return fixture_order(self.fixture)
        assert self.cart is not None
        body = woo_order(self.cart, prices_include_tax=self.prices_include_tax,
                         currency=self.currency)
        return untaxed(body) if self.no_tax_lines else body


def rows(mapped: MappedOrder) -> list[dict[str, Any]]:
    document = mapped.order or mapped.invoice
    assert document is not None
    return document.get("OrderRows") or document["InvoiceRows"]


def header(mapped: MappedOrder) -> dict[str, Any]:
    document = mapped.order or mapped.invoice
    assert document is not None
    return document


def accounts(mapped: MappedOrder) -> list[tuple[str, int]]:
    return [(r.source.split()[0], r.account) for r in mapped.rows]


def check_real_order_24(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert [(r["VAT"], r["AccountNumber"]) for r in rows(mapped)] == [
        (25, 3001), (12, 3002), (6, 3003), (25, 3001), (25, 3520)]
    assert [r["Price"] for r in rows(mapped)] == [
        Decimal("149.00"), Decimal("79.00"), Decimal("299.00"), Decimal("249.00"),
        Decimal("61.25")]
    assert header(mapped)["Comments"] == "Kundens meddelande: Lämna vid dörren."


def check_real_order_27(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert mapped.customer.payload["Email"] == body["billing"]["email"].lower()
    assert header(mapped)["ExternalInvoiceReference1"] == "wc-demo-27"


def check_mixed_rates(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert sorted((r["VAT"], r["AccountNumber"]) for r in rows(mapped)) == [
        (0, 3004), (6, 3003), (12, 3002), (25, 3001), (25, 3520)]


def check_percent_coupon(mapped: MappedOrder, body: dict[str, Any]) -> None:
    mug = rows(mapped)[0]
    assert (mug["Price"], mug["Discount"], mug["DiscountType"]) == (
        Decimal("149.00"), Decimal("44.70"), "AMOUNT")  # 3 × 149 × 10 %


def check_fixed_coupon(mapped: MappedOrder, body: dict[str, Any]) -> None:
    discounts = sum((r.get("Discount", Decimal(0)) for r in rows(mapped)), Decimal(0))
    assert discounts == Decimal("50.00")


def check_fee(mapped: MappedOrder, body: dict[str, Any]) -> None:
    fee = [r for r in rows(mapped) if r["Description"] == "Faktureringsavgift"]
    assert [(f["Price"], f["VAT"], f["AccountNumber"]) for f in fee] == [
        (Decimal("36.25"), 25, 3540)]  # 29 + 25 % (fees are entered excluding VAT)


def check_negative_fee(mapped: MappedOrder, body: dict[str, Any]) -> None:
    fee_rows = [r for r in mapped.rows if r.source.startswith("fee")]
    assert {r.vat for r in fee_rows} == {Decimal(25), Decimal(12)}
    assert all(r.total < 0 for r in fee_rows)


def check_freight(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert header(mapped)["Freight"] == Decimal("61.25")
    assert not any(r.source.startswith("shipping") for r in mapped.rows)


def check_freight_refused_at_12(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert "Freight" not in header(mapped)
    assert [r["VAT"] for r in rows(mapped) if r["Description"] == "Fast frakt"] == [12]
    assert any("not as Freight" in str(w) for w in mapped.warnings)


def check_free_shipping(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert [r.source.split()[0] for r in mapped.rows] == ["item"]
    assert header(mapped)["WayOfDelivery"] == "HÄMT"


def check_reverse_charge(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert mapped.customer.payload["VATType"] == "EUREVERSEDVAT"
    assert mapped.customer.payload["VATNumber"] == "DE123456789"
    assert mapped.customer.payload["Type"] == "COMPANY"
    assert accounts(mapped) == [("item", 3108), ("item", 3308), ("shipping", 3521)]
    assert {r["VAT"] for r in rows(mapped)} == {0}
    assert (header(mapped)["Country"], header(mapped)["Language"]) == ("Germany", "EN")


def check_vat_number_but_vat_charged(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert mapped.customer.payload["VATType"] == "EUVAT"
    assert any("charged VAT" in str(w) for w in mapped.warnings)


def check_eu_consumer(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert mapped.customer.payload["VATType"] == "EUVAT"
    assert mapped.customer.payload["Type"] == "PRIVATE"
    assert accounts(mapped) == [("item", 3106), ("item", 3041), ("shipping", 3521)]


def check_export(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert mapped.customer.payload["VATType"] == "EXPORT"
    assert accounts(mapped) == [("item", 3105), ("item", 3305), ("shipping", 3522)]
    assert header(mapped)["Country"] == "United States"


def check_eur_with_rate(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert (header(mapped)["Currency"], header(mapped)["CurrencyRate"]) == (
        "EUR", Decimal("11.4825"))
    assert mapped.customer.payload["Currency"] == "EUR"


def check_eur_without_rate(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert header(mapped)["Currency"] == "EUR" and "CurrencyRate" not in header(mapped)


def check_shared_guest(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert mapped.customer.match.shared_customer_number == "WEBB"
    assert header(mapped)["CustomerName"] == "Anna Svensson"  # the buyer, not the shared card


def check_registered_customer(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert mapped.customer.match.shared_customer_number == ""
    assert mapped.customer.match.email == "anna.svensson@example.test"


def check_empty_shipping_name(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert header(mapped)["DeliveryName"] == "Anna Svensson"
    assert header(mapped)["DeliveryAddress1"] == "Lagergatan 3"


def check_virtual_order_delivers_to_billing(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert (header(mapped)["DeliveryName"], header(mapped)["DeliveryAddress1"]) == (
        "Anna Svensson", "Storgatan 12")


def check_wildcard_way_of_delivery(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert header(mapped)["WayOfDelivery"] == "DHL"
    assert header(mapped)["TermsOfDelivery"] == "FK"


def check_no_pattern_matches(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert "WayOfDelivery" not in header(mapped)
    assert any("no WayOfDelivery rule matches" in str(w) for w in mapped.warnings)


def check_sku_override(mapped: MappedOrder, body: dict[str, Any]) -> None:
    mug, beans = mapped.rows[0], mapped.rows[1]
    assert (mug.account, str(mug.account_reason)) == (3011,
                                                      "override for SKU 'RW-MUG-001' (se.25)")
    assert (beans.account, str(beans.account_reason)) == (
        3090, "override for category 'kaffe' (*)")


def check_table_override(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert (mapped.rows[0].account, str(mapped.rows[0].account_reason)) == (
        3010, "owner's account for Sweden, goods, 25 %")


def check_prices_excluding_tax(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert header(mapped)["VATIncluded"] is False
    assert rows(mapped)[0]["Price"] == Decimal("149.00")  # net, as entered


def check_prices_including_tax(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert header(mapped)["VATIncluded"] is True
    assert rows(mapped)[0]["Price"] == Decimal("149.00")  # gross, as entered


def check_known_article(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert rows(mapped)[0]["ArticleNumber"] == "RW-MUG-001"
    assert "ArticleNumber" not in rows(mapped)[1]
    assert any("RW-FOOD-001 is not a Fortnox article" in str(w) for w in mapped.warnings)


def check_create_article(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert mapped.articles_to_create == (
        {"ArticleNumber": "RW-MUG-001", "Description": "Produkt RW-MUG-001", "Type": "STOCK"},)
    assert rows(mapped)[0]["ArticleNumber"] == "RW-MUG-001"


def check_stock_draw_down(mapped: MappedOrder, body: dict[str, Any]) -> None:
    order = mapped.order
    assert order is not None
    assert (order["DeliveryState"], order["StockPointCode"]) == ("delivery", "MAIN")
    mug = order["OrderRows"][0]
    assert mug["DeliveredQuantity"] == mug["OrderedQuantity"] == Decimal(3)
    assert mug["StockPointCode"] == "MAIN"
    assert "StockPointCode" not in order["OrderRows"][1]  # not a stock article


def check_no_warehouse(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert mapped.order is not None and "DeliveryState" not in mapped.order


def check_long_name(mapped: MappedOrder, body: dict[str, Any]) -> None:
    description = rows(mapped)[0]["Description"]
    assert len(description) <= 255 and not description.endswith(" ")
    assert "\u0301" not in description[-1:] and "<" not in description
    assert any("shortened to 255" in str(w) for w in mapped.warnings)


def check_invoice_only(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert mapped.order is None and mapped.invoice is not None
    assert "OrderedQuantity" not in mapped.invoice["InvoiceRows"][0]
    assert mapped.invoice["InvoiceDate"] == body["date_created"][:10]
    assert mapped.plan.steps == ("create_invoice", "bookkeep_invoice")


def check_order_then_invoice(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert mapped.invoice is None and mapped.order is not None
    assert mapped.plan.steps == ("create_order", "create_invoice_from_order")


def check_vat_adjusted(mapped: MappedOrder, body: dict[str, Any]) -> None:
    assert [(r.source, r.total, r.vat) for r in mapped.rows] == [
        ("item 1", Decimal("265.30"), 12), ("VAT adjustment", Decimal("-0.01"), 12),
        ("rounding", Decimal("0.01"), 0)]
    assert mapped.rows[2].account == 3740


SE_LINES = [(MUG, 3), (BEANS, 2)]
CASES = [
    Case("real order 24: mixed VAT rows on the BAS accounts", fixture="019-order-updated-24.body",
         check=check_real_order_24),
    Case("real order 27: cash on delivery, e-mail in lower case",
         fixture="030-order-created-27.body", check=check_real_order_27),
    Case("real order 24 completed maps the same", fixture="024-order-updated-24.body",
         check=check_real_order_24),
    Case("25/12/6/0 % rows each on their own account",
         Cart([(MUG, 1), (BEANS, 1), (BOOK, 1), (GIFT, 1)], shipping=[FLAT]),
         check=check_mixed_rates),
    Case("a percent coupon is the row's discount", Cart([(MUG, 3)], coupons=[
        {"code": "tio", "discount_type": "percent", "amount": "10"}]),
         check=check_percent_coupon),
    Case("a fixed cart coupon is spread as row discounts", Cart(SE_LINES, coupons=[
        {"code": "femtio", "discount_type": "fixed_cart", "amount": "50"}]),
         check=check_fixed_coupon),
    Case("a fee is a row with its VAT on the fee account", Cart(SE_LINES, fees=[
        {"name": "Faktureringsavgift", "total": "29.00"}]), check=check_fee),
    Case("a negative fee is split over the cart's VAT rates", Cart(SE_LINES, fees=[
        {"name": "Rabatt", "total": "-40.00", "tax_status": "none"}]),
         check=check_negative_fee),
    Case("shipping at 25 % may go in Freight", Cart(SE_LINES, shipping=[FLAT]),
         settings={"export.shipping_as": "freight"}, check=check_freight),
    Case("shipping at 12 % stays a row even when Freight is wanted",
         Cart([(BEANS, 2)], shipping=[FLAT]), settings={"export.shipping_as": "freight"},
         check=check_freight_refused_at_12),
    Case("free shipping books nothing but still picks the way of delivery",
         Cart([(MUG, 1)], shipping=[{"method_id": "local_pickup", "method_title": "Hämta",
                                     "total": "0"}]),
         settings={"export.way_of_delivery_rules": [["local_pickup*", "HÄMT"]]},
         check=check_free_shipping),
    Case("EU business with a VAT number is reverse charge on 3108/3308",
         Cart([(GIFT, 2), (Product("COURSE-0", "500.00", "zero-rate", virtual=True), 1)],
              shipping=[FLAT], billing=DE_BILLING, meta=DE_VAT),
         no_tax_lines=True, context={"products": {11: ProductFacts(11, virtual=True)}},
         check=check_reverse_charge),
    Case("a VAT number with VAT charged is booked as an EU sale with VAT",
         Cart([(MUG, 1)], billing=DE_BILLING, meta=DE_VAT),
         check=check_vat_number_but_vat_charged),
    Case("an EU consumer pays Swedish VAT on 3106, services on 3041",
         Cart([(MUG, 1), (COURSE, 1)], shipping=[FLAT],
              billing={**DE_BILLING, "company": ""}),
         context={"products": {11: ProductFacts(11, virtual=True)}}, check=check_eu_consumer),
    Case("an export order goes to 3105/3305/3522 without VAT",
         Cart([(GIFT, 1), (Product("COURSE-0", "500.00", "zero-rate"), 1)], shipping=[FLAT],
              billing=US_BILLING),
         no_tax_lines=True,
         context={"fortnox_articles": {"COURSE-0": ArticleFacts("COURSE-0", is_service=True)}},
         check=check_export),
    Case("a EUR order carries its currency and the given rate", Cart(SE_LINES), currency="EUR",
         context={"currency_rate": Decimal("11.4825")}, check=check_eur_with_rate),
    Case("a EUR order without a rate leaves it to Fortnox's register", Cart(SE_LINES),
         currency="EUR", check=check_eur_without_rate),
    Case("guests can share one customer card", Cart(SE_LINES),
         settings={"export.customer.guests": "shared",
                   "export.customer.shared_guest_customer_number": "WEBB"},
         check=check_shared_guest),
    Case("registered customers always get their own card", Cart(SE_LINES, customer_id=5),
         settings={"export.customer.guests": "shared",
                   "export.customer.shared_guest_customer_number": "WEBB"},
         check=check_registered_customer),
    Case("an empty shipping name is taken from billing", Cart(SE_LINES, shipping_address={
        "address_1": "Lagergatan 3", "city": "Uppsala", "postcode": "75320", "country": "SE"}),
         check=check_empty_shipping_name),
    Case("a virtual order without a shipping address delivers to billing",
         Cart([(COURSE, 1)], shipping_address={}), check=check_virtual_order_delivers_to_billing),
    Case("wildcard rules map the shipping method, first match wins",
         Cart(SE_LINES, shipping=[{"method_id": "flat_rate", "instance_id": "3",
                                   "method_title": "DHL-test", "total": "49"}]),
         settings={"export.way_of_delivery_rules": [["P*", "P"], ["D*L*", "DHL"],
                                                    ["DHL*", "BUD"]],
                   "export.terms_of_delivery_rules": [["flat_rate:3", "FK"]]},
         check=check_wildcard_way_of_delivery),
    Case("an unmatched shipping method gets no code and a warning",
         Cart(SE_LINES, shipping=[FLAT]),
         settings={"export.way_of_delivery_rules": [["DHL*", "DHL"]]},
         check=check_no_pattern_matches),
    Case("SKU overrides beat category overrides, which beat the table",
         Cart([(MUG, 1), (BEANS, 1)]),
         settings={"export.accounts_by_sku": {"RW-MUG-001": {"se.25": 3011, "export": 3105}},
                   "export.accounts_by_category": {"kaffe": 3090}},
         context={"products": {10: ProductFacts(10, ("kaffe",)),
                               11: ProductFacts(11, ("kaffe",))}},
         check=check_sku_override),
    Case("the owner's table replaces a BAS default", Cart([(MUG, 1)]),
         settings={"export.accounts": {"se.goods.25": 3010}}, check=check_table_override),
    Case("prices excluding VAT are sent as net prices", Cart(SE_LINES, shipping=[FLAT]),
         prices_include_tax=False, check=check_prices_excluding_tax),
    Case("prices including VAT are sent as gross prices", Cart(SE_LINES, shipping=[FLAT]),
         check=check_prices_including_tax),
    Case("a known SKU is the article; an unknown one a text row", Cart(SE_LINES),
         context={"fortnox_articles": {"RW-MUG-001": ArticleFacts("RW-MUG-001")}},
         check=check_known_article),
    Case("unknown SKUs become articles to create first", Cart([(MUG, 1)]),
         settings={"export.unknown_article": "create_article"}, check=check_create_article),
    Case("stock articles draw Fortnox Lager down without back orders", Cart(SE_LINES),
         settings={"export.document_mode": "order", "export.stock.stock_point_code": "MAIN"},
         context={"warehouse_active": True, "fortnox_articles": {
             "RW-MUG-001": ArticleFacts("RW-MUG-001", is_stock=True)}},
         check=check_stock_draw_down),
    Case("without Fortnox Lager no delivery state is sent", Cart(SE_LINES),
         settings={"export.document_mode": "order"}, check=check_no_warehouse),
    Case("a long product name is cut cleanly at 255 characters",
         Cart([(Product("LONG", "10.00", name="Ka<ffe> " + "é" * 250 + " 😀 kopp"), 1)]),
         check=check_long_name),
    Case("invoice mode sends an invoice and can bookkeep it", Cart(SE_LINES),
         settings={"export.document_mode": "invoice", "export.bookkeep_invoice": True},
         check=check_invoice_only),
    Case("order then invoice sends the order; the invoice is made from it", Cart(SE_LINES),
         settings={"export.document_mode": "order_then_invoice"},
         check=check_order_then_invoice),
    Case("7 × 37.90 at 12 %: Fortnox's VAT is moved onto WooCommerce's 28.42",
         Cart([(Product("A", "37.90", "reduced-rate"), 7)]), check=check_vat_adjusted),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_order_mapping(case: Case) -> None:
    body = case.body()
    export = ExportSettings.from_values("demo", case.settings)
    context = ExportContext(customer_number="1", **case.context)
    mapped = map_order(parse_order(body), export, context)
    case.check(mapped, body)
    for resource, payload in (("orders", mapped.order), ("invoices", mapped.invoice),
                              ("customers", mapped.customer.payload)):
        if payload is not None:
            assert contract_problems(resource, payload) == []
    sent = json.loads(encode_body(header(mapped)))
    freight = Decimal(str(sent.get("Freight", 0)))
    document_rows = sent.get("OrderRows") or sent["InvoiceRows"]
    totals = document_totals([_row_input(r) for r in document_rows],
                             vat_included=sent["VATIncluded"], freight=freight,
                             round_to_whole_kronor=False)
    assert totals.total == Decimal(body["total"])
    woo_vat = {Decimal(str(t["rate_percent"])): Decimal(t["tax_total"])
               + Decimal(t["shipping_tax_total"]) for t in body["tax_lines"]}
    assert fortnox_vat_by_rate(document_rows, freight, sent["VATIncluded"]) == {
        rate: vat for rate, vat in woo_vat.items() if vat}
