"""The dashboard says whether Fortnox's change feed is on, when the last event came, and why
it is off, in Swedish and English."""

from __future__ import annotations

import dataclasses
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sidecar.fields import utcnow
from sidecar.jobs import feed_health
from sidecar.messages import msg
from sidecar.models import Shop

SWEDISH = {"Accept-Language": "sv"}


@pytest.fixture(autouse=True)
def _feed_configured(app: Flask) -> None:
    """The installation has the change feed (tests default to none)."""
    config = app.extensions["sidecar.config"]
    app.extensions["sidecar.config"] = dataclasses.replace(
        config, fortnox_topics_url="wss://ws.fortnox.se/topics-v1")


def connected(shop: Shop) -> None:
    Shop.update(fortnox_state="connected").where(Shop.id == shop.id).execute()


def test_on_with_the_time_of_the_last_event_in_both_languages(
    signed_in: FlaskClient, web_shop: Shop
) -> None:
    connected(web_shop)
    now = utcnow()
    feed_health.mark_on([web_shop.id], ["articles"], now)
    feed_health.mark_event(web_shop.id, now.replace(hour=12, minute=30, second=0), now)

    english = signed_in.get("/").text
    swedish = signed_in.get("/", headers=SWEDISH).text

    local = now.replace(hour=12, minute=30).astimezone(ZoneInfo("Europe/Stockholm")).strftime(
        "%H:%M")
    assert f"Direct updates from Fortnox: on (last event at {local})" in english
    assert f"Direktuppdateringar från Fortnox: på (senaste händelse kl. {local})" in swedish


@pytest.mark.parametrize(("problem", "english", "swedish"), [
    (msg("feed.service_account_refused"), "did not accept the service account",
     "godtog inte tjänstekontots inloggning"),
    (msg("feed.connection_lost", error="timed out"), "The connection to Fortnox was lost",
     "Anslutningen till Fortnox bröts"),
])
def test_off_with_the_reason_in_both_languages(
    signed_in: FlaskClient, web_shop: Shop, problem: object, english: str, swedish: str
) -> None:
    connected(web_shop)
    feed_health.mark_refused([web_shop.id], utcnow(), problem)  # type: ignore[arg-type]

    english_page = signed_in.get("/").text
    swedish_page = signed_in.get("/", headers=SWEDISH).text

    assert "Direct updates from Fortnox: off" in english_page and english in english_page
    assert "Direktuppdateringar från Fortnox: av" in swedish_page and swedish in swedish_page


def test_a_feed_not_heard_from_for_minutes_counts_as_off(
    signed_in: FlaskClient, web_shop: Shop
) -> None:
    connected(web_shop)
    long_ago = datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    feed_health.mark_on([web_shop.id], ["articles"], long_ago)
    feed_health.mark_event(web_shop.id, long_ago, long_ago - timedelta(minutes=10))

    page = signed_in.get("/").text

    assert "Direct updates from Fortnox: off (last event at 2026-03-02 10:15)" in page


def test_switched_off_for_the_installation_says_so(
    app: Flask, signed_in: FlaskClient, web_shop: Shop
) -> None:
    config = app.extensions["sidecar.config"]
    app.extensions["sidecar.config"] = dataclasses.replace(config, fortnox_topics_url="")

    page = signed_in.get("/", headers=SWEDISH).text

    assert "Direktuppdateringar från Fortnox: av" in page
    assert "Avstängt i den här installationen" in page
