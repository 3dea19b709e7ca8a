"""Stored tokens: used as they are, renewed ahead of expiry and after a 401, rotation persisted,
and a connection Fortnox no longer accepts stops every request until the owner reconnects."""

from __future__ import annotations

from datetime import timedelta

import pytest
import requests

from sidecar.config import Config
from sidecar.fields import utcnow
from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxReconnectRequired
from sidecar.fortnox import auth
from sidecar.fortnox_access import fortnox_client_for
from sidecar.fortnox_access.tokens import AuthorizationCodeTokens
from sidecar.fortnox_access.tokens import FortnoxNotConnected
from sidecar.models import ActivityEntry
from sidecar.models import FortnoxToken
from sidecar.models import Shop
from sidecar.sim.server import RunningServer
from tests.fortnox_access.oauth import api_requests
from tests.fortnox_access.oauth import connect_with_consent
from tests.fortnox_access.oauth import token_requests

pytestmark = pytest.mark.usefixtures("fortnox_sim")


def stored(shop: Shop) -> FortnoxToken:
    return FortnoxToken.get(FortnoxToken.shop == shop)


def test_it_uses_the_stored_token_while_it_has_time_left(
    connected_shop: Shop, access_config: Config, fortnox_sim: RunningServer
) -> None:
    client = fortnox_client_for(connected_shop, access_config)
    grants_before = len(token_requests(fortnox_sim.url))

    client.get_company_information()
    client.get_company_information()

    assert len(token_requests(fortnox_sim.url)) == grants_before
    assert stored(connected_shop).generation == 1


def test_it_refreshes_ahead_of_expiry_and_keeps_the_rotated_refresh_token(
    connected_shop: Shop, access_config: Config, fortnox_sim: RunningServer
) -> None:
    before = stored(connected_shop)
    # 58 minutes later on both sides: two minutes left, inside the five-minute margin.
    requests.post(f"{fortnox_sim.url}/_sim/clock", json={"advance_seconds": 58 * 60}, timeout=5)
    later = lambda: utcnow() + timedelta(minutes=58)  # noqa: E731
    client = FortnoxClient(access_config.fortnox_api_url,
                           AuthorizationCodeTokens(connected_shop.id, access_config, clock=later))

    assert client.get_company_information()["CompanyName"] == "Simulerat Företag AB"

    after = stored(connected_shop)
    assert after.generation == before.generation + 1
    assert after.refresh_token != before.refresh_token
    assert after.access_token != before.access_token
    assert after.expires_at > later() + timedelta(minutes=55)
    # The old refresh token is spent at Fortnox: only the stored new one could continue.
    with pytest.raises(FortnoxReconnectRequired):
        auth.refresh(requests.Session(), access_config.fortnox_auth_url + "/token",
                     access_config.fortnox_client_id, access_config.fortnox_client_secret,
                     before.refresh_token)


def test_it_renews_after_a_401_only_while_the_refused_token_is_the_stored_one(
    connected_shop: Shop, access_config: Config, fortnox_sim: RunningServer
) -> None:
    provider = AuthorizationCodeTokens(connected_shop.id, access_config)
    refused = provider.access_token()
    requests.post(f"{fortnox_sim.url}/_sim/expire-tokens", timeout=5)

    fortnox_client_for(connected_shop, access_config).get_company_information()  # 401, renew

    assert stored(connected_shop).generation == 2
    grants = len(token_requests(fortnox_sim.url))
    provider.invalidate(refused)  # a straggler's 401 on the old token: already replaced
    assert len(token_requests(fortnox_sim.url)) == grants
    assert stored(connected_shop).generation == 2


def test_it_asks_the_owner_to_reconnect_on_invalid_grant_and_then_sends_nothing(
    connected_shop: Shop, access_config: Config, fortnox_sim: RunningServer
) -> None:
    # Another installation spends our refresh token: Fortnox will refuse ours (invalid_grant).
    auth.refresh(requests.Session(), access_config.fortnox_auth_url + "/token",
                 access_config.fortnox_client_id, access_config.fortnox_client_secret,
                 stored(connected_shop).refresh_token)
    provider = AuthorizationCodeTokens(connected_shop.id, access_config)

    with pytest.raises(FortnoxReconnectRequired):
        provider.refresh(stored(connected_shop).generation)

    shop = Shop.get_by_id(connected_shop.id)
    assert shop.fortnox_state == "needs_reconnect"
    assert "reconnect" in shop.fortnox_state_detail
    entry = ActivityEntry.get(ActivityEntry.level == "error")
    assert (entry.workflow, entry.hint) == ("connection", "Reconnect Fortnox on the settings page.")
    requests.delete(f"{fortnox_sim.url}/_sim/requests", timeout=5)

    client = fortnox_client_for(shop, access_config)
    for _ in range(3):
        with pytest.raises(FortnoxReconnectRequired):
            client.get_company_information()

    assert api_requests(fortnox_sim.url) == [] and token_requests(fortnox_sim.url) == []
    assert ActivityEntry.select().where(ActivityEntry.level == "error").count() == 1

    connect_with_consent(shop, access_config, fortnox_sim.url)  # the owner reconnects

    assert fortnox_client_for(shop, access_config).get_company_information()
    assert Shop.get_by_id(shop.id).fortnox_state == "connected"
    assert ActivityEntry.get_by_id(entry.id).resolved_at is not None


def test_it_refuses_a_shop_that_was_never_connected_without_a_request(
    shop: Shop, access_config: Config, fortnox_sim: RunningServer
) -> None:
    with pytest.raises(FortnoxNotConnected):
        fortnox_client_for(shop, access_config).get_company_information()

    assert api_requests(fortnox_sim.url) == [] and token_requests(fortnox_sim.url) == []
