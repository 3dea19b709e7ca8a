"""The activity log the dashboard shows: what happened and what went wrong, in the owner's words.

Every entry is written through `record`, with its texts as `Message`s: the codes and parameters
are stored for the pages to render in the reader's language, and the English beside them for
logs, the command line and older readers.

A problem is written through `problem`: it is about an order or a job (`about`, e.g.
"order:46") and has a cause (a message code, e.g. "fortnox.said.2001304"). The same cause for
the same order or job updates its open entry instead of adding one, and `resolve` closes the
open entries of an order or job with a note of how (it was exported, the job succeeded, the
owner marked it handled). Entries written before problems had causes are resolved by their
order id.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sidecar.fields import utcnow
from sidecar.messages import Message
from sidecar.models import ActivityEntry
from sidecar.models import InboxEntry
from sidecar.models import Shop

SUBJECT_LENGTH = 200
ORDER_TOPICS = ("order.created", "order.updated", "order.restored")
_MOVED_ON = Message("resolved.moved_on")


def about_order(order_id: int | str) -> str:
    return f"order:{order_id}"


def about_job(job: str) -> str:
    return f"job:{job}"


def record(shop: Shop | int, *, level: str, workflow: str, message: Message,
           hint: Message | None = None, subject: Message | None = None,
           woo_order_id: int | None = None, details: dict[str, Any] | None = None,
           now: datetime | None = None) -> ActivityEntry:
    return ActivityEntry.create(
        shop=shop, created_at=now or utcnow(), level=level, workflow=workflow,
        woo_order_id=woo_order_id, details=details, **_texts(message, hint, subject))


def problem(shop: Shop | int, *, about: str, cause: str, level: str, workflow: str,
            message: Message, hint: Message | None = None, subject: Message | None = None,
            woo_order_id: int | None = None, details: dict[str, Any] | None = None,
            now: datetime | None = None, replaces: str = "") -> ActivityEntry:
    """Record a problem, or update the open entry with the same `about` and `cause`: its texts,
    level and details become the latest, `repeats` counts the times it was seen. `replaces`:
    open problems of the same `about` whose cause starts so, but differs, are over (an order's
    export stops at its first problem: the one before is behind it)."""
    now = now or utcnow()
    if replaces:
        (ActivityEntry.update(resolved_at=now, resolution=_MOVED_ON.as_json())
         .where(ActivityEntry.shop == shop, ActivityEntry.about == about,
                ActivityEntry.resolved_at.is_null(), ActivityEntry.cause != cause[:120],
                ActivityEntry.cause.startswith(replaces)).execute())
    found = (ActivityEntry.select()
             .where(ActivityEntry.shop == shop, ActivityEntry.about == about,
                    ActivityEntry.cause == cause[:120], ActivityEntry.resolved_at.is_null())
             .order_by(ActivityEntry.id.desc()).first())
    if found is None:
        return ActivityEntry.create(
            shop=shop, created_at=now, updated_at=now, level=level, workflow=workflow,
            woo_order_id=woo_order_id, details=details, about=about, cause=cause[:120],
            **_texts(message, hint, subject))
    (ActivityEntry.update(level=level, details=details, updated_at=now,
                          repeats=ActivityEntry.repeats + 1, **_texts(message, hint, subject))
     .where(ActivityEntry.id == found.id).execute())
    return ActivityEntry.get_by_id(found.id)


def open_problems(shop: Shop | int, about: str) -> list[ActivityEntry]:
    return list(ActivityEntry.select().where(ActivityEntry.shop == shop,
                                             ActivityEntry.about == about,
                                             ActivityEntry.resolved_at.is_null()))


def resolve(shop: Shop | int, about: str, *, how: Message, now: datetime,
            before: datetime | None = None, cause_prefix: str = "") -> int:
    """Close the open problems of an order or a job (those last seen before `before`, or with
    a cause starting with `cause_prefix`, when given); returns how many. Without a prefix, an
    order's older entries, written without a cause, close too."""
    condition = ((ActivityEntry.shop == shop) & ActivityEntry.resolved_at.is_null()
                 & (ActivityEntry.about == about))
    if before is not None:
        condition &= ActivityEntry.updated_at < before
    if cause_prefix:
        condition &= ActivityEntry.cause.startswith(cause_prefix)
    closed = (ActivityEntry.update(resolved_at=now, resolution=how.as_json())
              .where(condition).execute())
    kind, _, key = about.partition(":")
    if kind == "order" and key.isdigit() and not cause_prefix:
        closed += _resolve_older_order_entries(shop, int(key), how, now)
    return int(closed)


def _resolve_older_order_entries(shop: Shop | int, order_id: int, how: Message,
                                 now: datetime) -> int:
    """Entries of an earlier version: the order's errors by its id, and parked deliveries of it
    (those name the delivery, not the order)."""
    closed = (ActivityEntry.update(resolved_at=now, resolution=how.as_json())
              .where(ActivityEntry.shop == shop, ActivityEntry.about.is_null(),
                     ActivityEntry.woo_order_id == order_id, ActivityEntry.level == "error",
                     ActivityEntry.resolved_at.is_null()).execute())
    deliveries = {row.id for row in InboxEntry.select(InboxEntry.id).where(
        InboxEntry.shop == shop, InboxEntry.topic.in_(ORDER_TOPICS),
        InboxEntry.resource_id == order_id)}
    if deliveries:
        stale = [entry.id for entry in _unresolved_errors_without_cause(shop, "webhooks")
                 if (entry.details or {}).get("inbox_entry") in deliveries]
        if stale:
            closed += (ActivityEntry.update(resolved_at=now, resolution=how.as_json())
                       .where(ActivityEntry.id.in_(stale)).execute())
    return int(closed)


def _unresolved_errors_without_cause(shop: Shop | int, workflow: str) -> Iterable[ActivityEntry]:
    return ActivityEntry.select().where(
        ActivityEntry.shop == shop, ActivityEntry.workflow == workflow,
        ActivityEntry.about.is_null(), ActivityEntry.level == "error",
        ActivityEntry.resolved_at.is_null())


def set_level(shop: Shop | int, about: str, *, level: str, hint: Message | None = None,
              now: datetime) -> int:
    """Change the level (and hint) of the open problems of an order or job: an order whose
    retries ran out needs the owner (error); one sent again by the owner waits (warning)."""
    changed = 0
    for entry in open_problems(shop, about):
        texts = dict(entry.texts or {})
        fields: dict[str, Any] = {"level": level, "updated_at": now}
        if hint is not None:
            texts["hint"] = hint.as_json()
            fields.update(hint=hint.english(), texts=texts)
        changed += ActivityEntry.update(**fields).where(ActivityEntry.id == entry.id).execute()
    return changed


def _texts(message: Message, hint: Message | None, subject: Message | None) -> dict[str, Any]:
    texts = {"message": message.as_json()}
    if hint is not None:
        texts["hint"] = hint.as_json()
    if subject is not None:
        texts["subject"] = subject.as_json()
    return {"subject": subject.english()[:SUBJECT_LENGTH] if subject is not None else "",
            "message": message.english(), "hint": hint.english() if hint is not None else "",
            "texts": texts}


def stored_message(texts: Any, part: str) -> Message | None:
    """One of an entry's stored texts (`subject`, `message`, `hint`), if it has it as a code."""
    if not isinstance(texts, dict):
        return None
    return Message.from_json(texts.get(part))
