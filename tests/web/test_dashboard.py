"""/: jobs with their last and next run, problems first with a Retry button, activity per day."""

from __future__ import annotations

import threading
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from sidecar.fields import utcnow
from sidecar.models import ActivityEntry
from sidecar.models import InboxEntry
from sidecar.models import JobLease
from sidecar.models import JobRun
from sidecar.models import Shop
from tests.web.conftest import post_form


def parked_delivery(shop: Shop) -> tuple[InboxEntry, ActivityEntry]:
    """A delivery the worker gave up on, and the error it reported (as inbox_worker does)."""
    entry = InboxEntry.create(shop=shop, topic="product.updated", resource_id=42,
                              dedupe_key="product.updated:42", body=b"{}", status="parked",
                              attempts=8, last_error="ValueError: no SKU")
    activity = ActivityEntry.create(
        shop=shop, level="error", workflow="webhooks", subject="product.updated 42",
        message="Could not process product.updated for id 42: no SKU",
        hint="Fix the cause, then press Retry.", details={"inbox_entry": entry.id})
    return entry, activity


def test_each_job_shows_its_last_run_in_swedish_time_and_its_next_slot(
    signed_in: FlaskClient, web_shop: Shop
) -> None:
    JobRun.create(job="prune", shop=web_shop, holder="h", outcome="ok",
                  started_at=datetime(2026, 7, 1, 12, 0, tzinfo=UTC),
                  finished_at=datetime(2026, 7, 1, 12, 0, 1, tzinfo=UTC),
                  counts={"inbox_deleted": 3})
    JobLease.create(name=f"prune:{web_shop.id}", job="prune", shop=web_shop,
                    not_before=datetime(2026, 1, 15, 12, 0, tzinfo=UTC))

    page = signed_in.get("/").text

    assert "2026-07-01 14:00" in page  # CEST, UTC+2
    assert "2026-01-15 13:00" in page  # CET, UTC+1
    assert "inbox rows removed: 3" in page
    assert "every day" in page  # prune's default interval
    assert "Never" in page  # process_inbox has not run


def test_a_parked_delivery_comes_first_with_its_hint_and_a_retry_button(
    signed_in: FlaskClient, web_shop: Shop
) -> None:
    entry, _ = parked_delivery(web_shop)
    ActivityEntry.create(shop=web_shop, level="info", workflow="orders", message="Order 7 sent")

    page = signed_in.get("/").text

    attention = page.index("Needs your attention")
    assert attention < page.index("Could not process product.updated for id 42")
    assert page.index("Could not process") < page.index("Background jobs")
    assert "Fix the cause, then press Retry." in page
    assert f'action="/inbox/{entry.id}/retry"' in page


def test_retry_makes_the_delivery_due_again_and_wakes_the_worker(
    app: Flask, signed_in: FlaskClient, web_shop: Shop
) -> None:
    woken: list[int] = []
    app.extensions["sidecar.wake_inbox"] = woken.append
    entry, activity = parked_delivery(web_shop)

    response = post_form(signed_in, f"/inbox/{entry.id}/retry")

    assert response.status_code == 302
    row = InboxEntry.get_by_id(entry.id)
    assert (row.status, row.attempts) == ("pending", 0)
    assert ActivityEntry.get_by_id(activity.id).resolved_at is not None
    assert woken == [web_shop.id]
    page = signed_in.get("/").text
    assert "It will be tried again shortly." in page
    assert "Could not process product.updated" not in page.split("Recent activity")[0]


def test_retry_of_another_shops_delivery_changes_nothing(signed_in: FlaskClient) -> None:
    other = Shop.create(name="Annan", slug="annan", webhook_secret="x" * 20)
    entry, _ = parked_delivery(other)

    post_form(signed_in, f"/inbox/{entry.id}/retry")

    assert InboxEntry.get_by_id(entry.id).status == "parked"
    assert "no longer waiting for a retry" in signed_in.get("/").text


def test_an_error_can_be_marked_as_handled(signed_in: FlaskClient, web_shop: Shop) -> None:
    error = ActivityEntry.create(shop=web_shop, level="error", workflow="orders",
                                 message="Account 3001 does not exist in Fortnox")

    post_form(signed_in, f"/activity/{error.id}/handled")

    handled = ActivityEntry.get_by_id(error.id)
    assert handled.resolved_at is not None
    assert handled.resolution == ["resolved.handled", {}]
    assert "Account 3001 does not exist" not in signed_in.get("/").text.split("Recent activity")[0]


def test_run_now_records_a_manual_run_even_when_it_finds_nothing_to_do(
    signed_in: FlaskClient, web_shop: Shop
) -> None:
    response = post_form(signed_in, "/jobs/process_inbox/run")

    for thread in threading.enumerate():
        if thread.name == f"run-now:process_inbox:{web_shop.id}":
            thread.join(timeout=10)
    assert response.status_code == 302
    run = JobRun.get(JobRun.job == "process_inbox")
    assert (run.trigger, run.outcome) == ("manual", "ok")
    assert post_form(signed_in, "/jobs/no_such_job/run").status_code == 404


def test_the_chart_counts_activity_per_swedish_day(signed_in: FlaskClient,
                                                   web_shop: Shop) -> None:
    today = utcnow().replace(hour=10)
    for level in ("info", "info", "error"):
        ActivityEntry.create(shop=web_shop, level=level, workflow="orders", message="m",
                             created_at=today, resolved_at=today)
    ActivityEntry.create(shop=web_shop, level="info", workflow="orders", message="m",
                         created_at=today - timedelta(days=1))

    page = signed_in.get("/").text

    assert "2 went well, 1 problems" in page
    assert "1 went well, 0 problems" in page
    assert page.count('class="bar-ok"') == 14


def test_the_alarm_banner_says_when_fortnox_needs_reconnecting(signed_in: FlaskClient,
                                                               web_shop: Shop) -> None:
    assert 'class="alarm"' not in signed_in.get("/").text

    Shop.update(fortnox_state="needs_reconnect", woo_state="webhooks_disabled").execute()
    page = signed_in.get("/products").text

    assert "Fortnox has disconnected the sidecar" in page
    assert "WooCommerce has turned off the webhooks" in page
    assert 'role="alert"' in page


def test_the_products_page_says_why_there_is_no_report_yet(signed_in: FlaskClient) -> None:
    page = signed_in.get("/products")

    assert page.status_code == 200
    assert "Connect Fortnox on the settings page to compare products." in page.text
    assert 'aria-current="page">Products<' in page.text


def test_activity_is_shown_in_the_readers_language_with_money_as_it_writes_it(
    signed_in: FlaskClient, web_shop: Shop
) -> None:
    from decimal import Decimal

    from sidecar import activity
    from sidecar.messages import Amount
    from sidecar.messages import msg

    activity.record(web_shop, level="info", workflow="orders",
                    subject=msg("subject.order", order=46),
                    message=msg("order.credit_made", credit="63", refund=116, invoice="12",
                                amount=Amount(Decimal("1044.75"), "SEK")))

    swedish = signed_in.get("/", headers={"Accept-Language": "sv"}).text
    english = signed_in.get("/", headers={"Accept-Language": "en"}).text

    assert ("Kreditfaktura 63 skapad i Fortnox för återbetalning 116 (1\xa0044,75\xa0kr) av "
            "faktura 12.") in swedish
    assert "Credit invoice 63 made in Fortnox for refund 116 (SEK1,044.75) of invoice 12." \
        in english
