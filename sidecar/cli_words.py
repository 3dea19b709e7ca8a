"""The command line's own words in the terminal's language: Swedish when `LC_ALL`,
`LC_MESSAGES` or `LANG` (the first one set) names Swedish (`sv_SE.UTF-8`), else English. The
Swedish comes from the owner pages' catalog, read as the reports read it (`messages.words`)."""

from __future__ import annotations

import os
from collections.abc import Mapping

from sidecar.messages import Message
from sidecar.messages.words import Words


def terminal_language(environ: Mapping[str, str] = os.environ) -> str:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if value := environ.get(name):
            return "sv" if value.lower().startswith("sv") else "en"
    return "en"


def _(text: str, **params: object) -> str:
    """`text` in the terminal's language, with its `%(name)s` parameters filled in."""
    return Words(terminal_language()).text(text, **params)


def spoken(message: Message) -> str:
    """A stored message (a problem's reason) in the terminal's language."""
    return Words(terminal_language()).say(message)
