"""The activity log the dashboard shows: what happened and what went wrong, in the owner's words.

Every entry is written through `record`, with its texts as `Message`s: the codes and parameters
are stored for the pages to render in the reader's language, and the English beside them for
logs, the command line and older readers.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sidecar.fields import utcnow
from sidecar.messages import Message
from sidecar.models import ActivityEntry
from sidecar.models import Shop

SUBJECT_LENGTH = 200


def record(shop: Shop | int, *, level: str, workflow: str, message: Message,
           hint: Message | None = None, subject: Message | None = None,
           woo_order_id: int | None = None, details: dict[str, Any] | None = None,
           now: datetime | None = None) -> ActivityEntry:
    texts = {"message": message.as_json()}
    if hint is not None:
        texts["hint"] = hint.as_json()
    if subject is not None:
        texts["subject"] = subject.as_json()
    return ActivityEntry.create(
        shop=shop, created_at=now or utcnow(), level=level, workflow=workflow,
        subject=subject.english()[:SUBJECT_LENGTH] if subject is not None else "",
        message=message.english(), hint=hint.english() if hint is not None else "",
        texts=texts, woo_order_id=woo_order_id, details=details)


def stored_message(texts: Any, part: str) -> Message | None:
    """One of an entry's stored texts (`subject`, `message`, `hint`), if it has it as a code."""
    if not isinstance(texts, dict):
        return None
    return Message.from_json(texts.get(part))
