"""What a reconciliation found: one line per order, the problems, the days and the sums.

Plain data, kept as JSON (`as_json` / `from_json`) so a report is stored once and shown, sent
and downloaded as it was found.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date
from decimal import Decimal
from typing import Any

from sidecar.messages import Message

MATCHED = "matched"
MISSING = "missing"
AMOUNT_DIFFERS = "amount_differs"
UNEXPLAINED = "unexplained"
DUPLICATE = "duplicate"
CANCELLED_IN_FORTNOX = "cancelled_in_fortnox"
CANCELLED_IN_WOO = "cancelled_in_woo"
REFUND_WITHOUT_CREDIT = "refund_without_credit"
CREDIT_WITHOUT_REFUND = "credit_without_refund"
# The kinds of problem, in the order the page and the files show them.
PROBLEM_KINDS = (MISSING, AMOUNT_DIFFERS, DUPLICATE, UNEXPLAINED, CANCELLED_IN_FORTNOX,
                 CANCELLED_IN_WOO, REFUND_WITHOUT_CREDIT, CREDIT_WITHOUT_REFUND)


@dataclass(frozen=True)
class Problem:
    kind: str
    day: str
    order_id: int | None
    order_number: str
    document: tuple[str, str] | None  # (kind, number)
    currency: str
    woo: Decimal | None
    fortnox: Decimal | None
    reason: Message

    @property
    def difference(self) -> Decimal | None:
        if self.woo is None or self.fortnox is None:
            return None
        return self.fortnox - self.woo


@dataclass(frozen=True)
class Line:
    """One order of the period, as the CSV lists it."""

    day: str
    order_id: int
    order_number: str
    status: str
    currency: str
    woo: Decimal
    document: tuple[str, str] | None
    fortnox: Decimal | None
    outcome: str


@dataclass(frozen=True)
class Day:
    day: str
    orders: int
    matched: int
    problems: int


@dataclass(frozen=True)
class Sum:
    """One row of the sums: per VAT rate (`what` is the rate) or per market (the market)."""

    currency: str
    what: str
    woo: Decimal
    fortnox: Decimal

    @property
    def difference(self) -> Decimal:
        return self.fortnox - self.woo


@dataclass
class Report:
    first: date
    last: date
    lines: list[Line] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    days: list[Day] = field(default_factory=list)
    vat: list[Sum] = field(default_factory=list)
    markets: list[Sum] = field(default_factory=list)
    refunds: list[Sum] = field(default_factory=list)

    @property
    def orders(self) -> int:
        return len(self.lines)

    @property
    def matched(self) -> int:
        return sum(1 for line in self.lines if line.outcome == MATCHED)

    def counts(self) -> dict[str, int]:
        found = {kind: 0 for kind in PROBLEM_KINDS}
        for problem in self.problems:
            found[problem.kind] += 1
        return found

    def as_json(self) -> dict[str, Any]:
        return {
            "first": self.first.isoformat(), "last": self.last.isoformat(),
            "lines": [[ln.day, ln.order_id, ln.order_number, ln.status, ln.currency,
                       str(ln.woo), list(ln.document) if ln.document else None,
                       _text(ln.fortnox), ln.outcome] for ln in self.lines],
            "problems": [[p.kind, p.day, p.order_id, p.order_number,
                          list(p.document) if p.document else None, p.currency, _text(p.woo),
                          _text(p.fortnox), p.reason.as_json()] for p in self.problems],
            "days": [[d.day, d.orders, d.matched, d.problems] for d in self.days],
            **{name: [[s.currency, s.what, str(s.woo), str(s.fortnox)] for s in sums]
               for name, sums in (("vat", self.vat), ("markets", self.markets),
                                  ("refunds", self.refunds))},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        def doc(value: Any) -> tuple[str, str] | None:
            return (str(value[0]), str(value[1])) if value else None

        def sums(name: str) -> list[Sum]:
            return [Sum(c, w, Decimal(a), Decimal(b)) for c, w, a, b in data.get(name, [])]

        return cls(
            first=date.fromisoformat(data["first"]), last=date.fromisoformat(data["last"]),
            lines=[Line(d, i, n, s, c, Decimal(w), doc(x), _decimal(f), o)
                   for d, i, n, s, c, w, x, f, o in data.get("lines", [])],
            problems=[Problem(k, d, i, n, doc(x), c, _decimal(w), _decimal(f),
                              Message.from_json(r) or Message("plain", {"text": str(r)}))
                      for k, d, i, n, x, c, w, f, r in data.get("problems", [])],
            days=[Day(*row) for row in data.get("days", [])],
            vat=sums("vat"), markets=sums("markets"), refunds=sums("refunds"))


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
