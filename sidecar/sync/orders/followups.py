"""What happens in Fortnox when an exported order is refunded or cancelled in WooCommerce.

Refunds are `refunds.py`: one Fortnox document per refund (a credit invoice, or a correction of
the Fortnox order before it is invoiced). A cancelled order whose Fortnox order is not invoiced
yet is cancelled in Fortnox; once invoiced, the invoice is credited in full (the owner's
setting `export.credit_cancelled_invoices`, on by default) — a booked invoice is never changed,
only credited. What cannot be done automatically is an activity entry telling the owner what to
do, once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxValidationError
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import OrderLedger
from sidecar.models import OrderStep
from sidecar.models import Shop
from sidecar.sync.orders import documents
from sidecar.sync.orders import ledger as steps
from sidecar.sync.orders.credit_rows import mirror_invoice
from sidecar.sync.orders.credits import CreditHeader
from sidecar.sync.orders.credits import make_credit
from sidecar.sync.orders.credits import our_credit_numbers
from sidecar.sync.orders.export_errors import record_activity
from sidecar.sync.orders.fortnox_facts import FortnoxFactsCache
from sidecar.sync.orders.order_corrections import cancel_fortnox_order
from sidecar.sync.orders.refunds import Refunds
from sidecar.sync.orders.refunds import learn_invoice
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import WooOrder
from sidecar.woocommerce import WooClient

NEEDS_OWNER = "needs_owner"  # a step the owner must do in Fortnox
CANCEL_CREDIT = "credit:cancel"


def follow_up(shop: Shop, row: OrderLedger, order: WooOrder, payload: Mapping[str, Any], *,
              fortnox: FortnoxClient, settings: ExportSettings, now: datetime,
              woo: WooClient | None = None, facts: FortnoxFactsCache | None = None
              ) -> list[str]:
    notes = Refunds(shop, row, order, payload, fortnox=fortnox, woo=woo, settings=settings,
                    now=now, facts=facts).follow()
    if order.status == "cancelled":
        notes.append(_cancel(shop, row, order, fortnox=fortnox, settings=settings, now=now))
    return [n for n in notes if n]


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
            settings: ExportSettings, now: datetime) -> str:
    last = steps.latest_step(row, steps.CANCEL)
    if row.state in ("cancelled", "credited") or (
            last is not None and last.state in ("done", NEEDS_OWNER)):
        return ""
    if row.fortnox_order_number and not row.fortnox_invoice_number:
        learn_invoice(row, fortnox=fortnox, now=now)
    if row.fortnox_invoice_number:
        if not settings.credit_cancelled_invoices:
            return _needs_owner(
                shop, row, order, steps.CANCEL,
                msg("order.cancelled_but_invoiced", order=order.number,
                    invoice=str(row.fortnox_invoice_number)),
                msg("hint.credit_or_refund"), now)
        return _credit_cancelled(shop, row, order, fortnox=fortnox, settings=settings, now=now)
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


def _credit_cancelled(shop: Shop, row: OrderLedger, order: WooOrder, *,
                      fortnox: FortnoxClient, settings: ExportSettings, now: datetime) -> str:
    """A cancellation after invoicing: the whole invoice credited, row for row, its goods back
    in stock (WooCommerce restocks a cancelled order). Not when credits exist already: what is
    left to credit is then for the owner to say."""
    invoice = str(row.fortnox_invoice_number)
    original = fortnox.get_invoice(invoice)
    if documents._true(original.get("Cancelled")):
        steps.record(row, steps.CANCEL, "done", now, number=invoice,
                     error="the invoice is cancelled in Fortnox")
        return f"invoice {invoice} is cancelled in Fortnox already"
    reference = str(original.get("CreditInvoiceReference") or "0")
    unsettled = steps.latest_step(row, CANCEL_CREDIT) is not None
    if (our_credit_numbers(row) or reference not in ("", "0")) and not unsettled:
        return _needs_owner(shop, row, order, steps.CANCEL,
                            msg("order.cancelled_after_credits", order=order.number,
                                invoice=invoice),
                            msg("hint.credit_rest_by_hand"), now)
    header = CreditHeader(
        marker="cancel", heading=f"Kredit av faktura {invoice}, order {order.number} makulerad",
        remarks=f"Kreditering av faktura {invoice}: order {order.number} makulerades i "
                "WooCommerce", invoice_date=max(now.date().isoformat(),
                                                str(original.get("InvoiceDate") or "")),
        your_order_number=order.number, vat_included=documents._true(original.get("VATIncluded")),
        stock_point=settings.stock_point_code)
    made = make_credit(row, CANCEL_CREDIT, original, mirror_invoice(original, keep_articles=True),
                       header, fortnox=fortnox, now=now)
    steps.record(row, steps.CANCEL, "done", now, number=made.number,
                 request={"kind": "credit", "invoice": invoice, "via": made.via,
                          "linked": made.linked})
    steps.save(row, now, state="credited")
    record_activity(shop, order.id, level="info", now=now,
                    message=msg("order.cancel_credited", credit=made.number, invoice=invoice,
                                order=order.number))
    return f"cancelled: credit invoice {made.number}"
