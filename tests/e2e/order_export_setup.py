"""A real sidecar under gunicorn between the two simulators, for the order export's e2e tests
and its benchmark: shop connected to Fortnox by a service account, WooCommerce keys stored."""

from __future__ import annotations

import dataclasses
import html
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from sidecar import settings as shop_settings
from sidecar.config import Config
from sidecar.fortnox_access.connect import configure_service_account
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sim.fortnox import FortnoxSimConfig
from sidecar.sim.fortnox import Knobs
from sidecar.sim.fortnox import create_app as create_fortnox_sim
from sidecar.sim.process import ROOT
from sidecar.sim.process import SidecarProcess
from sidecar.sim.process import migrated_sidecar
from sidecar.sim.process import sidecar_database
from sidecar.sim.process import start_sidecar
from sidecar.sim.server import serve_in_thread
from sidecar.sim.woocommerce import WooSimConfig
from sidecar.sim.woocommerce import WooStore
from sidecar.sim.woocommerce import create_app as create_woo_sim
from sidecar.web.accounts import create_owner
from sidecar.webhooks.signature import sign
from tests.polling import wait_for

SECRET = "order-export-webhook-secret-0123456789"


@dataclass
class Rig:
    env: dict[str, str]
    data_dir: Path
    fortnox_state: Any
    fortnox_url: str
    store: WooStore
    sender: Any
    woo_url: str = ""
    tenant_id: str = ""
    sidecar: SidecarProcess | None = None

    def start(self, log_name: str = "sidecar.log") -> SidecarProcess:
        self.sidecar = start_sidecar(self.env, self.data_dir / log_name)
        self.sidecar.wait_healthy(timeout=60)
        return self.sidecar

    def kill(self) -> None:
        """SIGKILL the gunicorn worker doing the work, then its master (no clean-up at all)."""
        assert self.sidecar is not None
        pid = self.sidecar.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children")
        for child in children.read_text().split() if children.exists() else []:
            os.kill(int(child), signal.SIGKILL)
        self.sidecar.stop(signal.SIGKILL)

    def hooks(self, *topics: str) -> None:
        assert self.sidecar is not None
        for topic in topics:
            self.store.create_webhook({
                "name": f"Fortnox sidecar: {topic}", "topic": topic, "secret": SECRET,
                "delivery_url": f"{self.sidecar.url}/webhooks/woocommerce"})

    def deliver(self, http: requests.Session, topic: str, order_id: int) -> int:
        """One signed delivery of the order as the shop has it now."""
        assert self.sidecar is not None
        body = json.dumps(self.woo_order(order_id)).encode()
        response = http.post(f"{self.sidecar.url}/webhooks/woocommerce", data=body, timeout=10,
                             headers={"X-WC-Webhook-Topic": topic,
                                      "X-WC-Webhook-Signature": sign(body, SECRET)})
        return response.status_code

    def woo_order(self, order_id: int) -> dict[str, Any]:
        from sidecar.sim.woocommerce.orders_json import order_json

        with self.store.lock:
            body = order_json(self.store.get_order(order_id), self.store, self.store.site)
        return json.loads(json.dumps(body, default=str))

    def knobs(self, **changes: Any) -> None:
        with self.fortnox_state.lock:
            self.fortnox_state.knobs.update(changes)

    def ledger_states(self) -> dict[str, int]:
        with sidecar_database(self.env):
            rows = OrderLedger.select(OrderLedger.state)
            counts: dict[str, int] = {}
            for row in rows:
                counts[row.state] = counts.get(row.state, 0) + 1
            return counts

    def wait_for(self, condition: Callable[[], bool], timeout: float) -> bool:
        return wait_for(condition, timeout, every=0.5)

    def owner(self, language: str = "en") -> Owner:
        assert self.sidecar is not None
        return Owner(self.sidecar.url, language)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """`sidecar ...` with the sidecar's environment; its exit code is not checked."""
        return subprocess.run([sys.executable, "-m", "sidecar.cli", *args], env=self.env,
                              cwd=ROOT, capture_output=True, text=True, timeout=120,
                              check=False)


OWNER_EMAIL = "agare@example.se"
OWNER_PASSWORD = "rätt häst batteri"


class Owner:
    """The shop owner in a browser without a browser: signed in, posting the pages' forms
    with their CSRF token, reading pages as text."""

    def __init__(self, url: str, language: str = "en") -> None:
        self.url = url
        self.http = requests.Session()
        self.http.headers["Accept-Language"] = language
        page = self.http.get(f"{url}/auth/sign-in", timeout=10).text
        answer = self.http.post(f"{url}/auth/sign-in", timeout=10, allow_redirects=False,
                                data={"email": OWNER_EMAIL, "password": OWNER_PASSWORD,
                                      "csrf_token": self._token(page)})
        assert answer.status_code == 302, answer.text

    def get(self, path: str) -> str:
        response = self.http.get(self.url + path, timeout=30)
        assert response.status_code == 200, (path, response.status_code)
        return response.text

    def post(self, path: str, data: dict[str, Any] | None = None) -> requests.Response:
        token = self._token(self.get("/settings"))
        return self.http.post(self.url + path, data={"csrf_token": token, **(data or {})},
                              timeout=60, allow_redirects=False)

    def attention(self) -> str:
        """The attention box of the dashboard, as HTML with its entities read."""
        page = self.get("/")
        return html.unescape(page[page.index('id="attention"'):page.index('id="orders"')])

    @staticmethod
    def _token(page: str) -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert found, page[:500]
        return found[1]


@contextmanager
def order_export_rig(data_dir: Path, *, knobs: Knobs, rate_limit: str = "25/5",
                     settings: dict[str, Any] | None = None, connect: bool = True,
                     woo_keys: bool = True,
                     fortnox_config: dict[str, Any] | None = None) -> Iterator[Rig]:
    """`connect` False: Fortnox not connected yet; `woo_keys` False: no WooCommerce keys
    either (a fresh install). An owner account exists (`Owner`)."""
    sim_config = FortnoxSimConfig(seed_demo_data=False, knobs=knobs, **(fortnox_config or {}))
    fortnox_app = create_fortnox_sim(sim_config)
    woo_app = create_woo_sim(WooSimConfig())
    fortnox, woo = serve_in_thread(fortnox_app), serve_in_thread(woo_app)
    woo_sim = woo_app.extensions["woocommerce_sim"]
    fortnox_env = {"SIDECAR_FORTNOX_API_URL": fortnox.url,
                   "SIDECAR_FORTNOX_AUTH_URL": fortnox.url + "/oauth-v1",
                   "SIDECAR_FORTNOX_CLIENT_ID": sim_config.client_id,
                   "SIDECAR_FORTNOX_CLIENT_SECRET": sim_config.client_secret,
                   "SIDECAR_FORTNOX_RATE_LIMIT": rate_limit, "SIDECAR_LOG_LEVEL": "WARNING"}
    env = migrated_sidecar(data_dir, webhook_secret=SECRET, **fortnox_env)
    state = fortnox_app.extensions["fortnox_sim"]
    with sidecar_database(env):
        shop = Shop.select().order_by(Shop.id).first()
        create_owner(shop, OWNER_EMAIL, OWNER_PASSWORD)
        if woo_keys:
            Shop.update(woo_url=woo.url, woo_consumer_key=woo_sim.store.config.consumer_key,
                        woo_consumer_secret=woo_sim.store.config.consumer_secret
                        ).where(Shop.id == shop.id).execute()
        config = Config.for_tests(data_dir, database_url=env.get("SIDECAR_DATABASE_URL"),
                                  fortnox_api_url=fortnox.url,
                                  fortnox_auth_url=fortnox.url + "/oauth-v1",
                                  fortnox_client_id=sim_config.client_id,
                                  fortnox_client_secret=sim_config.client_secret)
        if connect:
            with state.lock:  # connecting is not under test: no injected faults
                real_knobs = dataclasses.replace(state.knobs)
                state.knobs = Knobs(rate_limit_enabled=False)
            configure_service_account(Shop.get_by_id(shop.id), config,
                                      str(sim_config.tenant_id))
            with state.lock:
                state.knobs = real_knobs
                state.counters.clear()
                state.request_log.clear()
        shop_settings.save(Shop.get_by_id(shop.id), settings or {})
    rig = Rig(env=env, data_dir=data_dir, fortnox_state=state, fortnox_url=fortnox.url,
              store=woo_sim.store, sender=woo_sim.sender, woo_url=woo.url,
              tenant_id=str(sim_config.tenant_id))
    try:
        yield rig
    finally:
        if rig.sidecar is not None:
            rig.sidecar.stop()
        woo_sim.sender.stop()
        fortnox.stop()
        woo.stop()
