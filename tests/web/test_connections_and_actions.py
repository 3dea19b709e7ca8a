"""The settings page's connection buttons and the dashboard's long actions, where they can be
checked without the other systems: refusals in words, the backfill's starting point."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest
from flask.testing import FlaskClient

from sidecar import settings
from sidecar.models import Shop
from sidecar.sync.cursors import read_cursor
from sidecar.sync.reconcile.sweep import CURSOR
from sidecar.web import dashboard_actions
from tests.web.conftest import post_form


def test_the_fortnox_part_offers_connect_and_a_service_account(signed_in: FlaskClient) -> None:
    page = signed_in.get("/settings").text

    assert 'id="fortnox-state"' in page and "Not connected" in page
    # The test config has no integration credentials: connect is offered, but cannot work yet.
    assert 'id="fortnox-connect" disabled' in page and "Connect to Fortnox" in page
    assert 'name="tenant_id"' in page


def test_reconnect_is_offered_with_the_stored_reason(signed_in: FlaskClient,
                                                     web_shop: Shop) -> None:
    Shop.update(fortnox_state="needs_reconnect",
                fortnox_state_detail="The refresh token was already used").execute()

    page = signed_in.get("/settings").text

    assert "Reconnect to Fortnox" in page
    assert "The reason Fortnox gave: The refresh token was already used" in page


def test_a_service_account_that_fortnox_refuses_is_explained(signed_in: FlaskClient) -> None:
    response = post_form(signed_in, "/settings/fortnox/service-account", {"tenant_id": "x12"})

    assert response.status_code == 422
    assert 'id="fortnox-error"' in response.text  # the reason, beside the form


def test_testing_woocommerce_without_keys_says_what_to_enter(signed_in: FlaskClient) -> None:
    response = post_form(signed_in, "/settings/woocommerce/test")
    page = signed_in.get("/settings").text

    assert response.location == "/settings#woocommerce"
    assert "The connection does not work." in page
    assert "Enter the shop address and both REST API keys first." in page
    assert "Enter the shop address and keys above to see the webhooks." in page


def test_a_backfill_needs_a_first_order_date(signed_in: FlaskClient) -> None:
    post_form(signed_in, "/actions/backfill")

    assert "Set the first order date in Settings → Order export first." in signed_in.get(
        "/").text


def test_a_backfill_points_the_sweep_at_the_first_order_date_and_runs_it(
        signed_in: FlaskClient, web_shop: Shop, monkeypatch: pytest.MonkeyPatch) -> None:
    started = []
    monkeypatch.setattr(dashboard_actions, "run_now",
                        lambda app, job, shop: started.append(job))
    settings.save(web_shop, {"export.first_order_date": "2025-03-01"})

    post_form(signed_in, "/actions/backfill")

    assert read_cursor(web_shop, CURSOR) == datetime(2025, 3, 1, tzinfo=UTC)
    assert started == ["sweep_orders"]
    assert "Fetching every order since 2025-03-01." in signed_in.get("/").text


def test_a_full_product_sync_runs_as_the_product_job(
        signed_in: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    started = []
    monkeypatch.setattr(dashboard_actions, "run_now",
                        lambda app, job, shop: started.append(job))

    response = post_form(signed_in, "/products/full-sync")

    assert response.location == "/products"
    assert started == ["product_sync"]


def test_creating_a_product_needs_a_known_side(signed_in: FlaskClient) -> None:
    assert post_form(signed_in, "/products/create", {"sku": "A", "target": "x"}
                     ).status_code == 400
    refused = post_form(signed_in, "/products/create", {"sku": "A", "target": "fortnox"})
    assert refused.status_code == 302
    assert "Connect Fortnox on the settings page" in signed_in.get("/products").text
