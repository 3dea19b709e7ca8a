"""No secret ever reaches a log line: the whole system runs with known secrets, then every line
of every log is searched for them (DESIGN invariant 8)."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from sidecar.demo import DEMO_EMAIL
from sidecar.demo import DEMO_PASSWORD
from sidecar.demo import WEBHOOK_SECRET
from sidecar.demo import Demo
from sidecar.demo import start_demo
from sidecar.models import OrderLedger
from sidecar.sim.process import SECRET_KEY
from sidecar.sim.process import free_port
from sidecar.sim.process import run_cli
from sidecar.sim.process import sidecar_database
from sidecar.webhooks.signature import sign
from tests.fortnox_access.oauth import click_allow

pytestmark = pytest.mark.slow
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Recorder(logging.Handler):
    """Every record the sidecar's code logs in this process, at every level. The simulators'
    own server logs stand for Fortnox's and WooCommerce's, which are not ours."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if not record.name.startswith(("sidecar.sim", "werkzeug")):
            self.lines.append(self.format(record))


@pytest.fixture(name="recorder")
def _recorder() -> Iterator[Recorder]:
    """Captures this process's log lines (the simulators, the setup) at DEBUG."""
    recorder = Recorder()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(recorder)
    root.setLevel(logging.DEBUG)
    yield recorder
    root.removeHandler(recorder)
    root.setLevel(previous)


def sign_in(demo: Demo) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{demo.sidecar.url}/auth/sign-in", timeout=10)
    token = CSRF.search(page.text)
    assert token, page.text
    answer = browser.post(f"{demo.sidecar.url}/auth/sign-in", timeout=10, data={
        "email": DEMO_EMAIL, "password": DEMO_PASSWORD, "csrf_token": token.group(1)})
    assert answer.ok, answer.text
    return browser


def connect_fortnox_through_consent(demo: Demo, browser: requests.Session) -> None:
    """The owner's OAuth connect: gives the shop refresh tokens, which then rotate."""
    start = browser.get(f"{demo.sidecar.url}/fortnox/connect", allow_redirects=False, timeout=10)
    assert start.status_code == 302, start.text
    callback = click_allow(start.headers["Location"])
    finish = browser.get(callback, allow_redirects=False, timeout=10)
    assert finish.status_code == 302, finish.text


def secrets_in_play(demo: Demo, issued: list[dict[str, Any]]) -> dict[str, str]:
    store = demo.woocommerce.server.app.extensions["woocommerce_sim"].store
    fortnox = demo.fortnox.server.app.extensions["fortnox_sim"]
    known = {
        "SIDECAR_SECRET_KEY": SECRET_KEY,
        "webhook secret": WEBHOOK_SECRET,
        "owner password": DEMO_PASSWORD,
        "woo consumer key": store.config.consumer_key,
        "woo consumer secret": store.config.consumer_secret,
        "fortnox client secret": fortnox.config.client_secret,
    }
    tokens = {answer.get("access_token") for answer in issued}
    tokens |= {answer.get("refresh_token") for answer in issued}
    tokens |= set(fortnox.tokens.access_tokens)
    for n, token in enumerate(sorted(t for t in tokens if t)):
        known[f"fortnox token {n}"] = token
        known[f"fortnox token {n} (tail)"] = token[-24:]  # a token cut short still leaks
    return known


def test_no_log_line_carries_a_secret(tmp_path: Path, recorder: Recorder) -> None:
    demo = start_demo(tmp_path / "demo", port=free_port(), seed=7, order_every=0.5,
                      extra_env={"SIDECAR_LOG_LEVEL": "DEBUG"})
    fortnox = demo.fortnox.server.app.extensions["fortnox_sim"]
    issued: list[dict[str, Any]] = []
    original_issue = fortnox.tokens.issue_tokens

    def recording_issue(*args: Any, **kwargs: Any) -> dict[str, Any]:
        answer: dict[str, Any] = original_issue(*args, **kwargs)
        issued.append(answer)
        return answer

    fortnox.tokens.issue_tokens = recording_issue
    try:
        browser = sign_in(demo)
        connect_fortnox_through_consent(demo, browser)
        forged = b'{"id":1,"date_modified_gmt":"x"}'
        requests.post(f"{demo.sidecar.url}/webhooks/woocommerce", data=forged, timeout=10,
                      headers={"X-WC-Webhook-Topic": "order.updated",
                               "X-WC-Webhook-Signature": sign(forged, "wrong-secret")})
        time.sleep(6)
        requests.post(f"{demo.fortnox.url}/_sim/expire-tokens", timeout=10)  # forces a refresh
        deadline = time.monotonic() + 45
        exported = 0
        while time.monotonic() < deadline and (exported < 3 or len(issued) < 2):
            time.sleep(1)
            with sidecar_database(demo.sidecar_env):
                exported = OrderLedger.select().where(
                    OrderLedger.fortnox_order_number.is_null(False)).count()
        cli_output = run_cli(["check"], demo.sidecar_env)
    finally:
        demo.stop()

    assert exported >= 3, "too little happened for the search to mean anything"
    assert any("refresh_token" in answer for answer in issued), "no refresh token was issued"
    logs = {"this process": "\n".join(recorder.lines),
            "sidecar check": cli_output.stdout + cli_output.stderr}
    for path in sorted((tmp_path / "demo").glob("*.log")):
        logs[path.name] = path.read_text(errors="replace")
    assert sum(len(text) for text in logs.values()) > 10_000
    leaks = [f"{what} in {where}" for what, secret in secrets_in_play(demo, issued).items()
             for where, text in logs.items() if secret in text]
    assert leaks == []
