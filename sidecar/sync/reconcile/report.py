"""The comparison itself, over what was already read: every WooCommerce order in scope against
its Fortnox documents, through the ledger and the order's key, sorted into outcomes; then the
days and the sums.

Pure but for `details`, the one way to look at a document whole (the reader fetches it from
Fortnox, once); it is asked only where a list lacks a figure that is needed: a document the
ledger names that the lists do not show, a total that differs from what was sent, and the
documents behind a problem, so the Fortnox sums hold what the books hold.

An order is in scope when the owner's trigger statuses and first order date make it one to
send, or when the sidecar did send it. A document is the order's when its key
(`ExternalInvoiceReference1`) is the order's key, or the key plus `/refund-<id>` (a credit).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from decimal import Decimal

from sidecar.messages import Amount
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.sync.reconcile import outcome as o
from sidecar.sync.reconcile.credits import pair_refunds
from sidecar.sync.reconcile.facts import ZERO
from sidecar.sync.reconcile.facts import Document
from sidecar.sync.reconcile.facts import Figures
from sidecar.sync.reconcile.facts import LedgerFacts
from sidecar.sync.reconcile.facts import Sale
from sidecar.sync.reconcile.facts import shown_totals
from sidecar.sync.reconcile.sums import Sums

Details = Callable[[str, str], tuple[Document, Figures] | None]
UNDONE = ("cancelled", "refunded")


@dataclass(frozen=True)
class Keys:
    """Our order keys: "wc-<shop>-<order id>", a credit's with "/refund-<id>" after it."""

    prefix: str

    def order_id(self, key: str) -> int | None:
        if not key.startswith(self.prefix):
            return None
        digits = key[len(self.prefix):].split("/", 1)[0]
        return int(digits) if digits.isdigit() else None


def compare(first: date, last: date, *, sales: Iterable[Sale], documents: Iterable[Document],
            ledger: Mapping[int, LedgerFacts], keys: Keys, details: Details) -> o.Report:
    by_order: dict[int, list[Document]] = {}
    for document in documents:
        order_id = keys.order_id(document.key)
        if order_id is not None:
            by_order.setdefault(order_id, []).append(document)
    report = o.Report(first, last)
    sums = Sums()
    for sale in sorted(sales, key=lambda s: (s.day, s.id)):
        facts = ledger.get(sale.id)
        if not (sale.eligible or (facts is not None and facts.numbers)):
            continue
        _Order(sale, facts, by_order.pop(sale.id, []), details, report, sums).check()
    in_period = (first.isoformat(), last.isoformat())
    for order_id, found in sorted(by_order.items()):
        for document in found:
            if in_period[0] <= document.day <= in_period[1] and not document.cancelled:
                _stray(document, order_id, ledger.get(order_id), details, report, sums)
    report.days = _days(report, first, last)
    sums.fill(report)
    return report


class _Order:
    """One order in scope: its documents sorted out, its problems and its line."""

    def __init__(self, sale: Sale, facts: LedgerFacts | None, found: list[Document],
                 details: Details, report: o.Report, sums: Sums) -> None:
        self.sale, self.facts, self.details = sale, facts, details
        self.report, self.sums = report, sums
        self.figures: dict[tuple[str, str], Figures] = {}
        self.documents = {(d.kind, d.number): d for d in found}
        self.problems: list[o.Problem] = []

    def check(self) -> None:
        sale, facts = self.sale, self.facts
        known = facts.numbers if facts else set()
        for number in sorted(known - set(self.documents)):
            self._look_up(number)
        primary = self._primary()
        if primary is None or primary.kind == "order":
            primary = self._invoiced_in_fortnox(primary, known) or primary
        sale_documents = [d for d in self.documents.values() if not d.is_credit]
        credits = [d for d in self.documents.values() if d.is_credit and not d.cancelled]
        for extra in sale_documents:
            if (extra.kind, extra.number) in known or extra is primary or extra.cancelled:
                continue
            kind = o.DUPLICATE if any(k == extra.kind for k, _ in known) else o.UNEXPLAINED
            self._extra(kind, extra)
        if primary is None:
            if not any(not d.cancelled for d in sale_documents):
                self._missing()
        elif primary.cancelled:
            if sale.status not in UNDONE:
                self._add(o.CANCELLED_IN_FORTNOX, primary, msg(
                    "reconcile.cancelled_in_fortnox", kind=msg(f"document.{primary.kind}"),
                    number=primary.number, order=sale.number, status=sale.status),
                    woo=sale.total, fortnox=None)
        else:
            self._compare(primary, credits)
        self._refunds(credits)
        fortnox = self.figures.get((primary.kind, primary.number)) if primary else None
        self.sums.add_sale(sale, None if primary is None or primary.cancelled else fortnox)
        self.report.problems.extend(self.problems)
        self.report.lines.append(o.Line(
            sale.day, sale.id, sale.number, sale.status, sale.currency, sale.total,
            (primary.kind, primary.number) if primary else None,
            fortnox.total if fortnox and primary and not primary.cancelled else None,
            self.problems[0].kind if self.problems else o.MATCHED))

    def _look_up(self, number: tuple[str, str]) -> None:
        found = self.details(*number)
        if found is not None:
            self.documents[number] = found[0]
            self.figures[number] = found[1]

    def _primary(self) -> Document | None:
        if self.facts is None:
            return None
        for kind, number in (("invoice", self.facts.invoice_number),
                             ("order", self.facts.order_number)):
            if number:
                return self.documents.get((kind, str(number)))
        return None

    def _invoiced_in_fortnox(self, order: Document | None,
                             known: set[tuple[str, str]]) -> Document | None:
        """The invoice the owner made of our Fortnox order in Fortnox: the ledger does not
        know it, but it carries the order's key and total (only the first such invoice)."""
        if order is None or order.cancelled:
            return None
        return next((d for d in sorted(self.documents.values(), key=_number)
                     if d.kind == "invoice" and not d.is_credit and not d.cancelled
                     and (d.kind, d.number) not in known and d.total == order.total), None)

    def _missing(self) -> None:
        sale, facts = self.sale, self.facts
        amount = Amount(sale.total, sale.currency)
        named = [(k, n) for k, n in (("invoice", facts.invoice_number if facts else None),
                                     ("order", facts.order_number if facts else None)) if n]
        if named:
            reason = msg("reconcile.missing_document", order=sale.number, amount=amount,
                         kind=msg(f"document.{named[0][0]}"), number=str(named[0][1]))
        elif facts is not None and facts.last_error:
            reason = msg("reconcile.missing_failed", order=sale.number, amount=amount,
                         error=facts.last_error)
        else:
            reason = msg("reconcile.missing_not_sent", order=sale.number, amount=amount)
        self._add(o.MISSING, None, reason, woo=sale.total, fortnox=None)

    def _compare(self, primary: Document, credits: list[Document]) -> None:
        sale = self.sale
        if sale.status == "cancelled":
            credited = -sum((c.total for c in credits), ZERO)
            if credited not in shown_totals(primary.total, primary.currency):
                self._add(o.CANCELLED_IN_WOO, primary, msg(
                    "reconcile.cancelled_in_woo", order=sale.number,
                    kind=msg(f"document.{primary.kind}"), number=primary.number,
                    amount=Amount(primary.total, primary.currency)),
                    woo=sale.total, fortnox=primary.total)
                self.figures.setdefault((primary.kind, primary.number),
                                        self._sent_or_read(primary))
                return
        held = self._held(primary)
        if held.total != sale.total or held.vat != sale.vat:
            self._add(o.AMOUNT_DIFFERS, primary, msg(
                "reconcile.amount_differs", kind=msg(f"document.{primary.kind}"),
                number=primary.number, order=sale.number,
                fortnox=Amount(held.total, sale.currency), woo=Amount(sale.total, sale.currency),
                fortnox_vat=Amount(_vat(held.vat), sale.currency),
                woo_vat=Amount(_vat(sale.vat), sale.currency),
                difference=Amount(held.total - sale.total, sale.currency)),
                woo=sale.total, fortnox=held.total)

    def _held(self, primary: Document) -> Figures:
        """The primary document's figures: as sent while its list total still says so, else
        as Fortnox holds it now."""
        number = (primary.kind, primary.number)
        if number not in self.figures:
            sent = self.facts.sent if self.facts else None
            if sent is not None and primary.total in shown_totals(sent.total, primary.currency):
                self.figures[number] = sent
            else:
                self.figures[number] = self._read(primary)
        return self.figures[number]

    def _sent_or_read(self, document: Document) -> Figures:
        sent = self.facts.sent if self.facts else None
        return sent if sent is not None else self._read(document)

    def _read(self, document: Document) -> Figures:
        found = self.details(document.kind, document.number)
        return found[1] if found else Figures(document.total, ())

    def _refunds(self, credits: list[Document]) -> None:
        sale = self.sale
        pairs = pair_refunds(sale.refunds, credits, self.facts.credits if self.facts else {})
        for refund in pairs.refunds_alone:
            self.sums.add_refund(sale.currency, refund.amount, None)
            self._add(o.REFUND_WITHOUT_CREDIT, None, msg(
                "reconcile.refund_without_credit", refund=refund.id, order=sale.number,
                amount=Amount(refund.amount, sale.currency)), woo=refund.amount, fortnox=None)
        for refund, credit in pairs.paired:
            agrees = -credit.total in shown_totals(refund.amount, credit.currency)
            # A list shows whole kronor: a credit that agrees holds the refund to the öre.
            self.sums.add_refund(sale.currency, refund.amount,
                                 refund.amount if agrees else -credit.total)
            if not agrees:
                self._add(o.AMOUNT_DIFFERS, credit, msg(
                    "reconcile.credit_differs", number=credit.number, refund=refund.id,
                    order=sale.number, fortnox=Amount(-credit.total, credit.currency),
                    woo=Amount(refund.amount, sale.currency)),
                    woo=refund.amount, fortnox=-credit.total)
        for credit in pairs.credits_alone:
            self.sums.add_refund(sale.currency, None, -credit.total)
            if sale.status == "cancelled":
                continue  # crediting the invoice is how a cancelled sale is undone
            self._add(o.CREDIT_WITHOUT_REFUND, credit, msg(
                "reconcile.credit_without_refund", number=credit.number, order=sale.number,
                amount=Amount(-credit.total, credit.currency)), woo=None, fortnox=-credit.total)

    def _extra(self, kind: str, document: Document) -> None:
        held = self._read(document)
        self.sums.add_document(document.currency, self.sale.market, held)
        original = [f"{k} {n}" for k, n in sorted(self.facts.numbers) if k == document.kind] \
            if self.facts else []
        if kind == o.DUPLICATE:
            reason = msg("reconcile.duplicate", kind=msg(f"document.{document.kind}"),
                         number=document.number, order=self.sale.number,
                         original=", ".join(original),
                         amount=Amount(held.total, document.currency))
        else:
            reason = _unexplained(document, held)
        self._add(kind, document, reason, woo=None, fortnox=held.total)

    def _add(self, kind: str, document: Document | None, reason: Message, *,
             woo: Decimal | None, fortnox: Decimal | None) -> None:
        sale = self.sale
        self.problems.append(o.Problem(
            kind, sale.day, sale.id, sale.number,
            (document.kind, document.number) if document else None, sale.currency, woo,
            fortnox, reason))


def _stray(document: Document, order_id: int, facts: LedgerFacts | None, details: Details,
           report: o.Report, sums: Sums) -> None:
    """A document of the period naming an order outside the report's scope."""
    if facts is not None and (document.kind, document.number) in facts.numbers:
        return  # the sidecar made it, for an order of another period
    found = details(document.kind, document.number)
    held = found[1] if found else Figures(document.total, ())
    sums.add_document(document.currency, "", held)
    duplicate = facts is not None and any(k == document.kind for k, _ in facts.numbers)
    reason = msg("reconcile.duplicate", kind=msg(f"document.{document.kind}"),
                 number=document.number, order=str(order_id),
                 original=", ".join(f"{k} {n}" for k, n in sorted(facts.numbers)
                                    if k == document.kind),
                 amount=Amount(held.total, document.currency)) if duplicate and facts else \
        _unexplained(document, held)
    report.problems.append(o.Problem(
        o.DUPLICATE if duplicate else o.UNEXPLAINED, document.day, order_id, "",
        (document.kind, document.number),
        document.currency, None, held.total, reason))


def _number(document: Document) -> tuple[int, str]:
    return (int(document.number) if document.number.isdigit() else 0, document.number)


def _unexplained(document: Document, held: Figures) -> Message:
    return msg("reconcile.unexplained", kind=msg(f"document.{document.kind}"),
               number=document.number, key=document.key,
               amount=Amount(held.total, document.currency))


def _vat(vat: tuple[tuple[Decimal, Decimal], ...]) -> Decimal:
    return sum((amount for _, amount in vat), ZERO)


def _days(report: o.Report, first: date, last: date) -> list[o.Day]:
    days = {(first + timedelta(days=n)).isoformat(): [0, 0, 0]
            for n in range((last - first).days + 1)}
    for line in report.lines:
        if line.day in days:
            days[line.day][0] += 1
            days[line.day][1] += line.outcome == o.MATCHED
    for problem in report.problems:
        if problem.day in days:
            days[problem.day][2] += 1
    return [o.Day(day, *counts) for day, counts in days.items()]


__all__ = ["Details", "Keys", "compare"]
