"""The marker for texts translated when shown (`pybabel extract -k N_`)."""

from __future__ import annotations


def N_(text: str) -> str:
    """Marks `text` for translation without translating it: it is translated when shown."""
    return text
