"""Each WooCommerce refund of an exported order becomes one Fortnox document, exactly once.

WooCommerce sends a refund as `order.updated` of its order, whose `refunds` list names it; its
lines and taxes are read from `orders/<id>/refunds`. Refunds are taken oldest first, each under
the order's claim, with every step in the ledger (refund_ledger.py):

- the order has an invoice (made by us, or from our order in Fortnox): a credit invoice linked
  to it, rows from the refund (credit_rows.py, credits.py);
- it has only a Fortnox order, not invoiced yet: the order is corrected, so the invoice made
  from it later is the net sale (order_corrections.py); a refund of the whole order cancels it;
- it never reached Fortnox: noted, not booked; looked at again if the order is exported later.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxValidationError
from sidecar.messages import Amount
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sync.orders import documents
from sidecar.sync.orders import gift_cards
from sidecar.sync.orders import ledger as steps
from sidecar.sync.orders import refund_ledger as outcomes
from sidecar.sync.orders.credit_rows import CreditContext
from sidecar.sync.orders.credit_rows import CreditDraft
from sidecar.sync.orders.credit_rows import map_credit
from sidecar.sync.orders.credit_rows import mirror_invoice
from sidecar.sync.orders.credits import CreditHeader
from sidecar.sync.orders.credits import make_credit
from sidecar.sync.orders.credits import our_credit_numbers
from sidecar.sync.orders.credits import totals_of
from sidecar.sync.orders.customer_mapping import map_customer
from sidecar.sync.orders.export_errors import ExportFailed
from sidecar.sync.orders.export_errors import record_activity
from sidecar.sync.orders.fortnox_facts import FortnoxFactsCache
from sidecar.sync.orders.order_corrections import OrderNotCorrectable
from sidecar.sync.orders.order_corrections import Target
from sidecar.sync.orders.order_corrections import cancel_fortnox_order
from sidecar.sync.orders.order_corrections import correct_order
from sidecar.sync.orders.order_corrections import obstacle
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import OrderNotMappable
from sidecar.sync.orders.woo_order import WooOrder
from sidecar.sync.orders.woo_refund import WooRefund
from sidecar.sync.orders.woo_refund import parse_refund
from sidecar.sync.orders.woo_refund import rates_by_id
from sidecar.sync.orders.woo_refund import restocked_by_line
from sidecar.woocommerce import WooClient

log = logging.getLogger(__name__)


class Refunds:
    """The refunds of one order in one follow-up, with what they need to be booked."""

    def __init__(self, shop: Shop, row: OrderLedger, order: WooOrder,
                 payload: Mapping[str, Any], *, fortnox: FortnoxClient, woo: WooClient | None,
                 settings: ExportSettings, now: datetime, facts: FortnoxFactsCache | None
                 ) -> None:
        self.shop, self.row, self.order, self.payload = shop, row, order, payload
        self.fortnox, self.woo, self.settings, self.now = fortnox, woo, settings, now
        self.facts = facts
        self.listed = dict(order.refunds)
        self.corrected: dict[str, Any] | None = None  # the Fortnox order, once corrected

    @property
    def refunded(self) -> Decimal:
        return sum(self.listed.values(), Decimal(0))

    def pending(self) -> list[int]:
        return sorted(rid for rid in self.listed if rid and not outcomes.settled(self.row, rid))

    def follow(self) -> list[str]:
        pending = self.pending()
        if not pending:
            return []
        if not (self.row.fortnox_order_number or self.row.fortnox_invoice_number):
            return [self._note(refund_id, self.listed[refund_id], "not_exported", msg(
                "refund.not_exported", refund=refund_id, order=self.order.number,
                amount=self._amount(self.listed[refund_id]))) for refund_id in pending]
        details = self._details()
        rates = rates_by_id(self.payload)
        notes = []
        for refund_id in pending:
            body = details.get(refund_id)
            if body is None:
                continue  # listed on the order before the refunds list has it: next time
            try:
                refund = parse_refund(body, rates)
            except OrderNotMappable as exc:
                raise ExportFailed(msg("refund.not_readable", refund=refund_id,
                                       order=self.order.number, reason=str(exc)),
                                   advice=msg("hint.fix_order_or_settings"),
                                   retryable=False) from exc
            notes.append(self._one(refund))
        return [n for n in notes if n]

    def take_off_the_order(self) -> bool:
        """Before the Fortnox order is invoiced: part refunds so far corrected on it, so the
        invoice is the net sale; True when it was corrected. A refund of everything is left for
        after invoicing (invoiced, then credited, as the money moved both ways)."""
        if not self.pending() or self.refunded >= self.order.total:
            return False
        self.follow()
        return self.corrected is not None

    def _details(self) -> dict[int, dict[str, Any]]:
        if self.woo is None:
            raise ExportFailed(msg("refund.details_missing", order=self.order.number),
                               advice=msg("hint.check_woo_keys"), retryable=True)
        return {int(r.get("id") or 0): r for r in self.woo.list_order_refunds(self.order.id)}

    # One refund ------------------------------------------------------------------------------

    def _one(self, refund: WooRefund) -> str:
        row = self.row
        if row.fortnox_order_number and not row.fortnox_invoice_number:
            learn_invoice(row, fortnox=self.fortnox, now=self.now)
        if row.fortnox_invoice_number:
            return self._credit(refund)
        return self._correct(refund)

    def _credit(self, refund: WooRefund) -> str:
        row, invoice_number = self.row, str(self.row.fortnox_invoice_number)
        original = self.fortnox.get_invoice(invoice_number)
        if documents._true(original.get("Cancelled")):
            return self._note(refund.id, refund.amount, "invoice_cancelled", msg(
                "refund.invoice_cancelled", refund=refund.id, order=self.order.number,
                invoice=invoice_number))
        step = f"credit:{refund.id}"
        ours = our_credit_numbers(row)
        foreign = str(original.get("CreditInvoiceReference") or "0")
        if foreign not in ("", "0") and foreign not in ours \
                and steps.latest_step(row, step) is None:
            return self._needs_owner(refund, "credited_in_fortnox", msg(
                "refund.credited_in_fortnox", refund=refund.id, order=self.order.number,
                amount=self._amount(refund.amount), invoice=invoice_number, credit=foreign),
                msg("hint.check_fortnox_credit", credit=foreign))
        restocked = self._restocked(refund)
        if not refund.lines and not ours and refund.amount == self.order.total \
                == totals_of(original)[0]:
            draft = mirror_invoice(original, keep_articles=False)  # the whole sale, as money
        else:
            draft = map_credit(self.order, refund, self.settings, self._context(restocked))
        header = CreditHeader(
            marker=f"refund-{refund.id}",
            heading=f"Kredit av faktura {invoice_number}, återbetalning {refund.id}",
            remarks=f"Kreditering av faktura {invoice_number}: återbetalning {refund.id} av "
                    f"order {self.order.number}" + (f" ({refund.reason})" if refund.reason
                                                     else ""),
            invoice_date=max(refund.date_created[:10] or self.now.date().isoformat(),
                             str(original.get("InvoiceDate") or "")),
            your_order_number=self.order.number, vat_included=self.order.prices_include_tax,
            stock_point=self._stock_point())
        made = make_credit(row, step, original, draft, header, fortnox=self.fortnox,
                           now=self.now)
        self._check_totals(made.document, made.number, refund, draft)
        outcomes.record(row, refund.id, outcomes.DONE, self.now, kind="credit",
                        number=made.number, invoice=invoice_number, via=made.via,
                        linked=made.linked,
                        amount=str(refund.amount), vat=_vat_facts(draft),
                        split=[[str(r), str(g)] for r, g in draft.split],
                        restocked={str(k): str(v) for k, v in restocked.items() if v})
        record_activity(self.shop, self.order.id, level="info", now=self.now,
                        message=msg("refund.credited", credit=made.number,
                                    invoice=invoice_number, refund=refund.id,
                                    order=self.order.number,
                                    amount=self._amount(refund.amount)))
        self._tell_split(refund, draft)
        if self.refunded >= self.order.total and self.pending() == []:
            steps.save(row, self.now, state="credited")
        log.info("refund.credited shop=%s order=%s refund=%s credit=%s via=%s", self.shop.id,
                 self.order.id, refund.id, made.number, made.via)
        return f"refund {refund.id}: credit invoice {made.number}"

    def _correct(self, refund: WooRefund) -> str:
        row = self.row
        number = str(row.fortnox_order_number)
        if self.refunded >= self.order.total:
            return self._cancel_whole(refund)
        restocked = self._restocked(refund)
        try:
            draft = map_credit(self.order, refund, self.settings, self._context(restocked))
            try:
                corrected = correct_order(
                    row, f"correct:{refund.id}", refund.id, draft, self._target(refund, draft),
                    vat_included=self.order.prices_include_tax,
                    rounding_account=self.settings.rounding_account,
                    stock_point=self._stock_point(), fortnox=self.fortnox, now=self.now)
            except FortnoxValidationError as refused:  # changed in Fortnox since we looked?
                raise obstacle(self.fortnox.get_order(number)) or refused from refused
        except OrderNotCorrectable as exc:
            if exc.invoice:
                steps.save(row, self.now, fortnox_invoice_number=exc.invoice)
                return self._credit(refund)
            if exc.reason == "cancelled":
                return self._note(refund.id, refund.amount, "order_cancelled_in_fortnox", msg(
                    "refund.order_cancelled_in_fortnox", refund=refund.id,
                    order=self.order.number, fortnox_order=number))
            return self._needs_owner(refund, "order_locked", msg(
                "refund.order_locked", refund=refund.id, order=self.order.number,
                amount=self._amount(refund.amount), fortnox_order=number),
                msg("hint.invoice_locked_order"))
        except (OrderNotMappable, FortnoxValidationError) as exc:
            return self._needs_owner(refund, "order_changed", msg(
                "refund.order_changed", refund=refund.id, order=self.order.number,
                amount=self._amount(refund.amount), fortnox_order=number, reason=str(exc)),
                msg("hint.change_order_before_invoicing"))
        self.corrected = corrected
        self._check_totals(corrected, number, refund, draft, kind="order")
        outcomes.record(row, refund.id, outcomes.DONE, self.now, kind="order", number=number,
                        amount=str(refund.amount), vat=_vat_facts(draft),
                        split=[[str(r), str(g)] for r, g in draft.split],
                        restocked={str(k): str(v) for k, v in restocked.items() if v})
        record_activity(self.shop, self.order.id, level="info", now=self.now, message=msg(
            "refund.order_corrected", fortnox_order=number, refund=refund.id,
            order=self.order.number, amount=self._amount(refund.amount)))
        self._tell_split(refund, draft)
        return f"refund {refund.id}: Fortnox order {number} corrected"

    def _cancel_whole(self, refund: WooRefund) -> str:
        """The whole order refunded before it was invoiced: no sale to book, so its Fortnox
        order is cancelled (every refund of it points there)."""
        number = str(self.row.fortnox_order_number)
        try:
            cancel_fortnox_order(self.row, fortnox=self.fortnox, now=self.now)
        except FortnoxValidationError as exc:
            if learn_invoice(self.row, fortnox=self.fortnox, now=self.now):
                return self._credit(refund)
            return self._needs_owner(refund, "order_locked", msg(
                "refund.order_locked", refund=refund.id, order=self.order.number,
                amount=self._amount(refund.amount), fortnox_order=number),
                msg("hint.cancel_by_hand"), error=exc.message)
        steps.save(self.row, self.now, state="cancelled")
        for refund_id in self.pending():
            outcomes.record(self.row, refund_id, outcomes.DONE, self.now,
                            kind="order_cancelled", number=number,
                            amount=str(self.listed[refund_id]))
        record_activity(self.shop, self.order.id, level="info", now=self.now, message=msg(
            "refund.order_cancelled", fortnox_order=number, order=self.order.number))
        return f"refund {refund.id}: Fortnox order {number} cancelled"

    # Helpers ---------------------------------------------------------------------------------

    def _context(self, restocked: Mapping[int, Decimal]) -> CreditContext:
        articles = {}
        if self.facts is not None:
            skus = [item.sku for item in self.order.items]
            articles = self.facts.facts(self.shop, self.fortnox, skus, now=self.now).articles
        products = gift_cards.product_facts(self.order, self.settings, self.woo)
        return CreditContext(market=map_customer(self.order, self.settings).vat.market,
                             fortnox_articles=articles, restocked=restocked,
                             gift_card_lines=gift_cards.sold_lines(self.order, self.settings,
                                                                   products),
                             gift_card_account=self.settings.gift_card_account)

    def _restocked(self, refund: WooRefund) -> dict[int, Decimal]:
        """Units of this refund WooCommerce put back in stock: its share of the order lines'
        running restock count, after what earlier refunds' documents returned."""
        left = restocked_by_line(self.payload)
        for line, units in outcomes.restock_used(self.row).items():
            left[line] = left.get(line, Decimal(0)) - units
        taken: dict[int, Decimal] = {}
        for line in refund.lines:
            if line.kind == "item" and line.refunded_line_id:
                units = min(line.quantity, max(left.get(line.refunded_line_id, Decimal(0)),
                                               Decimal(0)))
                left[line.refunded_line_id] = left.get(line.refunded_line_id, Decimal(0)) - units
                taken[line.refunded_line_id] = taken.get(line.refunded_line_id,
                                                         Decimal(0)) + units
        return taken

    def _target(self, refund: WooRefund, draft: CreditDraft) -> Target:
        """What the Fortnox order must total: the sale less every refund taken off it."""
        total = self.order.total - refund.amount
        vat = dict(self.order.vat_by_rate)
        taken = [*(f.get("vat") or {} for f in outcomes.order_corrections(self.row)),
                 _vat_facts(draft)]
        for facts in outcomes.order_corrections(self.row):
            total -= Decimal(str(facts.get("amount") or 0))
        for by_rate in taken:
            for rate, amount in by_rate.items():
                vat[Decimal(rate)] = vat.get(Decimal(rate), Decimal(0)) - Decimal(str(amount))
        return Target(total, vat)

    def _stock_point(self) -> str:
        return self.settings.stock_point_code

    def _amount(self, value: Decimal) -> Amount:
        return Amount(value, self.order.currency)

    def _check_totals(self, document: dict[str, Any], number: str, refund: WooRefund,
                      draft: CreditDraft, *, kind: str = "credit") -> None:
        """Fortnox computes the totals itself; an öre of difference is for the owner to see."""
        total, vat = totals_of(document)
        if kind == "credit":
            expected_total, expected_vat = -draft.expected_total, -draft.expected_vat_total()
        else:
            target = self._target(refund, draft)
            expected_total = target.total
            expected_vat = sum((v for r, v in target.vat_by_rate.items() if r), Decimal(0))
        if (total, vat) == (expected_total, expected_vat):
            return
        record_activity(self.shop, self.order.id, level="warning", now=self.now, message=msg(
            "refund.totals_differ", number=number, refund=refund.id, order=self.order.number,
            total=total, vat=vat, expected_total=expected_total, expected_vat=expected_vat),
            hint=msg("hint.compare_rows"))

    def _tell_split(self, refund: WooRefund, draft: CreditDraft) -> None:
        if draft.split:
            shares = ", ".join(f"{gross} ({rate} %)" for rate, gross in draft.split)
            record_activity(self.shop, self.order.id, level="info", now=self.now, message=msg(
                "refund.split", refund=refund.id, order=self.order.number,
                amount=self._amount(sum((g for _, g in draft.split), Decimal(0))),
                shares=shares))

    def _note(self, refund_id: int, amount: Decimal, kind: str, message: Message) -> str:
        if not outcomes.already_told(self.row, refund_id, kind):
            outcomes.record(self.row, refund_id, outcomes.NOTED, self.now, kind=kind,
                            amount=str(amount), error=message.english())
            record_activity(self.shop, self.order.id, level="info", now=self.now,
                            message=message)
        return message.english()

    def _needs_owner(self, refund: WooRefund, kind: str, message: Message, hint: Message, *,
                     error: str = "") -> str:
        if not outcomes.already_told(self.row, refund.id, kind):
            outcomes.record(self.row, refund.id, outcomes.NEEDS_OWNER, self.now, kind=kind,
                            amount=str(refund.amount), error=error or message.english())
            record_activity(self.shop, self.order.id, level="warning", message=message,
                            hint=hint, now=self.now)
        return message.english()


def learn_invoice(row: OrderLedger, *, fortnox: FortnoxClient, now: datetime) -> bool:
    """Someone may have invoiced our Fortnox order in Fortnox: that invoice is the one a
    refund or a cancellation credits. True when one was found."""
    reference = fortnox.get_order(str(row.fortnox_order_number)).get("InvoiceReference")
    if reference in documents.NO_INVOICE:
        return False
    steps.save(row, now, fortnox_invoice_number=str(reference))
    return True


def _vat_facts(draft: CreditDraft) -> dict[str, str]:
    return {str(rate): str(vat) for rate, vat in draft.expected_vat}
