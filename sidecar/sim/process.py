"""Run the real sidecar (`sidecar serve`, gunicorn) as a subprocess: for end-to-end tests,
benchmarks and the demo."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests
from peewee import Database

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "local-run-secret-key-" + "u7Hc2QeW9rTz4NbK8pLx1VmS6dGa3Jf0"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sidecar_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("SIDECAR_") and k != "DATABASE_URL"}
    env.update({"SIDECAR_SECRET_KEY": SECRET_KEY, "SIDECAR_DATA_DIR": str(data_dir),
                "PYTHONUNBUFFERED": "1",
                # Never Fortnox's own change feed from a local run: a simulator's, when given.
                "SIDECAR_FORTNOX_TOPICS_URL": "off"})
    env.update(extra)
    return env


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "sidecar.cli", *args]
    return subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True,  # noqa: S603
                          timeout=120, check=True)


@dataclass
class SidecarProcess:
    process: subprocess.Popen[bytes]
    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_healthy(self, timeout: float = 30) -> dict:  # type: ignore[type-arg]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sidecar exited {self.process.returncode}:\n{self.log()}")
            try:
                response = requests.get(f"{self.url}/healthz", timeout=2)
                if response.status_code == 200:
                    return dict(response.json())
            except requests.RequestException:
                pass  # not listening yet, or not answering yet: starting up
            time.sleep(0.1)
        raise TimeoutError(f"sidecar not healthy after {timeout}s:\n{self.log()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                return self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise
        return self.process.returncode


def start_sidecar(env: dict[str, str], log_path: Path, port: int | None = None) -> SidecarProcess:
    port = port or free_port()
    env = {**env, "SIDECAR_BIND": f"127.0.0.1:{port}"}
    log_file = log_path.open("wb")
    process = subprocess.Popen([sys.executable, "-m", "sidecar.cli", "serve"], env=env, cwd=ROOT,
                               stdout=log_file, stderr=subprocess.STDOUT)
    log_file.close()
    return SidecarProcess(process=process, url=f"http://127.0.0.1:{port}", log_path=log_path)


def database_url_of(env: dict[str, str]) -> str:
    return env.get("SIDECAR_DATABASE_URL") or f"sqlite:///{Path(env['SIDECAR_DATA_DIR'])}/sidecar.db"


@contextmanager
def sidecar_database(env: dict[str, str]) -> Iterator[Database]:
    """The sidecar's database, bound in this process (same key, so secrets can be read), with
    the settings registered as the app factory does."""
    from sidecar import crypto
    from sidecar.app import register_settings
    from sidecar.db import bind_database

    register_settings()
    crypto.configure(env["SIDECAR_SECRET_KEY"])
    database = bind_database(database_url_of(env))
    try:
        with database.connection_context():
            yield database
    finally:
        database.close_all()


def migrated_sidecar(data_dir: Path, *, webhook_secret: str | None = None,
                     **extra_env: str) -> dict[str, str]:
    """Environment of a migrated sidecar whose first shop signs webhooks with the given secret."""
    from sidecar.models import Shop

    env = sidecar_env(data_dir, **extra_env)
    run_cli(["migrate"], env)
    if webhook_secret is not None:
        with sidecar_database(env):
            Shop.update(webhook_secret=webhook_secret).execute()
    return env
