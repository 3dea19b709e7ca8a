"""The app factory: wiring only."""

from __future__ import annotations

import logging
import os

from flask import Flask

from sidecar import crypto
from sidecar import db
from sidecar import settings
from sidecar.config import Config
from sidecar.logs import configure_logging
from sidecar.migrate import pending

log = logging.getLogger(__name__)


class SchemaOutdated(RuntimeError):
    """The database is behind the code; `sidecar migrate` fixes it."""


def register_settings() -> None:
    """Every workflow's operator settings, declared beside the code that reads them, registered
    in one place: here. Anything that reads settings outside a created app calls this first."""
    from sidecar.jobs import feed_health
    from sidecar.jobs.registry import job_settings
    from sidecar.sync import catalog
    from sidecar.sync import orders
    from sidecar.sync import reconcile
    from sidecar.sync import status

    for declared in (orders.SETTINGS, status.SETTINGS, catalog.SETTINGS, reconcile.SETTINGS,
                     job_settings(), feed_health.SETTINGS):
        settings.register(declared)


def create_app(config: Config | None = None) -> Flask:
    config = config or Config.from_env()
    register_settings()
    if not config.testing:
        configure_logging(config.log_level)
    crypto.configure(config.secret_key)
    database = db.bind_database(config.database_url)
    with database.connection_context():
        missing = pending(database)
    if missing:
        raise SchemaOutdated(f"database schema is behind ({', '.join(missing)} not applied): "
                             "run `sidecar migrate`")

    app = Flask(__name__)
    app.config.update(SECRET_KEY=config.secret_key, DEBUG=config.debug, TESTING=config.testing)
    app.extensions["sidecar.config"] = config
    db.init_app(app)

    from sidecar.web import fortnox_connect
    from sidecar.web import health
    from sidecar.web import plugin_api
    from sidecar.web import site
    from sidecar.web.proxies import TrustedProxies
    from sidecar.webhooks.endpoint import WebhookEndpoint
    from sidecar.webhooks.shop_secrets import ShopSecrets

    app.extensions[ShopSecrets.EXTENSION] = ShopSecrets()
    app.extensions[ShopSecrets.PLUGIN_EXTENSION] = ShopSecrets(field="plugin_secret")

    app.register_blueprint(health.bp)
    app.register_blueprint(fortnox_connect.bp)
    app.register_blueprint(plugin_api.bp)
    # The owner's pages; its sign-in guard and CSRF check stand in front of every route.
    site.init_site(app, config)

    if config.scheduler_enabled:
        from sidecar.jobs.change_feed import init_change_feed
        from sidecar.jobs.scheduler import init_scheduler

        init_scheduler(app)
        init_change_feed(app)  # the change feed's listener lives beside the jobs
    # The client's address behind the trusted reverse proxies (sidecar/web/proxies.py).
    app.wsgi_app = TrustedProxies(app.wsgi_app, config.trusted_proxies)  # type: ignore[method-assign]
    # The webhook path is answered in front of Flask (see sidecar/webhooks/endpoint.py).
    app.wsgi_app = WebhookEndpoint(app, app.wsgi_app)  # type: ignore[method-assign]
    log.info("app.created database=%s scheduler=%s pid=%s", db.describe(config.database_url),
             config.scheduler_enabled, os.getpid())
    return app
