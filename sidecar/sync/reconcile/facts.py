"""What the reconciliation compares, read once into small records: a WooCommerce sale, a Fortnox
document as its list shows it, and what the ledger knows of an order.

Fortnox's lists carry a document's total (after its whole-kronor `RoundOff`), our key
(`ExternalInvoiceReference1`), the date and whether it is cancelled, but no rows, VAT or credit
link. `figures` computes a document's total and VAT per rate from its rows the way Fortnox does
(per rate on the sum of that rate's rows, half up; the header freight at 25 %), for the rows the
sidecar sent (kept in the ledger) and for a document read whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from decimal import ROUND_HALF_UP
from decimal import Decimal
from typing import Any

from sidecar.fortnox.schemas import DOCUMENT
from sidecar.fortnox.schemas import read
from sidecar.sync.orders.rounding import totals_by_rate
from sidecar.sync.orders.rows import HUNDRED
from sidecar.sync.orders.rows import ZERO
from sidecar.sync.orders.rows import round_ore as cents

REFUND_MARKER = "refund-"

VatByRate = tuple[tuple[Decimal, Decimal], ...]


@dataclass(frozen=True)
class Refund:
    id: int
    amount: Decimal  # positive: what went back to the customer


@dataclass(frozen=True)
class Sale:
    """A WooCommerce order in the period, as far as the comparison needs it."""

    id: int
    number: str
    day: str  # YYYY-MM-DD, the shop's local date of the order
    status: str
    currency: str
    total: Decimal
    vat: VatByRate
    market: str
    eligible: bool  # by the owner's trigger statuses and first order date
    refunds: tuple[Refund, ...] = ()


@dataclass(frozen=True)
class Figures:
    """A document's money as Fortnox books it: total before its whole-kronor rounding, VAT per
    rate (rates without VAT left out)."""

    total: Decimal
    vat: VatByRate


@dataclass(frozen=True)
class Document:
    """A Fortnox order or invoice as its list item shows it."""

    kind: str  # "order" or "invoice"
    number: str
    key: str  # ExternalInvoiceReference1
    marker: str  # ExternalInvoiceReference2
    day: str
    currency: str
    total: Decimal  # after RoundOff
    cancelled: bool

    @property
    def is_credit(self) -> bool:
        return self.kind == "invoice" and (self.total < ZERO
                                           or self.marker.startswith(REFUND_MARKER))

    @property
    def label(self) -> str:
        return f"{self.kind} {self.number}"


@dataclass
class LedgerFacts:
    """The sidecar's record of one order: its Fortnox numbers, the rows it sent, its credits."""

    order_id: int
    key: str
    state: str
    order_number: str | None
    invoice_number: str | None
    last_error: str | None = None
    sent: Figures | None = None  # the sale's document as sent (rows through Fortnox's rules)
    credits: dict[int, str] = field(default_factory=dict)  # refund id -> credit number

    @property
    def numbers(self) -> set[tuple[str, str]]:
        known = {("order", self.order_number), ("invoice", self.invoice_number)}
        known |= {("invoice", number) for number in self.credits.values()}
        return {(kind, str(number)) for kind, number in known if number}


def document_from_list(kind: str, item: Mapping[str, Any]) -> Document:
    read_ = read(DOCUMENT, item, kind)
    return Document(
        kind=kind, number=read_["DocumentNumber"], key=read_["ExternalInvoiceReference1"],
        marker=read_["ExternalInvoiceReference2"],
        day=read_["InvoiceDate" if kind == "invoice" else "OrderDate"][:10],
        currency=read_["Currency"] or "SEK", total=read_["Total"], cancelled=read_["Cancelled"])


def figures(document: Mapping[str, Any], rows_key: str) -> Figures:
    """Total and VAT per rate of a document body (sent or read), by Fortnox's arithmetic."""
    read_ = read(DOCUMENT, document, "document")
    base: dict[Decimal, Decimal] = {}
    for row in read_[rows_key]:
        base[row["VAT"]] = base.get(row["VAT"], ZERO) + row_total(row)
    model = totals_by_rate(base, freight=read_["Freight"], vat_included=read_["VATIncluded"])
    return Figures(total=model.total, vat=by_rate(model.vat_by_rate.items()))


def row_total(row: Mapping[str, Any]) -> Decimal:
    """A row as `DocumentRowSchema` reads it: its amount by Fortnox's arithmetic."""
    gross = cents(row["Price"]) * cents(row["DeliveredQuantity"])
    if row["DiscountType"] == "AMOUNT":
        return cents(gross - row["Discount"])
    return cents(gross * (HUNDRED - row["Discount"]) / HUNDRED)


def by_rate(pairs: Iterable[tuple[Decimal, Decimal]]) -> VatByRate:
    """VAT per rate in one shape for both sides: summed per rate, zero rates left out,
    highest rate first."""
    summed: dict[Decimal, Decimal] = {}
    for rate, amount in pairs:
        if rate:
            summed[rate] = summed.get(rate, ZERO) + amount
    return tuple(sorted(((r, a) for r, a in summed.items()), reverse=True))


def shown_totals(total: Decimal, currency: str) -> tuple[Decimal, ...]:
    """What a Fortnox list may show for a document of this total: the total itself, or, for
    kronor, the total rounded to whole kronor (the company's öresavrundning)."""
    if currency != "SEK":
        return (total,)
    return (total, total.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


