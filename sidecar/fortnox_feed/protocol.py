"""Fortnox's Topics API (the change feed), as data: the commands sent and the messages read.

Pure: no socket, no database. What is known and what is assumed is in
docs/fortnox-change-feed.md; in short (reference §7, Fortnox's "Websockets" page, and the
public clients that use it): commands are JSON text frames, each answered by
`{"response": <command>, "result": "ok" | "error", ...}`; events are
`{"topic", "offset", "type", "tenantId", "entityId", "timestamp"}`, minimal, ordered within a
topic, at least once. An offset is opaque text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from typing import Any

TOPICS_URL = "wss://ws.fortnox.se/topics-v1"

ADD_TENANTS = "add-tenants-v1"
REMOVE_TENANTS = "remove-tenants-v1"
ADD_TOPICS = "add-topics-v1"
SUBSCRIBE = "subscribe-v1"

ORDERS = "orders"
INVOICES = "invoices"
ARTICLES = "articles"
STOCK_BALANCES = "warehouse-stockbalances"


@dataclass(frozen=True)
class Event:
    """One change in one tenant's Fortnox: fetch the entity to see what changed."""

    topic: str
    offset: str
    type: str
    tenant_id: int
    entity_id: str
    timestamp: datetime | None

    @property
    def key(self) -> tuple[int, str, str]:
        """What makes a delivery the same event again (at-least-once)."""
        return self.tenant_id, self.topic, self.offset


@dataclass(frozen=True)
class Reply:
    """Fortnox's answer to a command."""

    command: str
    ok: bool
    tenant_ids: dict[str, int] = field(default_factory=dict)  # token as sent → tenant id
    invalid_tokens: tuple[str, ...] = ()
    invalid_topics: tuple[str, ...] = ()
    message: str = ""


def add_tenants(client_secret: str, access_tokens: Iterable[str]) -> str:
    return _dump({"command": ADD_TENANTS, "clientSecret": client_secret,
                  "accessTokens": list(access_tokens)})


def remove_tenants(tenant_ids: Iterable[int]) -> str:
    return _dump({"command": REMOVE_TENANTS, "tenants": list(tenant_ids)})


def add_topics(offsets: Mapping[str, str | None]) -> str:
    """Topics to listen to, each from its offset (a replay) or from now on (None)."""
    return _dump({"command": ADD_TOPICS, "topics": [
        {"topic": topic, **({"offset": offset} if offset else {})}
        for topic, offset in offsets.items()]})


def subscribe() -> str:
    return _dump({"command": SUBSCRIBE})


def parse(raw: str | bytes) -> Event | Reply | None:
    """An event, a reply, or None for anything else (logged by the caller, never fatal)."""
    try:
        message = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(message, dict):
        return None
    if isinstance(message.get("response"), str):
        return Reply(
            command=message["response"], ok=message.get("result") == "ok",
            tenant_ids={str(k): int(v) for k, v in (message.get("tenantIds") or {}).items()
                        if _is_int(v)},
            invalid_tokens=tuple(str(t) for t in message.get("invalidTokens") or ()),
            invalid_topics=tuple(str(t) for t in message.get("invalidTopics") or ()),
            message=str(message.get("message") or message.get("error") or ""))
    if message.get("topic") and message.get("offset") is not None and _is_int(
            message.get("tenantId")):
        return Event(topic=str(message["topic"]), offset=str(message["offset"]),
                     type=str(message.get("type") or ""), tenant_id=int(message["tenantId"]),
                     entity_id=str(message.get("entityId") or ""),
                     timestamp=parse_timestamp(message.get("timestamp")))
    return None


def parse_timestamp(value: Any) -> datetime | None:
    """Fortnox writes e.g. 2017-12-28T14:59:16.500+01:00; kept in UTC."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def _is_int(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and value.strip().isdigit()


def _dump(command: dict[str, Any]) -> str:
    return json.dumps(command, separators=(",", ":"))
