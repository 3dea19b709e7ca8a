"""Shared fixtures: databases on all three engines, an app, and a clean environment."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit
from urllib.parse import urlunsplit

import pytest
from peewee import Database
from peewee import MySQLDatabase
from peewee import PostgresqlDatabase

from sidecar import crypto
from sidecar.app import register_settings
from sidecar.config import Config
from sidecar.db import bind_database
from sidecar.db import open_database
from sidecar.migrate import upgrade
from sidecar.models import Shop
from tests.contract.openapi import install_request_checker

TEST_SECRET_KEY = "test-secret-key-Xq3v9LmT2pR8wZ4kB7nY1cH6dF0sJ5gA"

# The servers the storage tests need. Unreachable is a failure, never a skip: a storage test
# that silently ran on SQLite only would hide exactly the bugs these servers are here to find.
SERVER_URLS = {
    "mariadb": os.environ.get("TEST_MARIADB_URL", "mysql://root@127.0.0.1:3306/test"),
    "postgresql": os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
}
ENGINES = ("sqlite", "mariadb", "postgresql")


@pytest.fixture(autouse=True)
def _fortnox_contract(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Every body the Fortnox client sends in any test must satisfy Fortnox's OpenAPI spec.

    Tests of the transport itself (made-up paths and bodies) opt out with the marker
    ``not_fortnox_contract``; nothing else may."""
    if request.node.get_closest_marker("not_fortnox_contract"):
        yield
        return
    checker = install_request_checker(monkeypatch)
    yield
    checker.assert_clean()


@pytest.fixture(autouse=True, scope="session")
def _settings_registered() -> None:
    """Every workflow's settings are registered, as the app factory does."""
    register_settings()


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No SIDECAR_* variable from the developer's shell leaks into a test."""
    for name in list(os.environ):
        if name.startswith("SIDECAR_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)


def join_background_runs() -> None:
    """Wait for the jobs a page started in the background (a button, a connect) to end, so
    they do not outlive the test's database."""
    for thread in threading.enumerate():
        if thread.name.startswith(("run-now:", "retry-orders:")):
            thread.join(timeout=30)


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def server_databases() -> Iterator[dict[str, str]]:
    """A scratch database per server for this test session, dropped at the end."""
    name = f"sidecar_test_{uuid.uuid4().hex[:10]}"
    created: dict[str, str] = {}
    admins: list[Database] = []
    try:
        for engine, url in SERVER_URLS.items():
            admin = open_database(url)
            try:
                admin.connect()
            except Exception as exc:  # noqa: BLE001 - reported as a test failure below
                pytest.fail(f"{engine} is not reachable at {url}: {exc}", pytrace=False)
            if engine == "postgresql":
                admin.connection().autocommit = True  # CREATE DATABASE refuses transactions
            admin.execute_sql(f"CREATE DATABASE {name}")
            admins.append(admin)
            created[engine] = _with_database(url, name)
        yield created
    finally:
        for admin in admins:
            try:
                # FORCE: a pooled connection a test left open must not keep the database alive.
                force = " WITH (FORCE)" if isinstance(admin, PostgresqlDatabase) else ""
                admin.execute_sql(f"DROP DATABASE IF EXISTS {name}{force}")
            finally:
                admin.close()


def engine_url(engine: str, tmp_path: Path, server_databases: dict[str, str]) -> str:
    if engine == "sqlite":
        return f"sqlite:///{tmp_path / 'sidecar.db'}"
    return server_databases[engine]


def reset_schema(db: Database) -> None:
    """Drop every table, so the next migration starts from an empty database."""
    tables = db.get_tables()
    if isinstance(db, MySQLDatabase):
        db.execute_sql("SET FOREIGN_KEY_CHECKS = 0")
        for table in tables:
            db.execute_sql(f"DROP TABLE `{table}`")
        db.execute_sql("SET FOREIGN_KEY_CHECKS = 1")
    elif isinstance(db, PostgresqlDatabase):
        for table in tables:
            db.execute_sql(f'DROP TABLE "{table}" CASCADE')
    else:
        db.pragma("foreign_keys", 0)
        for table in tables:
            db.execute_sql(f'DROP TABLE "{table}"')
        db.pragma("foreign_keys", 1)


@pytest.fixture(name="db_url", params=ENGINES)
def _db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL per engine: SQLite in tmp, the session's scratch database on the servers."""
    if request.param == "sqlite":
        return engine_url("sqlite", tmp_path, {})
    return engine_url(request.param, tmp_path, request.getfixturevalue("server_databases"))


@pytest.fixture(name="database")
def _database(db_url: str) -> Iterator[Database]:
    """A migrated, empty database on each engine, bound to the models."""
    crypto.configure(TEST_SECRET_KEY)
    db = bind_database(db_url)
    db.connect()
    reset_schema(db)
    upgrade(db)
    yield db
    db.close_all()  # the pool's connections, or the servers run out of them over a session


@pytest.fixture(name="shop")
def _shop(database: Database) -> Shop:
    """A shop to hang sync rows on."""
    return Shop.create(name="Testbutiken", slug="testbutiken", webhook_secret="s3cret-webhook")


@pytest.fixture(name="config")
def _config(tmp_path: Path) -> Config:
    """A test configuration on SQLite in tmp, scheduler off."""
    return Config.for_tests(tmp_path)


@pytest.fixture(name="sqlite_database")
def _sqlite_database(config: Config) -> Iterator[Database]:
    """The test config's SQLite database, migrated."""
    crypto.configure(config.secret_key)
    db = bind_database(config.database_url)
    db.connect()
    upgrade(db)
    yield db
    db.close_all()
