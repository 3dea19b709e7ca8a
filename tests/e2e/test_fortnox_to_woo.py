"""Fortnox → WooCommerce in the real sidecar: gunicorn's scheduler runs the jobs against both
simulators, and the `sidecar products` and `sidecar jobs run` commands work the same data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sidecar import settings
from sidecar.jobs.registry import JOBS
from sidecar.models import JobRun
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sim.fortnox import FortnoxSimConfig
from sidecar.sim.process import migrated_sidecar
from sidecar.sim.process import run_cli
from sidecar.sim.process import sidecar_database
from sidecar.sim.process import start_sidecar
from tests.polling import wait_for
from tests.sync.two_sims import TENANT
from tests.sync.two_sims import Sims
from tests.sync.two_sims import sim_servers_fixture  # noqa: F401 - fixture
from tests.sync.two_sims import sims_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.slow
OURS = ("order_status", "product_sync", "stock_sync")


def last_json(stdout: str) -> dict:  # type: ignore[type-arg]
    return dict(json.loads(stdout.strip().splitlines()[-1]))  # log lines come first


def connected_sidecar(tmp_path: Path, sims: Sims, **extra_env: str) -> dict[str, str]:
    """A migrated sidecar whose shop reaches both simulators (Fortnox by service account),
    with every job but ours paused so nothing else talks to the simulators."""
    fortnox = FortnoxSimConfig()
    env = migrated_sidecar(
        tmp_path, SIDECAR_FORTNOX_CLIENT_ID=fortnox.client_id,
        SIDECAR_FORTNOX_CLIENT_SECRET=fortnox.client_secret,
        SIDECAR_FORTNOX_API_URL=sims.fortnox_url,
        SIDECAR_FORTNOX_AUTH_URL=f"{sims.fortnox_url}/oauth-v1", **extra_env)
    woo = sims.woo_sim.config
    with sidecar_database(env):
        Shop.update(woo_url=sims.woo_url, woo_consumer_key=woo.consumer_key,
                    woo_consumer_secret=woo.consumer_secret, woo_state="connected",
                    fortnox_auth_mode="client_credentials", fortnox_tenant_id=TENANT,
                    fortnox_state="connected").execute()
        shop = Shop.get()
        settings.save(shop, {settings.job_paused_key(name): True
                             for name in JOBS if name not in OURS})
    return env


def test_the_served_sidecar_completes_an_exported_order_and_updates_price_and_stock(
    tmp_path: Path, sims: Sims
) -> None:
    sims.article("MUG", "Kaffemugg", price="100.00", weight=400, stock="6")
    sims.woo_product("MUG", "Mugg", regular_price="99.00", manage_stock=True, stock_quantity=1)
    woo_id, number = sims.place_order()
    env = connected_sidecar(tmp_path, sims)
    with sidecar_database(env):
        OrderLedger.create(shop=Shop.get(), woo_order_id=woo_id, external_key="wc-e2e",
                           state="done", fortnox_order_number=number)
    sims.fortnox_gui(f"orders/{number}/done")  # what completes it by default
    sidecar = start_sidecar(env, tmp_path / "sidecar.log")
    store = sims.woo_sim.store
    try:
        sidecar.wait_healthy()
        completed = wait_for(lambda: store.orders[woo_id]["status"] == "completed", 30)
        updated = wait_for(lambda: sims.woo_state("MUG")["regular_price"] == "125.00"
                           and sims.woo_state("MUG")["stock_quantity"] == 6, 30)
    finally:
        sidecar.stop()

    assert completed and updated, sidecar.log()
    assert sims.woo_state("MUG")["name"] == "Kaffemugg"
    assert "Traceback" not in sidecar.log()
    with sidecar_database(env):
        outcomes = {run.job: run.outcome for run in JobRun.select().where(JobRun.job.in_(OURS))}
    assert outcomes == dict.fromkeys(OURS, "ok")


def test_the_products_commands_report_and_create_the_missing_side(
    tmp_path: Path, sims: Sims
) -> None:
    sims.article("FN-ONLY", "Bara i Fortnox", price="80.00")
    sims.woo_product("WOO-ONLY", "Bara i butiken", regular_price="10.00")
    env = connected_sidecar(tmp_path, sims)

    before = last_json(run_cli(["products", "report", "--refresh", "--json"], env).stdout)
    made = run_cli(["products", "create-in-woo", "FN-ONLY"], env).stdout.splitlines()[-1]
    run_cli(["jobs", "run", "product_sync"], env)
    after = last_json(run_cli(["products", "report", "--json"], env).stdout)

    assert before["counts"] == {"both": 0, "only_fortnox": 1, "only_woo": 1, "differing": 0}
    assert made.startswith("created in woocommerce")
    assert sims.woo_state("FN-ONLY")["regular_price"] == "100.00"
    assert after["counts"]["both"] == 1
