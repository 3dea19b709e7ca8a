"""The attention box tells the truth: a setup checklist on a fresh install, Fortnox out for
over five minutes with when it began, a job failing three runs in a row, deliveries waiting over
ten minutes, the settings check's findings; each gone when its condition ends."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient

from sidecar import activity
from sidecar import checks
from sidecar.fields import utcnow
from sidecar.messages import msg
from sidecar.models import InboxEntry
from sidecar.models import JobRun
from sidecar.models import OrderLedger
from sidecar.models import Shop
from tests.web.conftest import post_form


def attention(client: FlaskClient, language: str = "en") -> str:
    page = client.get("/", headers={"Accept-Language": language}).text
    return page[page.index('id="attention"'):page.index('id="orders"')]


def set_up(shop: Shop) -> None:
    """Everything on the checklist done."""
    now = utcnow()
    Shop.update(fortnox_state="connected", woo_url="https://butik.example",
                woo_consumer_key="ck_x", woo_consumer_secret="cs_x",
                woo_state="connected").execute()
    checks.answered(shop, checks.WEBHOOKS, value={"ours": 2}, now=now, next_at=None)
    checks.answered(shop, checks.SETTINGS, value={"issues": []}, now=now, next_at=None)
    OrderLedger.create(shop=shop, woo_order_id=1, external_key="wc-t-1", state="exported",
                       exported_at=now)


def test_a_fresh_install_shows_the_setup_checklist_not_an_all_clear(
        signed_in: FlaskClient, web_shop: Shop) -> None:
    box = attention(signed_in)

    assert "Nothing needs your attention" not in box
    assert "Before the first order" in box
    for step in ("Fortnox connected", "WooCommerce connected", "Webhooks active",
                 "Accounts checked against Fortnox", "First order sent to Fortnox"):
        assert step in box
    assert box.count("(not done yet)") == 5
    assert "Innan den första ordern" in attention(signed_in, "sv")

    set_up(web_shop)
    box = attention(signed_in)
    assert "Before the first order" not in box
    assert "Nothing needs your attention." in box


def test_jobs_that_skipped_for_want_of_setup_do_not_show_ok(signed_in: FlaskClient,
                                                             web_shop: Shop) -> None:
    JobRun.create(job="order_status", shop=web_shop, holder="h", outcome="ok",
                  counts={"skipped": 1}, finished_at=utcnow())

    page = signed_in.get("/").text

    assert "Skipped: not set up yet, or switched off" in page


def test_fortnox_out_for_over_five_minutes_is_shown_with_when_it_began_until_it_answers(
        signed_in: FlaskClient, web_shop: Shop) -> None:
    set_up(web_shop)
    began = utcnow() - timedelta(minutes=4)
    checks.failed(web_shop, checks.REACH, cause="fortnox.no_proper_answer", now=began,
                  problem=msg("fortnox.no_proper_answer", error="Service unavailable (HTTP 503)"))
    assert "has not answered" not in attention(signed_in)

    checks.ShopCheck.update(since=began - timedelta(minutes=2)).execute()
    box = attention(signed_in)
    swedish = attention(signed_in, "sv")

    assert "Fortnox has not answered properly since" in box
    assert "Service unavailable (HTTP 503)" in box
    assert "orders wait and are sent when Fortnox answers again" in box
    assert "Fortnox har inte svarat som det ska sedan" in swedish

    checks.answered(web_shop, checks.REACH, value={}, now=utcnow(), next_at=None)
    assert "Nothing needs your attention." in attention(signed_in)


def test_a_job_failing_three_runs_in_a_row_is_shown_until_it_succeeds(
        signed_in: FlaskClient, web_shop: Shop) -> None:
    set_up(web_shop)
    start = utcnow() - timedelta(hours=1)
    for n in range(3):
        JobRun.create(job="stock_sync", shop=web_shop, holder="h", outcome="failed",
                      started_at=start + timedelta(minutes=15 * n), error="WooError: 503")
    box = attention(signed_in)

    assert "has failed 3 times in a row" in box and "WooError: 503" in box
    assert 'action="/jobs/stock_sync/run"' in box

    JobRun.create(job="stock_sync", shop=web_shop, holder="h", outcome="ok",
                  started_at=utcnow())
    assert "in a row" not in attention(signed_in)


def test_deliveries_waiting_over_ten_minutes_are_shown(signed_in: FlaskClient,
                                                       web_shop: Shop) -> None:
    set_up(web_shop)
    entry = InboxEntry.create(shop=web_shop, topic="order.created", resource_id=9,
                              dedupe_key="order.created:9", body=b"{}",
                              received_at=utcnow() - timedelta(minutes=11))
    InboxEntry.create(shop=web_shop, topic="order.created", resource_id=10,
                      dedupe_key="order.created:10", body=b"{}")

    assert "1 delivery(ies) from WooCommerce have waited more than 10 minutes" in \
        attention(signed_in)

    InboxEntry.update(status="done").where(InboxEntry.id == entry.id).execute()
    assert "have waited" not in attention(signed_in)


def test_what_the_settings_check_found_is_shown_with_the_fix_and_a_check_again(
        signed_in: FlaskClient, web_shop: Shop) -> None:
    set_up(web_shop)
    issue = {"kind": "account", "code": "3520", "where": ["accounts.se.shipping.25"],
             "problem": msg("check.account_inactive", account=3520, name="Fakturerade frakter",
                            uses=msg("use.rounding")).as_json(),
             "fix": msg("check.fix_account", account=3520).as_json()}
    checks.answered(web_shop, checks.SETTINGS, value={"issues": [issue]}, now=utcnow(),
                    next_at=None, state=checks.PROBLEM)

    box = attention(signed_in)

    assert "Account 3520 (Fakturerade frakter) is inactive in Fortnox" in box
    assert "Activate account 3520 in Fortnox, or choose another account." in box
    assert "Aktivera konto 3520 i Fortnox, eller välj ett annat konto." in \
        attention(signed_in, "sv")
    assert 'action="/checks/settings"' in box


def test_an_order_problem_has_its_retry_and_a_retry_for_all_with_the_same_cause(
        signed_in: FlaskClient, web_shop: Shop) -> None:
    for order_id in (46, 47):
        OrderLedger.create(shop=web_shop, woo_order_id=order_id, external_key=f"wc-{order_id}",
                           state="failed")
        activity.problem(web_shop, about=activity.about_order(order_id),
                         cause="fortnox.said.2001304", level="error", workflow="orders",
                         woo_order_id=order_id,
                         message=msg("order.not_exported", order=order_id,
                                     reason=msg("fortnox.said", error="konto 3520")))

    box = attention(signed_in)

    assert box.count('action="/orders/4') == 2
    assert box.count("Retry all 2 with this problem") == 2

    response = post_form(signed_in, "/problems/retry-all", {"cause": "fortnox.said.2001304"})

    assert response.status_code == 302
    assert "2 orders will be sent again shortly." in signed_in.get("/").text
