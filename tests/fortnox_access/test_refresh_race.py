"""Four processes force refreshes of one shop's token at once: the row lock lets exactly one
spend each refresh token, so Fortnox never answers invalid_grant and the last tokens work."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import requests

from sidecar.config import Config
from sidecar.models import FortnoxToken
from sidecar.models import Shop
from sidecar.sim.process import ROOT
from sidecar.sim.server import RunningServer
from tests.conftest import TEST_SECRET_KEY
from tests.fortnox_access.oauth import sim_get
from tests.fortnox_access.oauth import token_requests

PROCESSES = 4
REFRESHES_EACH = 50


def test_four_processes_refreshing_at_once_never_spend_a_refresh_token_twice(
    connected_shop: Shop, access_config: Config, fortnox_sim: RunningServer, db_url: str,
    tmp_path: Path,
) -> None:
    requests.delete(f"{fortnox_sim.url}/_sim/requests", timeout=5)
    first = FortnoxToken.get(FortnoxToken.shop == connected_shop).generation
    job = {
        "database_url": db_url, "secret_key": TEST_SECRET_KEY, "data_dir": str(tmp_path),
        "shop_id": connected_shop.id, "auth_url": access_config.fortnox_auth_url,
        "client_id": access_config.fortnox_client_id,
        "client_secret": access_config.fortnox_client_secret,
        "count": REFRESHES_EACH, "start_at": time.time() + 1.5,  # after every import is done
    }
    workers = [
        subprocess.Popen([sys.executable, "-m", "tests.fortnox_access.refresh_worker",
                          json.dumps(job)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        for _ in range(PROCESSES)
    ]
    reports = [json.loads(worker.communicate(timeout=120)[0].strip().splitlines()[-1])
               for worker in workers]

    assert [w.returncode for w in workers] == [0] * PROCESSES
    assert [r["errors"] for r in reports] == [[]] * PROCESSES
    grants = token_requests(fortnox_sim.url)
    assert [g["status"] for g in grants if g["status"] != 200] == []  # no invalid_grant
    final = FortnoxToken.get(FortnoxToken.shop == connected_shop)
    # Every grant was stored (one generation each), and losers of the race used the winner's.
    assert final.generation - first == len(grants)
    assert REFRESHES_EACH <= len(grants) <= PROCESSES * REFRESHES_EACH
    assert Shop.get_by_id(connected_shop.id).fortnox_state == "connected"
    assert sim_get(fortnox_sim.url, "/3/companyinformation", final.access_token).ok
    response = requests.post(
        access_config.fortnox_auth_url + "/token",
        data={"grant_type": "refresh_token", "refresh_token": final.refresh_token},
        auth=(access_config.fortnox_client_id, access_config.fortnox_client_secret), timeout=10)
    assert response.status_code == 200  # the stored refresh token is the live one
