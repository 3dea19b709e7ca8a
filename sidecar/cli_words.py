"""The command line's own words in the terminal's language: Swedish when `LC_ALL`,
`LC_MESSAGES` or `LANG` (the first one set) names Swedish (`sv_SE.UTF-8`), else English. The
Swedish comes from the owner pages' catalog, so one translation serves both."""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from babel.support import NullTranslations
from babel.support import Translations

from sidecar.messages import TEXTS
from sidecar.messages import Amount
from sidecar.messages import Message
from sidecar.messages import fill

CATALOG = Path(__file__).resolve().parent / "translations"


def terminal_language(environ: Mapping[str, str] = os.environ) -> str:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if value := environ.get(name):
            return "sv" if value.lower().startswith("sv") else "en"
    return "en"


@cache
def _catalog(language: str) -> NullTranslations:
    if language == "en":
        return NullTranslations()
    return Translations.load(str(CATALOG), [language])


def _(text: str, **params: Any) -> str:
    """`text` in the terminal's language, with its `%(name)s` parameters filled in."""
    translated = _catalog(terminal_language()).gettext(text)
    return fill(translated, params) if params else translated


def spoken(message: Message) -> str:
    """A stored message (a problem's reason) in the terminal's language."""
    params = {key: spoken(value) if isinstance(value, Message) else
              value.english() if isinstance(value, Amount) else value
              for key, value in message.params.items()}
    return fill(_catalog(terminal_language()).gettext(TEXTS[message.code]), params)
