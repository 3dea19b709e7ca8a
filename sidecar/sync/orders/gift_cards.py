"""Gift cards (presentkort), booked as Swedish VAT law treats multi-purpose vouchers.

A shop gift card usable on goods at several VAT rates is a multi-purpose voucher
(flerfunktionsvoucher): no VAT is due when it is sold, only when it is used (ML 2023:200
7 kap. 18 §; Skatteverket, "Vouchrar"). So:

- **Selling one** books the amount paid without VAT on a liability account, BAS 2421 "Ej
  inlösta presentkort" unless the owner chose another (`export.gift_cards.account`). A line is a
  gift card when the owner marked its SKU or category, or when a gift card plugin marked it:
  PW WooCommerce Gift Cards (line meta `pw_gift_card_amount` / `pw_gift_card_number`) or
  WooCommerce Gift Cards (`wc_gc_giftcard_amount`, `wc_gc_giftcard_to`, `wc_gc_giftcards`...).
- **Redeeming one** is a payment, not a discount: the sale keeps its full revenue and VAT, and
  the card's amount pays the invoice from the liability account (an invoice payment whose
  ModeOfPaymentAccount is that account, step `giftcard_payment`). With Fortnox orders only
  (no invoice to pay) the order carries it as a row on that account without VAT instead, which
  books the same. Redemptions are read from WooCommerce Gift Cards' order field `gift_cards`
  ([{id, code, amount}]) and the `pw_gift_card_lines` ([{card_number, amount}]) an accounting
  plugin adds for PW Gift Cards; PW's own REST data does not show them at all (the order's
  `total` is just lower), and such an order stops with the reason instead of being booked wrong
  (rounding.py refuses a total its lines do not explain).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from sidecar.fortnox import FortnoxClient
from sidecar.models import OrderLedger
from sidecar.sync.orders import documents
from sidecar.sync.orders import ledger as steps
from sidecar.sync.orders.lines import ProductFacts
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import ZERO
from sidecar.sync.orders.woo_order import WooOrder
from sidecar.woocommerce import WooClient

PAYMENT = "giftcard_payment"
PAYMENT_BOOKKEEP = "giftcard_pay_bookkeep"
# Line meta the gift card plugins put on a gift card they sell.
PLUGIN_META = frozenset({
    "pw_gift_card_amount", "pw_gift_card_number",  # PW WooCommerce Gift Cards
    "wc_gc_giftcard_amount", "wc_gc_giftcard_to", "wc_gc_giftcard_to_multiple",
    "wc_gc_giftcards",  # WooCommerce Gift Cards
})


def sold_lines(order: WooOrder, settings: ExportSettings,
               products: Mapping[int, ProductFacts]) -> frozenset[int]:
    """Ids of the order's lines that sell gift cards."""
    found = set()
    for item in order.items:
        product = products.get(item.variation_id) or products.get(item.product_id)
        categories = set(product.categories) if product else set()
        if (item.sku and item.sku in settings.gift_card_skus) or (
                categories & set(settings.gift_card_categories)) or (
                item.meta_keys & PLUGIN_META):
            found.add(item.line_id)
    return frozenset(found)


def product_facts(order: WooOrder, settings: ExportSettings, woo: WooClient | None
                  ) -> dict[int, ProductFacts]:
    """The order's products with their category slugs, read only when the owner marks gift
    cards by category (one request for the order's products)."""
    if not settings.gift_card_categories or woo is None or not order.items:
        return {}
    products = woo.products_by_id([item.product_id for item in order.items])
    return {int(p["id"]): ProductFacts(int(p["id"]), tuple(
        str(c.get("slug") or "") for c in p.get("categories") or [] if isinstance(c, dict)),
        bool(p.get("virtual"))) for p in products if isinstance(p, dict) and p.get("id")}


def redeemed(order: WooOrder) -> Decimal:
    return sum((amount for _, amount in order.gift_card_payments), ZERO)


def register_payment(row: OrderLedger, *, amount: Decimal, paid_on: str, account: int,
                     codes: str, fortnox: FortnoxClient, now: datetime) -> str:
    """The redeemed amount as a payment of the invoice from the liability account, bookkept."""
    invoice = str(row.fortnox_invoice_number)
    payment = {"InvoiceNumber": int(invoice), "Amount": amount, "PaymentDate": paid_on,
               "ModeOfPaymentAccount": account}

    def ours(entry: Mapping[str, object]) -> bool:
        return str(entry.get("ModeOfPaymentAccount")) == str(account) and (
            documents.amount(dict(entry), "Amount") == amount)

    def find() -> str | None:
        found = [p for p in fortnox.iter_invoice_payments(invoice_number=invoice) if ours(p)]
        return str(found[0]["Number"]) if found else None

    def send() -> str:
        return str(fortnox.create_invoice_payment(payment)["Number"])

    number, _ = documents._attempts(row, PAYMENT, find=find, send=send, now=now,
                                    request={**payment, "cards": codes}, column=None)
    if not steps.step_done(row, PAYMENT_BOOKKEEP):

        def booked() -> str | None:
            found = [p for p in fortnox.iter_invoice_payments(invoice_number=invoice)
                     if str(p.get("Number")) == number and documents._true(p.get("Booked"))]
            return number if found else None

        def bookkeep() -> str:
            fortnox.bookkeep_invoice_payment(number)
            return number

        documents._attempts(row, PAYMENT_BOOKKEEP, find=booked, send=bookkeep, now=now,
                            request={"payment": number}, column=None)
    return number


def is_gift_card_payment(entry: Mapping[str, object], settings: ExportSettings) -> bool:
    """A payment made from the gift card account (so not the customer's own payment)."""
    return str(entry.get("ModeOfPaymentAccount")) == str(settings.gift_card_account)
