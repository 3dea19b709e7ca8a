"""`export_order`: one WooCommerce order into Fortnox, exactly once, whatever is redelivered.

Eligibility → plan → customer → articles → documents (order; invoice; or order then its
invoice; bookkeeping; payment) → the Fortnox numbers written back to the Woo order. Everything
done is in the order's ledger row (see ledger.py), claimed for the duration, so a redelivery,
a second worker or a restart after a crash continues where the last attempt stopped instead of
starting again. Cancellations and refunds of an exported order are `follow_up` (followups.py).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sidecar import activity
from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxOutcomeUnknown
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sync.orders import documents
from sidecar.sync.orders import gift_cards
from sidecar.sync.orders import ledger as steps
from sidecar.sync.orders.customer_mapping import display_name
from sidecar.sync.orders.customer_mapping import map_customer
from sidecar.sync.orders.customers import ensure_customer
from sidecar.sync.orders.export_errors import ExportFailed
from sidecar.sync.orders.export_errors import explain
from sidecar.sync.orders.export_errors import record_activity
from sidecar.sync.orders.followups import follow_up
from sidecar.sync.orders.fortnox_facts import FortnoxFactsCache
from sidecar.sync.orders.lines import ArticleFacts
from sidecar.sync.orders.lines import ProductFacts
from sidecar.sync.orders.mapping import ExportContext
from sidecar.sync.orders.mapping import MappedOrder
from sidecar.sync.orders.mapping import map_order
from sidecar.sync.orders.mapping import order_reference
from sidecar.sync.orders.plan import BOOKKEEP_INVOICE
from sidecar.sync.orders.plan import CREATE_INVOICE
from sidecar.sync.orders.plan import CREATE_INVOICE_FROM_ORDER
from sidecar.sync.orders.plan import CREATE_ORDER
from sidecar.sync.orders.plan import GIFT_CARD_PAYMENT
from sidecar.sync.orders.plan import REGISTER_PAYMENT
from sidecar.sync.orders.plan import Eligibility
from sidecar.sync.orders.plan import eligibility
from sidecar.sync.orders.refunds import Refunds
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import WooOrder
from sidecar.sync.orders.woo_order import parse_order
from sidecar.sync.orders.writeback import write_back
from sidecar.woocommerce import WooClient

log = logging.getLogger(__name__)

EXPORTED = "exported"
EXPORTING = "exporting"
FINISHED_STATES = (EXPORTED, "cancelled", "credited")
EXPORT_CAUSE = "export."  # the causes of the export's problems start so


def export_order(shop: Shop, payload: Mapping[str, Any], *, fortnox: FortnoxClient,
                 woo: WooClient | None, settings: ExportSettings, now: datetime, worker: str,
                 facts: FortnoxFactsCache) -> str:
    """Export (or continue exporting, or follow up) one order; returns a note for the inbox.

    Raises ExportFailed with `retryable` set; the failure is on the ledger and the dashboard,
    as one entry per order and cause, resolved when the order is exported."""
    try:
        order = parse_order(payload)
    except (KeyError, ValueError, TypeError) as exc:  # OrderNotMappable is a ValueError
        failure = explain(exc)
        failure.retryable = False  # the same body will not parse better next time
        raw_id = payload.get("id") if isinstance(payload, Mapping) else None
        order_id = raw_id if isinstance(raw_id, int) else 0
        _problem(shop, order_id, failure, now=now, level="error",
                 message=msg("order.not_readable", order=str(raw_id), reason=failure.problem))
        raise failure from exc
    row = steps.ledger_for(shop, order.id, order_reference(settings.shop_slug, order.id))
    describe(row, order)
    if not steps.claim(row, worker=worker, now=now):
        raise steps.OrderBusy(f"order {order.id} is being exported by another worker",
                              wait_until=steps.busy_until(row, now))
    row = steps.reload(row)
    try:
        note = _export(shop, row, order, payload, fortnox=fortnox, woo=woo, settings=settings,
                       now=now, facts=facts)
        if row.last_error:  # it failed before: that is over now
            steps.save(row, now, last_error=None, last_hint=None, last_problem=None)
            _resolve_problems(shop, row, note, now=now)
        return note
    except Exception as exc:
        failure = explain(exc)
        steps.save(row, now, last_error=failure.message[:2000], last_hint=failure.hint,
                   last_problem={"message": failure.problem.as_json(),
                                 "hint": failure.advice.as_json()},
                   **({} if failure.retryable else {"state": "failed"}))
        _problem(shop, order.id, failure, now=now,
                 level="warning" if failure.retryable else "error",
                 message=msg("order.not_exported", order=order.number, reason=failure.problem),
                 details={"ledger": row.id, "attempt": row.attempts, "kind": failure.kind,
                          **failure.details})
        log.warning("export.failed shop=%s order=%s retryable=%s cause=%s error=%s", shop.id,
                    order.id, failure.retryable, failure.cause, failure.message)
        raise failure from exc
    finally:
        steps.release(row, worker=worker)


def _problem(shop: Shop, order_id: int, failure: ExportFailed, *, now: datetime, level: str,
             message: Message, details: dict[str, Any] | None = None) -> None:
    activity.problem(shop, about=activity.about_order(order_id),
                     cause=EXPORT_CAUSE + failure.cause, replaces=EXPORT_CAUSE,
                     level=level, workflow="orders", message=message, hint=failure.advice,
                     subject=msg("subject.order", order=order_id), woo_order_id=order_id,
                     details=details, now=now)
    failure.recorded = True


def _resolve_problems(shop: Shop, row: OrderLedger, note: str, *, now: datetime) -> None:
    """The order is in Fortnox (or no longer to be sent): its open problems are over."""
    row = steps.reload(row)
    if row.state in FINISHED_STATES:
        how = resolved_by_export(row.fortnox_order_number, row.fortnox_invoice_number)
    elif row.state == "skipped":
        how = msg("resolved.not_sent", reason=note.removeprefix("not exported: "))
    else:
        return
    activity.resolve(shop, activity.about_order(row.woo_order_id), how=how, now=now)


def resolved_by_export(order_number: str | None, invoice_number: str | None) -> Message:
    if order_number and invoice_number:
        return msg("resolved.exported_both", order=order_number, invoice=invoice_number)
    if order_number:
        return msg("resolved.exported_order", order=order_number)
    return msg("resolved.exported_invoice", invoice=invoice_number or "?")


def _export(shop: Shop, row: OrderLedger, order: WooOrder, payload: Mapping[str, Any], *,
            fortnox: FortnoxClient, woo: WooClient | None, settings: ExportSettings,
            now: datetime, facts: FortnoxFactsCache) -> str:
    begun = row.state == EXPORTING or bool(row.fortnox_order_number or row.fortnox_invoice_number)
    if not begun:
        verdict = export_eligibility(order, settings)
        if not verdict.eligible:
            if row.state in ("pending", "skipped", "failed"):
                steps.save(row, now, state="skipped", last_hint=str(verdict.reason))
            noted = follow_up(shop, row, order, payload, fortnox=fortnox, settings=settings,
                              now=now, woo=woo, facts=facts)  # its refunds: noted, not booked
            return "; ".join([f"not exported: {verdict.reason}", *noted])
    notes: list[str] = []
    if row.state not in FINISHED_STATES:
        refunds = Refunds(shop, row, order, payload, fortnox=fortnox, woo=woo,
                          settings=settings, now=now, facts=facts)
        notes.append(_make_documents(shop, row, order, fortnox=fortnox, settings=settings,
                                     now=now, facts=facts,
                                     before_invoicing=refunds.take_off_the_order,
                                     products=gift_cards.product_facts(order, settings, woo)))
    else:
        _notice_changes(shop, row, order, now=now)
    notes.extend(follow_up(shop, row, order, payload, fortnox=fortnox, settings=settings,
                           now=now, woo=woo, facts=facts))
    if woo is not None:
        write_back(shop, row, order, woo=woo, now=now)
    return "; ".join(n for n in notes if n) or "nothing to do"


def _make_documents(shop: Shop, row: OrderLedger, order: WooOrder, *, fortnox: FortnoxClient,
                    settings: ExportSettings, now: datetime, facts: FortnoxFactsCache,
                    before_invoicing: Callable[[], bool],
                    products: Mapping[int, ProductFacts]) -> str:
    if row.state != EXPORTING:
        steps.save(row, now, state=EXPORTING, woo_total=order.total, currency=order.currency)
    # The side reads first: when one must wait, no customer is made for an order that waits.
    known = facts.facts(shop, fortnox, [item.sku for item in order.items], now=now)
    customer = row.customer_number
    if not customer:
        customer = ensure_customer(shop, row, map_customer(order, settings), fortnox=fortnox,
                                   now=now)
        steps.save(row, now, customer_number=customer)
    mapped = map_order(order, settings, ExportContext(
        str(customer), fortnox_articles=known.articles, warehouse_active=known.warehouse_active,
        products=products))
    _create_articles(shop, row, mapped, fortnox=fortnox, facts=facts, now=now)
    steps.save(row, now, document_mode=mapped.plan.document_mode,
               payload_hash=order_fingerprint(order))
    made: dict[str, dict[str, Any]] = {"order": {}, "invoice": {}}
    for step in mapped.plan.steps:
        if step == CREATE_INVOICE_FROM_ORDER and not row.fortnox_invoice_number \
                and before_invoicing():
            # Refunds so far were taken off the order: the order as made is checked now, and
            # the invoice made from it, not the order, is what is paid.
            if made["order"]:
                _compare_totals(shop, row, order, mapped, "order", made["order"], now=now)
            made["order"] = {}
        _run_step(step, row, order, mapped, made, fortnox=fortnox, now=now)
    for kind, document in made.items():
        if document:
            _compare_totals(shop, row, order, mapped, kind, document, now=now)
    steps.save(row, now, state=EXPORTED, exported_at=now)
    numbers = [f"{name} {number}" for name, number in (
        ("order", row.fortnox_order_number), ("invoice", row.fortnox_invoice_number)) if number]
    log.info("export.done shop=%s order=%s %s", shop.id, order.id, " ".join(numbers))
    return "exported: " + ", ".join(numbers)


def _run_step(step: str, row: OrderLedger, order: WooOrder, mapped: MappedOrder,
              made: dict[str, dict[str, Any]], *, fortnox: FortnoxClient, now: datetime) -> None:
    if step == CREATE_ORDER and not row.fortnox_order_number:
        documents.create_order(row, mapped.order or {}, fortnox=fortnox, now=now,
                               created=made["order"])
    elif step == CREATE_INVOICE and not row.fortnox_invoice_number:
        documents.create_invoice(row, mapped.invoice or {}, fortnox=fortnox, now=now,
                                 created=made["invoice"])
    elif step == CREATE_INVOICE_FROM_ORDER and not row.fortnox_invoice_number:
        documents.invoice_order(row, fortnox=fortnox, now=now)
    elif step == BOOKKEEP_INVOICE and row.fortnox_invoice_number and not row.invoice_bookkept:
        documents.bookkeep(row, fortnox=fortnox, now=now)
    elif step == GIFT_CARD_PAYMENT and row.fortnox_invoice_number and not steps.step_done(
            row, gift_cards.PAYMENT_BOOKKEEP):
        gift_cards.register_payment(
            row, amount=gift_cards.redeemed(order), account=mapped.plan.gift_card_account,
            paid_on=str(order.date_paid or now.date().isoformat())[:10], fortnox=fortnox,
            codes=", ".join(code for code, _ in order.gift_card_payments), now=now)
    elif step == REGISTER_PAYMENT and row.fortnox_invoice_number and not row.payment_number:
        document = made["invoice"] or made["order"] or fortnox.get_invoice(
            row.fortnox_invoice_number)
        documents.register_payment(row, amount=documents.amount(document, "Total")
                                   - gift_cards.redeemed(order),
                                   paid_on=str(order.date_paid or now.date().isoformat())[:10],
                                   mode=mapped.plan.mode_of_payment, fortnox=fortnox, now=now,
                                   other_account=mapped.plan.gift_card_account)


def _create_articles(shop: Shop, row: OrderLedger, mapped: MappedOrder, *,
                     fortnox: FortnoxClient, facts: FortnoxFactsCache, now: datetime) -> None:
    """The owner chose "create missing articles": an article has a number we choose, so a
    lost answer is cleared up by reading it (a repeat would only be refused as a duplicate)."""
    for article in mapped.articles_to_create:
        number = str(article["ArticleNumber"])
        step = steps.begin(row, steps.ARTICLE, now, article)
        try:
            fortnox.create_article(article)
        except FortnoxOutcomeUnknown:
            fortnox.get_article(number)  # raises FortnoxNotFound if it was not made
        except Exception as exc:
            steps.finish(step, "failed", now, error=str(exc))
            raise
        steps.finish(step, "done", now, number=number)
        facts.add_article(shop.id, ArticleFacts(number))


def _compare_totals(shop: Shop, row: OrderLedger, order: WooOrder, mapped: MappedOrder,
                    kind: str, document: dict[str, Any], *, now: datetime) -> None:
    """Fortnox computes totals itself; an öre of difference is something the owner must see."""
    total = documents.amount(document, "Total") - documents.amount(document, "RoundOff")
    vat = documents.amount(document, "TotalVAT")
    expected_vat = sum((amount for _, amount in mapped.expected_vat), Decimal(0))
    if total == mapped.expected_total and vat == expected_vat:
        return
    record_activity(
        shop, order.id, level="warning", now=now,
        message=msg("order.totals_differ", kind=msg(f"document.{kind}"),
                    number=str(document.get("DocumentNumber")), order=order.number,
                    total=total, vat=vat, expected_total=mapped.expected_total,
                    expected_vat=expected_vat),
        hint=msg("hint.compare_rows"),
        details={"ledger": row.id, "fortnox_total": str(total), "fortnox_vat": str(vat)})


def _notice_changes(shop: Shop, row: OrderLedger, order: WooOrder, *, now: datetime) -> None:
    """An exported order edited in WooCommerce: Fortnox documents are not changed behind the
    owner's back (they may be sent or booked), so say so once per version."""
    fingerprint = order_fingerprint(order)
    if row.payload_hash and fingerprint != row.payload_hash and order.status != "refunded":
        record_activity(shop, order.id, level="warning", now=now,
                        message=msg("order.changed_after_export", order=order.number),
                        hint=msg("hint.correct_by_hand_or_refund"))
    if fingerprint != row.payload_hash:
        steps.save(row, now, payload_hash=fingerprint)


def describe(row: OrderLedger, order: WooOrder) -> None:
    """What the order list shows and searches, as the order is now (one write when it
    changed). The amount is the order's until its export records the amount it sent."""
    fields: dict[str, Any] = {
        "order_number": order.number[:32], "customer_name": display_name(order.billing)[:200],
        "customer_email": order.billing.email[:254], "placed_on": order.date_created[:19]}
    if row.woo_total is None:
        fields.update(woo_total=order.total, currency=order.currency)
    changed = {name: value for name, value in fields.items() if getattr(row, name) != value}
    if changed:
        OrderLedger.update(**changed).where(OrderLedger.id == row.id).execute()
        for name, value in changed.items():
            setattr(row, name, value)


def export_eligibility(order: WooOrder, settings: ExportSettings) -> Eligibility:
    """`eligibility`, plus one rule of ours: a paid order refunded before we got to it was
    still a sale; it is exported and then credited, as the money moved both ways."""
    if order.status == "refunded" and order.date_paid:
        verdict = eligibility(replace(order, status=settings.trigger_statuses[0]), settings)
        if verdict.eligible:
            return Eligibility(True, "paid, then refunded: exported and credited")
    return eligibility(order, settings)


def order_fingerprint(order: WooOrder) -> str:
    """What an export depends on, money and buyer; refunds and status are followed up apart."""
    essence = {"total": str(order.total), "currency": order.currency,
               "charges": [(c.kind, c.sku, str(c.quantity), str(c.total), str(c.total_tax))
                           for c in order.charges],
               "billing": vars(order.billing)}
    return hashlib.sha256(json.dumps(essence, sort_keys=True).encode()).hexdigest()


__all__ = ["ExportFailed", "export_eligibility", "export_order", "order_fingerprint"]
