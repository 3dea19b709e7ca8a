"""One connection to Fortnox's Topics API: send a command and read its reply, read events.

The one choke point for the WebSocket, as `fortnox.transport` is for HTTP: every failure of the
socket comes out as `FeedClosed` (the caller reconnects), a command Fortnox answers with an
error as `FeedRefused`. Built on the `websockets` library's threading client (see the README
for why): the listener is a thread in the jobs' process and needs no event loop.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Iterator
from collections.abc import Mapping
from contextlib import contextmanager

from websockets.exceptions import WebSocketException
from websockets.sync.client import ClientConnection
from websockets.sync.client import connect

from sidecar import __version__
from sidecar.fortnox_feed import protocol
from sidecar.fortnox_feed.protocol import Event
from sidecar.fortnox_feed.protocol import Reply

log = logging.getLogger(__name__)

OPEN_TIMEOUT = 10.0
REPLY_TIMEOUT = 15.0
# websockets' own keepalive: a ping every 20 s, the connection is dead without a pong in 20 s.
PING_INTERVAL = 20.0
MAX_MESSAGE = 1 << 20
PENDING_LIMIT = 10_000


class FeedClosed(Exception):
    """The connection could not be opened, or it ended: reconnect (with backoff)."""


class FeedRefused(Exception):
    """Fortnox answered a command with an error (e.g. an unknown client secret)."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(f"{reply.command}: {reply.message or 'refused'}")
        self.reply = reply


class TopicsSession:
    def __init__(self, connection: ClientConnection) -> None:
        self._connection = connection
        self._pending: deque[Event] = deque()

    def add_tenants(self, client_secret: str, access_tokens: list[str]) -> Reply:
        """Add tenants (or give a tenant a new token). A refused token is in the reply's
        `invalid_tokens`, not an error; a wrong client secret is `FeedRefused`."""
        reply = self._command(protocol.add_tenants(client_secret, access_tokens),
                              protocol.ADD_TENANTS)
        if not reply.ok and not reply.invalid_tokens:
            raise FeedRefused(reply)
        return reply

    def remove_tenants(self, tenant_ids: list[int]) -> Reply:
        return self._command(protocol.remove_tenants(tenant_ids), protocol.REMOVE_TENANTS)

    def add_topics(self, offsets: Mapping[str, str | None]) -> Reply:
        """Topics from their offsets; a topic Fortnox does not offer is in `invalid_topics`."""
        reply = self._command(protocol.add_topics(offsets), protocol.ADD_TOPICS)
        if not reply.ok and not reply.invalid_topics:
            raise FeedRefused(reply)
        return reply

    def subscribe(self) -> Reply:
        reply = self._command(protocol.subscribe(), protocol.SUBSCRIBE)
        if not reply.ok:
            raise FeedRefused(reply)
        return reply

    def next_event(self, timeout: float) -> Event | None:
        """The next event, or None when none came within `timeout` seconds."""
        if self._pending:
            return self._pending.popleft()
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(max(deadline - time.monotonic(), 0.0))
            if message is None or isinstance(message, Event):
                return message
            log.info("feed.unexpected_reply command=%s ok=%s", message.command, message.ok)

    def alive(self, timeout: float = 10.0) -> bool:
        """Ping Fortnox; True when the pong came back in time."""
        try:
            return self._connection.ping().wait(timeout)
        except (WebSocketException, OSError) as exc:
            raise FeedClosed(f"ping failed: {_describe(exc)}") from exc

    def _command(self, text: str, expected: str) -> Reply:
        self._send(text)
        deadline = time.monotonic() + REPLY_TIMEOUT
        while time.monotonic() < deadline:
            message = self._receive(deadline - time.monotonic())
            if isinstance(message, Event):
                if len(self._pending) >= PENDING_LIMIT:
                    raise FeedClosed("too many events while waiting for a reply")
                self._pending.append(message)
            elif isinstance(message, Reply) and message.command == expected:
                return message
        raise FeedClosed(f"no answer to {expected} in {REPLY_TIMEOUT:.0f} s")

    def _send(self, text: str) -> None:
        try:
            self._connection.send(text)
        except (WebSocketException, OSError) as exc:
            raise FeedClosed(_describe(exc)) from exc

    def _receive(self, timeout: float) -> Event | Reply | None:
        """One message (None on timeout); what is neither an event nor a reply is skipped."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                raw = self._connection.recv(timeout=max(deadline - time.monotonic(), 0.0))
            except TimeoutError:
                return None
            except (WebSocketException, OSError) as exc:
                raise FeedClosed(_describe(exc)) from exc
            message = protocol.parse(raw)
            if message is not None:
                return message
            log.info("feed.unreadable_message length=%d", len(raw))


@contextmanager
def open_session(url: str, *, open_timeout: float = OPEN_TIMEOUT) -> Iterator[TopicsSession]:
    """A connection for the block; closed at its end, whatever happens."""
    try:
        connection = connect(url, open_timeout=open_timeout, ping_interval=PING_INTERVAL,
                             ping_timeout=PING_INTERVAL, close_timeout=5, max_size=MAX_MESSAGE,
                             user_agent_header=f"fortnox-sidecar/{__version__}")
    except (WebSocketException, OSError, TimeoutError) as exc:
        raise FeedClosed(f"could not connect: {_describe(exc)}") from exc
    with connection:
        yield TopicsSession(connection)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]
