"""GET /healthz reports the database, the scheduler and each shop's connections."""

from __future__ import annotations

from datetime import timedelta

import pytest
from peewee import Database

from sidecar.app import SchemaOutdated
from sidecar.app import create_app
from sidecar.config import Config
from sidecar.db import database as proxy
from sidecar.db import open_database
from sidecar.jobs.scheduler import EXTENSION
from sidecar.jobs.scheduler import SchedulerService
from sidecar.models import Shop
from tests.conftest import reset_schema


def test_it_answers_200_with_the_state_of_things(config: Config,
                                                 sqlite_database: Database) -> None:
    Shop.create(name="Butik", slug="butik", fortnox_state="needs_reconnect")
    client = create_app(config).test_client()

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["scheduler"] == "disabled"
    assert body["shops"] == [{"slug": "butik", "fortnox": "needs_reconnect",
                              "woocommerce": "not_configured"}]


def test_it_answers_503_when_the_scheduler_stopped(config: Config,
                                                  sqlite_database: Database) -> None:
    app = create_app(config)
    service = SchedulerService()
    service.scheduler.start(paused=True)
    service.reconcile()
    service.last_heartbeat -= timedelta(minutes=5)  # type: ignore[operator]
    app.extensions[EXTENSION] = service
    try:
        response = app.test_client().get("/healthz")
    finally:
        service.shutdown()

    assert response.status_code == 503
    assert response.get_json()["scheduler"] == "stopped"


def test_it_answers_503_when_the_database_is_unreachable(config: Config,
                                                        sqlite_database: Database) -> None:
    app = create_app(config)
    sqlite_database.close()
    # The database goes away after start-up: nothing listens on port 1.
    proxy.initialize(open_database("postgresql://postgres@127.0.0.1:1/gone"))

    response = app.test_client().get("/healthz")

    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_the_app_refuses_to_start_on_an_outdated_schema(config: Config,
                                                        sqlite_database: Database) -> None:
    reset_schema(sqlite_database)

    with pytest.raises(SchemaOutdated, match="run `sidecar migrate`"):
        create_app(config)
