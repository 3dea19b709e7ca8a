"""The change feed behind the simulated Topics API: one ordered event log per topic (state only).

Fortnox's Topics API (reference §7) sends minimal events, `{"topic", "offset", "type",
"tenantId", "entityId", "timestamp"}`, ordered within a topic, at least once, replayable about
two weeks back by offset. Here every state change the company makes appends an event to its
topic's log, and the WebSocket server (`topics_server`) streams the logs to its subscribers.

Where the simulator decides what Fortnox does not document, on purpose:

- An offset is an opaque text (as in Fortnox's example, "xDy7J"), unique within its topic.
- A replay starts AT the offset given (the event with that offset comes again): the client's
  duplicate handling is exercised on every reconnect.
- Stock movements emit `warehouse-stockbalance-changed-v1` on `warehouse-stockbalances` (entity:
  the article number); `article-*` events are for the article card and its default price.
- A payment booked emits `invoicepayment-bookkeep-v1` (entity: the payment number, as in
  Fortnox's example) and `invoice-updated-v1` for the invoice whose balance changed.

Not thread-safe by itself: the caller holds the simulator's lock. `changed` is notified under it.
"""

from __future__ import annotations

import string
import threading
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any

ORDERS = "orders"
INVOICES = "invoices"
ARTICLES = "articles"
STOCK_BALANCES = "warehouse-stockbalances"
# Topics Fortnox lists; those the simulated company never changes stay empty.
TOPICS = (ORDERS, INVOICES, ARTICLES, STOCK_BALANCES, "customers", "offers", "currencies",
          "termsofdeliveries", "waysofdeliveries", "termsofpayments", "cost-centers",
          "financial-years", "projects", "suppliers", "supplier-invoices", "vouchers",
          "messages")
RETENTION = timedelta(days=14)
_DIGITS = string.digits + string.ascii_letters


@dataclass(frozen=True)
class FeedEvent:
    topic: str
    offset: str
    type: str
    tenant_id: int
    entity_id: str
    timestamp: datetime
    index: int  # position in its topic's log; the offset is this, written opaquely

    def as_json(self) -> dict[str, Any]:
        return {"topic": self.topic, "offset": self.offset, "type": self.type,
                "tenantId": self.tenant_id, "entityId": self.entity_id,
                "timestamp": self.timestamp.isoformat(timespec="milliseconds")}


def offset_text(topic: str, index: int) -> str:
    """An opaque offset: the index in base 62, after a letter per topic."""
    number, digits = index, ""
    while True:
        number, rest = divmod(number, len(_DIGITS))
        digits = _DIGITS[rest] + digits
        if number == 0:
            break
    return f"{chr(ord('a') + TOPICS.index(topic) % 26)}{digits}"


class EventLog:
    """Every topic's events, oldest first. `drops` counts "drop every connection now" requests
    (a control action): each open connection closes when it sees the count move."""

    def __init__(self) -> None:
        self.logs: dict[str, list[FeedEvent]] = {topic: [] for topic in TOPICS}
        self.by_offset: dict[tuple[str, str], int] = {}
        self.changed = threading.Condition()
        self.drops = 0
        self.first_index = dict.fromkeys(TOPICS, 0)  # the oldest index still kept per topic

    def clear(self) -> None:
        for topic in TOPICS:
            self.first_index[topic] += len(self.logs[topic])
            self.logs[topic] = []
        self.by_offset.clear()
        self._notify()

    def emit(self, topic: str, event_type: str, tenant_id: int, entity_id: str,
             now: datetime) -> FeedEvent:
        log = self.logs[topic]
        index = self.first_index[topic] + len(log)
        event = FeedEvent(topic, offset_text(topic, index), event_type, tenant_id,
                          str(entity_id), now, index)
        log.append(event)
        self.by_offset[(topic, event.offset)] = index
        self._expire(topic, now)
        self._notify()
        return event

    def next_index(self, topic: str, offset: str | None) -> int:
        """Where a subscription starts: at `offset` (inclusive), at the oldest event kept when
        the offset is older than that or unknown, or after the newest when no offset is given."""
        if offset is None:
            return self.first_index[topic] + len(self.logs[topic])
        index = self.by_offset.get((topic, offset))
        return self.first_index[topic] if index is None else max(index, self.first_index[topic])

    def read(self, topic: str, start: int, limit: int = 500) -> list[FeedEvent]:
        """Events of `topic` from index `start` on."""
        first = self.first_index[topic]
        begin = max(start - first, 0)
        return self.logs[topic][begin : begin + limit]

    def request_drop(self) -> int:
        self.drops += 1
        self._notify()
        return self.drops

    def _expire(self, topic: str, now: datetime) -> None:
        log = self.logs[topic]
        old = 0
        while old < len(log) and now - log[old].timestamp > RETENTION:
            self.by_offset.pop((topic, log[old].offset), None)
            old += 1
        if old:
            del log[:old]
            self.first_index[topic] += old

    def _notify(self) -> None:
        with self.changed:
            self.changed.notify_all()
