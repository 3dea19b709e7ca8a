"""`sidecar demo` (what `make demo` runs): exported orders on the dashboard within a minute.

The demo is started as a newcomer would, as its own process; the browser signs in with the
login it prints and watches the dashboard until an order shows its Fortnox number.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import expect

from sidecar.sim.process import ROOT
from sidecar.sim.process import free_port
from tests.browser.conftest import screenshot

WITHIN_SECONDS = 60
PRINTED = re.compile(r"Open\s+(?P<url>\S+)\s+Sign in\s+(?P<email>\S+)\s+Password\s+(?P<pw>.+)")


@dataclass
class RunningDemo:
    started: float
    output: Path
    process: subprocess.Popen[bytes]

    def printed(self) -> re.Match[str] | None:
        return PRINTED.search(self.output.read_text(encoding="utf-8", errors="replace"))


@pytest.fixture(name="demo")
def _demo(tmp_path: Path) -> Iterator[RunningDemo]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SIDECAR_") and k != "DATABASE_URL"}
    output = tmp_path / "demo.out"
    with output.open("wb") as sink:
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-m", "sidecar.cli", "demo", "--port", str(free_port()),
             "--data-dir", str(tmp_path / "demo-data")],
            cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        yield RunningDemo(started, output, process)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_the_demo_shows_exported_orders_on_the_dashboard_within_a_minute(
        browser: Browser, demo: RunningDemo) -> None:
    deadline = demo.started + WITHIN_SECONDS
    while (printed := demo.printed()) is None:
        assert demo.process.poll() is None, demo.output.read_text(errors="replace")[-3000:]
        assert time.monotonic() < deadline, "the demo printed no address and login in time"
        time.sleep(0.2)

    # The environment line it prints makes the command line work against the demo.
    line = next(row.strip() for row in demo.output.read_text().splitlines()
                if row.strip().startswith("export SIDECAR_"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SIDECAR_")}
    env.update(part.split("=", 1) for part in shlex.split(line)[1:])
    jobs = subprocess.run([sys.executable, "-m", "sidecar.cli", "jobs", "list"], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert jobs.returncode == 0 and "process_inbox" in jobs.stdout, jobs.stderr

    context = browser.new_context(locale="en-GB", base_url=printed["url"])
    page = context.new_page()
    page.goto("/")
    page.get_by_label("E-mail address").fill(printed["email"])
    page.get_by_label("Password").fill(printed["pw"].strip())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()

    # A row with its Fortnox number that is done: a row can carry its number while the export
    # (or a refund after it) is still under way, and then reads "Being sent".
    exported = page.locator("#orders-table tr").filter(
        has=page.locator("td.fortnox-order", has_text=re.compile(r"\d"))).filter(
        has=page.locator(".state", has_text="In Fortnox"))
    while exported.count() == 0:
        assert time.monotonic() < deadline, (
            f"no exported order on the dashboard {WITHIN_SECONDS} s after the demo started")
        time.sleep(1)
        page.reload()
    seconds = time.monotonic() - demo.started
    screenshot(page, "demo-dashboard")
    expect(exported.first.locator(".state")).to_have_text("In Fortnox")
    # A demo starts healthy: no alarm about Fortnox or the shop's webhooks.
    expect(page.get_by_text("Nothing needs your attention")).to_be_visible()
    # Changes made in (simulated) Fortnox come through its change feed.
    expect(page.locator("#feed-status")).to_contain_text("Direct updates from Fortnox: on")
    print(f"first exported order on the dashboard {seconds:.1f} s after start")
    context.close()
