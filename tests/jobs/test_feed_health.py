"""Polling relaxes while the change feed is on and tightens when it is not: the scheduler's
intervals follow the feed's state, the owner's interval and the safety interval."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from peewee import Database

from sidecar import settings
from sidecar.jobs import feed_health
from sidecar.jobs.registry import JOBS
from sidecar.jobs.scheduler import SchedulerService
from sidecar.jobs.scheduler import run_scheduled
from sidecar.messages import msg
from sidecar.models import FeedStatus
from sidecar.models import Shop

NOW = datetime(2026, 5, 4, 10, 0, tzinfo=UTC)
EVERYTHING = ("orders", "invoices", "articles", "warehouse-stockbalances")
STOCK = JOBS["stock_sync"]  # the owner's default: every 15 minutes


@pytest.fixture(name="shop")
def _shop(sqlite_database: Database) -> Shop:
    return Shop.create(name="A", slug="a")


def interval(shop: Shop, at: datetime = NOW, spec: object = STOCK) -> timedelta:
    return feed_health.polling_interval(spec, Shop.get_by_id(shop.id), at)  # type: ignore[arg-type]


def test_without_a_feed_the_owners_interval_holds(shop: Shop) -> None:
    assert interval(shop) == timedelta(minutes=15)


def test_while_the_feed_is_on_the_jobs_it_covers_run_at_the_safety_interval(shop: Shop) -> None:
    feed_health.mark_on([shop.id], EVERYTHING, NOW)

    assert interval(shop) == timedelta(hours=1)
    assert interval(shop, spec=JOBS["sweep_orders"]) == timedelta(minutes=10)  # not covered
    settings.save(shop, {feed_health.SAFETY_INTERVAL: 7200})
    assert interval(shop) == timedelta(hours=2)
    settings.save(shop, {settings.job_interval_key("stock_sync"): 3 * 3600})
    assert interval(shop) == timedelta(hours=3)  # never more often than the owner asked


def test_a_job_whose_topics_were_not_subscribed_keeps_the_owners_interval(shop: Shop) -> None:
    feed_health.mark_on([shop.id], ["articles"], NOW)  # no stock balances

    assert interval(shop, spec=JOBS["product_sync"]) == timedelta(hours=1)
    assert interval(shop) == timedelta(minutes=15)


@pytest.mark.parametrize(("down_for", "expected"), [
    (timedelta(minutes=14), timedelta(hours=1)),  # not longer than the owner's interval yet
    (timedelta(minutes=16), timedelta(minutes=15)),  # longer: back to the owner's interval
])
def test_after_the_connection_drops_polling_tightens_once_it_was_down_an_interval(
    shop: Shop, down_for: timedelta, expected: timedelta
) -> None:
    feed_health.mark_on([shop.id], EVERYTHING, NOW)
    feed_health.mark_off([shop.id], NOW, msg("feed.connection_lost", error="reset"))

    assert interval(shop, NOW + down_for) == expected


def test_a_listener_that_died_without_a_word_counts_as_down_since_it_was_last_heard(
    shop: Shop
) -> None:
    feed_health.mark_on([shop.id], EVERYTHING, NOW)

    assert interval(shop, NOW + timedelta(minutes=5)) == timedelta(hours=1)
    assert interval(shop, NOW + timedelta(minutes=16)) == timedelta(minutes=15)


def test_a_refused_token_means_the_owners_interval_at_once(shop: Shop) -> None:
    feed_health.mark_on([shop.id], EVERYTHING, NOW)
    feed_health.mark_refused([shop.id], NOW, msg("feed.token_refused"))

    assert interval(shop, NOW + timedelta(seconds=1)) == timedelta(minutes=15)
    assert FeedStatus.get().down_since == NOW


def test_the_scheduler_slows_the_jobs_and_catches_up_at_once_when_the_feed_is_lost(
    shop: Shop
) -> None:
    service = SchedulerService()
    service.scheduler.start(paused=True)
    try:
        feed_health.mark_on([shop.id], EVERYTHING, datetime.now(UTC))
        service.reconcile()
        jobs = {job.id: job for job in service.scheduler.get_jobs() if job.func is run_scheduled}
        assert jobs[f"stock_sync:{shop.id}"].trigger.interval == timedelta(hours=1)
        assert jobs[f"process_inbox:{shop.id}"].trigger.interval == timedelta(seconds=30)

        feed_health.mark_refused([shop.id], datetime.now(UTC), msg("feed.token_refused"))
        service.reconcile()

        job = service.scheduler.get_job(f"stock_sync:{shop.id}")
        assert job.trigger.interval == timedelta(minutes=15)
        assert job.next_run_time <= datetime.now(UTC) + timedelta(seconds=1)  # now, not later
    finally:
        service.scheduler.shutdown(wait=False)
