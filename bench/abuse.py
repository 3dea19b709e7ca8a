"""Abuse of a running sidecar under gunicorn, on loopback: huge bodies and slow senders.

1. Memory: a POST declaring a 1 GiB body, unauthenticated and with a bad signature, to every
   POST route of the URL map and to the webhook path; the body is streamed until the sidecar
   answers or closes. Each worker's RSS before and after; key `max_rss_growth_mb` (≤ 20).
2. Slow senders: two clients that send a request's headers a byte at a time hold what they can;
   a valid signed delivery is sent meanwhile. Key `delivery_delay_s`: how much longer it took
   than without them (≤ 1), measured in the shape the README gives for a sidecar that slow
   clients can reach without a buffering proxy (`SIDECAR_THREADS=4`, gthread workers). The
   default shape (sync workers, for loopback or behind the proxy) is measured too,
   `delivery_delay_sync_s`: there a slow sender holds a worker for SIDECAR_READ_TIMEOUT.

Prints one JSON object on its last line.

    .venv/bin/python bench/abuse.py [--gib 1] [--read-timeout 10]
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from loadgen import encode

from sidecar.sim.process import SidecarProcess
from sidecar.sim.process import migrated_sidecar
from sidecar.sim.process import start_sidecar
from sidecar.webhooks.signature import sign

SECRET = "bench-webhook-secret-0123456789abcdef"
CHUNK = b"x" * (1024 * 1024)


def post_routes(env: dict[str, str]) -> list[str]:
    """Every POST path of the app's URL map (variables filled with 1), and the webhook path."""
    import dataclasses
    import re

    from sidecar.app import create_app
    from sidecar.config import Config

    config = Config.from_env({k: v for k, v in env.items() if k.startswith("SIDECAR_")})
    app = create_app(dataclasses.replace(config, scheduler_enabled=False, testing=True))
    paths = {re.sub(r"<(?:\w+(?:\([^)]*\))?:)?\w+>", "1", rule.rule)
             for rule in app.url_map.iter_rules() if "POST" in (rule.methods or set())}
    return sorted(paths | {"/webhooks/woocommerce"})


def workers_of(sidecar: SidecarProcess) -> list[int]:
    pid = sidecar.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def huge_post(host: str, port: int, path: str, size: int) -> str:
    """POST `size` declared bytes, streamed until the server answers or hangs up."""
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {size}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            "X-WC-Webhook-Topic: order.updated\r\nX-WC-Webhook-Signature: bad\r\n"
            "X-Sidecar-Signature: bad\r\n\r\n").encode()
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(head)
        sent = 0
        sock.setblocking(False)
        answer = b""
        while sent < size:
            try:
                answer += sock.recv(65536)
                if answer:
                    break
            except BlockingIOError:
                pass
            except OSError:
                break
            try:
                sent += sock.send(CHUNK[: min(len(CHUNK), size - sent)])
            except BlockingIOError:
                time.sleep(0.001)
            except OSError:
                break
        sock.setblocking(True)
        try:
            answer += sock.recv(200)
        except OSError:
            pass
    return answer.split(b"\r\n", 1)[0].decode("latin-1", "replace") or "closed"


def slow_sender(host: str, port: int, stop: threading.Event) -> None:
    """Headers a byte at a time, every 0.2 s, for as long as the server listens."""
    try:
        with socket.create_connection((host, port), timeout=60) as sock:
            sock.sendall(b"POST /webhooks/woocommerce HTTP/1.1\r\nHost: x\r\n")
            while not stop.is_set():
                sock.sendall(b"X")
                time.sleep(0.2)
    except OSError:
        pass  # cut off by the server: what it should do


def delivery_seconds(host: str, port: int) -> float:
    body = json.dumps({"id": 7, "status": "processing",
                       "date_modified_gmt": f"2026-01-01T00:00:{time.time() % 60:06.3f}"}).encode()
    request = encode("POST", host, "/webhooks/woocommerce", body, {
        "Content-Type": "application/json", "X-WC-Webhook-Topic": "order.updated",
        "X-WC-Webhook-Signature": sign(body, SECRET), "Connection": "close"})
    started = time.monotonic()
    with socket.create_connection((host, port), timeout=60) as sock:
        sock.sendall(request)
        answer = sock.recv(4096)
    elapsed = time.monotonic() - started
    if not answer.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"the delivery was not stored: {answer[:200]!r}")
    return elapsed


def delay_with_slow_senders(tmp: Path, name: str, **extra_env: str) -> float:
    env = migrated_sidecar(tmp / name, webhook_secret=SECRET, **extra_env)
    sidecar = start_sidecar(env, tmp / f"{name}.log")
    try:
        sidecar.wait_healthy()
        parts = urlsplit(sidecar.url)
        return delivery_delay(str(parts.hostname), int(parts.port or 80))
    finally:
        sidecar.stop()


def delivery_delay(host: str, port: int) -> float:
    """How much longer a signed delivery takes while two slow senders are connected."""
    baseline = min(delivery_seconds(host, port) for _ in range(3))
    stop = threading.Event()
    senders = [threading.Thread(target=slow_sender, args=(host, port, stop), daemon=True)
               for _ in range(2)]
    for sender in senders:
        sender.start()
    time.sleep(1.0)  # both are in, holding what they hold
    try:
        during = delivery_seconds(host, port)
    finally:
        stop.set()
    return max(0.0, during - baseline)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gib", type=float, default=1.0, help="declared body size")
    parser.add_argument("--read-timeout", type=int, default=10, help="SIDECAR_READ_TIMEOUT")
    args = parser.parse_args(argv)
    size = int(args.gib * 1024**3)

    with tempfile.TemporaryDirectory(prefix="sidecar-abuse-") as tmp_name:
        tmp = Path(tmp_name)
        env = migrated_sidecar(tmp / "memory", webhook_secret=SECRET)
        routes = post_routes(env)
        sidecar = start_sidecar(env, tmp / "memory.log")
        try:
            sidecar.wait_healthy()
            time.sleep(1.0)
            parts = urlsplit(sidecar.url)
            host, port = str(parts.hostname), int(parts.port or 80)
            # Warm both workers up with ordinary requests, so growth is the bodies' alone.
            for _ in range(20):
                huge_post(host, port, "/auth/sign-in", 10)
            workers = workers_of(sidecar)
            before = {pid: rss_mb(pid) for pid in workers}
            answers = {path: huge_post(host, port, path, size) for path in routes}
            after = {pid: rss_mb(pid) for pid in workers_of(sidecar) if pid in before}
        finally:
            sidecar.stop()
        growth = max(after[pid] - before[pid] for pid in after)
        delay = delay_with_slow_senders(tmp, "gthread", SIDECAR_THREADS="4",
                                        SIDECAR_READ_TIMEOUT=str(args.read_timeout))
        delay_sync = delay_with_slow_senders(tmp, "sync",
                                             SIDECAR_READ_TIMEOUT=str(args.read_timeout))

    result = {
        "routes": len(routes),
        "declared_body_bytes": size,
        "answers": answers,
        "workers": len(before),
        "rss_before_mb": {str(k): round(v, 1) for k, v in before.items()},
        "max_rss_growth_mb": round(growth, 1),
        "delivery_delay_s": round(delay, 3),
        "delivery_delay_sync_s": round(delay_sync, 3),
        "read_timeout_s": args.read_timeout,
    }
    print(json.dumps(result))
    ok = growth <= 20 and delay <= 1 and all(a != "closed" and " 5" not in a[8:10]
                                             for a in answers.values())
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
