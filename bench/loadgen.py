"""A closed-loop HTTP load generator that leaves the machine's cores to the server under test.

`connections` senders, each sending its next request as soon as the previous answer is in
(over a keep-alive connection, or a new connection per request), all driven by one thread over
non-blocking sockets, with every request encoded before the clock starts. A thread per sender
(http.client) costs the server's 2-core machine more CPU than the server itself spends, and its
GIL hand-offs add milliseconds to every measured latency; this costs a few microseconds per
request.
"""

from __future__ import annotations

import selectors
import socket
import time
from collections import deque
from dataclasses import dataclass
from dataclasses import field


def encode(method: str, host: str, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}",
             *(f"{name}: {value}" for name, value in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@dataclass
class _Connection:
    sock: socket.socket
    out: memoryview = field(default_factory=lambda: memoryview(b""))
    received: bytearray = field(default_factory=bytearray)
    started: float = 0.0


class ServerClosed(RuntimeError):
    """The server closed a connection before answering its request."""


def blast(host: str, port: int, requests: list[bytes], connections: int, *,
          keep_alive: bool = True) -> tuple[float, list[float], list[int]]:
    """Send every request once; returns (wall seconds, latencies in ms, status codes).

    ``connections`` senders each send their next request when the last is answered: over one
    keep-alive connection, or (``keep_alive`` False, as WooCommerce delivers: one request per
    connection, ``Connection: close``) over a new connection each time, connect time included.
    """
    waiting = deque(requests)
    latencies: list[float] = []
    statuses: list[int] = []
    selector = selectors.DefaultSelector()

    def connect() -> socket.socket:
        sock = socket.create_connection((host, port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        return sock

    def send_next(conn: _Connection, reconnect: bool) -> None:
        if not waiting or reconnect:
            selector.unregister(conn.sock)
            conn.sock.close()
        if not waiting:
            return
        conn.out = memoryview(waiting.popleft())
        conn.started = time.perf_counter()
        if reconnect:
            conn.sock = connect()
            conn.received.clear()
            selector.register(conn.sock, selectors.EVENT_WRITE, conn)
        write(conn)

    def write(conn: _Connection) -> None:
        sent = conn.sock.send(conn.out)
        conn.out = conn.out[sent:]
        selector.modify(conn.sock, selectors.EVENT_WRITE if conn.out else selectors.EVENT_READ,
                        conn)

    def read(conn: _Connection) -> None:
        chunk = conn.sock.recv(65536)
        if not chunk:
            raise ServerClosed("the server closed the connection before answering")
        conn.received += chunk
        head_end = conn.received.find(b"\r\n\r\n")
        if head_end < 0:
            return
        head = bytes(conn.received[:head_end]).decode("latin-1").split("\r\n")
        length = next((int(line.split(":", 1)[1]) for line in head[1:]
                       if line.lower().startswith("content-length:")), 0)
        if len(conn.received) < head_end + 4 + length:
            return
        latencies.append((time.perf_counter() - conn.started) * 1000)
        statuses.append(int(head[0].split(" ", 2)[1]))
        del conn.received[:head_end + 4 + length]
        # A server may close a keep-alive connection after any answer (gunicorn's sync worker
        # always does); it says so, and the next request then goes on a new connection.
        closing = any(line.lower().replace(" ", "") == "connection:close" for line in head[1:])
        send_next(conn, reconnect=closing or not keep_alive)

    started = time.perf_counter()
    for _ in range(min(connections, len(requests))):
        conn = _Connection(connect())
        selector.register(conn.sock, selectors.EVENT_WRITE, conn)
        conn.out = memoryview(waiting.popleft())
        conn.started = time.perf_counter()
        write(conn)
    while selector.get_map():
        for key, events in selector.select(timeout=30):
            conn = key.data
            if events & selectors.EVENT_WRITE:
                write(conn)
            else:
                read(conn)
    selector.close()
    return time.perf_counter() - started, latencies, statuses
