"""The inbox worker: hands each stored delivery to the handler for its topic.

Handlers are plain functions ``handle(shop, entry, payload, config) -> note``. An exception with
``retryable = False`` (a validation error, say) parks the row at once; one with ``wait_until``
(a datetime: the order is busy in another worker) puts the row off until then, and that try
doesn't count; anything else is retried with backoff and parked after ``inbox.MAX_ATTEMPTS``.
A parked row is an error on the dashboard until the owner retries it. Topics without a handler
stay pending, so nothing is dropped while a feature is not there yet.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sidecar import activity
from sidecar.config import Config
from sidecar.db import database
from sidecar.fields import utcnow
from sidecar.jobs import order_export
from sidecar.jobs.runner import process_holder
from sidecar.jobs.spec import JobContext
from sidecar.messages import msg
from sidecar.models import InboxEntry
from sidecar.models import Shop
from sidecar.sync.catalog import remember_product
from sidecar.webhooks import inbox

log = logging.getLogger(__name__)

Handler = Callable[[Shop, InboxEntry, dict[str, Any], Config], str | None]


def _remember_product(shop: Shop, entry: InboxEntry, payload: dict[str, Any],
                      config: Config) -> str:
    return remember_product(shop, entry, payload)


HANDLERS: dict[str, Handler] = {
    "product.created": _remember_product,
    "product.updated": _remember_product,
    "order.created": order_export.handle_order,
    "order.updated": order_export.handle_order,
    "order.restored": order_export.handle_order,
    "order.deleted": order_export.handle_order_deleted,
}

# One run works this long at most, then leaves the rest to the next (keeps leases short). It
# ends before the next 30-second tick, so a busy inbox is not left idle until the tick after.
RUN_BUDGET_SECONDS = 25.0
CLAIMANT_NUMBERS = itertools.count(1)  # per process; with its name, unique


# Rows are worked by this many threads at once: an export spends most of its time waiting for
# Fortnox (latency, a 429's pause, a retry's backoff), and claims keep the threads apart.
WORKERS = 6


def ready_topics(shop: Shop) -> list[str]:
    """Order rows wait, pending, while the shop's Fortnox is not connected: an export can only
    fail then, and each failure would count towards parking the order."""
    if shop.fortnox_state == "connected":
        return list(HANDLERS)
    return [topic for topic in HANDLERS if not topic.startswith("order.")]


def has_ready_rows(shop: Shop, now: datetime) -> bool:
    """Whether a run now would find a row to work on (one indexed read)."""
    return inbox.has_claimable(shop, ready_topics(shop), now)


def process_inbox(shop: Shop, ctx: JobContext) -> dict[str, int]:
    counts = {"done": 0, "retry": 0, "parked": 0}
    config = ctx.require_config()
    topics = ready_topics(shop)
    deadline = time.monotonic() + RUN_BUDGET_SECONDS
    lock = threading.Lock()

    def work(number: int) -> None:
        # Names the process, so a restart can free what a crashed one held (scheduler.start).
        worker = f"{process_holder()}/{next(CLAIMANT_NUMBERS)}"
        if number:  # a helper thread needs a connection of its own
            with database.connection_context():
                work_off(worker)
        else:
            work_off(worker)

    def work_off(worker: str) -> None:
        while time.monotonic() < deadline:
            entry = inbox.claim_next(shop, topics, worker=worker, now=utcnow())
            if entry is None:
                return
            with lock:
                ctx.renew()
            outcome = handle_entry(shop, entry, worker, config)
            with lock:
                counts[outcome] += 1

    # Not daemons: a process told to stop lets them finish the row in hand (within the run's
    # budget) instead of leaving it claimed until the claim lapses.
    helpers = [threading.Thread(target=work, args=(n,)) for n in range(1, WORKERS)]
    for helper in helpers:
        helper.start()
    work(0)
    for helper in helpers:
        helper.join()
    return counts


def handle_entry(shop: Shop, entry: InboxEntry, worker: str, config: Config) -> str:
    try:
        payload = json.loads(entry.body) if entry.body else {}
        note = HANDLERS[entry.topic](shop, entry, payload, config)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
        error = f"{type(exc).__name__}: {exc}"
        wait_until = getattr(exc, "wait_until", None)  # busy elsewhere: not a failed try
        if wait_until is not None:
            inbox.postpone(entry, error, worker=worker, until=wait_until)
            log.info("inbox.postponed shop=%s entry=%s topic=%s until=%s reason=%s", shop.id,
                     entry.id, entry.topic, wait_until.isoformat(), error)
            return "retry"
        status = inbox.fail(entry, error, worker=worker, now=utcnow(),
                            retryable=getattr(exc, "retryable", True))
        log.warning("inbox.failed shop=%s entry=%s topic=%s attempts=%s status=%s error=%s",
                    shop.id, entry.id, entry.topic, entry.attempts, status, error)
        if status == "parked" and getattr(exc, "recorded", False):
            # The order's own entry says what went wrong; one entry per problem, not two.
            if getattr(exc, "retryable", False):
                activity.set_level(shop, activity.about_order(entry.resource_id or 0),
                                   level="error", now=utcnow(),
                                   hint=msg("hint.retries_ran_out", attempts=entry.attempts))
            return "parked"
        if status == "parked":
            activity.record(
                shop, level="error", workflow="webhooks",
                subject=msg("subject.delivery", topic=entry.topic, id=str(entry.resource_id)),
                message=msg("inbox.parked", topic=entry.topic, id=str(entry.resource_id),
                            error=str(exc)),
                hint=msg("hint.fix_then_retry"),
                details={"inbox_entry": entry.id, "attempts": entry.attempts},
            )
            return "parked"
        return "retry"
    inbox.complete(entry, worker=worker, now=utcnow(), note=note)
    log.info("inbox.done shop=%s entry=%s topic=%s id=%s", shop.id, entry.id, entry.topic,
             entry.resource_id)
    return "done"
