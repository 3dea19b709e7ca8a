"""The client-credentials flow: a service account per tenant, tokens fetched on demand."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sidecar.config import Config
from sidecar.fields import utcnow
from sidecar.fortnox import FortnoxClient
from sidecar.fortnox_access import fortnox_client_for
from sidecar.fortnox_access.connect import ConnectFailed
from sidecar.fortnox_access.connect import configure_service_account
from sidecar.fortnox_access.tokens import ClientCredentialsTokens
from sidecar.models import FortnoxToken
from sidecar.models import Shop
from sidecar.sim.server import RunningServer
from tests.fortnox_access.oauth import token_requests

# The locking below these tests runs on every engine in test_tokens and test_refresh_race.
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

SERVICE_TENANT = "1234567"  # the simulator's tenant that consented to a service account


def test_it_connects_a_service_account_by_tenant_id(
    shop: Shop, access_config: Config, fortnox_sim: RunningServer
) -> None:
    configure_service_account(shop, access_config, SERVICE_TENANT)

    shop = Shop.get_by_id(shop.id)
    assert (shop.fortnox_auth_mode, shop.fortnox_state) == ("client_credentials", "connected")
    assert shop.fortnox_tenant_id == SERVICE_TENANT
    assert shop.fortnox_company_name == "Simulerat Företag AB"
    token = FortnoxToken.get(FortnoxToken.shop == shop)
    assert token.refresh_token is None and token.access_token
    grants = len(token_requests(fortnox_sim.url))
    assert fortnox_client_for(shop, access_config).get_company_information()
    assert len(token_requests(fortnox_sim.url)) == grants  # the stored token serves


def test_it_fetches_a_new_service_account_token_when_the_stored_one_is_near_expiry(
    shop: Shop, access_config: Config, fortnox_sim: RunningServer
) -> None:
    configure_service_account(shop, access_config, SERVICE_TENANT)
    later = lambda: utcnow() + timedelta(minutes=58)  # noqa: E731
    client = FortnoxClient(access_config.fortnox_api_url,
                           ClientCredentialsTokens(shop.id, access_config, clock=later))

    client.get_company_information()

    token = FortnoxToken.get(FortnoxToken.shop == shop)
    assert token.generation == 2 and token.expires_at > later() + timedelta(minutes=55)


def test_it_fetches_the_first_token_on_demand(
    shop: Shop, access_config: Config, fortnox_sim: RunningServer
) -> None:
    Shop.update(fortnox_auth_mode="client_credentials", fortnox_tenant_id=SERVICE_TENANT,
                fortnox_state="connected").execute()

    company = fortnox_client_for(Shop.get_by_id(shop.id), access_config).get_company_information()

    assert company["DatabaseNumber"] == int(SERVICE_TENANT)
    assert FortnoxToken.get(FortnoxToken.shop == shop).generation == 1


def test_it_changes_nothing_when_fortnox_refuses_the_tenant(
    shop: Shop, access_config: Config, fortnox_sim: RunningServer
) -> None:
    with pytest.raises(ConnectFailed, match="tenant 7654321"):
        configure_service_account(shop, access_config, "7654321")

    shop = Shop.get_by_id(shop.id)
    assert (shop.fortnox_auth_mode, shop.fortnox_state) == ("authorization_code", "not_connected")
    assert not FortnoxToken.select().exists()
