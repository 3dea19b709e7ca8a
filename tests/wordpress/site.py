"""A throw-away WordPress from Debian's package, with the plugin active and no WooCommerce.

Debian's `wordpress` package (WordPress 6.1, installed by `make test`) puts the code in
/usr/share/wordpress. A site here is a copy of that tree with its own wp-config.php, a scratch
MariaDB database (dropped afterwards), the plugin copied to wp-content/plugins/fortnox-sidecar,
a must-use plugin with test endpoints, and PHP's built-in server on a loopback port.

The site's address is http://localhost:<port> on purpose: the sidecar listens on 127.0.0.1,
another host for WordPress, so its safe HTTP functions apply their private-address check to it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote
from urllib.parse import urlsplit

import pymysql
import pytest
import requests

from tests.conftest import SERVER_URLS

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
WORDPRESS = Path("/usr/share/wordpress")
PLUGIN = ROOT / "wp-plugin-stub"
PLUGIN_SLUG = "fortnox-sidecar"
PASSWORD = "ett långt lösenord för test"
MARIADB_URL = SERVER_URLS["mariadb"]  # TEST_MARIADB_URL, as for the storage tests


@dataclass(frozen=True)
class MariaDB:
    host: str
    port: int
    user: str
    password: str

    @classmethod
    def from_url(cls, url: str) -> MariaDB:
        parts = urlsplit(url)
        return cls(host=parts.hostname or "127.0.0.1", port=parts.port or 3306,
                   user=unquote(parts.username or "root"),
                   password=unquote(parts.password or ""))

    def connect(self, database: str | None = None) -> pymysql.Connection:
        return pymysql.connect(host=self.host, port=self.port, user=self.user,
                               password=self.password, database=database, autocommit=True,
                               connect_timeout=5)


@dataclass
class WordPressSite:
    root: Path
    url: str
    database: str
    mariadb: MariaDB
    users: dict[str, int]

    @property
    def plugin_dir(self) -> Path:
        return self.root / "wp-content" / "plugins" / PLUGIN_SLUG

    def debug_log(self) -> str:
        path = self.root / "wp-content" / "debug.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def option(self, name: str) -> str | None:
        """An option as stored, read from the database (None when absent)."""
        with self.mariadb.connect(self.database) as connection, connection.cursor() as cursor:
            cursor.execute("SELECT option_value FROM wp_options WHERE option_name = %s", (name,))
            row = cursor.fetchone()
        return None if row is None else str(row[0])

    def set_option(self, name: str, value: str) -> None:
        """Store an option directly, past the settings form and its sanitizing."""
        with self.mariadb.connect(self.database) as connection, connection.cursor() as cursor:
            cursor.execute("INSERT INTO wp_options (option_name, option_value, autoload) "
                           "VALUES (%s, %s, 'yes') ON DUPLICATE KEY UPDATE "
                           "option_value = VALUES(option_value)", (name, value))

    def log_in(self, user: str) -> requests.Session:
        """A requests session signed in to WordPress as `user` through wp-login.php."""
        http = requests.Session()
        http.get(f"{self.url}/wp-login.php", timeout=30)  # sets WordPress's test cookie
        response = http.post(f"{self.url}/wp-login.php", timeout=30, allow_redirects=False,
                             data={"log": user, "pwd": PASSWORD, "wp-submit": "Log In",
                                   "redirect_to": f"{self.url}/wp-admin/", "testcookie": "1"})
        if response.status_code != 302 or not any(
                c.name.startswith("wordpress_logged_in_") for c in http.cookies):
            http.close()
            raise AssertionError(f"signing in to WordPress as {user} failed: HTTP "
                                 f"{response.status_code}\n{response.text[:2000]}")
        return http

    def nonce(self, http: requests.Session, action: str) -> str:
        """A valid nonce for `action` and the signed-in user of `http` (test endpoint)."""
        response = http.get(f"{self.url}/wp-admin/admin-ajax.php", timeout=30,
                            params={"action": "fortnox_test_nonce", "for": action})
        response.raise_for_status()
        return str(response.json()["nonce"])


def fail_unless_installed() -> None:
    """Missing system packages are a failure that names the fix, never a skip."""
    if not (WORDPRESS / "wp-settings.php").exists():
        pytest.fail(f"WordPress is not installed at {WORDPRESS}: run `make test`, which installs "
                    "Debian's wordpress package", pytrace=False)
    modules = subprocess.run(["php", "-m"], capture_output=True, text=True, check=True).stdout
    if "mysqli" not in modules.split():
        pytest.fail("PHP has no mysqli extension: run `make test`, which installs Debian's "
                    "php-mysql package", pytrace=False)


@contextmanager
def scratch_database(mariadb: MariaDB) -> Iterator[str]:
    """An empty MariaDB database for one site, dropped afterwards."""
    name = f"wp_test_{uuid.uuid4().hex[:10]}"
    try:
        admin = mariadb.connect()
    except pymysql.MySQLError as exc:
        problem = str(exc)
    else:
        problem = ""
    if problem:
        pytest.fail(f"MariaDB is not reachable at {MARIADB_URL} (the WordPress tests need it; set "
                    f"TEST_MARIADB_URL to point elsewhere): {problem}", pytrace=False)
    with admin:
        with admin.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
        try:
            yield name
        finally:
            with admin.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {name}")


def build_site(root: Path, *, url: str, database: str, mariadb: MariaDB) -> None:
    """Copy WordPress and the plugin into `root` and write the site's wp-config.php."""
    shutil.copytree(WORDPRESS, root, symlinks=True)
    (root / "wp-config.php").write_text(_wp_config(url, database, mariadb), encoding="utf-8")
    shutil.copytree(PLUGIN, root / "wp-content" / "plugins" / PLUGIN_SLUG,
                    ignore=shutil.ignore_patterns("tests", "phpunit.xml", "run-tests.sh"))
    mu_plugins = root / "wp-content" / "mu-plugins"
    mu_plugins.mkdir()
    shutil.copy(HERE / "test-endpoints.php", mu_plugins / "fortnox-test-endpoints.php")


def install(root: Path) -> dict[str, int]:
    """Run WordPress's installer and activate the plugin; the IDs of the three users."""
    done = subprocess.run(["php", str(HERE / "setup-site.php"), str(root), PASSWORD],
                          capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise AssertionError(f"installing WordPress failed (exit {done.returncode}):\n"
                             f"{done.stdout}\n{done.stderr}")
    return {str(k): int(v) for k, v in json.loads(done.stdout.strip().splitlines()[-1]).items()}


@contextmanager
def php_server(root: Path, port: int, log_path: Path) -> Iterator[None]:
    """PHP's built-in server for the site, four workers, on 127.0.0.1:port."""
    env = {**os.environ, "PHP_CLI_SERVER_WORKERS": "4"}
    with log_path.open("wb") as log:
        process = subprocess.Popen(["php", "-S", f"127.0.0.1:{port}", "-t", str(root)], env=env,
                                   cwd=root, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        _wait_until_serving(f"http://127.0.0.1:{port}/wp-login.php", process, log_path)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the server and its workers
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_until_serving(url: str, process: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"php -S exited {process.returncode}:\n{log_path.read_text()}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass  # not listening yet
        time.sleep(0.1)
    raise AssertionError(f"php -S did not serve {url} within 20 s:\n{log_path.read_text()}")


def _wp_config(url: str, database: str, mariadb: MariaDB) -> str:
    def php(value: str) -> str:
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"

    salts = "".join(f"define( '{name}', {php(secrets.token_urlsafe(48))} );\n" for name in (
        "AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY",
        "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT"))
    return f"""<?php
define( 'DB_NAME', {php(database)} );
define( 'DB_USER', {php(mariadb.user)} );
define( 'DB_PASSWORD', {php(mariadb.password)} );
define( 'DB_HOST', {php(f"{mariadb.host}:{mariadb.port}")} );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
{salts}$table_prefix = 'wp_';
define( 'WP_HOME', {php(url)} );
define( 'WP_SITEURL', {php(url)} );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', true );
define( 'WP_DEBUG_DISPLAY', false );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'WP_ACCESSIBLE_HOSTS', '127.0.0.1' );
if ( ! defined( 'ABSPATH' ) ) {{
	define( 'ABSPATH', __DIR__ . '/' );
}}
require_once ABSPATH . 'wp-settings.php';
"""


def plugin_lines(log: str) -> list[str]:
    """Lines of WordPress's debug log that come from the plugin's files."""
    return [line for line in log.splitlines()
            if re.search(rf"plugins/{PLUGIN_SLUG}/", line)]


class _FormReader(HTMLParser):
    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.found = False
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "form" and values.get("action", "").endswith(self.action):
            self.inside = self.found = True
        elif tag == "input" and self.inside and values.get("name"):
            self.fields[values["name"]] = values.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def form_fields(html: str, action: str) -> dict[str, str]:
    """The inputs of the page's form that posts to `action`, as a browser would send them."""
    reader = _FormReader(action)
    reader.feed(html)
    if not reader.found:
        raise AssertionError(f"no form posting to {action} on the page:\n{html[:3000]}")
    return reader.fields

