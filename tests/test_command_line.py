"""The real `sidecar` command in a subprocess: `--json` is only JSON on standard output (logs
go to standard error), and expected failures (an unknown order, an order being exported right
now, `admin create` without a terminal) are one line in words with a non-zero exit code, never
a traceback. Times are labelled."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path

import pytest

from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sim.process import ROOT
from sidecar.sim.process import migrated_sidecar
from sidecar.sim.process import sidecar_database
from sidecar.sim.server import serve_in_thread
from sidecar.sim.woocommerce import WooSimConfig
from sidecar.sim.woocommerce import create_app as create_woocommerce


@pytest.fixture(scope="module", name="shop_env")
def _shop_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, str], int]]:
    """A migrated sidecar with WooCommerce (the simulator, one order placed) and Fortnox not
    connected; debug logging, so that commands log as they work. Gives (env, order id)."""
    woo = serve_in_thread(create_woocommerce(WooSimConfig(seed=True)))
    store = woo.server.app.extensions["woocommerce_sim"].store
    product = next(p for p in store.products.values() if p.get("sku"))
    order = store.place_order({"line_items": [{"product_id": product["id"], "quantity": 1}],
                               "status": "processing", "payment_method": "bacs",
                               "billing": {"first_name": "Kund", "last_name": "Testsson",
                                           "country": "SE", "email": "kund@example.test"}},
                              created_via="checkout")
    env = migrated_sidecar(tmp_path_factory.mktemp("cli"), SIDECAR_LOG_LEVEL="DEBUG")
    with sidecar_database(env):
        Shop.update(woo_url=woo.url, woo_consumer_key=store.config.consumer_key,
                    woo_consumer_secret=store.config.consumer_secret).execute()
    try:
        yield env, int(order["id"])
    finally:
        woo.stop()


def sidecar(env: dict[str, str], *args: str, language: str = "C.UTF-8"
            ) -> subprocess.CompletedProcess[str]:
    """The command, in the terminal language `language` (English unless it names Swedish)."""
    env = {k: v for k, v in env.items() if k not in ("LC_ALL", "LC_MESSAGES")} | {
        "LANG": language}
    return subprocess.run([sys.executable, "-m", "sidecar.cli", *args], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False,
                          stdin=subprocess.DEVNULL)


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    """The failure's only line on standard error besides the log's events (`ts=… level=…`),
    after checking there is nothing else."""
    assert done.returncode != 0, done.stdout
    lines = [line for line in done.stderr.strip().splitlines()
             if not line.startswith("ts=")]
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr and lines[0].startswith("sidecar: ")
    assert done.stdout == ""
    return lines[0]


def test_json_output_is_only_json_while_logs_go_to_standard_error(
        shop_env: tuple[dict[str, str], int]) -> None:
    env, order_id = shop_env

    done = sidecar(env, "orders", "dry-run", str(order_id), "--json")

    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)  # the whole of standard output
    assert result["order"] == order_id
    assert "level=debug" in done.stderr  # it did log, elsewhere


@pytest.mark.parametrize("action", ["dry-run", "export"])
def test_an_unknown_order_is_one_line_and_exit_code_1(shop_env: tuple[dict[str, str], int],
                                                      action: str) -> None:
    env, _ = shop_env

    done = sidecar(env, "orders", action, "999999", "--json")

    assert done.returncode == 1
    assert one_line(done) == "sidecar: WooCommerce has no order 999999"


def test_an_order_being_exported_is_one_line(
        shop_env: tuple[dict[str, str], int]) -> None:
    env, order_id = shop_env
    with sidecar_database(env):
        OrderLedger.create(shop=Shop.get(), woo_order_id=order_id,
                           external_key=f"wc-default-{order_id}", claimed_by="elsewhere/t1",
                           claimed_until=datetime.now(UTC) + timedelta(minutes=5))
    try:
        done = sidecar(env, "orders", "export", str(order_id))
    finally:
        with sidecar_database(env):
            OrderLedger.delete().execute()

    line = one_line(done)
    assert done.returncode == 1
    assert f"order {order_id} is being exported right now by another worker" in line


def test_admin_create_without_a_terminal_is_one_line(shop_env: tuple[dict[str, str], int]
                                                     ) -> None:
    env, _ = shop_env

    done = sidecar(env, "admin", "create", "--email", "ny@example.se")

    assert done.returncode == 2
    assert "--password-file" in one_line(done)


def test_a_swedish_terminal_gets_the_command_lines_words_in_swedish(
        shop_env: tuple[dict[str, str], int]) -> None:
    env, _ = shop_env

    unknown = sidecar(env, "orders", "export", "999999", language="sv_SE.UTF-8")
    jobs = sidecar(env, "jobs", "list", language="sv_SE.UTF-8")
    no_terminal = sidecar(env, "admin", "create", "--email", "ny@example.se",
                          language="sv_SE.UTF-8")

    assert one_line(unknown) == "sidecar: WooCommerce har ingen order 999999"
    assert jobs.stdout.splitlines()[0] == "Tiderna är svensk tid."
    assert "ingen terminal" in one_line(no_terminal) and "--password-file" in \
        one_line(no_terminal)


def test_jobs_list_says_its_times_are_swedish_time(shop_env: tuple[dict[str, str], int]) -> None:
    env, _ = shop_env

    done = sidecar(env, "jobs", "list")

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "Times are Swedish time."


def test_the_demo_prints_the_environment_the_command_line_needs() -> None:
    from sidecar.demo import cli_environment

    line = cli_environment({"SIDECAR_SECRET_KEY": "a key", "SIDECAR_DATA_DIR": "/d",
                            "PATH": "/bin"})

    assert line == "export SIDECAR_DATA_DIR=/d SIDECAR_SECRET_KEY='a key'"


def test_make_demo_honours_sidecar_bind() -> None:
    # Under `make test` the parent make's flags would make this one print its directory too.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    done = subprocess.run(["make", "--no-print-directory", "-n", "demo",
                           "SIDECAR_BIND=127.0.0.1:8099"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=True)

    assert done.stdout.strip().splitlines()[-1].endswith("sidecar demo --port 8099")


def test_the_cli_module_stays_small() -> None:
    assert len(Path(ROOT, "sidecar", "cli.py").read_text(encoding="utf-8").splitlines()) < 500
