"""Fixtures for the owner pages: an app on migrated SQLite, a shop, an owner, clients."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from peewee import Database

from sidecar.app import create_app
from sidecar.config import Config
from sidecar.models import Owner
from sidecar.models import Shop
from sidecar.web.accounts import create_owner
from tests.conftest import join_background_runs

OWNER_EMAIL = "agare@example.se"
OWNER_PASSWORD = "rätt häst batteri"
WEBHOOK_SECRET = "s3cret-webhook-for-tests"
LINK_SECRET = "s3cret-link-for-tests"
PLUGIN_SECRET = "s3cret-plugin-for-tests"


@pytest.fixture(autouse=True)
def _background_runs_end(sqlite_database: Database) -> Iterator[None]:
    """Jobs a button started in the background end before the test's database goes."""
    yield
    join_background_runs()


@pytest.fixture(name="web_shop")
def _web_shop(sqlite_database: Database) -> Shop:
    """The shop whose pages the tests open."""
    return Shop.create(name="Testbutiken", slug="testbutiken", webhook_secret=WEBHOOK_SECRET,
                       link_secret=LINK_SECRET, plugin_secret=PLUGIN_SECRET)


@pytest.fixture(name="owner")
def _owner(web_shop: Shop) -> Owner:
    """An owner account of the shop."""
    return create_owner(web_shop, OWNER_EMAIL, OWNER_PASSWORD)


@pytest.fixture(name="app")
def _app(config: Config, sqlite_database: Database) -> Flask:
    """The app on the test database, scheduler off."""
    return create_app(config)


@pytest.fixture(name="client")
def _client(app: Flask) -> FlaskClient:
    """A browser without a session."""
    return app.test_client()


@pytest.fixture(name="signed_in")
def _signed_in(client: FlaskClient, owner: Owner) -> FlaskClient:
    """A browser signed in as the owner."""
    response = sign_in(client, OWNER_EMAIL, OWNER_PASSWORD)
    assert response.status_code == 302, response.text
    return client


def csrf_token(client: FlaskClient) -> str:
    """The session's CSRF token, as a page would embed it in its forms."""
    page = client.get("/auth/sign-in")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text
    return match[1]


def sign_in(client: FlaskClient, email: str, password: str, **extra: str):  # type: ignore[no-untyped-def]
    return client.post("/auth/sign-in", data={"email": email, "password": password,
                                              "csrf_token": csrf_token(client), **extra})


def post_form(client: FlaskClient, path: str, data: dict[str, str] | None = None,
              **kwargs: object):  # type: ignore[no-untyped-def]
    """POST a form the way the page does: with the session's CSRF token."""
    with client.session_transaction() as session:
        token = session.setdefault("csrf_token", "a-token-as-a-page-would-have-made-it")
    return client.post(path, data={"csrf_token": token, **(data or {})}, **kwargs)
