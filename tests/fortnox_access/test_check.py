"""`sidecar check` asks Fortnox for each connected shop and says what is wrong in plain words."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import requests
from peewee import Database

from sidecar.config import Config
from sidecar.fortnox_access.connect import configure_service_account
from sidecar.models import Shop
from sidecar.sim.process import ROOT
from sidecar.sim.server import RunningServer
from tests.conftest import TEST_SECRET_KEY


def sidecar_check(data_dir: Path, sim_url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SIDECAR_") and k != "DATABASE_URL"}
    env.update({
        "SIDECAR_SECRET_KEY": TEST_SECRET_KEY, "SIDECAR_DATA_DIR": str(data_dir),
        "SIDECAR_FORTNOX_CLIENT_ID": "sim-client-id",
        "SIDECAR_FORTNOX_CLIENT_SECRET": "sim-client-secret",
        "SIDECAR_FORTNOX_API_URL": sim_url, "SIDECAR_FORTNOX_AUTH_URL": sim_url + "/oauth-v1",
    })
    return subprocess.run([sys.executable, "-m", "sidecar.cli", "check"], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)


def test_check_reads_company_information_for_connected_shops_and_names_the_problem(
    sqlite_database: Database, access_config: Config, fortnox_sim: RunningServer, tmp_path: Path
) -> None:
    connected = Shop.create(name="Ansluten", slug="ansluten")
    Shop.create(name="Ny", slug="ny")
    configure_service_account(connected, access_config, "1234567")

    healthy = sidecar_check(tmp_path, fortnox_sim.url)

    assert healthy.returncode == 0, healthy.stderr
    assert ("fortnox (ansluten): ok (Simulerat Företag AB, service account sign-in)"
            in healthy.stdout)
    assert "fortnox (ny): not connected" in healthy.stdout

    Shop.update(fortnox_tenant_id="7654321").where(Shop.id == connected.id).execute()
    Shop.update(fortnox_state="connected").where(Shop.slug == "ny").execute()
    requests.post(f"{fortnox_sim.url}/_sim/expire-tokens", timeout=5)  # so it asks again

    broken = sidecar_check(tmp_path, fortnox_sim.url)

    assert broken.returncode == 1
    assert "fortnox (ansluten): needs reconnecting: Fortnox refused the service-account" in (
        broken.stderr)
    assert "fortnox (ny): Fortnox is not connected for this shop" in broken.stderr
    assert Shop.get_by_id(connected.id).fortnox_state == "needs_reconnect"
