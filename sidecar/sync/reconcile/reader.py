"""Reading what the comparison needs, cheaply: WooCommerce orders by creation date (100 a page),
Fortnox's invoice and order lists by document date (500 a page, Fortnox's largest), the ledger
from the database, and single Fortnox documents only when the comparison asks for one.

Everything is kept as small records (`facts`), page by page, so 10,000 orders stay a few
megabytes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxNotFound
from sidecar.fortnox.schemas import DOCUMENT
from sidecar.fortnox.schemas import read
from sidecar.fortnox.wire import to_decimal
from sidecar.models import OrderLedger
from sidecar.models import OrderStep
from sidecar.models import Shop
from sidecar.sync.orders import ledger as steps
from sidecar.sync.orders.customer_mapping import map_customer
from sidecar.sync.orders.export import export_eligibility
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.woo_order import parse_order
from sidecar.sync.reconcile.facts import ZERO
from sidecar.sync.reconcile.facts import Document
from sidecar.sync.reconcile.facts import Figures
from sidecar.sync.reconcile.facts import LedgerFacts
from sidecar.sync.reconcile.facts import Refund
from sidecar.sync.reconcile.facts import Sale
from sidecar.sync.reconcile.facts import by_rate
from sidecar.sync.reconcile.facts import document_from_list
from sidecar.sync.reconcile.facts import figures
from sidecar.woocommerce import WooClient

log = logging.getLogger(__name__)

SHOP_TIME = ZoneInfo("Europe/Stockholm")
CHUNK = 500  # ids per database query
ROWS = {"order": "OrderRows", "invoice": "InvoiceRows"}


def read_sales(woo: WooClient, first: date, last: date, settings: ExportSettings
               ) -> Iterator[Sale]:
    """Every order created from the first to the last day (shop time), any status."""
    start = datetime.combine(first, time(0), SHOP_TIME) - timedelta(seconds=1)
    end = datetime.combine(last + timedelta(days=1), time(0), SHOP_TIME)
    for page in woo.iter_order_pages(created_after=start, created_before=end, orderby="date"):
        for body in page:
            yield sale_from_order(body, settings)


def sale_from_order(body: Mapping[str, Any], settings: ExportSettings) -> Sale:
    """The order as the report compares it. An order the export cannot read is still listed,
    from its raw figures, so it shows up rather than vanishes."""
    refunds = tuple(Refund(int(to_decimal(r.get("id")) or 0), abs(to_decimal(r.get("total"))
                                                                  or ZERO))
                    for r in body.get("refunds") or [] if isinstance(r, Mapping))
    try:
        order = parse_order(body)
        eligible = export_eligibility(order, settings).eligible
        market = map_customer(order, settings).vat.market
    except ValueError:
        status = str(body.get("status") or "")
        return Sale(int(body.get("id") or 0), str(body.get("number") or body.get("id")),
                    str(body.get("date_created") or "")[:10], status,
                    str(body.get("currency") or "SEK"), to_decimal(body.get("total")) or ZERO,
                    (), "", status in settings.trigger_statuses, refunds)
    return Sale(order.id, order.number, order.date_created[:10], order.status, order.currency,
                order.total, by_rate(order.vat_by_rate), market, eligible, refunds)


def read_documents(fortnox: FortnoxClient, first: date, last: date, through: date
                   ) -> list[Document]:
    """Invoices dated from the first day on to `through` (credits come after their sale) and
    orders dated in the period."""
    found = [document_from_list("invoice", item)
             for item in fortnox.iter_invoices(from_date=first, to_date=through)]
    found += [document_from_list("order", item)
              for item in fortnox.iter_orders(from_date=first, to_date=last)]
    return found


def read_ledger(shop: Shop, order_ids: Iterable[int]) -> dict[int, LedgerFacts]:
    """What the ledger knows of these orders: numbers, the rows sent, the credits made."""
    ids = sorted(set(order_ids))
    found: dict[int, LedgerFacts] = {}
    by_row: dict[int, LedgerFacts] = {}
    for start in range(0, len(ids), CHUNK):
        query = OrderLedger.select(
            OrderLedger.id, OrderLedger.woo_order_id, OrderLedger.external_key,
            OrderLedger.state, OrderLedger.fortnox_order_number,
            OrderLedger.fortnox_invoice_number, OrderLedger.last_error,
        ).where((OrderLedger.shop == shop) & OrderLedger.woo_order_id.in_(ids[start:start + CHUNK]))
        for row in query.iterator():
            facts = LedgerFacts(row.woo_order_id, row.external_key, row.state,
                                row.fortnox_order_number, row.fortnox_invoice_number,
                                row.last_error)
            found[row.woo_order_id] = facts
            by_row[row.id] = facts
    rows = sorted(by_row)
    for start in range(0, len(rows), CHUNK):
        _read_steps(by_row, rows[start:start + CHUNK])
    return found


def _read_steps(by_row: Mapping[int, LedgerFacts], rows: list[int]) -> None:
    wanted = (OrderStep.step.in_((steps.ORDER, steps.INVOICE))
              | OrderStep.step.startswith("credit:"))
    query = (OrderStep.select(OrderStep.id, OrderStep.ledger, OrderStep.step, OrderStep.state,
                              OrderStep.fortnox_number, OrderStep.request)
             .where(OrderStep.ledger.in_(rows) & wanted).order_by(OrderStep.id))
    sent: dict[tuple[int, str], Figures] = {}
    for step in query.iterator():
        facts = by_row[step.ledger_id]
        if step.step in ROWS:
            if isinstance(step.request, Mapping):
                sent[(step.ledger_id, step.step)] = figures(step.request, ROWS[step.step])
            continue
        refund_id = step.step.partition(":")[2]
        if step.state == "done" and step.fortnox_number and refund_id.isdigit():
            facts.credits[int(refund_id)] = str(step.fortnox_number)
    for (row, kind), value in sent.items():
        facts = by_row[row]
        mine = "invoice" if facts.invoice_number and (row, "invoice") in sent else "order"
        if kind == mine:
            facts.sent = value


class DocumentReader:
    """Single Fortnox documents, each read at most once per report."""

    def __init__(self, fortnox: FortnoxClient) -> None:
        self._fortnox = fortnox
        self._seen: dict[tuple[str, str], tuple[Document, Figures] | None] = {}

    def details(self, kind: str, number: str) -> tuple[Document, Figures] | None:
        if (kind, number) not in self._seen:
            self._seen[(kind, number)] = self._read(kind, number)
        return self._seen[(kind, number)]

    @property
    def read(self) -> int:
        return len(self._seen)

    def _read(self, kind: str, number: str) -> tuple[Document, Figures] | None:
        get = self._fortnox.get_invoice if kind == "invoice" else self._fortnox.get_order
        try:
            whole = get(number)
        except FortnoxNotFound:
            return None
        log.info("reconcile.document_read kind=%s number=%s", kind, number)
        rows = figures(whole, ROWS[kind])
        read_ = read(DOCUMENT, whole, kind)
        total = read_["Total"] - read_["RoundOff"]
        return document_from_list(kind, whole), Figures(total, rows.vat)
