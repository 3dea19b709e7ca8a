"""Faults the simulator injects on purpose (knobs `error_rates` and `create_timeout_*`).

Injected errors answer a request after authentication and the rate limit, before any work. A
lost answer happens after a create (POST, createinvoice, credit) is committed: the connection
is dropped, or the answer comes after a delay.
"""

from __future__ import annotations

import errno
import random
import socket
from collections.abc import Iterable
from typing import Any

from flask import Response
from flask import jsonify

from sidecar.sim.fortnox.errors import RATE_LIMITED_BODY
from sidecar.sim.fortnox.errors import SYSTEM_EXCEPTION
from sidecar.sim.fortnox.errors import UNAUTHORIZED_BODY
from sidecar.sim.fortnox.errors import FortnoxApiError

DROP_CONNECTION = "fortnox_sim.drop_connection"


def draw_error(error_rates: dict[int, float]) -> int | None:
    roll = random.random()
    for status, rate in error_rates.items():
        if roll < rate:
            return status
        roll -= rate
    return None


def injected_response(status: int) -> tuple[Response, int]:
    if status == 429:
        return jsonify(RATE_LIMITED_BODY), 429
    if status == 401:
        return jsonify(UNAUTHORIZED_BODY), 401
    if status >= 500 and status != 503:
        error = FortnoxApiError(status, SYSTEM_EXCEPTION, "System exception")
        return jsonify(error.body()), status
    return jsonify({"message": f"Simulated error {status}"}), status


def is_create(method: str, path: str) -> bool:
    return method == "POST" or path.endswith(("/createinvoice", "/credit"))


class ConnectionDropper:
    """WSGI middleware: close the socket without an answer when a view asked for it."""

    def __init__(self, wsgi_app: Any) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        result = self.wsgi_app(environ, start_response)
        if not environ.get(DROP_CONNECTION):
            return result  # type: ignore[no-any-return]
        if hasattr(result, "close"):
            result.close()
        sock = environ.get("werkzeug.socket") or environ.get("gunicorn.socket")
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        # Servers treat a reset connection as the client's doing and log nothing.
        raise ConnectionResetError(errno.ECONNRESET, "fortnox sim dropped the connection")
