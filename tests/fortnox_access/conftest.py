"""Fixtures for Fortnox access: the Fortnox simulator over real HTTP, and a config aimed at it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask

from sidecar.config import Config
from sidecar.models import Shop
from sidecar.sim.fortnox import FortnoxSimConfig
from sidecar.sim.fortnox import create_app
from sidecar.sim.server import RunningServer
from sidecar.sim.server import serve_in_thread
from tests.fortnox_access.oauth import connect_with_consent

# Plain http on loopback: the session cookie is not Secure, so the test client sends it.
PUBLIC_URL = "http://127.0.0.1:8000"


@pytest.fixture(name="sim_server", scope="session")
def _sim_server() -> Iterator[tuple[Flask, RunningServer]]:
    """One Fortnox simulator for the session (stopping one takes half a second)."""
    app = create_app(FortnoxSimConfig())
    server = serve_in_thread(app)
    yield app, server
    server.stop()


@pytest.fixture(name="fortnox_sim")
def _fortnox_sim(sim_server: tuple[Flask, RunningServer]) -> RunningServer:
    """The Fortnox simulator on a loopback port, as new: company data, knobs (rate limit on:
    25 per 5 s), request log and clock. Tokens of earlier tests stay valid, as at Fortnox."""
    app, server = sim_server
    state = app.extensions["fortnox_sim"]
    with state.lock:
        state.reset()
        state.clock_offset = timedelta(0)
    return server


@pytest.fixture(name="access_config")
def _access_config(tmp_path: Path, fortnox_sim: RunningServer) -> Config:
    """A test config whose Fortnox API and OAuth URLs point at the simulator."""
    return sim_config(tmp_path, fortnox_sim.url)


def sim_config(data_dir: Path, sim_url: str, **overrides: object) -> Config:
    sim = FortnoxSimConfig()
    return Config.for_tests(
        data_dir,
        fortnox_client_id=sim.client_id,
        fortnox_client_secret=sim.client_secret,
        fortnox_api_url=sim_url,
        fortnox_auth_url=sim_url + "/oauth-v1",
        public_url=PUBLIC_URL,
        **overrides,
    )


@pytest.fixture(name="connected_shop")
def _connected_shop(shop: Shop, access_config: Config, fortnox_sim: RunningServer) -> Shop:
    """The test shop, connected through the owner's consent in the simulator (every engine)."""
    return connect_with_consent(shop, access_config, fortnox_sim.url)
