"""What happens in Fortnox when an exported order is cancelled or refunded in WooCommerce.

A cancelled order whose Fortnox order is not invoiced yet is cancelled in Fortnox. A refund
(WooCommerce sends it as `order.updated` of the order, listed in `refunds`) becomes a credit
invoice: the whole invoice credited when the whole order was refunded at once, otherwise a
credit invoice for the refunded amount, split over the order's VAT rates. What cannot be undone
automatically (an invoiced order cancelled, a refund on an order never invoiced) is an activity
entry telling the owner what to do, once. Each credit is a ledger step named after the refund,
created at most once like any other document.
"""

from __future__ import annotations

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
from sidecar.models import OrderStep
from sidecar.models import Shop
from sidecar.sync.orders import documents
from sidecar.sync.orders import ledger as steps
from sidecar.sync.orders.accounts import choose_account
from sidecar.sync.orders.customer_mapping import map_customer
from sidecar.sync.orders.export_errors import record_activity
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import WooOrder
from sidecar.sync.orders.woo_order import money

CENT = Decimal("0.01")
NEEDS_OWNER = "needs_owner"  # a step the owner must do in Fortnox


def follow_up(shop: Shop, row: OrderLedger, order: WooOrder, payload: Mapping[str, Any], *,
              fortnox: FortnoxClient, settings: ExportSettings, now: datetime) -> list[str]:
    notes = []
    refunds = sorted(payload.get("refunds") or [], key=lambda r: int(r.get("id") or 0))
    pending = [r for r in refunds if steps.latest_step(row, f"credit:{r.get('id')}") is None
               or steps.outcome_unknown(row, f"credit:{r.get('id')}")]
    cancelling = order.status == "cancelled" and row.state != "cancelled" \
        and steps.latest_step(row, steps.CANCEL) is None
    if (pending or cancelling) and row.fortnox_order_number and not row.fortnox_invoice_number:
        _learn_invoice(row, fortnox=fortnox, now=now)
    for refund in refunds:
        notes.append(_refund(shop, row, order, refund, len(refunds), fortnox=fortnox,
                             settings=settings, now=now))
    if order.status == "cancelled":
        notes.append(_cancel(shop, row, order, fortnox=fortnox, now=now))
    return [n for n in notes if n]


def _learn_invoice(row: OrderLedger, *, fortnox: FortnoxClient, now: datetime) -> None:
    """Someone may have invoiced our Fortnox order in Fortnox: that invoice is the one a
    refund credits and the reason a cancellation needs the owner."""
    reference = fortnox.get_order(str(row.fortnox_order_number)).get("InvoiceReference")
    if reference not in documents.NO_INVOICE:
        steps.save(row, now, fortnox_invoice_number=str(reference))


def _needs_owner(shop: Shop, row: OrderLedger, order: WooOrder, step: str, message: Message,
                 hint: Message, now: datetime) -> str:
    """Record that the owner must act, and say it once, not on every later update."""
    told = OrderStep.select().where((OrderStep.ledger == row.id) & (OrderStep.step == step)
                                    & (OrderStep.state == NEEDS_OWNER)).exists()
    if not told:
        steps.record(row, step, NEEDS_OWNER, now, error=message.english())
        record_activity(shop, order.id, level="warning", message=message, hint=hint, now=now)
    return message.english()


def _cancel(shop: Shop, row: OrderLedger, order: WooOrder, *, fortnox: FortnoxClient,
            now: datetime) -> str:
    last = steps.latest_step(row, steps.CANCEL)
    if row.state == "cancelled" or (last is not None and last.state in ("done", NEEDS_OWNER)):
        return ""
    if row.fortnox_invoice_number:
        return _needs_owner(
            shop, row, order, steps.CANCEL,
            msg("order.cancelled_but_invoiced", order=order.number,
                invoice=str(row.fortnox_invoice_number)),
            msg("hint.credit_or_refund"), now)
    if not row.fortnox_order_number:
        return ""
    try:
        cancel_fortnox_order(row, fortnox=fortnox, now=now)
    except FortnoxValidationError as exc:
        return _needs_owner(
            shop, row, order, steps.CANCEL,
            msg("order.cancel_refused", order=order.number,
                fortnox_order=str(row.fortnox_order_number), error=exc.message),
            msg("hint.cancel_by_hand"), now)
    steps.save(row, now, state="cancelled")
    record_activity(shop, order.id, level="info", now=now,
                    message=msg("order.fortnox_order_cancelled",
                                fortnox_order=str(row.fortnox_order_number),
                                order=order.number))
    return f"cancelled Fortnox order {row.fortnox_order_number}"


def cancel_fortnox_order(row: OrderLedger, *, fortnox: FortnoxClient, now: datetime) -> None:
    number = str(row.fortnox_order_number)

    def cancelled() -> str | None:
        return number if documents._true(fortnox.get_order(number).get("Cancelled")) else None

    def send() -> str:
        try:
            fortnox.cancel_order(number)
        except FortnoxValidationError:
            if not cancelled():  # e.g. invoiced in Fortnox meanwhile: the owner must act
                raise
        return number

    documents._attempts(row, steps.CANCEL, find=cancelled, send=send, now=now,
                        request={"cancel": number}, column=None)


def _refund(shop: Shop, row: OrderLedger, order: WooOrder, refund: Mapping[str, Any],
            count: int, *, fortnox: FortnoxClient, settings: ExportSettings,
            now: datetime) -> str:
    refund_id = int(refund.get("id") or 0)
    step = f"credit:{refund_id}"
    if steps.latest_step(row, step) is not None and not steps.outcome_unknown(row, step):
        return ""  # credited, or waiting for the owner
    refunded = abs(money(refund.get("total"), "refund total"))
    whole = count == 1 and refunded == order.total
    if not row.fortnox_invoice_number:
        if not row.fortnox_order_number:
            return ""
        # Nothing invoiced, so nothing to credit; cancelling the Fortnox order would call a
        # refunded sale cancelled, so the owner decides.
        return _needs_owner(
            shop, row, order, step,
            msg("order.refunded_without_invoice", order=order.number,
                amount=Amount(refunded, order.currency),
                fortnox_order=str(row.fortnox_order_number)),
            msg("hint.cancel_or_change_order") if whole else
            msg("hint.change_order_before_invoicing"), now)
    invoice = str(row.fortnox_invoice_number)
    if whole:
        number = _credit_whole(row, step, invoice, fortnox=fortnox, now=now)
    else:
        number = _credit_part(row, order, step, refund_id, refunded, str(refund.get("reason")
                              or ""), fortnox=fortnox, settings=settings, now=now)
    if whole:
        steps.save(row, now, state="credited")
    record_activity(shop, order.id, level="info", now=now,
                    message=msg("order.credit_made", credit=number, refund=refund_id,
                                amount=Amount(refunded, order.currency), invoice=invoice))
    return f"refund {refund_id}: credit invoice {number}"


def _credit_whole(row: OrderLedger, step: str, invoice: str, *, fortnox: FortnoxClient,
                  now: datetime) -> str:
    def find() -> str | None:
        reference = fortnox.get_invoice(invoice).get("CreditInvoiceReference")
        return None if reference in documents.NO_INVOICE else str(reference)

    def send() -> str:
        return str(fortnox.credit_invoice(invoice)["CreditInvoiceReference"])

    number, _ = documents._attempts(row, step, find=find, send=send, now=now,
                                    request={"credit": invoice}, column=None)
    return number


def _credit_part(row: OrderLedger, order: WooOrder, step: str, refund_id: int,
                 refunded: Decimal, reason: str, *, fortnox: FortnoxClient,
                 settings: ExportSettings, now: datetime) -> str:
    marker = f"refund-{refund_id}"
    market = map_customer(order, settings).vat.market
    rows = [{"Description": (f"Återbetalning: {reason}" if reason else "Återbetalning")[:255],
             "DeliveredQuantity": -1, "Price": part, "VAT": int(rate),
             "AccountNumber": choose_account(settings.accounts, market=market, kind="goods",
                                             rate=rate).account}
            for rate, part in split_by_rate(order, refunded)]
    # Its own key (the order's key plus the refund): the order's key names the order's one
    # invoice, and this credit note must never be taken for it.
    reference = f"{row.external_key[:80 - len(marker) - 1]}/{marker}"
    payload = {"CustomerNumber": row.customer_number, "ExternalInvoiceReference1": reference,
               "ExternalInvoiceReference2": marker,
               "YourOrderNumber": order.number[:30], "Currency": order.currency,
               "VATIncluded": True, "InvoiceDate": now.date().isoformat(),
               "Remarks": f"Kreditering av faktura {row.fortnox_invoice_number}",
               "InvoiceRows": rows}

    def find() -> str | None:
        found = [d for d in fortnox.find_invoices_by_external_reference(reference)
                 if not documents._true(d.get("Cancelled"))]
        return str(found[0]["DocumentNumber"]) if found else None

    def send() -> str:
        return str(fortnox.create_invoice(payload)["DocumentNumber"])

    number, _ = documents._attempts(row, step, find=find, send=send, now=now, request=payload,
                                    column=None)
    return number


def split_by_rate(order: WooOrder, refunded: Decimal) -> list[tuple[Decimal, Decimal]]:
    """The refund spread over the order's VAT rates in proportion to what each rate sold
    (gross); the öre left by rounding goes to the largest share, so the parts sum exactly."""
    gross: dict[Decimal, Decimal] = {}
    for charge in order.charges:
        rate = charge.rates[0] if charge.rates else Decimal(0)
        gross[rate] = gross.get(rate, Decimal(0)) + charge.total + charge.total_tax
    total = sum(gross.values(), Decimal(0))
    if total <= 0:
        return [(Decimal(25) if order.charged_vat else Decimal(0), refunded)]
    parts = {rate: (refunded * amount / total).quantize(CENT) for rate, amount in gross.items()
             if amount}
    largest = max(parts, key=lambda r: gross[r])
    parts[largest] += refunded - sum(parts.values(), Decimal(0))
    return sorted(((rate, part) for rate, part in parts.items() if part), reverse=True)
