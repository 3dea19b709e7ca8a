"""marshmallow's error messages as the sidecar tells them: one refusal, its field named.

marshmallow collects every error of a load in nested dicts (field → messages, list index →
field → messages); the owner, a log line or an error answer gets the first one.
"""

from __future__ import annotations

from typing import Any


def first_message(messages: Any) -> str:
    """The first refusal of marshmallow's (possibly nested) messages, without its field."""
    while isinstance(messages, dict):
        messages = next(iter(messages.values()))
    return str(messages[0] if isinstance(messages, list) else messages)


def named(messages: Any, path: str = "") -> str:
    """The first refusal with the path of its field: "InvoiceRows[1].Price is not a number"."""
    if not isinstance(messages, dict):
        return f"{path} {first_message(messages)}" if path else first_message(messages)
    key, inner = next(iter(messages.items()))
    step = f"[{key}]" if isinstance(key, int) else f".{key}" if path else str(key)
    return named(inner, path + step)
