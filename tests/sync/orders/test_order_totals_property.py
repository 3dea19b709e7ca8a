"""For any order WooCommerce can make, Fortnox's arithmetic lands on the shop's total and VAT.

Orders come from the WooCommerce simulator's checkout (per-line rounding, half down with prices
including VAT, coupons split per item, inherited shipping tax, negative fees). The payload is read
back through JSON, as Fortnox would receive it, and totalled with the Fortnox simulator's own
document arithmetic (sidecar/sim/fortnox/money.py), which is independent of the mapping's model.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from sidecar.fortnox.wire import encode_body
from sidecar.sim.fortnox.money import RowInput
from sidecar.sim.fortnox.money import document_totals
from sidecar.sync.orders.mapping import ExportContext
from sidecar.sync.orders.mapping import map_order
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import parse_order
from tests.sync.shop import Cart
from tests.sync.shop import Product
from tests.sync.shop import contract_problems
from tests.sync.shop import woo_order

TAX_CLASSES = ("", "reduced-rate", "super-reduced-rate", "zero-rate")
cents = st.integers(min_value=1, max_value=250_000).map(lambda c: str(Decimal(c) / 100))


@st.composite
def carts(draw: st.DrawFn) -> tuple[Cart, bool, str]:
    taxable = draw(st.booleans()) or draw(st.booleans())  # mostly taxed
    lines = []
    for index in range(draw(st.integers(min_value=1, max_value=6))):
        product = Product(sku=f"P{index}", price=draw(cents),
                          tax_class=draw(st.sampled_from(TAX_CLASSES)),
                          virtual=draw(st.booleans()))
        lines.append((product, draw(st.integers(min_value=1, max_value=12))))
    coupons = draw(st.lists(st.one_of(
        st.builds(lambda p: {"code": f"p{p}", "discount_type": "percent", "amount": str(p)},
                  st.integers(min_value=1, max_value=60)),
        st.builds(lambda a: {"code": f"f{a}", "discount_type": "fixed_cart", "amount": a},
                  st.integers(min_value=1, max_value=30_00).map(lambda c: str(Decimal(c) / 100))),
    ), max_size=2, unique_by=lambda c: c["code"]))
    shipping = draw(st.lists(st.builds(
        lambda c: {"method_id": "flat_rate", "method_title": "Fast frakt", "total": c},
        st.integers(min_value=0, max_value=200_00).map(lambda c: str(Decimal(c) / 100))),
        max_size=1))
    fees = draw(st.lists(st.builds(
        lambda a, t, k: {"name": "Avgift", "total": a, "tax_status": "taxable" if t else "none",
                         "tax_class": k},
        st.integers(min_value=-80_00, max_value=100_00).filter(bool)
        .map(lambda c: str(Decimal(c) / 100)),
        st.booleans(), st.sampled_from(TAX_CLASSES)), max_size=2))
    country, meta = draw(st.sampled_from([
        ("SE", []), ("SE", []), ("DE", []),
        ("DE", [{"key": "_billing_vat_number", "value": "DE123456789"}]), ("US", [])]))
    billing = {"first_name": "Test", "last_name": "Kund", "address_1": "Gata 1",
               "city": "Stad", "postcode": "12345", "country": country,
               "email": "kund@example.test"}
    cart = Cart(lines=lines, coupons=coupons, shipping=shipping, fees=fees, billing=billing,
                meta=meta)
    if not taxable:  # reverse charge and export: nothing taxed
        cart.lines = [(Product(p.sku, p.price, "zero-rate", p.virtual), q) for p, q in lines]
        cart.fees = [{**f, "tax_status": "none"} for f in fees if Decimal(f["total"]) > 0]
    return cart, draw(st.booleans()), draw(st.sampled_from(["row", "freight"]))


def fortnox_vat_by_rate(rows: list[dict[str, Any]], freight: Decimal, vat_included: bool
                        ) -> dict[Decimal, Decimal]:
    """VAT per rate as the Fortnox simulator computes it, one rate at a time."""
    rates = {Decimal(str(r["VAT"])) for r in rows} | ({Decimal(25)} if freight else set())
    found = {}
    for rate in rates:
        totals = document_totals(
            [_row_input(r) for r in rows if Decimal(str(r["VAT"])) == rate],
            vat_included=vat_included, freight=freight if rate == 25 else Decimal(0),
            round_to_whole_kronor=False)
        if totals.total_vat:
            found[rate] = totals.total_vat
    return found


def _row_input(row: dict[str, Any]) -> RowInput:
    return RowInput(price=Decimal(str(row["Price"])),
                    quantity=Decimal(str(row["DeliveredQuantity"])), vat=Decimal(str(row["VAT"])),
                    discount=Decimal(str(row.get("Discount", 0))),
                    discount_type=row.get("DiscountType", "PERCENT"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(carts())
def test_fortnox_total_and_vat_per_rate_equal_the_woocommerce_order(drawn) -> None:
    cart, prices_include_tax, shipping_as = drawn
    body = woo_order(cart, prices_include_tax=prices_include_tax)
    order = parse_order(body)
    export = ExportSettings.from_values(
        "prop", {"export.document_mode": "order_then_invoice", "export.shipping_as": shipping_as})
    mapped = map_order(order, export, ExportContext(customer_number="1"))
    sent = json.loads(encode_body(mapped.order))  # exactly what Fortnox would read
    freight = Decimal(str(sent.get("Freight", 0)))
    totals = document_totals([_row_input(r) for r in sent["OrderRows"]],
                             vat_included=sent["VATIncluded"], freight=freight,
                             round_to_whole_kronor=False)
    assert totals.total == Decimal(body["total"])
    woo_vat = {Decimal(str(t["rate_percent"])): Decimal(t["tax_total"])
               + Decimal(t["shipping_tax_total"]) for t in body["tax_lines"]}
    assert fortnox_vat_by_rate(sent["OrderRows"], freight, sent["VATIncluded"]) == {
        rate: vat for rate, vat in woo_vat.items() if vat}
    assert mapped.expected_total == totals.total
    assert contract_problems("orders", mapped.order) == []
    assert contract_problems("customers", mapped.customer.payload) == []
