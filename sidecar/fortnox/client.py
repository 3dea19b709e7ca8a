"""`FortnoxClient`: every Fortnox operation the sidecar uses, on one session and choke point.

The operations live in small modules grouped by resource; each group extends the same
`FortnoxTransport`, so there is exactly one `_request` (in transport.py) and one `Session`.
"""

from __future__ import annotations

from sidecar.fortnox.catalog import CatalogOperations
from sidecar.fortnox.customers import CustomerOperations
from sidecar.fortnox.invoices import InvoiceOperations
from sidecar.fortnox.orders import OrderOperations
from sidecar.fortnox.registers import RegisterOperations
from sidecar.fortnox.transport import DEFAULT_TIMEOUT
from sidecar.fortnox.transport import RateLimiter
from sidecar.fortnox.transport import TokenProvider
from sidecar.fortnox.warehouse import StockBalance
from sidecar.fortnox.warehouse import WarehouseOperations

FORTNOX_API_URL = "https://api.fortnox.se"


class FortnoxClient(
    CustomerOperations,
    OrderOperations,
    InvoiceOperations,
    CatalogOperations,
    RegisterOperations,
    WarehouseOperations,
):
    """FortnoxClient(base_url, token_provider, *, rate_limiter=None, session=None,
    timeout=(connect, read), user_agent=..., sleep=time.sleep, clock=time.monotonic).

    No Flask, no database: tokens come from `token_provider`, the shared request budget from
    `rate_limiter`. Methods return Fortnox's resource dicts (unwrapped) and raise only
    `FortnoxError` subclasses.
    """


__all__ = [
    "DEFAULT_TIMEOUT",
    "FORTNOX_API_URL",
    "FortnoxClient",
    "RateLimiter",
    "StockBalance",
    "TokenProvider",
]
