"""For any order and refunds WooCommerce can make, the invoice plus its credits is the net sale.

Orders come from the WooCommerce simulator's checkout, refunds from WooCommerce's refund
arithmetic (woo_refunds.py): units of lines, whole shipping and fee lines, or an amount. The
invoice and each credit are totalled by the Fortnox simulator's own document arithmetic from
the JSON Fortnox would read; their sum must be WooCommerce's total less what was refunded, and
VAT per rate the order's less what each refund took back (for an amount without lines, the
share the documented split gives it).
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from sidecar.fortnox.wire import encode_body
from sidecar.sim.fortnox.money import document_totals
from sidecar.sync.orders.credit_rows import CreditContext
from sidecar.sync.orders.credit_rows import fortnox_rows
from sidecar.sync.orders.credit_rows import map_credit
from sidecar.sync.orders.customer_mapping import map_customer
from sidecar.sync.orders.mapping import ExportContext
from sidecar.sync.orders.mapping import map_order
from sidecar.sync.orders.rounding import vat_of
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import parse_order
from sidecar.sync.orders.woo_refund import parse_refund
from sidecar.sync.orders.woo_refund import rates_by_id
from tests.sync.orders.test_order_totals_property import _row_input
from tests.sync.orders.test_order_totals_property import carts
from tests.sync.orders.test_order_totals_property import fortnox_vat_by_rate
from tests.sync.orders.woo_refunds import refunded_vat
from tests.sync.orders.woo_refunds import woo_refund
from tests.sync.shop import woo_order

ZERO = Decimal(0)


def totals(rows: list[dict[str, Any]], vat_included: bool, freight: Decimal
           ) -> tuple[Decimal, Counter[Decimal]]:
    priced = [r for r in rows if "Price" in r]
    total = document_totals([_row_input(r) for r in priced], vat_included=vat_included,
                            freight=freight, round_to_whole_kronor=False).total
    return total, Counter(fortnox_vat_by_rate(priced, freight, vat_included))


@st.composite
def refund_plans(draw: st.DrawFn, body: dict[str, Any]) -> list[dict[str, Any]]:
    """Up to three refunds that never give back more than the order has left."""
    left = {line["id"]: int(line["quantity"]) for line in body["line_items"]}
    whole = [("shipping", line["id"]) for line in body["shipping_lines"]
             if Decimal(line["total"]) > 0] + [("fee", line["id"]) for line in body["fee_lines"]
                                              if Decimal(line["total"]) > 0]
    refunds = []
    remaining = Decimal(body["total"])
    for number in range(draw(st.integers(min_value=1, max_value=3))):
        if draw(st.integers(min_value=0, max_value=4)) == 0:
            cents = int(remaining * 100) // 3
            if cents < 1:
                break
            amount = Decimal(draw(st.integers(min_value=1, max_value=cents))) / 100
            refund = woo_refund(body, 900 + number, amount=str(amount))
        else:
            items = {}
            for line_id, units in left.items():
                if units and draw(st.booleans()):
                    items[line_id] = draw(st.integers(min_value=1, max_value=units))
            taken = [w for w in whole if draw(st.booleans())]
            if not items and not taken:
                continue
            refund = woo_refund(body, 900 + number, items=items,
                                shipping=[i for k, i in taken if k == "shipping"],
                                fees=[i for k, i in taken if k == "fee"])
            if Decimal(refund["amount"]) > remaining:
                continue
            for line_id, units in items.items():
                left[line_id] -= units
            whole = [w for w in whole if w not in taken]
        remaining -= Decimal(refund["amount"])
        refunds.append(refund)
    return refunds


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_invoice_and_its_credits_sum_to_the_net_sale_and_its_vat(data: st.DataObject) -> None:
    cart, prices_include_tax, _ = data.draw(carts())
    body = woo_order(cart, prices_include_tax=prices_include_tax)
    refunds = data.draw(refund_plans(body))
    order = parse_order(body)
    export = ExportSettings.from_values("prop", {})
    invoice = json.loads(encode_body(map_order(order, export, ExportContext("1")).invoice))
    total, vat = totals(invoice["InvoiceRows"], prices_include_tax, ZERO)
    expected_total = Decimal(body["total"])
    expected_vat: Counter[Decimal] = Counter({
        Decimal(str(t["rate_percent"])): Decimal(t["tax_total"]) + Decimal(t["shipping_tax_total"])
        for t in body["tax_lines"]})
    context = CreditContext(market=map_customer(order, export).vat.market)
    for refund_body in refunds:
        refund = parse_refund(refund_body, rates_by_id(body))
        draft = map_credit(order, refund, export, context)
        rows = json.loads(encode_body(fortnox_rows(draft, "Kredit")))
        credit_total, credit_vat = totals(rows, prices_include_tax, ZERO)
        total += credit_total
        vat.update(credit_vat)
        expected_total -= Decimal(refund_body["amount"])
        expected_vat.subtract(refunded_vat(refund_body))
        expected_vat.subtract({rate: vat_of(gross, rate, True) for rate, gross in draft.split})
    assert total == expected_total
    assert {r: v for r, v in vat.items() if v} == {r: v for r, v in expected_vat.items() if v}
