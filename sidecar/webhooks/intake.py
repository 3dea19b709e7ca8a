"""What a verified delivery is, and storing it once. Pure classification plus one insert."""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass
from typing import Any

import orjson
from peewee import Database
from peewee import Field
from peewee import MySQLDatabase
from peewee import SqliteDatabase
from peewee import fn

from sidecar import activity
from sidecar.db import database
from sidecar.fields import utcnow
from sidecar.messages import msg
from sidecar.models import InboxEntry
from sidecar.models import Shop

log = logging.getLogger(__name__)

# Orders WooCommerce keeps while the customer is still in the block checkout: not orders yet.
IGNORED_ORDER_STATUSES = frozenset({"checkout-draft", "auto-draft", "draft"})
# The topics the inbox has a handler for (sidecar.jobs.inbox_worker.HANDLERS, checked by a
# test); any other is refused, never stored to wait forever.
KNOWN_TOPICS = frozenset({"order.created", "order.updated", "order.restored", "order.deleted",
                          "product.created", "product.updated"})
MAX_HEADER_LENGTH = 64  # the topic and delivery id columns


class BadDelivery(ValueError):
    """The body can't be a WooCommerce delivery (not JSON, not an object)."""


@dataclass(frozen=True)
class Delivery:
    """A verified delivery, classified. ``action`` is store, ignore or report."""

    action: str
    topic: str
    resource: str
    resource_id: int | None
    modified_gmt: str
    dedupe_key: str
    reason: str = ""


def classify(topic: str, raw_body: bytes, delivery_id: str = "") -> Delivery:
    """Decide what a signed body is. Raises BadDelivery for a body that isn't a JSON object,
    an unknown topic, or a topic the body contradicts.

    Only the body is signed: the topic and delivery id headers are not. So a row is keyed by
    what the body says (resource, id, modification time), never by the delivery id, and a topic
    must fit its body: a deletion's body is the id alone, any other topic's has more."""
    if topic not in KNOWN_TOPICS:
        raise BadDelivery("unknown topic")
    if len(delivery_id) > MAX_HEADER_LENGTH:
        raise BadDelivery("delivery id too long")
    payload = _parse_json(raw_body)
    if not isinstance(payload, dict):
        raise BadDelivery("body is not a JSON object")
    resource, _, event = topic.partition(".")
    resource_id = _as_id(payload.get("id"))

    if "id" not in payload and "code" in payload and "message" in payload:
        # WooCommerce could not build the payload (the owner user lacks rights, the resource
        # is gone) and sent its REST error instead.
        reason = f"{payload.get('code')}: {payload.get('message')}"
        return Delivery("report", topic, resource, None, "", "", reason)
    if resource_id is None:
        raise BadDelivery("body has no numeric id")
    is_version = "date_modified_gmt" in payload or "status" in payload
    if event == "deleted":
        if is_version:
            raise BadDelivery("a deletion's body carries only the id")
        # Each deletion after a new version counts (trash, restore, trash again): `record`
        # adds the latest version stored; a replay of the same deletion is a duplicate.
        return Delivery("store", topic, resource, resource_id, "",
                        f"{resource}:{resource_id}:deleted")
    if set(payload) == {"id"}:
        raise BadDelivery("the body is a deletion's, the topic is not")
    status = payload.get("status")
    if resource == "order" and isinstance(status, str) and status in IGNORED_ORDER_STATUSES:
        return Delivery("ignore", topic, resource, resource_id, "", "", f"status {status}")
    modified = str(payload.get("date_modified_gmt") or "")
    # order.created and order.updated of one change carry the same body: one row.
    return Delivery("store", topic, resource, resource_id, modified,
                    f"{resource}:{resource_id}:{modified}")


def _parse_json(raw_body: bytes) -> Any:
    # orjson reads an order about three times as fast, on the webhook hot path. What it refuses
    # (lone surrogates, UTF-16, NaN) gets a second chance with the standard parser, so what json
    # accepts is accepted. orjson reads an integer past 64 bits as a float; the only number read
    # here is the id, and no id that large is accepted either way.
    try:
        return orjson.loads(raw_body)
    except orjson.JSONDecodeError:
        pass
    try:
        return json.loads(raw_body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise BadDelivery(f"body is not JSON ({exc.__class__.__name__})") from None


def record(shop: Shop | int, delivery: Delivery, raw_body: bytes, delivery_id: str) -> bool:
    """Commit the delivery to the inbox; False if this version was already there."""
    shop_id = shop if isinstance(shop, int) else shop.id
    now = utcnow()
    dedupe_key = delivery.dedupe_key
    if delivery.topic.endswith(".deleted"):
        dedupe_key += ":after:" + _latest_version(shop_id, delivery.resource, delivery.resource_id)
    values = {
        "shop": shop_id, "topic": delivery.topic, "resource_id": delivery.resource_id,
        "delivery_id": delivery_id[:64] or None, "modified_gmt": delivery.modified_gmt[:32],
        "dedupe_key": dedupe_key[:200], "body": raw_body, "status": "pending",
        "attempts": 0, "next_attempt_at": now, "received_at": now,
    }
    sql, fields = _insert_once_statement(database.obj)
    # One statement, autocommit: atomic by itself. The row count, not a returned id, says
    # whether it was new (SQLite keeps the previous lastrowid when an insert is ignored).
    cursor = database.execute_sql(sql, [field.db_value(values[field.name]) for field in fields])
    return cursor.rowcount == 1


def _latest_version(shop_id: int, resource: str, resource_id: int | None) -> str:
    """The newest modification time stored for the resource ('' for none); a range of the
    (shop, dedupe_key) index, since every key of the resource starts with `resource:id:`."""
    prefix = f"{resource}:{resource_id}:"
    latest = (InboxEntry.select(fn.MAX(InboxEntry.modified_gmt))
              .where(InboxEntry.shop == shop_id, InboxEntry.dedupe_key >= prefix,
                     InboxEntry.dedupe_key < prefix[:-1] + ";").scalar())
    return str(latest or "")


@functools.cache
def _insert_once_statement(db: Database) -> tuple[str, tuple[Field, ...]]:
    """INSERT-or-ignore for inbox rows in the engine's dialect, built once per database.

    This is the webhook hot path: peewee's query builder took half of a delivery's time, so
    the statement is prepared from the model's own metadata once and reused."""
    names = ("shop", "topic", "resource_id", "delivery_id", "modified_gmt", "dedupe_key", "body",
             "status", "attempts", "next_attempt_at", "received_at")
    fields = tuple(InboxEntry._meta.fields[name] for name in names)
    open_quote, close_quote = db.quote  # the engine's identifier quotes, e.g. "" or ``
    columns = ", ".join(f"{open_quote}{field.column_name}{close_quote}" for field in fields)
    marks = ", ".join([db.param] * len(fields))
    table = f"{open_quote}{InboxEntry._meta.table_name}{close_quote}"
    if isinstance(db, MySQLDatabase):
        verb, tail = "INSERT IGNORE", ""
    elif isinstance(db, SqliteDatabase):
        verb, tail = "INSERT OR IGNORE", ""
    else:
        verb, tail = "INSERT", " ON CONFLICT DO NOTHING"
    # Identifiers come from the model and are quoted; every value is a bound parameter.
    sql = f"{verb} INTO {table} ({columns}) VALUES ({marks}){tail}"
    return sql, fields


def report(shop: Shop | int, delivery: Delivery) -> None:
    activity.record(
        shop, level="warning", workflow="webhooks",
        subject=msg("plain", text=delivery.topic),
        message=msg("webhooks.error_instead_of_data", reason=delivery.reason),
        hint=msg("hint.webhook_user"),
    )


def remember_own_write(shop: Shop, resource: str, resource_id: int, modified_gmt: str) -> None:
    """Our own write to WooCommerce comes back as an `*.updated` delivery of exactly this
    version; a finished row with its key makes that echo a duplicate, not work."""
    key = f"{resource}:{resource_id}:{modified_gmt}"
    InboxEntry.insert(shop=shop, topic=f"{resource}.updated", resource_id=resource_id,
                      modified_gmt=modified_gmt[:32], dedupe_key=key, body=b"",
                      status="done", last_error="own write").on_conflict_ignore().execute()


# The inbox stores ids as signed 64-bit integers; WooCommerce's are far below.
LARGEST_ID = 2**63 - 1


def _as_id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit():  # not "¹" or "٣"
        value = int(value)
    if isinstance(value, int) and 0 < value <= LARGEST_ID:
        return value
    return None
