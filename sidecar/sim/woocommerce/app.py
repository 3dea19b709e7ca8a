"""The WooCommerce simulator's Flask app: the factory puts together the hooks (`hooks`), the REST
routes (one `*_routes` module per resource family) and the control API (`control_routes`).
"""

from __future__ import annotations

from flask import Flask

from sidecar.sim.woocommerce import checkout_options_routes
from sidecar.sim.woocommerce import control_routes
from sidecar.sim.woocommerce import hooks
from sidecar.sim.woocommerce import notes_routes
from sidecar.sim.woocommerce import orders_routes
from sidecar.sim.woocommerce import products_routes
from sidecar.sim.woocommerce import settings_routes
from sidecar.sim.woocommerce import webhooks_routes
from sidecar.sim.woocommerce.config import WooSimConfig
from sidecar.sim.woocommerce.simulator import WooSim


def create_app(config: WooSimConfig | None = None) -> Flask:
    app = Flask(__name__)
    sim = WooSim(config or WooSimConfig())
    app.extensions["woocommerce_sim"] = sim
    hooks.register(app, sim)
    for routes in (orders_routes, notes_routes, products_routes, settings_routes,
                   checkout_options_routes, webhooks_routes, control_routes):
        routes.register(app, sim)
    return app


def run(host: str, port: int, config: WooSimConfig) -> None:
    """Serve the simulator until interrupted (threaded, like a PHP-FPM pool)."""
    from werkzeug.serving import run_simple

    if config.site_url is None:
        config.site_url = f"http://{host}:{port}"
    run_simple(host, port, create_app(config), threaded=True)
