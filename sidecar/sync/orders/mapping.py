"""A WooCommerce order → the Fortnox Order and/or Invoice to create, plus why each row is as it is.

Pure: everything Fortnox-side the mapping needs (the customer number, which articles exist and
which are stock articles, whether Fortnox Lager is on, a currency rate) comes in `ExportContext`,
so the use case `export_order(...)` fetches it, calls `map_order`, and sends `result.order` /
`result.invoice` as they are. A dry run shows the same result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from decimal import ROUND_HALF_UP
from decimal import Decimal
from typing import Any

from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.sync.orders import gift_cards
from sidecar.sync.orders.accounts import AccountDecision
from sidecar.sync.orders.accounts import choose_account
from sidecar.sync.orders.countries import country_name
from sidecar.sync.orders.customer_mapping import MappedCustomer
from sidecar.sync.orders.customer_mapping import delivery_address
from sidecar.sync.orders.customer_mapping import display_name
from sidecar.sync.orders.customer_mapping import map_customer
from sidecar.sync.orders.fortnox_text import DOCUMENT_LIMITS
from sidecar.sync.orders.fortnox_text import fit
from sidecar.sync.orders.fortnox_text import fit_fields
from sidecar.sync.orders.lines import ArticleFacts
from sidecar.sync.orders.lines import ProductFacts
from sidecar.sync.orders.lines import build_rows
from sidecar.sync.orders.plan import ExportPlan
from sidecar.sync.orders.plan import order_date
from sidecar.sync.orders.plan import plan as make_plan
from sidecar.sync.orders.rounding import model_totals
from sidecar.sync.orders.rounding import reconcile
from sidecar.sync.orders.rows import CENT
from sidecar.sync.orders.rows import RowDraft
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.shipping_patterns import first_match
from sidecar.sync.orders.shipping_patterns import shipping_names
from sidecar.sync.orders.woo_order import WooOrder

__all__ = ["ArticleFacts", "ExportContext", "MappedOrder", "ProductFacts", "RowReport",
           "map_order", "order_reference"]


@dataclass(frozen=True)
class ExportContext:
    customer_number: str
    fortnox_articles: Mapping[str, ArticleFacts] = field(default_factory=dict)
    products: Mapping[int, ProductFacts] = field(default_factory=dict)
    warehouse_active: bool = False
    currency_rate: Decimal | None = None  # None: Fortnox takes the rate from its register


@dataclass(frozen=True)
class RowReport:
    """One row as sent, and the decisions behind it (for the dry run and the dashboard)."""

    source: str
    description: str
    article_number: str
    total: Decimal
    vat: Decimal
    vat_reason: str | Message
    account: int
    account_reason: str | Message


@dataclass(frozen=True)
class MappedOrder:
    reference: str
    plan: ExportPlan
    customer: MappedCustomer
    order: dict[str, Any] | None
    invoice: dict[str, Any] | None
    articles_to_create: tuple[dict[str, Any], ...]
    rows: tuple[RowReport, ...]
    expected_total: Decimal  # compare with Fortnox's Total - RoundOff
    expected_vat: tuple[tuple[Decimal, Decimal], ...]
    warnings: tuple[str | Message, ...]  # for the dry run


def order_reference(shop_slug: str, order_id: int) -> str:
    """The order's stable key in ExternalInvoiceReference1: "wc-<shop>-<id>", at most 80."""
    slug = "".join(c for c in shop_slug.lower() if c.isascii() and (c.isalnum() or c in "-_"))
    tail = f"-{order_id}"
    return f"wc-{slug or 'shop'}"[: 80 - len(tail)] + tail


def map_order(order: WooOrder, settings: ExportSettings, context: ExportContext) -> MappedOrder:
    """Raises OrderNotMappable (with the reason for the owner) when the order cannot be sent."""
    customer = map_customer(order, settings)
    market = customer.vat.market
    vat_included = order.prices_include_tax
    gift_lines = gift_cards.sold_lines(order, settings, context.products)
    lines = build_rows(order, settings, context.fortnox_articles, context.products,
                       market=market, vat_included=vat_included, gift_cards=gift_lines)
    warnings: list[str | Message] = [*customer.warnings, *lines.warnings]
    target_vat = {r: v for r, v in order.vat_by_rate if r}
    for item in order.items:  # a gift card sold carries no VAT, whatever WooCommerce charged
        charged = [(rate, tax) for rate, tax in item.tax_by_rate if tax]
        if item.line_id in gift_lines and charged:
            single = len(charged) == 1
            for rate, tax in charged:
                target_vat[rate] = target_vat.get(rate, Decimal(0)) - (
                    item.total_tax if single else tax.quantize(CENT, rounding=ROUND_HALF_UP))
    plan = make_plan(order, settings)
    rows_before = list(lines.rows)
    target_total = order.total + gift_cards.redeemed(order)
    if gift_cards.redeemed(order) and plan.document_mode == "order":
        # No invoice to pay: the order shows the card's part as paid from the gift card account.
        rows_before.append(RowDraft(
            source="gift card payment",
            description=f"Presentkort {', '.join(c for c, _ in order.gift_card_payments)}"[:255],
            quantity=Decimal(1), price=-gift_cards.redeemed(order), discount=Decimal(0),
            vat=Decimal(0), vat_reason=msg("vat.gift_card_paid"),
            account=AccountDecision(settings.gift_card_account, msg("account.gift_card"))))
        target_total = order.total

    def account_for_rate(rate: Decimal) -> AccountDecision:
        # A VAT adjustment corrects that rate's sales, so it goes where most of them went.
        largest = max((r for r in lines.rows if r.vat == rate), key=lambda r: abs(r.total),
                      default=None)
        if largest is not None:
            return AccountDecision(largest.account.account, msg(
                "account.as_largest_row", rate=rate, reason=largest.account.reason))
        return choose_account(settings.accounts, market=market, kind="goods", rate=rate)

    extra, notes = reconcile(
        rows_before, freight=lines.freight, vat_included=vat_included,
        target_total=target_total, target_vat=target_vat, account_for_rate=account_for_rate,
        rounding_account=settings.rounding_account)
    rows = [*rows_before, *extra]
    warnings.extend(notes)
    warnings.extend(plan.notes)
    header, header_warnings = _header(order, settings, context, plan, customer, lines.freight)
    warnings.extend(header_warnings)
    stock_point = settings.stock_point_code if context.warehouse_active else ""
    model = model_totals(rows, freight=lines.freight, vat_included=vat_included)
    placed = order_date_text(order)
    document_order = invoice = None
    if plan.makes_order:
        document_order = {**header, **_order_only(settings, context),
                          "OrderRows": [_row(r, stock_point, order_row=True) for r in rows]}
        if placed:
            document_order["OrderDate"] = placed
    if plan.makes_invoice_payload:
        invoice = {**header, "InvoiceRows": [_row(r, stock_point, order_row=False) for r in rows]}
        if placed:
            invoice["InvoiceDate"] = placed
        if stock_point:
            invoice["StockPointCode"] = stock_point
    return MappedOrder(
        reference=header["ExternalInvoiceReference1"], plan=plan, customer=customer,
        order=document_order, invoice=invoice, articles_to_create=lines.articles_to_create,
        rows=tuple(_report(r) for r in rows), expected_total=model.total,
        expected_vat=tuple(sorted(model.vat_by_rate.items(), reverse=True)),
        warnings=tuple(warnings))


def order_date_text(order: WooOrder) -> str | None:
    placed = order_date(order)
    return placed.isoformat() if placed else None


def _header(order: WooOrder, settings: ExportSettings, context: ExportContext,
            plan: ExportPlan, customer: MappedCustomer, freight: Decimal
            ) -> tuple[dict[str, Any], list[str]]:
    bill, delivery = order.billing, delivery_address(order)
    texts = {
        "CustomerName": customer.payload.get("Name", ""), "Address1": bill.address_1,
        "Address2": bill.address_2, "ZipCode": bill.postcode, "City": bill.city,
        "Phone1": bill.phone, "DeliveryName": display_name(delivery),
        "DeliveryAddress1": delivery.address_1, "DeliveryAddress2": delivery.address_2,
        "DeliveryZipCode": delivery.postcode, "DeliveryCity": delivery.city,
        "YourReference": customer.payload.get("YourReference", ""),
        "OurReference": settings.our_reference,
        "Comments": f"Kundens meddelande: {order.customer_note}" if order.customer_note else "",
    }
    fitted, warnings = fit_fields(texts, DOCUMENT_LIMITS, "document")
    header: dict[str, Any] = dict(fitted)
    number = fit(order.number, DOCUMENT_LIMITS["YourOrderNumber"])
    header.update({
        "CustomerNumber": context.customer_number,
        "ExternalInvoiceReference1": order_reference(settings.shop_slug, order.id),
        "YourOrderNumber": number.value,
        "Currency": order.currency,
        "VATIncluded": order.prices_include_tax,
        "Language": "SV" if (bill.country or "SE").upper() == "SE" else "EN",
    })
    if number.truncated:
        warnings.append(msg("mapping.order_number_shortened", number=repr(order.number)))
    for field_name, code in (("Country", bill.country), ("DeliveryCountry", delivery.country)):
        name = country_name(code or "SE")
        if name:
            header[field_name] = name
        else:
            warnings.append(msg("mapping.no_country_name", code=repr(code), field=field_name))
    if order.currency != "SEK" and context.currency_rate is not None:
        header["CurrencyRate"] = context.currency_rate
    if plan.terms_of_payment:
        header["TermsOfPayment"] = plan.terms_of_payment
    if freight:
        header["Freight"] = freight
    for field_name, rules in (("WayOfDelivery", settings.way_of_delivery_rules),
                              ("TermsOfDelivery", settings.terms_of_delivery_rules)):
        code, warning = _delivery_code(order, rules, field_name)
        if code:
            header[field_name] = code
        if warning:
            warnings.append(warning)
    return header, warnings


def _delivery_code(order: WooOrder, rules, field_name: str) -> tuple[str, Message | None]:
    if not order.shipping_lines or not rules:
        return "", None
    for line in order.shipping_lines:
        found = first_match(rules, shipping_names(line.method_id, line.instance_id, line.name))
        if found:
            return found.code, None
    titles = ", ".join(repr(s.name or s.method_id) for s in order.shipping_lines)
    return "", msg("mapping.no_delivery_rule", field=field_name, methods=titles)


def _order_only(settings: ExportSettings, context: ExportContext) -> dict[str, Any]:
    if not context.warehouse_active:
        return {}
    # "delivery" lets Fortnox Lager draw the stock down when the order is saved, with delivered
    # = ordered so no back order is made; "registration" leaves stock alone (fortnox-api.md §6).
    fields: dict[str, Any] = {"DeliveryState": "delivery" if settings.draw_down_stock
                              else "registration"}
    if settings.stock_point_code:
        fields["StockPointCode"] = settings.stock_point_code
    return fields


def _row(row: RowDraft, stock_point: str, *, order_row: bool) -> dict[str, Any]:
    body: dict[str, Any] = {"Description": row.description}
    if row.article_number:
        body["ArticleNumber"] = row.article_number
    if order_row:
        body["OrderedQuantity"] = row.quantity
    body.update({"DeliveredQuantity": row.quantity, "Price": row.price,
                 "VAT": int(row.vat), "AccountNumber": row.account.account})
    if row.discount:
        body.update({"Discount": row.discount, "DiscountType": "AMOUNT"})
    if stock_point and row.stock_article:
        body["StockPointCode"] = stock_point
    return body


def _report(row: RowDraft) -> RowReport:
    return RowReport(source=row.source, description=row.description,
                     article_number=row.article_number, total=row.total, vat=row.vat,
                     vat_reason=row.vat_reason, account=row.account.account,
                     account_reason=row.account.reason)

