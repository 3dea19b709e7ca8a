"""The owner connects Fortnox: /fortnox/connect → Fortnox's consent page → /fortnox/callback."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from peewee import Database
from werkzeug.test import TestResponse

from sidecar.app import create_app
from sidecar.config import Config
from sidecar.fortnox_access.connect import SCOPES
from sidecar.models import ActivityEntry
from sidecar.models import FortnoxToken
from sidecar.models import Owner
from sidecar.models import Shop
from sidecar.shops import ensure_default_shop
from sidecar.sim.server import RunningServer
from sidecar.web import sessions
from sidecar.web.accounts import create_owner
from tests.conftest import join_background_runs
from tests.fortnox_access.conftest import PUBLIC_URL
from tests.fortnox_access.oauth import click_allow
from tests.fortnox_access.oauth import query_of
from tests.fortnox_access.oauth import sim_get


@pytest.fixture(name="app")
def _app(access_config: Config, sqlite_database: Database) -> Iterator[Flask]:
    """The sidecar app on the test's SQLite database, Fortnox pointing at the simulator."""
    ensure_default_shop()
    yield create_app(access_config)
    join_background_runs()  # connecting starts the checks against Fortnox


@pytest.fixture(name="browser")
def _browser(app: Flask) -> FlaskClient:
    """The owner's browser on the sidecar, signed in (keeps the session cookie)."""
    return signed_in_browser(app)


def signed_in_browser(app: Flask) -> FlaskClient:
    browser = app.test_client()
    shop = Shop.get()
    owner = Owner.get_or_none(Owner.shop == shop) or create_owner(shop, "agare@example.se",
                                                                  "ett långt lösenord")
    with browser.session_transaction() as session:  # as the WordPress sign-in link leaves it
        session.update(sessions.contents(shop, owner=owner, wp_user=1))
    return browser


def start_connect(browser: FlaskClient) -> str:
    answer = browser.get("/fortnox/connect")
    assert answer.status_code == 302
    return answer.headers["Location"]


def callback_path(fortnox_redirect: str) -> str:
    parts = urlsplit(fortnox_redirect)
    assert f"{parts.scheme}://{parts.netloc}" == PUBLIC_URL
    return f"{parts.path}?{parts.query}"


def test_it_connects_a_shop_through_the_fortnox_consent_page(
    browser: FlaskClient, fortnox_sim: RunningServer, sqlite_database: Database
) -> None:
    authorize = start_connect(browser)
    asked = query_of(authorize)
    assert authorize.startswith(f"{fortnox_sim.url}/oauth-v1/auth?")
    assert set(asked["scope"].split()) == set(SCOPES)
    assert asked["redirect_uri"] == f"{PUBLIC_URL}/fortnox/callback"
    assert asked["access_type"] == "offline" and len(asked["state"]) >= 32

    answer = browser.get(callback_path(click_allow(authorize)))

    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    shop = Shop.get()
    assert shop.fortnox_state == "connected"
    assert shop.fortnox_company_name == "Simulerat Företag AB"
    assert shop.fortnox_tenant_id == "1234567"
    token = FortnoxToken.get(FortnoxToken.shop == shop)
    assert token.generation == 1 and token.refresh_token
    assert sim_get(fortnox_sim.url, "/3/companyinformation", token.access_token).status_code == 200
    raw = sqlite_database.execute_sql(
        "SELECT access_token, refresh_token FROM fortnox_token").fetchone()
    assert token.access_token not in raw[0] and token.refresh_token not in raw[1]
    assert raw[0].startswith("gAAAA")  # Fernet
    assert ActivityEntry.get(ActivityEntry.workflow == "connection").level == "info"


@pytest.mark.parametrize("tamper", ["wrong", "missing"])
def test_it_refuses_a_callback_whose_state_does_not_match_and_stores_nothing(
    browser: FlaskClient, tamper: str
) -> None:
    fortnox_redirect = click_allow(start_connect(browser))
    query = query_of(fortnox_redirect)
    state = {"wrong": query["state"][:-4] + "AAAA", "missing": ""}[tamper]

    answer = browser.get(f"/fortnox/callback?code={query['code']}&state={state}")

    assert "Nothing was saved" in back_on_the_settings(browser, answer)
    assert not FortnoxToken.select().exists()
    assert Shop.get().fortnox_state == "not_connected"
    # The state is used up: not even the genuine answer works after a refused one.
    back_on_the_settings(browser, browser.get(callback_path(fortnox_redirect)))
    assert not FortnoxToken.select().exists()


def test_it_refuses_a_callback_in_a_browser_that_never_started_connecting(
    app: Flask, browser: FlaskClient
) -> None:
    fortnox_redirect = click_allow(start_connect(browser))

    stranger = signed_in_browser(app)
    answer = stranger.get(callback_path(fortnox_redirect))

    assert "(it is stale, or was opened elsewhere)" in back_on_the_settings(stranger, answer)
    assert not FortnoxToken.select().exists()


def test_it_says_in_words_when_the_owner_declines(browser: FlaskClient) -> None:
    state = query_of(start_connect(browser))["state"]

    answer = browser.get(f"/fortnox/callback?error=access_denied&state={state}")

    assert "did not grant access (access_denied)" in back_on_the_settings(browser, answer)
    assert Shop.get().fortnox_state == "not_connected"


def back_on_the_settings(browser: FlaskClient, answer: TestResponse) -> str:
    """A refused callback leads back to the settings' Fortnox part; the page it shows."""
    assert answer.status_code == 302
    assert answer.location.endswith("/settings#fortnox")
    return browser.get("/settings").get_data(as_text=True)
