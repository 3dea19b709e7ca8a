"""Fortnox adapter: HTTP and Fortnox JSON only; no Flask, no database."""

from sidecar.fortnox.auth import TokenSet
from sidecar.fortnox.client import FORTNOX_API_URL
from sidecar.fortnox.client import FortnoxClient
from sidecar.fortnox.errors import FortnoxAuthError
from sidecar.fortnox.errors import FortnoxError
from sidecar.fortnox.errors import FortnoxNotFound
from sidecar.fortnox.errors import FortnoxOutcomeUnknown
from sidecar.fortnox.errors import FortnoxPermissionDenied
from sidecar.fortnox.errors import FortnoxRateLimited
from sidecar.fortnox.errors import FortnoxReconnectRequired
from sidecar.fortnox.errors import FortnoxTransient
from sidecar.fortnox.errors import FortnoxValidationError
from sidecar.fortnox.schemas import StockBalance
from sidecar.fortnox.transport import RateLimiter
from sidecar.fortnox.transport import TokenProvider

__all__ = [
    "FORTNOX_API_URL",
    "FortnoxAuthError",
    "FortnoxClient",
    "FortnoxError",
    "FortnoxNotFound",
    "FortnoxOutcomeUnknown",
    "FortnoxPermissionDenied",
    "FortnoxRateLimited",
    "FortnoxReconnectRequired",
    "FortnoxTransient",
    "FortnoxValidationError",
    "RateLimiter",
    "StockBalance",
    "TokenProvider",
    "TokenSet",
]
