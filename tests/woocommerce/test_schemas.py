"""WooCommerce's product and refund bodies as the schemas read them, and refusals naming the field.

(Orders: tests/sync/orders/test_woo_order.py.)
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sidecar.sync.orders.woo_order import OrderNotMappable
from sidecar.sync.orders.woo_refund import parse_refund
from sidecar.sync.orders.woo_refund import restocked_by_line
from sidecar.woocommerce.schemas import NotReadable
from sidecar.woocommerce.schemas import read_product

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "woocommerce"


def rest_body(name: str) -> Any:
    return json.loads((FIXTURES / "rest" / name).read_bytes())["response"]["body"]


def test_a_captured_product_delivery_reads_its_fields_and_ignores_the_rest() -> None:
    body = json.loads((FIXTURES / "006-product-created-13.body").read_bytes())

    product = read_product(body)

    assert product["id"] == 13 and product["name"] == body["name"]
    assert product["sku"] == body["sku"] and product["type"] == "simple"
    assert set(product) < set(body)


def test_a_refund_with_a_line_reads_positive_amounts_and_the_line_it_refunds() -> None:
    refund = parse_refund(rest_body("051-order-refund-get-one.json"), {})

    assert refund.amount > 0 and refund.lines
    line = refund.lines[0]
    assert line.refunded_line_id > 0 and line.quantity > 0 and line.total > 0
    assert refund.vat_by_rate and all(vat >= 0 for _, vat in refund.vat_by_rate)


@pytest.mark.parametrize(("body", "words"), [
    ({"id": 13, "stock_quantity": "many"}, "product 13: stock_quantity is not a quantity: 'many'"),
    ({"id": "x13"}, "product 'x13': id is not a whole number: 'x13'"),
    ({"id": 13, "parent_id": 1.5}, "product 13: parent_id is not a whole number: 1.5"),
    ([13], "the product is not a JSON object: [13]"),
])
def test_a_product_of_an_impossible_shape_is_refused_naming_the_field(body: Any,
                                                                      words: str) -> None:
    with pytest.raises(NotReadable) as refused:
        read_product(body)
    assert words in str(refused.value)


def one_line_refund(**line: Any) -> dict[str, Any]:
    return {"id": 901, "amount": "-125.00", "line_items": [
        {"id": 7, "quantity": -1, "total": "-100.00", "total_tax": "-25.00",
         "taxes": [{"id": 1, "total": "-25"}],
         "meta_data": [{"key": "_refunded_item_id", "value": "3"}], **line}],
        "tax_lines": [{"id": 5, "rate_id": 1, "rate_percent": 25, "tax_total": "-25.00"}]}


@pytest.mark.parametrize(("body", "words"), [
    ({"id": "abc"}, "refund 'abc': the refund id is not a whole number: 'abc'"),
    ({"id": 901, "amount": "lots"}, "refund 901: amount is not an amount: 'lots'"),
    (one_line_refund(total="x"), "refund 901: item line 7: total is not an amount: 'x'"),
    (one_line_refund(meta_data=[{"key": "_refunded_item_id", "value": "three"}]),
     "item line 7: refunded item is not a whole number: 'three'"),
    (one_line_refund(taxes=[{"id": 9, "total": "-25"}]),
     "refund 901, item line 7 is taxed at rate id 9, which neither the refund nor the order"),
    ({"id": 901, "tax_lines": {"rate_id": 1}}, "refund 901: tax_lines is not a list of objects"),
    ("refund", "a refund is not a JSON object"),
])
def test_a_refund_of_an_impossible_shape_is_refused_naming_the_field(body: Any,
                                                                     words: str) -> None:
    with pytest.raises(OrderNotMappable) as refused:
        parse_refund(body, {})
    assert words in str(refused.value)


def test_a_refund_line_taxed_at_a_rate_only_the_order_lists_is_read_at_that_rate() -> None:
    body = one_line_refund()
    del body["tax_lines"]
    refund = parse_refund(body, {1: Decimal(25)})
    assert refund.vat_by_rate == ((Decimal(25), Decimal(25)),)


def test_restocked_units_are_read_from_the_order_lines_and_odd_ones_refused() -> None:
    order = {"line_items": [{"id": 3, "meta_data": [
        {"key": "_restock_refunded_items", "value": "2"}]}]}
    assert restocked_by_line(order) == {3: Decimal(2)}
    order["line_items"][0]["meta_data"][0]["value"] = "two"
    with pytest.raises(OrderNotMappable, match="_restock_refunded_items is not an amount"):
        restocked_by_line(order)
