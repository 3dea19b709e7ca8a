"""Slow senders under gunicorn: cut off after SIDECAR_READ_TIMEOUT, and in the gthread shape a
valid delivery is stored at once while two of them hold their threads."""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from sidecar.sim.process import SidecarProcess
from sidecar.sim.process import migrated_sidecar
from sidecar.sim.process import start_sidecar

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from abuse import SECRET
from abuse import delivery_delay

pytestmark = pytest.mark.slow


def running(tmp_path: Path, **env: str) -> Iterator[tuple[SidecarProcess, str, int]]:
    sidecar = start_sidecar(migrated_sidecar(tmp_path, webhook_secret=SECRET, **env),
                            tmp_path / "serve.log")
    try:
        sidecar.wait_healthy()
        parts = urlsplit(sidecar.url)
        yield sidecar, str(parts.hostname), int(parts.port or 80)
    finally:
        sidecar.stop()


@pytest.fixture(name="sync_sidecar")
def _sync_sidecar(tmp_path: Path) -> Iterator[tuple[SidecarProcess, str, int]]:
    """The default shape (sync workers) with a 2 s read timeout."""
    yield from running(tmp_path, SIDECAR_READ_TIMEOUT="2")


@pytest.fixture(name="threaded_sidecar")
def _threaded_sidecar(tmp_path: Path) -> Iterator[tuple[SidecarProcess, str, int]]:
    """The shape for a sidecar slow clients can reach: gthread workers."""
    yield from running(tmp_path, SIDECAR_THREADS="4", SIDECAR_READ_TIMEOUT="5")


def test_a_slow_sender_is_cut_off_after_the_read_timeout(sync_sidecar) -> None:  # type: ignore[no-untyped-def]
    _, host, port = sync_sidecar
    started = time.monotonic()
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(b"POST /auth/sign-in HTTP/1.1\r\nHost: x\r\n")
        closed_after = None
        for _ in range(100):
            try:
                sock.sendall(b"X")
                if sock.recv(1, socket.MSG_DONTWAIT) == b"":
                    closed_after = time.monotonic() - started
                    break
            except BlockingIOError:
                pass
            except OSError:
                closed_after = time.monotonic() - started
                break
            time.sleep(0.2)

    assert closed_after is not None and 1.5 < closed_after < 6


def test_two_slow_senders_do_not_delay_a_delivery_in_the_gthread_shape(
    threaded_sidecar,  # type: ignore[no-untyped-def]
) -> None:
    _, host, port = threaded_sidecar

    assert delivery_delay(host, port) < 1.0
