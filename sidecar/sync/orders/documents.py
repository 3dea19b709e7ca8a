"""The Fortnox documents of one export, each created at most once.

Every create goes through the same pattern: if the step's last attempt may have reached Fortnox
(its outcome is unknown), look for what it made first and adopt that; otherwise send it, with the
step recorded "started" before and "done"/"unknown"/"failed" after. Within one run a create whose
answer was lost is searched for and retried a few times; a lookup that fails leaves the step
unknown, so the next run searches again before anything is created.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any

from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxError
from sidecar.fortnox import FortnoxOutcomeUnknown
from sidecar.fortnox import FortnoxValidationError
from sidecar.fortnox.wire import to_decimal
from sidecar.models import OrderLedger
from sidecar.sync.orders import ledger as steps

log = logging.getLogger(__name__)

TRIES_PER_RUN = 5
NO_INVOICE = ("", "0", None)


def _attempts(ledger: OrderLedger, step: str, *, find: Callable[[], str | None],
              send: Callable[[], str], now: datetime, request: Any = None,
              column: str | None) -> tuple[str, bool]:
    """Run one create step; returns (Fortnox number, adopted). `column` is the ledger column
    the number goes to (None: the step keeps it alone)."""
    numbers = (lambda n: {column: n}) if column else (lambda n: {})
    last = steps.latest_step(ledger, step)
    if last is not None and last.state == "done" and last.fortnox_number:
        # Done before, and the run stopped after it (a crash, a later step's failure): a step
        # that is done is never sent again.
        return str(last.fortnox_number), True
    lost: FortnoxOutcomeUnknown | None = None
    for _ in range(TRIES_PER_RUN):
        if steps.outcome_unknown(ledger, step):
            found = find()
            if found:
                steps.record(ledger, step, "done", now, number=found,
                             error="adopted: found in Fortnox after an unknown outcome")
                steps.save(ledger, now, **numbers(found))
                log.info("export.adopted ledger=%s step=%s number=%s", ledger.id, step, found)
                return found, True
        attempt = steps.begin(ledger, step, now, request)
        try:
            number = send()
        except FortnoxOutcomeUnknown as exc:
            steps.finish(attempt, "unknown", now, error=str(exc))
            lost = exc
            continue
        except FortnoxError as exc:
            steps.finish(attempt, "failed", now, error=str(exc))
            raise
        steps.finish(attempt, "done", now, number=number, ledger=ledger, **numbers(number))
        return number, False
    assert lost is not None
    raise lost


def _lowest_live(found: list[dict[str, Any]]) -> str | None:
    """The first document made with our key: not cancelled, not a credit of ours."""
    live = [d for d in found if not _true(d.get("Cancelled"))
            and not _credit_marker(str(d.get("ExternalInvoiceReference2") or ""))]
    numbers = sorted(int(d["DocumentNumber"]) for d in live if str(d.get("DocumentNumber"))
                     .isdigit())
    return str(numbers[0]) if numbers else None


def _credit_marker(marker: str) -> bool:
    """A credit of ours names its refund (`refund-130`) or the cancellation (`cancel`)."""
    return marker.startswith("refund-") or marker == "cancel"


def _true(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def create_order(ledger: OrderLedger, payload: dict[str, Any], *, fortnox: FortnoxClient,
                 now: datetime, created: dict[str, Any]) -> str:
    def send() -> str:
        document = fortnox.create_order(payload)
        created.update(document)
        return str(document["DocumentNumber"])

    def find() -> str | None:
        return _lowest_live(fortnox.find_orders_by_external_reference(ledger.external_key))

    number, _ = _attempts(ledger, steps.ORDER, find=find, send=send, now=now, request=payload,
                          column="fortnox_order_number")
    return number


def create_invoice(ledger: OrderLedger, payload: dict[str, Any], *, fortnox: FortnoxClient,
                   now: datetime, created: dict[str, Any]) -> str:
    def send() -> str:
        document = fortnox.create_invoice(payload)
        created.update(document)
        return str(document["DocumentNumber"])

    def find() -> str | None:
        return _lowest_live(fortnox.find_invoices_by_external_reference(ledger.external_key))

    number, _ = _attempts(ledger, steps.INVOICE, find=find, send=send, now=now, request=payload,
                          column="fortnox_invoice_number")
    return number


def invoice_order(ledger: OrderLedger, *, fortnox: FortnoxClient, now: datetime) -> str:
    order_number = ledger.fortnox_order_number

    def find() -> str | None:
        reference = fortnox.get_order(order_number).get("InvoiceReference")
        return None if reference in NO_INVOICE else str(reference)

    def send() -> str:
        try:
            return fortnox.create_invoice_from_order(order_number)
        except FortnoxValidationError:
            # Fortnox refuses an order that already has an invoice (made by the owner in the
            # meantime, say): that invoice is the one.
            made = find()
            if made:
                return made
            raise

    number, _ = _attempts(ledger, steps.INVOICE_FROM_ORDER, find=find, send=send, now=now,
                          request={"order": order_number}, column="fortnox_invoice_number")
    return number


def bookkeep(ledger: OrderLedger, *, fortnox: FortnoxClient, now: datetime) -> None:
    invoice_number = str(ledger.fortnox_invoice_number)

    def find() -> str | None:
        booked = _true(fortnox.get_invoice(invoice_number).get("Booked"))
        return invoice_number if booked else None

    def send() -> str:
        try:
            fortnox.bookkeep_invoice(invoice_number)
        except FortnoxValidationError:
            if not find():  # refused because it is booked already is success
                raise
        return invoice_number

    _attempts(ledger, steps.BOOKKEEP, find=find, send=send, now=now,
              request={"invoice": invoice_number}, column=None)
    steps.save(ledger, now, invoice_bookkept=True)


def register_payment(ledger: OrderLedger, *, amount: Decimal, paid_on: str, mode: str,
                     fortnox: FortnoxClient, now: datetime, other_account: int = 0) -> str:
    """The customer's payment; `other_account` is one whose payments are not it (a gift
    card's part, paid from the gift card account)."""
    invoice_number = ledger.fortnox_invoice_number
    payment = {"InvoiceNumber": int(invoice_number), "Amount": amount, "PaymentDate": paid_on,
               "ModeOfPayment": mode}

    def find() -> str | None:
        found = [p for p in fortnox.iter_invoice_payments(invoice_number=invoice_number)
                 if str(p.get("ModeOfPaymentAccount")) != str(other_account)]
        return str(found[0]["Number"]) if found else None

    def send() -> str:
        return str(fortnox.create_invoice_payment(payment)["Number"])

    number, _ = _attempts(ledger, steps.PAYMENT, find=find, send=send, now=now, request=payment,
                          column="payment_number")
    if not steps.step_done(ledger, steps.PAYMENT_BOOKKEEP):

        def booked() -> str | None:
            found = [p for p in fortnox.iter_invoice_payments(invoice_number=invoice_number)
                     if str(p.get("Number")) == number and _true(p.get("Booked"))]
            return number if found else None

        def bookkeep_payment() -> str:
            fortnox.bookkeep_invoice_payment(number)
            return number

        _attempts(ledger, steps.PAYMENT_BOOKKEEP, find=booked, send=bookkeep_payment, now=now,
                  request={"payment": number}, column=None)
    return number


def amount(document: dict[str, Any], name: str) -> Decimal:
    return to_decimal(document.get(name)) or Decimal(0)
