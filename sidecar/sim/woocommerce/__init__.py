"""A WooCommerce store's REST API v3 as a small Flask app (tests, demo, benchmarks).

    app = create_app(WooSimConfig(seed=True))       # state: app.extensions["woocommerce_sim"]
    run("127.0.0.1", 8081, WooSimConfig(seed=True))  # blocking, for `sidecar sim woocommerce`

REST (`/wp-json/wc/v3/`, OAuth 1.0a over HTTP, Basic when `allow_basic_auth`):
orders (list/get/create/update/delete), orders/<id>/notes (list/create), orders/<id>/refunds
(list/get/create), products (list/get/create/update/delete, `sku`, `search`, batch),
products/<id>/variations (list/get/create/update/delete, batch), taxes, taxes/classes,
settings/{general,tax,products}[/<id>], webhooks (list/get/create/update/delete). Paging: page,
per_page <= 100, X-WP-Total(Pages), Link.

It answers as WooCommerce 8.4 did in the exchanges captured with a real store
(tests/fixtures/woocommerce/rest; tests/sim/test_woocommerce_contract.py replays them all):
names kept HTML-escaped, variations named after their attributes, schema errors on single
requests but coercion in batches, a variations batch that moves what it is sent under its
parent, stock and notes on cancel and refund. Payment gateways and shipping zones are not
simulated.

Modules, moto-style: state and business rules, no HTTP, in `store` (`WooStore`), made of
`products` (with the field setters in `product_fields`), `orders` (with notes), `checkout`
(with the arithmetic in `cart`, `cart_types`, `coupons`, `taxes`), `refunds` and `webhooks` on
a common `base`; webhook delivery in `webhook_delivery`; loading a captured state in
`snapshot`. HTTP mapping in `app` (factory), `simulator` (`WooSim`: store, sender, logs),
`hooks` (auth, injected errors, request log), `rest` and `listing` (what the routes share), one
`*_routes` module per family (`orders_routes`, `notes_routes`, `products_routes`,
`settings_routes`, `webhooks_routes`, `control_routes`) and the representations
(`products_json`, `orders_json`, `webhooks_json`, `settings`, on `site`). Shared helpers:
`config`, `errors`, `values`, `format`, `text` (WordPress's text filters), `validation`
(WordPress's schema checks), `auth`, `seed`.

Control API (`/_sim/`, no auth, JSON):
    POST /_sim/reset                  empty shop (keeps config); queue and logs cleared
    POST /_sim/seed                   demo catalogue: products, variations, coupons tio/femtio
    POST /_sim/checkout               place an order as a customer would -> the order, 201:
        {line_items: [{sku | product_id | variation_id, quantity}],
         coupon_lines: [{code} | {code, discount_type, amount}],
         shipping_lines: [{method_id, method_title, cost}],
         fee_lines: [{name, amount, tax_status, tax_class}], billing, shipping, meta_data,
         payment_method, payment_method_title, status (default "processing"), created_via}
    POST /_sim/orders/<id>/status     {status}: admin change; "trash" trashes, leaving restores
    POST /_sim/orders/<id>/refunds    the admin's manual refund, no gateway involved:
                                      {amount?, reason, restock?, line_items?: [{id, quantity,
                                      refund_total?, refund_tax?}]}: any order item (product,
                                      shipping, fee); what a line refunds is prefilled as the
                                      order screen does when only its quantity is given
                                      (no amount and no lines: the full remaining amount)
    POST /_sim/webhooks/flush         {timeout?}: wait until every queued delivery has run
    POST /_sim/webhooks/<id>/fail     {times}: count that many failed deliveries (a disabled
                                      webhook after max_delivery_failures, as WooCommerce)
    POST /_sim/load                   a shop's state from REST answers (see `snapshot`):
                                      {products, orders, notes, webhooks, next_ids}
    GET  /_sim/deliveries             deliveries and pings: headers, body, status, ok, error
    GET  /_sim/requests               request log (REST calls only)
    GET  /_sim/counters               counts by route, status, delivery outcome
    GET|POST /_sim/config             read or change knobs (latency_ms, error_rates, ...)
    POST /_sim/clock                  {advance_seconds?, freeze_at?}: move the shop's clock,
                                      or stop it at a UTC time ("2026-12-07T14:35:09"; null
                                      lets it run again)
"""

from sidecar.sim.woocommerce.app import create_app
from sidecar.sim.woocommerce.app import run
from sidecar.sim.woocommerce.config import WooSimConfig
from sidecar.sim.woocommerce.errors import WooError
from sidecar.sim.woocommerce.simulator import WooSim
from sidecar.sim.woocommerce.store import WooStore

__all__ = ["WooError", "WooSim", "WooSimConfig", "WooStore", "create_app", "run"]
