"""Fortnox's rate limit, shared by every process and thread: a `RateLimiter` on the database.

Fortnox accepts 25 requests per tenant in any sliding 5-second window. A sliding window of 25
is the same as 25 slots, each of which may carry a new request only once the window has passed
since its last request. So each tenant has 25 `FortnoxRateSlot` rows:

- `acquire()` takes a free slot (`busy_until <= now`) with one conditional UPDATE
  (`... WHERE id = ? AND busy_until <= now`); the row count says whether this caller won, on
  every engine, with no lock held while waiting. The slot is then busy for `IN_FLIGHT_HOLD`
  (it stays taken if the process dies mid-request; then it frees itself later).
- When the answer (or the failure) is in, the client calls the returned function, which makes
  the slot busy until *now* + window + `SAFETY_MARGIN`. Fortnox counts a request when it
  arrives, and it cannot arrive after its answer, so however slow a request was, request 26
  cannot land inside its window. The margin covers clock differences between hosts.
- With no slot free, the caller sleeps until the earliest slot frees (exactly, not by polling);
  if every slot is in flight, none can free within one window, so it sleeps that long.

A request costs three short statements (select, take, release). Throughput stays within a
round trip of the limit: each slot is reused window + margin + round trip after its last use.
"""

from __future__ import annotations

import functools
import logging
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta

from peewee import OperationalError
from peewee import PeeweeException

from sidecar.fields import utcnow
from sidecar.models import FortnoxRateSlot

log = logging.getLogger("sidecar.fortnox_access")

IN_FLIGHT_HOLD = timedelta(seconds=60)  # longer than the client's connect + read timeout
SAFETY_MARGIN = timedelta(milliseconds=50)
MIN_PAUSE = 0.001
INSERT_RETRIES = 5


@dataclass(frozen=True)
class RateLimit:
    requests: int = 25
    window_seconds: float = 5.0

    @property
    def window(self) -> timedelta:
        return timedelta(seconds=self.window_seconds)


FORTNOX_RATE_LIMIT = RateLimit()


class DatabaseRateLimiter:
    """The `RateLimiter` for one Fortnox tenant (client id + tenant, as Fortnox counts)."""

    def __init__(
        self,
        tenant: str,
        limit: RateLimit = FORTNOX_RATE_LIMIT,
        *,
        clock: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.tenant = tenant
        self.limit = limit
        self._clock = clock
        self._sleep = sleep
        self._slots_ready = False

    def acquire(self) -> Callable[[], None]:
        """Block until a slot is ours; returns the function that hands it back."""
        if not self._slots_ready:
            self._ensure_slots()
        holder = uuid.uuid4().hex
        while True:
            now = self._clock()
            slots = list(
                FortnoxRateSlot.select(FortnoxRateSlot.id, FortnoxRateSlot.busy_until,
                                       FortnoxRateSlot.holder)
                .where(FortnoxRateSlot.tenant == self.tenant,
                       FortnoxRateSlot.slot < self.limit.requests)
            )
            free = [s for s in slots if s.busy_until <= now]
            random.shuffle(free)  # racing takers then mostly try different rows
            for slot in free:
                if self._take(slot.id, holder, now):
                    return functools.partial(self._release, slot.id, holder)
            self._sleep(self._pause(slots, now))

    def _take(self, slot_id: int, holder: str, now: datetime) -> bool:
        taken = (
            FortnoxRateSlot.update(busy_until=now + IN_FLIGHT_HOLD, holder=holder)
            .where(FortnoxRateSlot.id == slot_id, FortnoxRateSlot.busy_until <= now)
            .execute()
        )
        return bool(taken)

    def _release(self, slot_id: int, holder: str) -> None:
        busy_until = self._clock() + self.limit.window + SAFETY_MARGIN
        try:
            (FortnoxRateSlot.update(busy_until=busy_until, holder=None)
             .where(FortnoxRateSlot.id == slot_id, FortnoxRateSlot.holder == holder)
             .execute())
        except PeeweeException as exc:
            # The slot stays busy until its in-flight hold ends: slower, never over the limit.
            log.warning("fortnox.rate_slot_release_failed tenant=%s error=%s", self.tenant,
                        type(exc).__name__)

    def _pause(self, slots: list[FortnoxRateSlot], now: datetime) -> float:
        """Seconds until the earliest slot frees. A slot in flight frees a full window after
        its answer, so it never frees before one that is already released."""
        released = [s.busy_until for s in slots if s.holder is None]
        if released:
            until = min(released)
        else:
            until = min([now + self.limit.window, *(s.busy_until for s in slots)])
        return max((until - now).total_seconds(), MIN_PAUSE)

    def _ensure_slots(self) -> None:
        """Create the tenant's slots once; racing creators ignore each other's rows, and
        MariaDB's occasional deadlock between concurrent inserts is retried."""
        existing = (FortnoxRateSlot.select()
                    .where(FortnoxRateSlot.tenant == self.tenant,
                           FortnoxRateSlot.slot < self.limit.requests)
                    .count())
        if existing < self.limit.requests:
            now = self._clock()
            rows = [{"tenant": self.tenant, "slot": n, "busy_until": now, "holder": None}
                    for n in range(self.limit.requests)]
            for attempt in range(INSERT_RETRIES):
                try:
                    FortnoxRateSlot.insert_many(rows).on_conflict_ignore().execute()
                    break
                except OperationalError:
                    if attempt == INSERT_RETRIES - 1:
                        raise
                    time.sleep(0.01 * (attempt + 1))
        self._slots_ready = True
