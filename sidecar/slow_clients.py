"""A sync gunicorn worker that gives each client SIDECAR_READ_TIMEOUT seconds to send its whole
request, headers and body: a slow sender ("slowloris") is cut off then, instead of holding the
worker until gunicorn's own 120 s timeout restarts it.

A sync worker serves one connection at a time, so a slow sender still holds it for up to the
read timeout. Where slow senders can reach the sidecar, put it behind the README's reverse proxy
(which reads the whole request before passing it on) or run gthread workers (SIDECAR_THREADS
above 1), where a slow sender holds one thread; see the README and bench/abuse.py.
"""

from __future__ import annotations

import socket
import time
from typing import Any

from gunicorn import util
from gunicorn.workers.sync import SyncWorker

# Set by `sidecar serve` in the master before the workers are forked (SIDECAR_READ_TIMEOUT).
read_timeout = 10.0
# Writing the answer is not the client's request: a slow reader gets this long per send.
WRITE_TIMEOUT = 30.0


class RequestNotReceived(TimeoutError):
    """The client did not send its whole request in time."""


class ReceiveDeadline:
    """An accepted socket whose receives end at one deadline, set when it was accepted."""

    def __init__(self, sock: socket.socket, seconds: float) -> None:
        self._sock = sock
        self._deadline = time.monotonic() + seconds

    def _limit(self) -> None:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise RequestNotReceived("the request was not received in time")
        self._sock.settimeout(left)

    def recv(self, size: int, *flags: int) -> bytes:
        self._limit()
        try:
            return self._sock.recv(size, *flags)
        except TimeoutError:
            raise RequestNotReceived("the request was not received in time") from None

    def recv_into(self, buffer: Any, *args: int) -> int:
        self._limit()
        try:
            return self._sock.recv_into(buffer, *args)
        except TimeoutError:
            raise RequestNotReceived("the request was not received in time") from None

    def send(self, data: bytes, *flags: int) -> int:
        self._sock.settimeout(WRITE_TIMEOUT)
        return self._sock.send(data, *flags)

    def sendall(self, data: bytes, *flags: int) -> None:
        self._sock.settimeout(WRITE_TIMEOUT)
        self._sock.sendall(data, *flags)

    def settimeout(self, value: float | None) -> None:
        # gunicorn's drain of an unread body sets its own limit; never beyond the deadline.
        left = max(0.0, self._deadline - time.monotonic())
        self._sock.settimeout(left if value is None else min(value, left))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


class DeadlineSyncWorker(SyncWorker):  # type: ignore[misc]
    def accept(self, listener: Any) -> None:
        client, addr = listener.accept()
        client.setblocking(True)
        util.close_on_exec(client)
        self.handle(listener, ReceiveDeadline(client, read_timeout), addr)
