"""The Fortnox simulator's Topics API over a real WebSocket: the commands of reference §7,
events with offsets when the company changes, replay from an offset, and the fault knobs."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from websockets.exceptions import ConnectionClosed
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection
from websockets.sync.client import connect

from sidecar.fortnox.auth import client_credentials
from sidecar.sim.fortnox import FortnoxSimConfig
from sidecar.sim.fortnox import FortnoxState
from sidecar.sim.fortnox import Knobs
from sidecar.sim.fortnox import create_app
from sidecar.sim.fortnox.topics_server import TopicsServer
from sidecar.sim.fortnox.topics_server import serve_topics
from sidecar.sim.server import serve_in_thread

CONFIG = FortnoxSimConfig(seed_demo_data=False, knobs=Knobs(rate_limit_enabled=False))


@dataclass
class Sim:
    url: str
    state: FortnoxState
    topics: TopicsServer

    def token(self) -> str:
        return client_credentials(requests.Session(), f"{self.url}/oauth-v1/token",
                                  CONFIG.client_id, CONFIG.client_secret,
                                  CONFIG.tenant_id).access_token

    def gui(self, path: str, body: dict[str, Any] | None = None) -> Any:
        answer = requests.post(f"{self.url}/_sim/{path}", json=body or {}, timeout=5)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def knobs(self, **changes: Any) -> None:
        assert requests.post(f"{self.url}/_sim/knobs", json=changes, timeout=5).ok


@pytest.fixture(scope="module", name="server")
def _server() -> Iterator[Sim]:
    app = create_app(CONFIG)
    http = serve_in_thread(app)
    state = app.extensions["fortnox_sim"]
    topics = serve_topics(state)
    yield Sim(http.url, state, topics)
    topics.stop()
    http.stop()


@pytest.fixture(name="sim")
def _sim(server: Sim) -> Sim:
    with server.state.lock:
        server.state.reset()
        server.state.create_article({"ArticleNumber": "MUG", "Description": "Mugg",
                                     "StockGoods": True})
    return server


def command(ws: ClientConnection, body: dict[str, Any]) -> dict[str, Any]:
    ws.send(json.dumps(body))
    return dict(json.loads(ws.recv(timeout=5)))


def subscribed(sim: Sim, ws: ClientConnection, topics: list[dict[str, str]],
               token: str | None = None) -> None:
    added = command(ws, {"command": "add-tenants-v1", "clientSecret": CONFIG.client_secret,
                         "accessTokens": [f"Bearer {token or sim.token()}"]})
    assert added["result"] == "ok" and list(added["tenantIds"].values()) == [CONFIG.tenant_id]
    assert command(ws, {"command": "add-topics-v1", "topics": topics})["result"] == "ok"
    assert command(ws, {"command": "subscribe-v1"}) == {"response": "subscribe-v1",
                                                        "result": "ok"}


def events(ws: ClientConnection, count: int, timeout: float = 3.0) -> list[dict[str, Any]]:
    found = []
    deadline = time.monotonic() + timeout
    while len(found) < count and time.monotonic() < deadline:
        try:
            found.append(json.loads(ws.recv(timeout=max(deadline - time.monotonic(), 0))))
        except TimeoutError:
            break
    return found


def test_state_changes_arrive_as_minimal_events_with_offsets(sim: Sim) -> None:
    with connect(sim.topics.url) as ws:
        subscribed(sim, ws, [{"topic": "articles"}, {"topic": "warehouse-stockbalances"},
                             {"topic": "orders"}])
        sim.gui("articles/MUG", {"Description": "Kaffemugg", "QuantityInStock": "3"})
        got = events(ws, 2)

    assert {(e["topic"], e["type"], e["entityId"]) for e in got} == {
        ("articles", "article-updated-v1", "MUG"),
        ("warehouse-stockbalances", "warehouse-stockbalance-changed-v1", "MUG")}
    assert all(set(e) == {"topic", "offset", "type", "tenantId", "entityId", "timestamp"}
               and e["tenantId"] == CONFIG.tenant_id for e in got)


def test_a_subscription_from_an_offset_replays_from_that_event(sim: Sim) -> None:
    for quantity in (1, 2, 3):
        sim.gui("articles/MUG", {"QuantityInStock": str(quantity)})
    offsets = [e.offset for e in sim.state.events.logs["warehouse-stockbalances"]]

    with connect(sim.topics.url) as ws:
        subscribed(sim, ws, [{"topic": "warehouse-stockbalances", "offset": offsets[1]}])
        replayed = events(ws, 5, timeout=1.0)

    assert [e["offset"] for e in replayed] == offsets[1:]  # from the offset given, inclusive


def test_commands_say_what_they_refuse(sim: Sim) -> None:
    with connect(sim.topics.url) as ws:
        wrong = command(ws, {"command": "add-tenants-v1", "clientSecret": "nope",
                             "accessTokens": [sim.token()]})
        invalid = command(ws, {"command": "add-tenants-v1",
                               "clientSecret": CONFIG.client_secret,
                               "accessTokens": ["not-a-token"]})
        topics = command(ws, {"command": "add-topics-v1",
                              "topics": [{"topic": "articles"}, {"topic": "gizmos"}]})
        early = command(ws, {"command": "subscribe-v1"})

    assert wrong["result"] == "error"
    assert invalid["invalidTokens"] == ["not-a-token"] and invalid["result"] == "error"
    assert topics["invalidTopics"] == ["gizmos"]
    assert early["result"] == "error"  # no tenant yet


def test_the_knobs_repeat_delay_and_drop(sim: Sim) -> None:
    sim.knobs(topics_repeat_probability=1.0, topics_delay_seconds=0.5)
    with connect(sim.topics.url) as ws:
        subscribed(sim, ws, [{"topic": "warehouse-stockbalances"}])
        started = time.monotonic()
        sim.gui("articles/MUG", {"QuantityInStock": "4"})
        got = events(ws, 2)
        took = time.monotonic() - started
        requests.post(f"{sim.url}/_sim/topics/drop", timeout=5)
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=3)
    sim.knobs(topics_repeat_probability=0.0, topics_delay_seconds=0.0)

    assert len(got) == 2 and got[0] == got[1]  # the same event twice
    assert took >= 0.5


def test_refused_connections_and_refused_service_account_tokens(sim: Sim) -> None:
    sim.knobs(topics_refuse_connections=True)
    with pytest.raises(InvalidStatus):
        connect(sim.topics.url, open_timeout=3).close()
    sim.knobs(topics_refuse_connections=False, topics_refuse_tokens="service_account")
    with connect(sim.topics.url) as ws:
        refused = command(ws, {"command": "add-tenants-v1",
                               "clientSecret": CONFIG.client_secret,
                               "accessTokens": [sim.token()]})
    sim.knobs(topics_refuse_tokens="none")

    assert refused["tenantIds"] == {} and len(refused["invalidTokens"]) == 1


def test_an_expired_token_closes_the_connection_or_silences_its_tenant(sim: Sim) -> None:
    sim.knobs(topics_token_expiry="close")
    with connect(sim.topics.url) as ws:
        subscribed(sim, ws, [{"topic": "warehouse-stockbalances"}])
        sim.gui("expire-tokens")
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=3)
    sim.knobs(topics_token_expiry="silent")
    with connect(sim.topics.url) as ws:
        subscribed(sim, ws, [{"topic": "warehouse-stockbalances"}])
        sim.gui("expire-tokens")
        sim.gui("articles/MUG", {"QuantityInStock": "7"})
        silent = events(ws, 1, timeout=1.0)
        fresh = sim.token()
        assert command(ws, {"command": "add-tenants-v1", "clientSecret": CONFIG.client_secret,
                            "accessTokens": [fresh]})["result"] == "ok"
        sim.gui("articles/MUG", {"QuantityInStock": "8"})
        after = events(ws, 1)
    sim.knobs(topics_token_expiry="keep")

    assert silent == []
    assert len(after) == 1 and after[0]["entityId"] == "MUG"


def test_the_control_api_shows_connections_and_commands(sim: Sim) -> None:
    with connect(sim.topics.url) as ws:
        subscribed(sim, ws, [{"topic": "orders"}])
        shown = requests.get(f"{sim.url}/_sim/topics", timeout=5).json()

    assert shown["url"] == sim.topics.url and shown["open"] >= 1
    sent = [c for c in shown["commands"] if c["command"] == "add-tenants-v1"]
    assert sent and sent[-1]["clientSecret"] == "***"  # secrets never shown
