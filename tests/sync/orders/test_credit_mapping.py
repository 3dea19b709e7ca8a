"""Table tests of refund → credit rows: every credit's total and VAT per rate, as the Fortnox
simulator's own document arithmetic computes them from the rows sent, equal WooCommerce's refund
to the öre; each refunded line stays on its VAT rate and the account its order line used.

Orders come from the WooCommerce simulator's checkout, refunds from WooCommerce's refund
arithmetic (woo_refunds.py); one case is the real refunded order of fixtures rest/049–051.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from sidecar.fortnox.wire import encode_body
from sidecar.sim.fortnox.money import document_totals
from sidecar.sync.orders.credit_rows import CreditContext
from sidecar.sync.orders.credit_rows import CreditDraft
from sidecar.sync.orders.credit_rows import fortnox_rows
from sidecar.sync.orders.credit_rows import map_credit
from sidecar.sync.orders.credit_rows import mirror_invoice
from sidecar.sync.orders.credit_rows import split_amount
from sidecar.sync.orders.lines import ArticleFacts
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import parse_order
from sidecar.sync.orders.woo_refund import parse_refund
from sidecar.sync.orders.woo_refund import rates_by_id
from sidecar.sync.orders.woo_refund import restocked_by_line
from tests.sync.orders.test_order_totals_property import _row_input
from tests.sync.orders.test_order_totals_property import fortnox_vat_by_rate
from tests.sync.orders.woo_refunds import refunded_vat
from tests.sync.orders.woo_refunds import woo_refund
from tests.sync.shop import Cart
from tests.sync.shop import Product
from tests.sync.shop import contract_problems
from tests.sync.shop import woo_order

REST = Path(__file__).parents[2] / "fixtures" / "woocommerce" / "rest"
MUG = Product("MUG", "149.00")  # 25 %
BEANS = Product("BEANS", "79.00", "reduced-rate")  # 12 %
BOOK = Product("BOOK", "299.00", "super-reduced-rate")  # 6 %
MAP = Product("MAP", "45.00", "zero-rate")  # 0 %
FLAT = {"method_id": "flat_rate", "method_title": "Fast frakt", "total": "49.00"}
FEE = {"name": "Faktureringsavgift", "total": "29.00", "tax_status": "taxable"}
SETTINGS = ExportSettings.from_values("t", {"export.accounts_by_sku": {"BOOK": 3010}})


def rest(name: str) -> Any:
    return json.loads((REST / name).read_bytes())["response"]["body"]


def sent(draft: CreditDraft) -> list[dict[str, Any]]:
    """The credit rows exactly as Fortnox would read them."""
    return json.loads(encode_body(fortnox_rows(draft, "Kredit av faktura 12")))


def fortnox_totals(rows: list[dict[str, Any]], vat_included: bool, freight: Decimal = Decimal(0)
                   ) -> tuple[Decimal, dict[Decimal, Decimal]]:
    totals = document_totals([_row_input(r) for r in rows if "Price" in r],
                             vat_included=vat_included, freight=-freight,
                             round_to_whole_kronor=False)
    return totals.total, fortnox_vat_by_rate([r for r in rows if "Price" in r], -freight,
                                             vat_included)


@dataclass
class Case:
    name: str
    cart: Cart | None = None
    refunds: Callable[[dict[str, Any]], list[dict[str, Any]]] = lambda order: []
    prices_include_tax: bool = True
    currency: str = "SEK"
    restock: dict[int, Decimal] = field(default_factory=dict)
    articles: tuple[str, ...] = ()
    check: Callable[[list[CreditDraft], dict[str, Any]], None] = lambda drafts, order: None


def lines_of(order: dict[str, Any], key: str = "line_items") -> list[int]:
    return [line["id"] for line in order[key]]


def one_unit_of_each(order: dict[str, Any]) -> list[dict[str, Any]]:
    return [woo_refund(order, 900 + n, items={line: 1}) for n, line in enumerate(lines_of(order))]


def mixed_with_shipping_and_fee(order: dict[str, Any]) -> list[dict[str, Any]]:
    return [woo_refund(order, 901, items={line: 1 for line in lines_of(order)},
                       shipping=lines_of(order, "shipping_lines"),
                       fees=lines_of(order, "fee_lines"), reason="Retur")]


def amount_only(order: dict[str, Any]) -> list[dict[str, Any]]:
    return [woo_refund(order, 901, amount="50.00", reason="Kompensation")]


def two_refunds(order: dict[str, Any]) -> list[dict[str, Any]]:
    mug, book = lines_of(order)[0], lines_of(order)[-1]
    return [woo_refund(order, 901, items={mug: 2}),
            woo_refund(order, 902, items={book: 1}, shipping=lines_of(order, "shipping_lines"))]


def check_each_rate(drafts: list[CreditDraft], order: dict[str, Any]) -> None:
    assert [sorted({row.vat for row in d.rows}) for d in drafts] == [
        [Decimal(25)], [Decimal(12)], [Decimal(6)], [Decimal(0)]]
    assert [d.rows[0].account.account for d in drafts] == [3001, 3002, 3010, 3004]


def check_mixed(drafts: list[CreditDraft], order: dict[str, Any]) -> None:
    accounts = {(row.source.split()[2], row.vat, row.account.account) for row in drafts[0].rows
                if row.source.startswith("refund of")}
    assert accounts >= {("item", Decimal(25), 3001), ("item", Decimal(12), 3002),
                        ("item", Decimal(6), 3010), ("shipping", Decimal(25), 3520),
                        ("fee", Decimal(25), 3540)}


def check_split(drafts: list[CreditDraft], order: dict[str, Any]) -> None:
    (draft,) = drafts
    assert [rate for rate, _ in draft.split] == [Decimal(25), Decimal(12), Decimal(6)]
    assert sum((gross for _, gross in draft.split), Decimal(0)) == Decimal("50.00")
    assert any("split over the order's VAT rates" in str(w) for w in draft.warnings)


def check_restock(drafts: list[CreditDraft], order: dict[str, Any]) -> None:
    (draft,) = drafts
    with_article = sum((r.quantity for r in draft.rows if r.article_number), Decimal(0))
    without = sum((r.quantity for r in draft.rows if r.source.startswith("refund of item")
                   and not r.article_number), Decimal(0))
    assert (with_article, without) == (Decimal(2), Decimal(1))  # 3 refunded, 2 restocked


CASES = [
    Case("one unit at each rate", Cart([(MUG, 3), (BEANS, 7), (BOOK, 2), (MAP, 1)],
                                       shipping=[FLAT]),
         one_unit_of_each, check=check_each_rate),
    Case("25, 12 and 6 % lines with shipping and a fee",
         Cart([(MUG, 2), (BEANS, 3), (BOOK, 1)], shipping=[FLAT], fees=[FEE]),
         mixed_with_shipping_and_fee, check=check_mixed),
    Case("amount only", Cart([(MUG, 2), (BEANS, 3), (BOOK, 1)], shipping=[FLAT]), amount_only,
         check=check_split),
    Case("two refunds on one order", Cart([(MUG, 3), (BEANS, 2), (BOOK, 2)], shipping=[FLAT]),
         two_refunds),
    Case("after a percent coupon", Cart([(MUG, 3), (BEANS, 7), (BOOK, 2)], shipping=[FLAT],
                                        coupons=[{"code": "tio", "discount_type": "percent",
                                                  "amount": "15"}]), one_unit_of_each),
    Case("after a fixed cart coupon", Cart([(MUG, 3), (BOOK, 2)], coupons=[
        {"code": "femtio", "discount_type": "fixed_cart", "amount": "50"}]), two_refunds),
    Case("in euro", Cart([(MUG, 2), (BEANS, 3), (BOOK, 1)], shipping=[FLAT], fees=[FEE]),
         mixed_with_shipping_and_fee, currency="EUR"),
    Case("restocked in part", Cart([(MUG, 3), (BEANS, 1)]),
         lambda order: [woo_refund(order, 901, items={lines_of(order)[0]: 3})],
         restock={0: Decimal(2)}, articles=("MUG", "BEANS"), check=check_restock),
]


@pytest.mark.parametrize("prices_include_tax", [True, False], ids=["incl-VAT", "excl-VAT"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_credit_equals_its_woocommerce_refund_to_the_ore(
        case: Case, prices_include_tax: bool) -> None:
    assert case.cart is not None
    body = woo_order(case.cart, prices_include_tax=prices_include_tax, currency=case.currency)
    order = parse_order(body)
    restock = {lines_of(body)[index]: units for index, units in case.restock.items()}
    context = CreditContext(market="se", restocked=restock, fortnox_articles={
        sku: ArticleFacts(sku) for sku in case.articles})
    drafts = []
    for refund_body in case.refunds(body):
        refund = parse_refund(refund_body, rates_by_id(body))
        draft = map_credit(order, refund, SETTINGS, context)
        rows = sent(draft)
        total, vat = fortnox_totals(rows, prices_include_tax)
        expected_vat = refunded_vat(refund_body) if refund.lines else {
            rate: vat for rate, vat in draft.expected_vat}
        assert total == -Decimal(refund_body["amount"])
        assert vat == {rate: -amount for rate, amount in expected_vat.items()}
        assert all(r["DeliveredQuantity"] < 0 and r["Price"] >= 0 for r in rows[1:]
                   if r["Description"] != "Öresavrundning" and not
                   r["Description"].startswith("Öresjustering"))
        assert contract_problems("invoices", {"CustomerNumber": "1", "InvoiceRows": rows}) == []
        drafts.append(draft)
    case.check(drafts, body)


def test_the_real_refund_of_one_mug_after_a_coupon_is_credited_as_woocommerce_booked_it() -> None:
    """Order 122 of a real store: 15 % coupon, six mugs; refund 130 gave one back (rest/051)."""
    body = rest("049-order-get-with-refunds.json")
    refund_body = rest("051-order-refund-get-one.json")
    order, refund = parse_order(body), parse_refund(refund_body, rates_by_id(body))

    draft = map_credit(order, refund, SETTINGS, CreditContext(
        market="se", restocked=restocked_by_line(body),
        fortnox_articles={"RW-MUG-001": ArticleFacts("RW-MUG-001")}))

    rows = sent(draft)
    assert rows[1] == {"Description": "Kaffekopp", "ArticleNumber": "RW-MUG-001",
                       "DeliveredQuantity": -1, "Price": 135.15, "VAT": 25,
                       "AccountNumber": 3001}
    assert fortnox_totals(rows, True) == (Decimal("-135.15"), {Decimal(25): Decimal("-27.03")})


def test_the_real_amount_only_refund_is_split_over_the_orders_rates() -> None:
    """Refund 129 (rest/047): 50.00 with no lines and no tax. WooCommerce records no VAT for
    it because it has no lines to take it from, not because none is due: a refund of part of
    a price lowers the VAT of that sale. The 50.00 is split by what order 122 sold per rate."""
    body = rest("049-order-get-with-refunds.json")
    refund = parse_refund(rest("047-order-refund-create-amount.json"), rates_by_id(body))

    draft = map_credit(parse_order(body), refund, SETTINGS, CreditContext(market="se"))

    # 25 %: mugs, T-shirt and the fee, 1 051.34 gross; 12 %: 470.05; 6 %: 1 779.05.
    assert draft.split == ((Decimal(25), Decimal("15.93")), (Decimal(12), Decimal("7.12")),
                           (Decimal(6), Decimal("26.95")))
    assert fortnox_totals(sent(draft), True) == (Decimal("-50.00"), {
        Decimal(25): Decimal("-3.19"), Decimal(12): Decimal("-0.76"),
        Decimal(6): Decimal("-1.53")})


def test_an_amount_split_goes_to_the_largest_share_and_skips_what_it_must() -> None:
    body = woo_order(Cart([(MUG, 1), (BEANS, 3)]))
    order = parse_order(body)

    # 149.00 sold at 25 %, 237.00 at 12 %
    assert split_amount(order, Decimal("33.33")) == [(Decimal(25), Decimal("12.87")),
                                                     (Decimal(12), Decimal("20.46"))]
    assert split_amount(order, Decimal("10"), excluded=frozenset({lines_of(body)[1]})) == [
        (Decimal(25), Decimal("10"))]


def test_a_whole_invoice_is_mirrored_row_by_row_without_discounts() -> None:
    invoice = {"VATIncluded": True, "Freight": 61.25, "InvoiceRows": [
        {"RowId": 1, "Description": "Kopp", "ArticleNumber": "MUG", "DeliveredQuantity": 3,
         "Price": 149, "Discount": 44.7, "DiscountType": "AMOUNT", "Total": 402.3, "VAT": 25,
         "AccountNumber": 3001},
        {"RowId": 4, "Description": "Bok", "DeliveredQuantity": 2, "Price": 100,
         "Discount": 10, "DiscountType": "PERCENT", "Total": 179.99, "VAT": 6,
         "AccountNumber": 3003},
        {"RowId": 2, "Description": "Kredit"},
        {"RowId": 3, "Description": "Öresjustering moms 25 %", "DeliveredQuantity": 1,
         "Price": -0.01, "Total": -0.01, "VAT": 25, "AccountNumber": 3001}]}

    kept = mirror_invoice(invoice, keep_articles=True)
    dropped = mirror_invoice(invoice, keep_articles=False)

    assert [(r.quantity, r.price, r.article_number) for r in kept.rows] == [
        (Decimal(3), Decimal("134.10"), "MUG"), (Decimal(1), Decimal("89.99"), ""),
        (Decimal(1), Decimal("90.00"), ""), (Decimal(1), Decimal("-0.01"), "")]
    assert not any(r.article_number for r in dropped.rows)
    assert kept.expected_total == Decimal("643.53") == dropped.expected_total
