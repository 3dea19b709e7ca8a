"""The simulated Topics API: Fortnox's change feed as a WebSocket server on its own port.

    topics = serve_topics(state)          # ws://127.0.0.1:<port>/topics-v1, a thread
    topics.stop()

A client connects, then sends JSON commands (reference §7), each answered with
`{"response": <command>, "result": "ok" | "error", ...}`:

- `add-tenants-v1` `{clientSecret, accessTokens}` → `tenantIds` (token → tenant id) and
  `invalidTokens`; a token may carry "Bearer ". Adding a tenant again replaces its token.
- `remove-tenants-v1` `{tenants: [id]}`; `add-topics-v1` `{topics: [{topic, offset?}]}` →
  `invalidTopics`; `subscribe-v1` starts the stream: from each topic's offset (inclusive), or
  from now on without one.

Events go to the tenants added on the connection, from the log in `events` (the state module,
fed by every change the simulated company makes). The knobs `topics_*` (`config.Knobs`) refuse
connections or tokens, repeat or delay events, close connections now and then, and choose what
an expired access token does to a subscription; `POST /_sim/topics/drop` closes every
connection at once. `connections` and `commands` let tests see what clients did.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections import deque
from dataclasses import dataclass
from dataclasses import field
from http import HTTPStatus
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request
from websockets.http11 import Response
from websockets.sync.server import Server
from websockets.sync.server import ServerConnection
from websockets.sync.server import serve

from sidecar.sim.fortnox.events import TOPICS
from sidecar.sim.fortnox.events import FeedEvent
from sidecar.sim.fortnox.state import FortnoxState

log = logging.getLogger(__name__)

PATH = "/topics-v1"
BATCH = 200  # events read from a topic's log at a time
IDLE_WAIT = 0.5  # seconds a sender waits for news before it looks at the knobs again


@dataclass
class Subscription:
    """One connection's tenants (id → token), topics (→ next index) and whether it streams."""

    tenants: dict[int, str] = field(default_factory=dict)
    topics: dict[str, int] = field(default_factory=dict)
    streaming: bool = False
    silenced: set[int] = field(default_factory=set)  # tenants whose token expired ("silent")


class TopicsServer:
    def __init__(self, state: FortnoxState, host: str, port: int) -> None:
        self.state = state
        self.server: Server = serve(self._handle, host, port, process_request=self._gate,
                                    ping_interval=20, ping_timeout=20)
        bound_port = self.server.socket.getsockname()[1]
        self.url = f"ws://{host}:{bound_port}{PATH}"
        self.connections = 0  # connections accepted so far
        self.open_connections = 0
        # (connection number, command as received, secrets masked): what clients asked for.
        self.commands: deque[tuple[int, dict[str, Any]]] = deque(maxlen=2000)
        self.delivered: deque[tuple[int, dict[str, Any]]] = deque(maxlen=20000)
        self._count_lock = threading.Lock()
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True,
                                        name=f"sim-topics-{bound_port}")
        self._thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self._thread.join(timeout=5)

    def drop_connections(self) -> None:
        with self.state.lock:
            self.state.events.request_drop()

    # Connections ---------------------------------------------------------------------------

    def _gate(self, connection: ServerConnection, request: Request) -> Response | None:
        if request.path != PATH:
            return connection.respond(HTTPStatus.NOT_FOUND, "Not found\n")
        with self.state.lock:
            refused = self.state.knobs.topics_refuse_connections
        if refused:
            return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "Service unavailable\n")
        return None

    def _handle(self, connection: ServerConnection) -> None:
        with self._count_lock:
            self.connections += 1
            self.open_connections += 1
            number = self.connections
        subscription = Subscription()
        send_lock = threading.Lock()
        with self.state.lock:
            drops = self.state.events.drops
        sender: threading.Thread | None = None
        try:
            while True:
                try:
                    raw = connection.recv(timeout=IDLE_WAIT)
                except TimeoutError:
                    if self._should_close(drops):
                        break
                    continue
                reply = self._command(number, subscription, raw)
                with send_lock:
                    connection.send(json.dumps(reply))
                if subscription.streaming and sender is None:
                    sender = threading.Thread(
                        target=self._stream, args=(connection, subscription, send_lock, drops,
                                                   number), daemon=True,
                        name=f"sim-topics-send-{number}")
                    sender.start()
        except ConnectionClosed:
            pass
        finally:
            connection.close()
            if sender is not None:
                sender.join(timeout=5)
            with self._count_lock:
                self.open_connections -= 1

    def _should_close(self, drops: int) -> bool:
        with self.state.lock:
            return self.state.events.drops != drops

    # Commands ------------------------------------------------------------------------------

    def _command(self, number: int, subscription: Subscription, raw: str | bytes
                 ) -> dict[str, Any]:
        try:
            command = json.loads(raw)
        except ValueError:
            return {"response": "unknown", "result": "error", "message": "Invalid JSON"}
        if not isinstance(command, dict):
            return {"response": "unknown", "result": "error", "message": "Invalid command"}
        name = str(command.get("command") or "")
        self.commands.append((number, _masked(command)))
        with self.state.lock:
            if name == "add-tenants-v1":
                return self._add_tenants(subscription, command)
            if name == "remove-tenants-v1":
                for tenant in command.get("tenants") or []:
                    subscription.tenants.pop(int(tenant), None)
                return {"response": name, "result": "ok"}
            if name == "add-topics-v1":
                return self._add_topics(subscription, command)
            if name == "subscribe-v1":
                if not subscription.tenants or not subscription.topics:
                    return {"response": name, "result": "error",
                            "message": "Add tenants and topics first"}
                subscription.streaming = True
                return {"response": name, "result": "ok"}
        return {"response": name or "unknown", "result": "error", "message": "Unknown command"}

    def _add_tenants(self, subscription: Subscription, command: dict[str, Any]
                     ) -> dict[str, Any]:
        state = self.state
        if command.get("clientSecret") != state.config.client_secret:
            return {"response": "add-tenants-v1", "result": "error",
                    "message": "Invalid client secret"}
        refuse = state.knobs.topics_refuse_tokens
        tenant_ids: dict[str, int] = {}
        invalid: list[str] = []
        for sent in command.get("accessTokens") or []:
            token = str(sent).removeprefix("Bearer ").strip()
            access = state.tokens.authenticate(token, state.now())
            if access is None or refuse == "all" or (refuse == "service_account"
                                                     and access.service_account):
                invalid.append(str(sent))
                continue
            tenant_ids[str(sent)] = access.tenant_id
            subscription.tenants[access.tenant_id] = token
            subscription.silenced.discard(access.tenant_id)
        result = "ok" if tenant_ids or not invalid else "error"
        return {"response": "add-tenants-v1", "result": result, "tenantIds": tenant_ids,
                "invalidTokens": invalid}

    def _add_topics(self, subscription: Subscription, command: dict[str, Any]
                    ) -> dict[str, Any]:
        invalid = []
        for item in command.get("topics") or []:
            topic = item.get("topic") if isinstance(item, dict) else item
            if topic not in TOPICS:
                invalid.append(str(topic))
                continue
            offset = item.get("offset") if isinstance(item, dict) else None
            subscription.topics[topic] = self.state.events.next_index(
                topic, str(offset) if offset not in (None, "") else None)
        return {"response": "add-topics-v1", "result": "error" if invalid else "ok",
                "invalidTopics": invalid}

    # The stream ----------------------------------------------------------------------------

    def _stream(self, connection: ServerConnection, subscription: Subscription,
                send_lock: threading.Lock, drops: int, number: int) -> None:
        events = self.state.events
        dropped_at = time.monotonic()
        try:
            while True:
                with self.state.lock:
                    knobs = self.state.knobs
                    if events.drops != drops:
                        break
                    drop_every = knobs.topics_drop_every_seconds
                    due = self._due(subscription)
                if due is None or (drop_every and time.monotonic() - dropped_at >= drop_every):
                    break  # an expired token ("close"), or as a deploy at Fortnox would
                if not due:
                    with events.changed:
                        events.changed.wait(IDLE_WAIT)
                    continue
                for event in due:
                    if knobs.topics_delay_seconds:
                        wait = knobs.topics_delay_seconds - (
                            self.state.now() - event.timestamp).total_seconds()
                        if wait > 0:
                            time.sleep(wait)
                    repeats = 2 if random.random() < knobs.topics_repeat_probability else 1
                    body = json.dumps(event.as_json())
                    with send_lock:
                        for _ in range(repeats):
                            connection.send(body)
                    self.delivered.append((number, event.as_json()))
        except ConnectionClosed:
            return
        connection.close()

    def _due(self, subscription: Subscription) -> list[FeedEvent] | None:
        """The next events for this connection (caller holds the state lock), moving its
        topics' positions on. An expired token silences its tenant (its events are lost to
        this connection) or ends the connection (None), per knob."""
        state = self.state
        expiry = state.knobs.topics_token_expiry
        now = state.now()
        for tenant, token in list(subscription.tenants.items()):
            if expiry != "keep" and state.tokens.authenticate(token, now) is None:
                if expiry == "close":
                    return None
                subscription.silenced.add(tenant)
        due: list[FeedEvent] = []
        for topic, start in subscription.topics.items():
            batch = state.events.read(topic, start, BATCH)
            if batch:
                subscription.topics[topic] = batch[-1].index + 1
            due.extend(e for e in batch if e.tenant_id in subscription.tenants
                       and e.tenant_id not in subscription.silenced)
        return due


def _masked(command: dict[str, Any]) -> dict[str, Any]:
    shown = dict(command)
    if "clientSecret" in shown:
        shown["clientSecret"] = "***"
    if "accessTokens" in shown:
        shown["accessTokens"] = [f"…{str(t)[-6:]}" for t in shown["accessTokens"] or []]
    return shown


def serve_topics(state: FortnoxState, host: str = "127.0.0.1", port: int = 0) -> TopicsServer:
    """The Topics API for `state`, served in a thread until `.stop()` (port 0: a free one)."""
    server = TopicsServer(state, host, port)
    state.topics_server = server
    return server
