"""Mapped documents sent to the Fortnox simulator's HTTP routes: accepted, totals to the öre.

The simulator validates bodies against Fortnox's spec and its business rules (customers,
accounts, VAT codes, stock points), then totals them with its own arithmetic and, with Fortnox
Lager on, moves stock. Totals are compared before the whole-kronor öresavrundning (RoundOff).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from sidecar.sync.orders.mapping import ArticleFacts
from sidecar.sync.orders.mapping import ExportContext
from sidecar.sync.orders.mapping import map_order
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import parse_order
from tests.sync.shop import Cart
from tests.sync.shop import FortnoxSim
from tests.sync.shop import Product
from tests.sync.shop import before_round_off
from tests.sync.shop import fixture_order
from tests.sync.shop import woo_order

REAL_ORDERS = ["019-order-updated-24.body", "027-order-created-26.body",
               "030-order-created-27.body"]


@pytest.mark.parametrize("name", REAL_ORDERS)
@pytest.mark.parametrize("mode", ["order", "invoice"])
def test_real_orders_arrive_in_fortnox_with_the_shops_total_and_vat(name: str, mode: str) -> None:
    fortnox = FortnoxSim()
    body = fixture_order(name)
    order = parse_order(body)
    export = ExportSettings.from_values("realwoo", {"export.document_mode": mode})
    customer = map_order(order, export, ExportContext("0")).customer
    number = fortnox.create_customer(customer.payload)
    mapped = map_order(order, export, ExportContext(number))
    if mode == "order":
        document = fortnox.post("/3/orders", "Order", mapped.order or {})
    else:
        document = fortnox.post("/3/invoices", "Invoice", mapped.invoice or {})
    assert before_round_off(document) == Decimal(body["total"]) == mapped.expected_total
    assert Decimal(str(document["TotalVAT"])) == Decimal(body["total_tax"])
    assert document["Country"] == "Sverige"
    assert document["ExternalInvoiceReference1"] == f"wc-realwoo-{body['id']}"


def test_an_order_with_stock_articles_draws_fortnox_lager_down_in_full() -> None:
    fortnox = FortnoxSim()
    fortnox.create_article("RW-MUG-001", stock=True, quantity="10")
    body = woo_order(Cart([(Product("RW-MUG-001", "149.00"), 3),
                           (Product("RW-FOOD-001", "79.00", "reduced-rate"), 1)]))
    export = ExportSettings.from_values("shop", {"export.document_mode": "order",
                                                 "export.stock.stock_point_code": "MAIN"})
    context = ExportContext("0", warehouse_active=True, fortnox_articles={
        "RW-MUG-001": ArticleFacts("RW-MUG-001", is_stock=True)})
    order = parse_order(body)
    number = fortnox.create_customer(map_order(order, export, context).customer.payload)
    mapped = map_order(order, export, ExportContext(
        number, warehouse_active=True, fortnox_articles=context.fortnox_articles))
    created = fortnox.post("/3/orders", "Order", mapped.order or {})
    assert fortnox.state.warehouse.in_stock("RW-MUG-001", "MAIN") == Decimal(7)
    assert created["OrderRows"][0]["DeliveredQuantity"] == created["OrderRows"][0][
        "OrderedQuantity"] == "3"
    assert before_round_off(created) == Decimal(body["total"])


def test_a_eur_order_keeps_its_amounts_in_euro_at_the_given_rate() -> None:
    fortnox = FortnoxSim()
    body = woo_order(Cart([(Product("A", "19.99"), 2)], shipping=[
        {"method_id": "flat_rate", "method_title": "Versand", "total": "4.90"}]), currency="EUR")
    export = ExportSettings.from_values("shop", {"export.document_mode": "invoice"})
    order = parse_order(body)
    number = fortnox.create_customer(map_order(order, export, ExportContext("0")).customer.payload)
    mapped = map_order(order, export, ExportContext(number, currency_rate=Decimal("11.50")))
    invoice = fortnox.post("/3/invoices", "Invoice", mapped.invoice or {})
    assert (invoice["Currency"], Decimal(str(invoice["CurrencyRate"]))) == ("EUR", Decimal("11.5"))
    assert Decimal(str(invoice["Total"])) == Decimal(body["total"])  # no kronor rounding in EUR
