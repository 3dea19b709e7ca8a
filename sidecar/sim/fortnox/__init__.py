"""A Fortnox simulator: a Flask app that behaves like Fortnox's API for tests, demo and benchmarks.

    app = create_app(FortnoxSimConfig(...))      # state: app.extensions["fortnox_sim"]
    run("127.0.0.1", 8089, FortnoxSimConfig())  # blocks; what `sidecar sim fortnox` calls

What it does like Fortnox: OAuth (consent page, authorization code, rotating single-use refresh
tokens, client credentials with a TenantId header), JWT access tokens that expire, a sliding
rate-limit window per tenant (429), error bodies in Fortnox's shapes and codes, field checks
from the OpenAPI spec, paging/search/lastmodified on lists, orders, invoices, payments,
articles, prices, registers, Fortnox Lager stock, and document totals with Fortnox's rounding.

Modules, moto-style: state and business rules, no HTTP, in `state` (the whole simulator) made of
`company` (`registers`, `customers`, `articles` with prices), `documents` (orders, invoices,
payments; built on `document_store` and `document_kinds`), `warehouse` (stock) and `oauth`
(tokens, rate limit). HTTP mapping in `app` (factory, auth gate, request log, `faults`), `rest`
(what the views share) and one `*_routes` module per family: `customers_routes`,
`articles_routes`, `registers_routes`, `documents_routes`, `warehouse_routes` (/3 and /api),
`oauth_routes` (/oauth-v1), `control_routes` (/_sim). Shared helpers: `config`, `errors`,
`values`, `listing`, `money`, `spec`, `seed`.

Control API (no token, not rate limited; JSON in and out):

    GET  /_sim/knobs                  current knobs
    POST /_sim/knobs                  change knobs, e.g. {"latency_ms": 50,
                                      "error_rates": {"500": 0.05, "503": 0.05, "429": 0.05},
                                      "path_errors": {"/api/warehouse/tenants-v4": 404},
                                      "create_timeout_probability": 0.1,
                                      "create_timeout_mode": "drop" | "delay",
                                      "create_timeout_delay_seconds": 30,
                                      "token_lifetime_seconds": 3600, "rate_limit_enabled": true,
                                      "rate_limit_requests": 25, "rate_limit_window_seconds": 5}
    POST /_sim/reset                  fresh company data, knobs from config; tokens survive
    POST /_sim/seed                   {"stock_points": [...], "customers": [...],
                                      "articles": [...], "prices": [{"ArticleNumber", "Price",
                                      "PriceList"?, "FromQuantity"?}], "stock": [{"ArticleNumber",
                                      "Quantity", "StockPointCode"?, "StockLocationCode"?}]}
    POST /_sim/expire-tokens          every access token expires now (refresh tokens still work)
    POST /_sim/clock                  {"advance_seconds": n}: move the simulator's clock forward
    GET  /_sim/requests[?path=part]   request log: method, path, query, status, tenant, time, body
    DELETE /_sim/requests             clear the log and the counters
    GET  /_sim/counters               {"requests": {"GET /3/orders/<number>": {"200": n}},
                                      "total": n, "rate_limited": n}
    POST /_sim/orders/<n>/deliver     the Fortnox user delivers everything ordered
    POST /_sim/orders/<n>/done        ... marks the order ready (WarehouseReady)
    POST /_sim/orders/<n>/cancel      ... cancels it
    POST /_sim/orders/<n>/invoice     ... makes an invoice of it
    POST /_sim/articles/<number>      ... changes price/stock/fields: {"Price", "PriceList"?,
                                      "QuantityInStock", "StockPointCode"?, "Description", ...}
    POST /_sim/invoices/<n>/payments  ... registers a payment {"Amount"? (default: balance),
                                      "PaymentDate"?, "bookkeep"? (default true)}

Injected faults (error_rates, and path_errors: every request to a path gets that status, as a
company without Fortnox Lager gets 404 from its endpoints) happen after authentication and the
rate limit, before any work.
"Create then time out" commits the create (POST, createinvoice, credit) and then drops the
connection or answers after the delay.
"""

from sidecar.sim.fortnox.app import create_app
from sidecar.sim.fortnox.app import run
from sidecar.sim.fortnox.config import FortnoxSimConfig
from sidecar.sim.fortnox.config import Knobs
from sidecar.sim.fortnox.errors import FortnoxApiError
from sidecar.sim.fortnox.errors import WarehouseApiError
from sidecar.sim.fortnox.state import FortnoxState

__all__ = [
    "FortnoxApiError",
    "FortnoxSimConfig",
    "FortnoxState",
    "Knobs",
    "WarehouseApiError",
    "create_app",
    "run",
]
