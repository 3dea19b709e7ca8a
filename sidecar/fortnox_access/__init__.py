"""Fortnox access for a shop: tokens in the database, the shared rate limit, the connect flows.

This is where the database meets the pure Fortnox adapter (`sidecar.fortnox`, which knows
neither Flask nor the database). Sync code asks `fortnox_client_for(shop, config)` for a client
and needs nothing else from here.
"""

from sidecar.fortnox_access.factory import fortnox_client_for

__all__ = ["fortnox_client_for"]
