"""The order list's query: search by order number, customer or e-mail, filter by state or
problem, a page at a time, newest order first. Queries only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import replace

from peewee import Expression

from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sync.orders.fortnox_documents import Document
from sidecar.sync.orders.fortnox_documents import documents_of

PAGE_SIZE = 50
# The filter's choices: every order, a state, or every order with a problem shown.
STATES = ("pending", "exporting", "exported", "failed", "skipped", "cancelled", "credited")
PROBLEM = "problem"
MAX_SEARCH = 100


@dataclass(frozen=True)
class OrderQuery:
    search: str = ""
    state: str = ""  # "", one of STATES, or PROBLEM
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> OrderQuery:
        """The page's query string, leniently: anything unknown means "every order", page 1."""
        state = args.get("state", "")
        page = args.get("page", "1")
        return cls(search=" ".join(args.get("q", "").split())[:MAX_SEARCH],
                   state=state if state in (*STATES, PROBLEM) else "",
                   page=max(1, int(page)) if page.isascii() and page.isdigit() else 1)


@dataclass(frozen=True)
class ListedOrder:
    ledger: OrderLedger
    documents: tuple[Document, ...]

    @property
    def has_problem(self) -> bool:
        return self.ledger.state == "failed" or bool(self.ledger.last_error)


@dataclass(frozen=True)
class OrderPage:
    query: OrderQuery
    orders: tuple[ListedOrder, ...]
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    @property
    def first(self) -> int:
        return 0 if not self.orders else (self.query.page - 1) * PAGE_SIZE + 1

    @property
    def last(self) -> int:
        return self.first + len(self.orders) - 1 if self.orders else 0


def find_orders(shop: Shop, query: OrderQuery) -> OrderPage:
    where: Expression = OrderLedger.shop == shop
    if query.state == PROBLEM:
        where &= (OrderLedger.state == "failed") | OrderLedger.last_error.is_null(False)
    elif query.state:
        where &= OrderLedger.state == query.state
    if query.search:
        where &= _matching(query.search)
    found = OrderLedger.select().where(where)
    total = found.count()
    # Past the last page (an old link after a filter narrowed): the last page.
    query = replace(query, page=min(query.page, max(1, -(-total // PAGE_SIZE))))
    rows = found.order_by(OrderLedger.woo_order_id.desc()).paginate(query.page, PAGE_SIZE)
    return OrderPage(query, tuple(ListedOrder(row, tuple(documents_of(row))) for row in rows),
                     total)


def _matching(search: str) -> Expression:
    """An order number (WooCommerce's id or the number the shop shows), or part of the
    customer's name or e-mail address (case does not matter)."""
    text = search.lstrip("#")
    matches: Expression = (OrderLedger.customer_name.contains(text)
                           | OrderLedger.customer_email.contains(text)
                           | (OrderLedger.order_number == text))
    if text.isascii() and text.isdigit() and len(text) < 19:
        matches |= OrderLedger.woo_order_id == int(text)
    return matches
