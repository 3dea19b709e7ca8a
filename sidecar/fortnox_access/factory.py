"""`fortnox_client_for`: the one way the rest of the sidecar gets a Fortnox client."""

from __future__ import annotations

import requests

from sidecar.config import Config
from sidecar.fortnox import FortnoxClient
from sidecar.fortnox_access import reach
from sidecar.fortnox_access.rate_limit import FORTNOX_RATE_LIMIT
from sidecar.fortnox_access.rate_limit import DatabaseRateLimiter
from sidecar.fortnox_access.rate_limit import RateLimit
from sidecar.fortnox_access.tokens import provider_for
from sidecar.models import Shop


def rate_limit_key(shop: Shop) -> str:
    """Fortnox counts requests per integration and tenant; shops of one tenant share a window.
    A shop whose tenant is not known yet (an old connection) counts on its own."""
    return f"tenant-{shop.fortnox_tenant_id}" if shop.fortnox_tenant_id else f"shop-{shop.id}"


def fortnox_client_for(
    shop: Shop,
    config: Config,
    *,
    session: requests.Session | None = None,
    rate_limit: RateLimit = FORTNOX_RATE_LIMIT,
) -> FortnoxClient:
    """A client for the shop's Fortnox company: stored tokens, renewed under the cross-process
    lock, and the tenant's request budget shared with every other process."""
    session = session or requests.Session()
    return FortnoxClient(
        config.fortnox_api_url,
        provider_for(shop, config, session=session),
        rate_limiter=DatabaseRateLimiter(rate_limit_key(shop), rate_limit),
        session=session,
        observer=reach.observer_for(shop.id),
    )
