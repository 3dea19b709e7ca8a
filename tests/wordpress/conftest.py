"""A real WordPress with the plugin active, and the real sidecar it talks to.

Missing pieces (Debian's WordPress or php-mysql, MariaDB) fail these tests with the fix; they
never skip.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest
import requests
from playwright.sync_api import Browser
from playwright.sync_api import sync_playwright

from sidecar.sim.process import SidecarProcess
from sidecar.sim.process import free_port
from sidecar.sim.process import migrated_sidecar
from sidecar.sim.process import sidecar_database
from sidecar.sim.process import start_sidecar
from tests.browser.conftest import CHROMIUM
from tests.browser.conftest import CHROMIUM_ARGS
from tests.wordpress.site import MARIADB_URL
from tests.wordpress.site import MariaDB
from tests.wordpress.site import WordPressSite
from tests.wordpress.site import build_site
from tests.wordpress.site import fail_unless_installed
from tests.wordpress.site import install
from tests.wordpress.site import php_server
from tests.wordpress.site import plugin_lines
from tests.wordpress.site import scratch_database

# The secrets plugin and sidecar share (each 16+ characters the plugin accepts): webhooks, the
# sign-in link, the plugin's requests. Pairing fetches them; `connected` sets them directly.
SECRET = "wordpress-test-secret-0123456789abcdef"
LINK_SECRET = "wordpress-test-link-secret-0123456789"
PLUGIN_SECRET = "wordpress-test-plugin-secret-0123456789"
OWNER_EMAIL = "agare@example.se"
T = TypeVar("T")


@pytest.fixture(scope="session")
def wordpress(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WordPressSite]:
    """WordPress 6.1 from Debian at http://localhost:<port>, installed, plugin active."""
    fail_unless_installed()
    mariadb = MariaDB.from_url(MARIADB_URL)
    workdir = tmp_path_factory.mktemp("wordpress")
    port = free_port()
    url = f"http://localhost:{port}"
    with scratch_database(mariadb) as database:
        root = workdir / "site"
        build_site(root, url=url, database=database, mariadb=mariadb)
        users = install(root)
        with php_server(root, port, workdir / "php-server.log"):
            yield WordPressSite(root=root, url=url, database=database, mariadb=mariadb,
                                users=users)


@pytest.fixture(scope="session")
def sidecar_env(tmp_path_factory: pytest.TempPathFactory,
                wordpress: WordPressSite) -> dict[str, str]:
    """A migrated sidecar whose shop shares the secrets with the plugin, with an owner account
    that WordPress's administrator is linked to."""
    from sidecar.models import Shop
    from sidecar.web.accounts import create_owner
    from sidecar.web.wordpress_link import link_user

    data_dir = tmp_path_factory.mktemp("wordpress-sidecar")
    env = migrated_sidecar(data_dir, webhook_secret=SECRET)
    with sidecar_database(env):
        shop = Shop.get()
        Shop.update(link_secret=LINK_SECRET, plugin_secret=PLUGIN_SECRET).execute()
        link_user(shop, wordpress.users["admin"],
                  create_owner(shop, OWNER_EMAIL, "ett långt lösenord för testet"))
    return env


@pytest.fixture(scope="session")
def sidecar(sidecar_env: dict[str, str]) -> Iterator[SidecarProcess]:
    """The sidecar under gunicorn on 127.0.0.1."""
    env = sidecar_env
    data_dir = Path(env["SIDECAR_DATA_DIR"])
    process = start_sidecar(env, data_dir / "serve.log")
    try:
        process.wait_healthy()
        yield process
    finally:
        process.stop()


@pytest.fixture
def admin(wordpress: WordPressSite) -> Iterator[requests.Session]:
    """HTTP signed in as the administrator."""
    with wordpress.log_in("admin") as http:
        yield http


@pytest.fixture
def connected(wordpress: WordPressSite, sidecar: SidecarProcess) -> SidecarProcess:
    """The plugin's settings point at the running sidecar with the shared secrets."""
    wordpress.set_option("fortnox_sidecar_url", sidecar.url)
    wordpress.set_option("fortnox_sidecar_secret", SECRET)
    wordpress.set_option("fortnox_sidecar_link_secret", LINK_SECRET)
    wordpress.set_option("fortnox_sidecar_plugin_secret", PLUGIN_SECRET)
    return sidecar


@pytest.fixture(autouse=True)
def _no_php_problems_in_the_plugin(wordpress: WordPressSite) -> Iterator[None]:
    """A test fails when PHP logged an error, warning, notice or deprecation in the plugin."""
    before = len(wordpress.debug_log())
    yield
    lines = plugin_lines(wordpress.debug_log()[before:])
    assert not lines, "PHP logged problems in the plugin's files:\n" + "\n".join(lines)


def in_browser(walk: Callable[[Browser], T]) -> T:
    """Run `walk` with Debian's Chromium, headless, on a thread of its own.

    The browser tests keep a sync Playwright running on the main thread until the whole run
    ends, and Playwright's sync API cannot start a second one on that thread."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make test`, which installs "
                    "Debian's chromium package", pytrace=False)

    def run() -> T:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                return walk(browser)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result(timeout=120)

