"""The tenant's request budget, shared by processes and threads through the database."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from peewee import Database

from sidecar.config import Config
from sidecar.fortnox_access import fortnox_client_for
from sidecar.fortnox_access.connect import configure_service_account
from sidecar.fortnox_access.rate_limit import SAFETY_MARGIN
from sidecar.fortnox_access.rate_limit import DatabaseRateLimiter
from sidecar.fortnox_access.rate_limit import RateLimit
from sidecar.models import FortnoxToken
from sidecar.models import Shop
from sidecar.sim.process import ROOT
from sidecar.sim.server import RunningServer
from tests.conftest import TEST_SECRET_KEY
from tests.fortnox_access.oauth import api_requests
from tests.fortnox_access.oauth import sim_get

# Fortnox's 25 per 5 s, scaled down so that the test runs in seconds; the logic is the same.
LIMIT, WINDOW = 8, 0.5
PROCESSES, THREADS, CALLS = 2, 4, 6


class FakeTime:
    """A clock that only moves when the limiter sleeps or the test says so."""

    def __init__(self) -> None:
        self.current = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        self.sleeps: list[float] = []

    def now(self) -> datetime:
        return self.current

    def advance(self, seconds: float) -> None:
        self.current += timedelta(seconds=seconds)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)


def set_sim_limit(sim_url: str, limit: int, window: float) -> None:
    requests.post(f"{sim_url}/_sim/knobs", timeout=5,
                  json={"rate_limit_requests": limit, "rate_limit_window_seconds": window})


def test_a_slow_request_holds_its_slot_until_a_window_after_its_answer(database: Database) -> None:
    time_ = FakeTime()
    limiter = DatabaseRateLimiter("tenant-1", RateLimit(2, 1.0), clock=time_.now,
                                  sleep=time_.sleep)
    start = time_.now()
    slow_done = limiter.acquire()
    fast_done = limiter.acquire()
    time_.advance(0.2)
    fast_done()  # busy until 1.2 s
    time_.advance(2.8)
    slow_done()  # answered at 3.0 s; Fortnox may have counted it as late as that

    limiter.acquire()  # the fast one's slot has long been free
    assert time_.sleeps == []
    limiter.acquire()  # must wait for the slow one: a window after its answer

    waited = (time_.now() - start).total_seconds()
    expected = 3.0 + 1.0 + SAFETY_MARGIN.total_seconds()
    assert waited == pytest.approx(expected, abs=0.002)


@pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
def test_processes_and_threads_together_stay_within_the_window_fortnox_sees(
    shop: Shop, access_config: Config, fortnox_sim: RunningServer, db_url: str, tmp_path: Path,
) -> None:
    configure_service_account(shop, access_config, "1234567")
    set_sim_limit(fortnox_sim.url, LIMIT, WINDOW)
    requests.delete(f"{fortnox_sim.url}/_sim/requests", timeout=5)
    job = {
        "database_url": db_url, "secret_key": TEST_SECRET_KEY, "data_dir": str(tmp_path),
        "shop_id": shop.id, "api_url": fortnox_sim.url,
        "client_id": access_config.fortnox_client_id,
        "client_secret": access_config.fortnox_client_secret,
        "limit": LIMIT, "window": WINDOW, "threads": THREADS, "calls": CALLS,
        "start_at": time.time() + 1.5,
    }
    workers = [
        subprocess.Popen([sys.executable, "-m", "tests.fortnox_access.rate_worker",
                          json.dumps(job)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(PROCESSES)
    ]
    reports = [json.loads(w.communicate(timeout=120)[0].strip().splitlines()[-1])
               for w in workers]

    assert [r["errors"] for r in reports] == [[]] * PROCESSES
    seen = api_requests(fortnox_sim.url)
    assert len(seen) == PROCESSES * THREADS * CALLS
    assert {r["status"] for r in seen} == {200}  # not one 429
    times = sorted(datetime.fromisoformat(r["time"]).timestamp() for r in seen)
    crowded = [(a, b) for a, b in zip(times, times[LIMIT:], strict=False) if b - a < WINDOW]
    assert crowded == []  # any LIMIT + 1 requests span at least one window
    ideal = (len(times) / LIMIT - 1) * WINDOW
    assert times[-1] - times[0] < ideal * 2  # and the budget is used (bench/ measures how well)


def test_it_waits_out_a_429_instead_of_failing(
    sqlite_database: Database, access_config: Config, fortnox_sim: RunningServer
) -> None:
    shop = Shop.create(name="Butiken", slug="butiken")
    configure_service_account(shop, access_config, "1234567")
    set_sim_limit(fortnox_sim.url, 5, 1.0)
    token = FortnoxToken.get(FortnoxToken.shop == shop).access_token
    requests.delete(f"{fortnox_sim.url}/_sim/requests", timeout=5)
    for _ in range(5):  # someone outside the sidecar uses up the window
        sim_get(fortnox_sim.url, "/3/companyinformation", token)
    started = time.monotonic()

    company = fortnox_client_for(Shop.get_by_id(shop.id), access_config).get_company_information()

    assert company["CompanyName"] == "Simulerat Företag AB"
    assert [r["status"] for r in api_requests(fortnox_sim.url)][5:] == [429, 200]
    assert time.monotonic() - started >= 5.0  # at least one full Fortnox window
