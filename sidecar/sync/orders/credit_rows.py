"""A WooCommerce refund → the rows of its Fortnox credit, exact to the öre. Pure.

Each refunded line becomes rows at its own VAT rate on the account its order line was booked
on (goods or services with the product and category overrides, shipping, fee): the same choice
`lines.build_rows` made for the invoice. Rows are built in the invoice's sense (positive
quantities and prices) and negated on the way out, so the credit's quantities are negative and
its prices positive, as Fortnox's own credit invoices have them (docs/fortnox-credits.md).

Exactness: a credit row never carries a discount (how Fortnox treats an amount discount on a
negative quantity is not documented), so a line's refunded amount is split over at most two
rows whose price × quantity add up to it exactly. Then the invoice's reconciliation
(`rounding.reconcile`) makes Fortnox's VAT per rate equal WooCommerce's refunded VAT per rate
and the total equal the refunded amount. Only goods WooCommerce put back in stock carry their
article number, so Fortnox stock moves exactly as the shop's did.

An amount WooCommerce did not tie to lines (an amount-only refund, or what a refund's amount
exceeds its lines by) is split over the order's VAT rates in proportion to what the order sold
at each rate (gross), the öre left by rounding going to the largest share.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from decimal import ROUND_DOWN
from decimal import Decimal
from typing import Any

from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.sync.orders.accounts import AccountDecision
from sidecar.sync.orders.accounts import choose_account
from sidecar.sync.orders.fortnox_text import ROW_DESCRIPTION_LIMIT
from sidecar.sync.orders.fortnox_text import fit
from sidecar.sync.orders.lines import ArticleFacts
from sidecar.sync.orders.lines import ProductFacts
from sidecar.sync.orders.rounding import model_totals
from sidecar.sync.orders.rounding import reconcile
from sidecar.sync.orders.rounding import vat_of
from sidecar.sync.orders.rows import CENT
from sidecar.sync.orders.rows import ZERO
from sidecar.sync.orders.rows import RowDraft
from sidecar.sync.orders.rows import line_rate
from sidecar.sync.orders.rows import split_by_rate
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import Charge
from sidecar.sync.orders.woo_order import WooOrder
from sidecar.sync.orders.woo_refund import RefundLine
from sidecar.sync.orders.woo_refund import WooRefund

SPLIT_DESCRIPTION = "Återbetalning, fördelad på momssatser"


@dataclass(frozen=True)
class CreditContext:
    market: str
    fortnox_articles: Mapping[str, ArticleFacts] = field(default_factory=dict)
    products: Mapping[int, ProductFacts] = field(default_factory=dict)
    # Order line id → units of this refund WooCommerce put back in stock.
    restocked: Mapping[int, Decimal] = field(default_factory=dict)
    # Lines that sold gift cards: credited without VAT on the gift card account, and never
    # given a share of an amount split by rate.
    gift_card_lines: frozenset[int] = frozenset()
    gift_card_account: int = 2421


@dataclass(frozen=True)
class CreditDraft:
    """The credit in the invoice's sense: rows, and what Fortnox must total (before RoundOff)."""

    rows: tuple[RowDraft, ...]
    expected_total: Decimal
    expected_vat: tuple[tuple[Decimal, Decimal], ...]
    split: tuple[tuple[Decimal, Decimal], ...] = ()  # (rate, gross) of an amount split by rate
    freight: Decimal = ZERO
    warnings: tuple[str | Message, ...] = ()

    def expected_vat_total(self) -> Decimal:
        return sum((vat for _, vat in self.expected_vat), ZERO)


def map_credit(order: WooOrder, refund: WooRefund, settings: ExportSettings,
               context: CreditContext) -> CreditDraft:
    """The credit for one refund. Raises OrderNotMappable when its lines cannot be made exact."""
    vat_included = order.prices_include_tax
    by_id = {charge.line_id: charge for charge in order.charges}
    rows: list[RowDraft] = []
    for line in refund.lines:
        rows.extend(_line_rows(line, by_id.get(line.refunded_line_id), settings, context,
                               vat_included))
    target_vat = {rate: vat for rate, vat in refund.vat_by_rate if rate}
    for line in refund.lines:  # a gift card is credited as it was sold: without VAT
        if line.kind == "item" and line.refunded_line_id in context.gift_card_lines:
            for rate, tax in line.tax_by_rate:
                target_vat[rate] = target_vat.get(rate, ZERO) - tax
    split: list[tuple[Decimal, Decimal]] = []
    warnings: list[str | Message] = []
    if refund.unexplained:
        split = split_amount(order, refund.unexplained, excluded=context.gift_card_lines)
        for rate, gross in split:
            vat = vat_of(gross, rate, True)
            account = _split_account(order, rate, settings, context)
            rows.append(_row(f"refund {refund.id}", SPLIT_DESCRIPTION, Decimal(1),
                             gross if vat_included else gross - vat, rate,
                             f"an amount without lines, split by the order's sales at {rate} %",
                             account))
            if rate:
                target_vat[rate] = target_vat.get(rate, ZERO) + vat
        shares = ", ".join(f"{gross} at {rate} %" for rate, gross in split)
        warnings.append(msg("refund.split_over_rates", refund=refund.id,
                            amount=str(refund.unexplained), shares=shares))
    extra, notes = reconcile(
        rows, freight=ZERO, vat_included=vat_included, target_total=refund.amount,
        target_vat=target_vat, account_for_rate=_largest_at(rows, order, settings, context),
        rounding_account=settings.rounding_account)
    rows.extend(extra)
    model = model_totals(rows, freight=ZERO, vat_included=vat_included)
    return CreditDraft(rows=tuple(rows), expected_total=model.total,
                       expected_vat=tuple(sorted(model.vat_by_rate.items(), reverse=True)),
                       split=tuple(split), warnings=tuple([*warnings, *notes]))


def mirror_invoice(invoice: Mapping[str, Any], *, keep_articles: bool) -> CreditDraft:
    """The whole invoice again, as a credit draft: every row's total, VAT, account and text as
    Fortnox computed them on the original, without discounts. Articles stay only when the goods
    came back (a cancellation restocks in WooCommerce; an amount refunded in full does not)."""
    vat_included = _flag(invoice.get("VATIncluded"))
    rows: list[RowDraft] = []
    for row in invoice.get("InvoiceRows") or []:
        total = _decimal(row.get("Total"))
        quantity = _decimal(row.get("DeliveredQuantity"))
        if total == ZERO and not quantity:
            continue  # a text row
        article = str(row.get("ArticleNumber") or "") if keep_articles else ""
        account = AccountDecision(int(row.get("AccountNumber") or 0),
                                  msg("account.as_on_invoice"))
        rows.extend(_priced_rows(f"invoice row {row.get('RowId')}",
                                 str(row.get("Description") or "") or "Kredit", quantity, total,
                                 _decimal(row.get("VAT")), "as on the invoice", account,
                                 article if quantity > 0 else "", article_units=quantity))
    freight = _decimal(invoice.get("Freight"))
    model = model_totals(rows, freight=freight, vat_included=vat_included)
    return CreditDraft(rows=tuple(rows), expected_total=model.total,
                       expected_vat=tuple(sorted(model.vat_by_rate.items(), reverse=True)),
                       freight=freight)


def fortnox_rows(draft: CreditDraft, heading: str, *, order_rows: bool = False,
                 stock_point: str = "") -> list[dict[str, Any]]:
    """The draft's rows as Fortnox takes them, negated, after a text row naming what it is."""
    rows: list[dict[str, Any]] = [{"Description": fit(heading, ROW_DESCRIPTION_LIMIT).value}]
    for row in draft.rows:
        body: dict[str, Any] = {"Description": row.description}
        if row.article_number:
            body["ArticleNumber"] = row.article_number
            if stock_point:
                body["StockPointCode"] = stock_point
        if order_rows:
            body["OrderedQuantity"] = -row.quantity
        body.update({"DeliveredQuantity": -row.quantity, "Price": row.price,
                     "VAT": int(row.vat), "AccountNumber": row.account.account})
        rows.append(body)
    return rows


def split_amount(order: WooOrder, amount: Decimal, *, excluded: frozenset[int] = frozenset()
                 ) -> list[tuple[Decimal, Decimal]]:
    """`amount` over the order's VAT rates in proportion to the gross sold at each; the öre
    left by rounding go to the largest share, so the parts add up to `amount` exactly."""
    gross: dict[Decimal, Decimal] = {}
    for charge in order.charges:
        if charge.line_id in excluded:
            continue
        for rate, part in _gross_parts(charge):
            gross[rate] = gross.get(rate, ZERO) + part
    gross = {rate: part for rate, part in gross.items() if part > ZERO}
    total = sum(gross.values(), ZERO)
    if total <= ZERO:
        return [(Decimal(25) if order.charged_vat else ZERO, amount)]
    parts = {rate: (amount * part / total).quantize(CENT) for rate, part in gross.items()}
    largest = max(parts, key=lambda r: gross[r])
    parts[largest] += amount - sum(parts.values(), ZERO)
    return sorted(((rate, part) for rate, part in parts.items() if part), reverse=True)


def _gross_parts(charge: Charge) -> list[tuple[Decimal, Decimal]]:
    if charge.kind == "item":
        rate, _ = line_rate(charge, f"line {charge.line_id}")
        return [(rate, charge.total + charge.total_tax)]
    return [(part.rate, part.amount)
            for part in split_by_rate(charge, True, f"{charge.kind} {charge.line_id}")]


def _line_rows(line: RefundLine, original: Charge | None, settings: ExportSettings,
               context: CreditContext, vat_included: bool) -> list[RowDraft]:
    where = f"refunded {line.kind} line {line.line_id} ({line.name!r})"
    source = f"refund of {line.kind} {line.refunded_line_id or line.line_id}"
    name = (original.name if original else "") or line.name or line.sku
    as_charge = Charge(kind=line.kind, line_id=line.line_id, name=name, quantity=line.quantity,
                       subtotal=line.total, subtotal_tax=line.total_tax, total=line.total,
                       total_tax=line.total_tax, tax_by_rate=line.tax_by_rate,
                       sku=(original.sku if original else "") or line.sku)
    if line.kind != "item":
        label = "Frakt" if line.kind == "shipping" else "Avgift"
        description = fit(name or label, ROW_DESCRIPTION_LIMIT).value or label
        return [_row(source, description, Decimal(1), part.amount, part.rate, part.reason,
                     choose_account(settings.accounts, market=context.market, kind=line.kind,
                                    rate=part.rate))
                for part in split_by_rate(as_charge, vat_included, where) if part.amount]
    if line.refunded_line_id in context.gift_card_lines:
        return [_row(source, fit(name or "Presentkort", ROW_DESCRIPTION_LIMIT).value
                     or "Presentkort", Decimal(1), line.total + line.total_tax, ZERO,
                     "a gift card: VAT is due when it is used",
                     AccountDecision(context.gift_card_account, msg("account.gift_card")))]
    rate, reason = line_rate(as_charge, where)
    sku = as_charge.sku
    known = context.fortnox_articles.get(sku) if sku else None
    product = None
    if original is not None:
        product = (context.products.get(original.variation_id)
                   or context.products.get(original.product_id))
    is_service = bool((known and known.is_service) or (product and product.virtual))
    account = choose_account(settings.accounts, market=context.market,
                             kind="services" if is_service else "goods", rate=rate, sku=sku,
                             categories=product.categories if product else ())
    amount = line.total + line.total_tax if vat_included else line.total
    restocked = context.restocked.get(line.refunded_line_id, ZERO) if known else ZERO
    description = fit(name or "Artikel", ROW_DESCRIPTION_LIMIT).value or "Artikel"
    quantity = line.quantity if line.quantity > ZERO else Decimal(1)
    return _priced_rows(source, description, quantity, amount, rate, reason, account,
                        known.article_number if known else "",
                        article_units=min(restocked, line.quantity))


def _priced_rows(source: str, description: str, quantity: Decimal, amount: Decimal,
                 rate: Decimal, reason: str, account: AccountDecision, article: str, *,
                 article_units: Decimal) -> list[RowDraft]:
    """Rows for `quantity` units costing `amount` in all, exactly, without a discount: one row
    when the amount divides evenly, else all units but one at the unit price rounded down and
    the last unit at the rest. `article_units` of them carry the article number."""
    if quantity <= ZERO or quantity != quantity.to_integral_value():
        return [_row(source, description, Decimal(1), amount, rate, reason, account)]
    price = (amount / quantity).quantize(CENT, rounding=ROUND_DOWN)
    units = [(quantity - 1, price), (Decimal(1), amount - price * (quantity - 1))]
    if price * quantity == amount:
        units = [(quantity, price)]
    rows = []
    left = article_units if article else ZERO
    for count, unit_price in units:
        if not count:
            continue
        with_article = min(left, count)
        left -= with_article
        for part, number in ((with_article, article), (count - with_article, "")):
            if part:
                rows.append(_row(source, description, part, unit_price, rate, reason, account,
                                 number))
    return rows


def _row(source: str, description: str, quantity: Decimal, price: Decimal, rate: Decimal,
         reason: str, account: AccountDecision, article: str = "") -> RowDraft:
    return RowDraft(source=source, description=description, quantity=quantity, price=price,
                    discount=ZERO, vat=rate, vat_reason=reason, account=account,
                    article_number=article)


def _split_account(order: WooOrder, rate: Decimal, settings: ExportSettings,
                   context: CreditContext) -> AccountDecision:
    """The account of the order's largest sale at the rate (a goods account by default)."""
    best: tuple[Decimal, Charge] | None = None
    for charge in order.charges:
        if charge.line_id in context.gift_card_lines:
            continue
        for part_rate, gross in _gross_parts(charge):
            if part_rate == rate and (best is None or gross > best[0]):
                best = (gross, charge)
    kind = "goods" if best is None or best[1].kind == "item" else best[1].kind
    sku = best[1].sku if best is not None and best[1].kind == "item" else ""
    return choose_account(settings.accounts, market=context.market, kind=kind, rate=rate,
                          sku=sku)


def _largest_at(rows: list[RowDraft], order: WooOrder, settings: ExportSettings,
                context: CreditContext):
    def account_for_rate(rate: Decimal) -> AccountDecision:
        largest = max((r for r in rows if r.vat == rate), key=lambda r: abs(r.total),
                      default=None)
        if largest is not None:
            return AccountDecision(largest.account.account, msg(
                "account.as_largest_row", rate=rate, reason=largest.account.reason))
        return _split_account(order, rate, settings, context)
    return account_for_rate


def _decimal(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else ZERO
    except ArithmeticError:
        return ZERO


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() == "true"
