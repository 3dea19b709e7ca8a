"""The inbox as a queue, on every engine: stored once, claimed by one, retried, parked."""

from __future__ import annotations

import itertools
import os
import threading
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest
from peewee import Database

from sidecar.config import Config
from sidecar.db import database as proxy
from sidecar.jobs import lease
from sidecar.jobs.inbox_worker import HANDLERS
from sidecar.jobs.inbox_worker import handle_entry
from sidecar.jobs.inbox_worker import process_inbox
from sidecar.jobs.registry import JobContext
from sidecar.models import ActivityEntry
from sidecar.models import InboxEntry
from sidecar.models import ProductLink
from sidecar.models import Shop
from sidecar.sync.orders.ledger import OrderBusy
from sidecar.webhooks import inbox
from sidecar.webhooks.intake import classify
from sidecar.webhooks.intake import record

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TOPICS = ["order.updated"]
CONTEXT = JobContext(now=T0, renew=lambda: None, config=Config.for_tests(Path("unused")))


def store(shop: Shop, order_id: int, topic: str = "order.updated") -> InboxEntry:
    body = f'{{"id":{order_id},"date_modified_gmt":"2026-11-23T09:00:00"}}'.encode()
    assert record(shop, classify(topic, body), body, "d")
    entry = InboxEntry.get(InboxEntry.resource_id == order_id)
    entry.next_attempt_at = T0
    entry.save()
    return entry


def test_record_reports_a_duplicate_on_every_engine(shop: Shop) -> None:
    body = b'{"id":9,"date_modified_gmt":"2026-11-23T09:00:00"}'

    first = record(shop, classify("order.created", body), body, "a")
    again = record(shop, classify("order.updated", body), body, "b")

    assert (first, again) == (True, False)
    assert InboxEntry.select().count() == 1


def test_a_row_is_claimed_by_exactly_one_of_many_workers(database: Database, shop: Shop) -> None:
    store(shop, 1)
    claims: list[str] = []
    barrier = threading.Barrier(6)

    def work(name: str) -> None:
        with proxy.connection_context():
            barrier.wait()
            if inbox.claim_next(shop, TOPICS, worker=name, now=T0) is not None:
                claims.append(name)

    threads = [threading.Thread(target=work, args=(f"w{i}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(claims) == 1
    assert InboxEntry.get().claimed_by == claims[0]


def test_failures_back_off_exponentially_then_park(shop: Shop) -> None:
    entry = store(shop, 1)
    now = T0
    delays = []
    for _ in range(inbox.MAX_ATTEMPTS - 1):
        claimed = inbox.claim_next(shop, TOPICS, worker="w", now=now)
        assert claimed is not None
        assert inbox.fail(claimed, "Fortnox is down", worker="w", now=now) == "pending"
        entry = InboxEntry.get_by_id(entry.id)
        delays.append(entry.next_attempt_at - now)
        assert inbox.claim_next(shop, TOPICS, worker="w", now=now) is None  # not due yet
        now = entry.next_attempt_at

    last = inbox.claim_next(shop, TOPICS, worker="w", now=now)
    assert last is not None
    assert inbox.fail(last, "Fortnox is still down", worker="w", now=now) == "parked"

    assert delays[:3] == [timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2)]
    assert all(later >= earlier for earlier, later in itertools.pairwise(delays))
    parked = InboxEntry.get_by_id(entry.id)
    assert (parked.status, parked.last_error) == ("parked", "Fortnox is still down")
    assert inbox.claim_next(shop, TOPICS, worker="w", now=now + timedelta(days=9)) is None


def test_a_permanent_error_parks_at_once_and_retry_makes_it_due(shop: Shop) -> None:
    entry = store(shop, 1)
    claimed = inbox.claim_next(shop, TOPICS, worker="w", now=T0)
    assert claimed is not None

    assert inbox.fail(claimed, "Article missing", worker="w", now=T0, retryable=False) == "parked"
    assert inbox.retry_parked(shop, entry.id, now=T0)

    again = inbox.claim_next(shop, TOPICS, worker="w", now=T0)
    assert again is not None
    assert again.attempts == 1


def test_a_row_held_by_a_dead_worker_is_reclaimed_after_its_claim_expires(shop: Shop) -> None:
    store(shop, 1)
    assert inbox.claim_next(shop, TOPICS, worker="dead", now=T0) is not None

    early = inbox.claim_next(shop, TOPICS, worker="alive", now=T0 + inbox.CLAIM_FOR / 2)
    late = inbox.claim_next(shop, TOPICS, worker="alive", now=T0 + inbox.CLAIM_FOR
                            + timedelta(seconds=1))

    assert early is None
    assert late is not None
    assert not inbox.complete(late, worker="dead", now=T0)  # the dead worker can't finish it
    assert inbox.complete(late, worker="alive", now=T0)
    assert InboxEntry.get().status == "done"


def test_rows_held_by_a_process_that_died_on_this_host_are_claimable_at_once(
    shop: Shop,
) -> None:
    own = f"web-1:{os.getpid()}:mine"
    claimants = {1: f"web-1:{2**22 + 1}:dead/1",  # no such pid: the process is gone
                 2: f"web-1:{os.getppid()}:alive/1",  # it still runs: keeps its claim
                 3: "web-2:1:elsewhere/1"}  # another host: can't tell, left to expire
    for order_id, claimant in claimants.items():
        store(shop, order_id)
        assert inbox.claim_next(shop, TOPICS, worker=claimant, now=T0) is not None

    released = lease.release_claims_of_gone_processes(InboxEntry, own, T0 + timedelta(seconds=1))
    later = T0 + timedelta(seconds=2)
    taken_over = inbox.claim_next(shop, TOPICS, worker=f"{own}/1", now=later)

    assert released == 1
    assert taken_over is not None and taken_over.resource_id == 1
    assert inbox.claim_next(shop, TOPICS, worker=f"{own}/2", now=later) is None


def test_rows_of_a_topic_without_a_handler_are_left_alone(shop: Shop) -> None:
    # Stored by a version that took any topic; deliveries of such topics are refused now.
    InboxEntry.create(shop=shop, topic="coupon.updated", resource_id=1, dedupe_key="coupon:1:x",
                      body=b'{"id":1}', next_attempt_at=T0)

    counts = process_inbox(shop, CONTEXT)

    assert counts == {"done": 0, "retry": 0, "parked": 0}
    assert InboxEntry.get().status == "pending"


def test_product_deliveries_keep_the_sku_map(shop: Shop) -> None:
    product = b'{"id":13,"sku":"KAFFE-500","type":"simple","date_modified_gmt":"x"}'
    variation = (b'{"id":31,"sku":"TROJA-M","type":"variation","parent_id":30,'
                 b'"date_modified_gmt":"x"}')
    for body in (product, variation):
        record(shop, classify("product.updated", body), body, "d")

    counts = process_inbox(shop, CONTEXT)

    assert counts["done"] == 2
    links = {link.sku: (link.woo_product_id, link.woo_parent_id) for link in ProductLink.select()}
    assert links == {"KAFFE-500": (13, None), "TROJA-M": (31, 30)}


def test_a_handler_that_keeps_failing_ends_parked_with_an_activity_entry(shop: Shop,
                                                                        tmp_path: Path) -> None:
    body = b'{"id":13,"sku":"KAFFE-500","type":"simple","date_modified_gmt":"x"}'
    record(shop, classify("product.updated", body), body, "d")
    entry = InboxEntry.get()
    entry.body = b"{broken"
    entry.attempts = inbox.MAX_ATTEMPTS - 1
    entry.save()

    claimed = inbox.claim_next(shop, ["product.updated"], worker="w",
                               now=datetime.now(UTC) + timedelta(seconds=1))
    assert claimed is not None
    assert handle_entry(shop, claimed, "w", Config.for_tests(tmp_path)) == "parked"

    assert InboxEntry.get().status == "parked"
    activity = ActivityEntry.get()
    assert activity.level == "error"
    assert "product.updated" in activity.message


def test_orders_wait_while_fortnox_is_not_connected(shop: Shop) -> None:
    store(shop, 1, topic="order.updated")
    assert shop.fortnox_state != "connected"

    counts = process_inbox(shop, CONTEXT)

    assert counts == {"done": 0, "retry": 0, "parked": 0}
    entry = InboxEntry.get()
    assert (entry.status, entry.attempts) == ("pending", 0)


def test_an_order_busy_in_another_worker_puts_the_row_off_without_counting_the_try(
    shop: Shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    store(shop, 1)
    claim_ends = T0 + timedelta(seconds=40)

    def busy(*_: object) -> str:
        raise OrderBusy("order 1 is being exported by another worker", wait_until=claim_ends)

    monkeypatch.setitem(HANDLERS, "order.updated", busy)
    for _ in range(inbox.MAX_ATTEMPTS + 2):  # more tries than it takes to park a failing row
        claimed = inbox.claim_next(shop, TOPICS, worker="w", now=claim_ends)
        assert claimed is not None
        assert handle_entry(shop, claimed, "w", Config.for_tests(tmp_path)) == "retry"

    row = InboxEntry.get()
    assert (row.status, row.attempts) == ("pending", 0)
    assert row.next_attempt_at.replace(tzinfo=UTC) == claim_ends
    assert "another worker" in row.last_error
    assert ActivityEntry.select().count() == 0
