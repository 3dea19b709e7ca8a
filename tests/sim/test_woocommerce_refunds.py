"""The WooCommerce simulator's refunds have the shape of a real store's (fixtures rest/048–051):
negative lines naming their order item, the refunded tax per rate, and restocking counted on
the order's line."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from sidecar.sim.woocommerce import WooSimConfig
from sidecar.sim.woocommerce import WooStore
from sidecar.sim.woocommerce.orders_json import order_json
from sidecar.sim.woocommerce.orders_json import refund_json

REST = Path(__file__).parents[1] / "fixtures" / "woocommerce" / "rest"


def real(name: str) -> Any:
    return json.loads((REST / name).read_bytes())["response"]["body"]


def shop_with_an_order() -> tuple[WooStore, dict[str, Any]]:
    store = WooStore(WooSimConfig())
    mug = store.create_product({"name": "Kaffekopp", "sku": "RW-MUG-001",
                                "regular_price": "159.00", "manage_stock": True,
                                "stock_quantity": 10})
    order = store.place_order({"line_items": [{"product_id": mug["id"], "quantity": 6}],
                               "status": "processing",
                               "shipping_lines": [{"method_id": "flat_rate", "total": "49.00"}]},
                              created_via="checkout")
    return store, order


def test_a_line_refund_has_the_real_refunds_shape_and_restocks_like_woocommerce() -> None:
    store, order = shop_with_an_order()
    line = order["line_items"][0]

    refund = store.refund_order(order["id"], line_items=[{"id": line["id"], "quantity": 1}],
                                restock=True, prefill=True)

    body = json.loads(json.dumps(refund_json(refund, store, store.site), default=str))
    shape = real("051-order-refund-get-one.json")
    assert set(body) == set(shape)
    (item,) = body["line_items"]
    assert set(item) == set(shape["line_items"][0])
    assert (item["quantity"], item["total"], item["total_tax"]) == (-1, "-127.20", "-31.80")
    assert item["meta_data"][0]["key"] == "_refunded_item_id"
    assert item["meta_data"][0]["value"] == str(line["id"])
    (tax,) = body["tax_lines"]
    assert (tax["tax_total"], tax["rate_percent"]) == ("-31.80", 25)
    assert body["amount"] == "159.00"
    meta = {m["key"]: m["value"] for m in order_json(order, store, store.site)["line_items"][0][
        "meta_data"]}
    assert (meta["_restock_refunded_items"], meta["_reduced_stock"]) == ("1", "5")
    assert store.products[line["product_id"]]["stock_quantity"] == 5


def test_shipping_is_refunded_through_line_items_and_listed_as_a_shipping_line() -> None:
    store, order = shop_with_an_order()

    refund = store.refund_order(order["id"], line_items=[{"id": order["shipping_lines"][0]["id"]}],
                                prefill=True)

    body = json.loads(json.dumps(refund_json(refund, store, store.site), default=str))
    # Shipping costs are entered without VAT (woocommerce.md §8.4): 49.00 + 12.25.
    assert [(s["total"], s["total_tax"]) for s in body["shipping_lines"]] == [("-49.00",
                                                                               "-12.25")]
    assert body["tax_lines"][0]["shipping_tax_total"] == "-12.25"
    assert Decimal(body["amount"]) == Decimal("61.25")
