"""Connecting Fortnox ends on the site's own pages, in the owner's language: a disabled button
with the reason and the fix while the integration is not configured, a refusal or a stale
answer back on the settings with a message, a connection confirmed naming the company. Error
pages (404, 405) are in the layout too."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from peewee import Database

from sidecar.app import create_app
from sidecar.config import Config
from sidecar.models import Owner
from sidecar.sim.fortnox import FortnoxSimConfig
from sidecar.sim.fortnox import create_app as create_fortnox
from sidecar.sim.server import RunningServer
from sidecar.sim.server import serve_in_thread
from tests.web.conftest import OWNER_EMAIL
from tests.web.conftest import OWNER_PASSWORD
from tests.web.conftest import sign_in


def test_connect_is_disabled_with_the_reason_and_the_fix_when_not_configured(
        signed_in: FlaskClient) -> None:
    page = signed_in.get("/settings").text

    assert '<button type="button" class="primary" id="fortnox-connect" disabled' in page
    assert "Connecting is not possible yet:" in page
    assert "SIDECAR_FORTNOX_CLIENT_ID" in page
    assert "/fortnox/callback" in page  # the redirect address to register


def test_connect_without_credentials_leads_back_to_the_settings_in_swedish(
        signed_in: FlaskClient) -> None:
    signed_in.set_cookie("sidecar_lang", "sv")
    response = signed_in.get("/fortnox/connect")

    assert response.status_code == 302 and response.location.endswith("/settings#fortnox")
    page = signed_in.get("/settings").text
    assert "Sidecar har ännu inga uppgifter för Fortnox-integrationen" in page


def test_a_stale_answer_from_fortnox_leads_back_to_the_settings(signed_in: FlaskClient) -> None:
    response = signed_in.get("/fortnox/callback?state=never-issued&code=abc")

    assert response.status_code == 302 and response.location.endswith("/settings#fortnox")
    assert "(it is stale, or was opened elsewhere)" in signed_in.get("/settings").text


@pytest.fixture(name="fortnox_sim")
def _fortnox_sim() -> Iterator[RunningServer]:
    """The Fortnox simulator on loopback, with its consent page."""
    server = serve_in_thread(create_fortnox(FortnoxSimConfig(seed_demo_data=False)))
    yield server
    server.stop()


@pytest.fixture(name="connectable")
def _connectable(config: Config, fortnox_sim: RunningServer, sqlite_database: Database,
                 owner: Owner) -> FlaskClient:
    """The sidecar with the integration's id and secret, signed in."""
    sim_config = fortnox_sim.server.app.extensions["fortnox_sim"].config
    app: Flask = create_app(replace(
        config, fortnox_client_id=sim_config.client_id,
        fortnox_client_secret=sim_config.client_secret, fortnox_api_url=fortnox_sim.url,
        fortnox_auth_url=f"{fortnox_sim.url}/oauth-v1", public_url="http://localhost"))
    client = app.test_client()
    assert sign_in(client, OWNER_EMAIL, OWNER_PASSWORD).status_code == 302
    return client


def test_a_refusal_in_fortnox_leads_back_with_fortnoxs_reason(connectable: FlaskClient) -> None:
    consent = connectable.get("/fortnox/connect").location
    state = parse_qs(urlsplit(consent).query)["state"][0]

    response = connectable.get(f"/fortnox/callback?state={state}&error=access_denied")

    assert response.status_code == 302 and response.location.endswith("/settings#fortnox")
    assert "Fortnox did not grant access (access_denied)" in connectable.get("/settings").text


def test_a_connection_is_confirmed_naming_the_company(connectable: FlaskClient,
                                                      fortnox_sim: RunningServer) -> None:
    consent = connectable.get("/fortnox/connect").location
    query = {k: v[0] for k, v in parse_qs(urlsplit(consent).query).items()}
    allowed = requests.post(f"{fortnox_sim.url}/oauth-v1/auth",
                            data={**query, "decision": "allow"}, allow_redirects=False,
                            timeout=10)
    callback = urlsplit(allowed.headers["Location"])

    response = connectable.get(f"{callback.path}?{callback.query}")

    assert response.status_code == 302 and response.location.endswith("/")
    company = fortnox_sim.server.app.extensions["fortnox_sim"].config.company_name
    assert f"Connected to Fortnox: {company}." in connectable.get("/").text


@pytest.mark.parametrize(("language", "heading"), [("en", "There is no such page"),
                                                    ("sv", "Sidan finns inte")])
def test_a_missing_page_is_in_the_layout_in_the_readers_language(
        signed_in: FlaskClient, language: str, heading: str) -> None:
    signed_in.set_cookie("sidecar_lang", language)

    response = signed_in.get("/no-such-page")

    assert response.status_code == 404
    assert f"<h1>{heading}</h1>" in response.text
    assert 'href="/settings"' in response.text  # the navigation: a way back


def test_a_wrong_method_is_a_page_too_but_not_for_machines(signed_in: FlaskClient) -> None:
    assert signed_in.get("/problems/retry-all").status_code == 405
    assert "That cannot be done here" in signed_in.get("/problems/retry-all").text
    machine = signed_in.get("/api/orders/1/resend")  # the plugin's API: Flask's own answer
    assert machine.status_code == 405 and "site-footer" not in machine.text
