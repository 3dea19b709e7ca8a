"""The real sidecar under gunicorn, and Debian's Chromium driven by Playwright.

Chromium comes from Debian (`make test` installs it); Playwright's own browser downloads are
never used. A missing Chromium fails these tests with the fix, it never skips them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import Page
from playwright.sync_api import expect
from playwright.sync_api import sync_playwright

from sidecar.sim.process import SidecarProcess
from sidecar.sim.process import migrated_sidecar
from sidecar.sim.process import run_cli
from sidecar.sim.process import start_sidecar

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
OWNER_EMAIL = "agare@example.se"
OWNER_PASSWORD = "ett långt lösenord"


@pytest.fixture(scope="session", name="browser")
def _browser() -> Iterator[Browser]:
    """Debian's Chromium, headless."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make test`, which installs "
                    "Debian's chromium package", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session", name="sidecar")
def _sidecar(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SidecarProcess]:
    """A migrated sidecar with one owner account, served by gunicorn on loopback."""
    data_dir = tmp_path_factory.mktemp("browser-sidecar")
    env = migrated_sidecar(data_dir)
    password_file = data_dir / "password.txt"
    password_file.write_text(OWNER_PASSWORD, encoding="utf-8")
    run_cli(["admin", "create", "--email", OWNER_EMAIL, "--password-file", str(password_file)],
            env)
    process = start_sidecar(env, data_dir / "serve.log")
    try:
        process.wait_healthy()
        yield process
    finally:
        process.stop()


@pytest.fixture(name="page")
def _page(browser: Browser, sidecar: SidecarProcess, request: pytest.FixtureRequest
          ) -> Iterator[Page]:
    """A fresh browser context (no cookies) preferring English, with a screenshot at the end."""
    context = browser.new_context(locale="en-GB", base_url=sidecar.url,
                                  viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    screenshot(page, request.node.name + "-end")
    context.close()


def screenshot(page: Page, name: str) -> None:
    """A test artifact to look at: what the owner saw."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png",
                    full_page=True)


def sign_in(page: Page) -> None:
    page.goto("/auth/sign-in")
    page.get_by_label("E-mail address").fill(OWNER_EMAIL)
    page.get_by_label("Password").fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
