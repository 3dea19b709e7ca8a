"""Finding English on a Swedish page: every text of the catalog whose Swedish differs from its
English is looked for in what the page shows. The set comes from the catalog the pages are
translated with (extracted from the code and templates), never from a hand-kept list."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

CATALOG = (Path(__file__).resolve().parents[2] / "sidecar" / "translations" / "sv"
           / "LC_MESSAGES" / "messages.po")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdf]|%%|%[sd]")
# A fragment between placeholders this short ("Order ", " of ") says nothing on its own.
MIN_FRAGMENT_WORDS = 3


@cache
def english_texts() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(English text, pattern finding it) for every catalog entry Swedish writes otherwise."""
    with CATALOG.open("rb") as f:
        catalog = read_po(f)
    entries = [entry for entry in catalog if entry.id]
    # Words Swedish uses as they are ("SKU", "Fortnox"), and so not English when shown.
    swedish_words = set(re.findall(r"[\w-]+", " ".join(
        e.string if isinstance(e.string, str) else " ".join(e.string) for e in entries)))
    found: dict[str, re.Pattern[str]] = {}
    for entry in entries:
        if not entry.id:
            continue
        english = entry.id if isinstance(entry.id, str) else entry.id[0]
        swedish = entry.string if isinstance(entry.string, str) else entry.string[0]
        if not swedish or swedish == english:
            continue
        pieces = [p.strip(" .:,;()–-") for p in PLACEHOLDER.split(english)]
        if len(pieces) == 1:
            fragments = [pieces[0]] if pieces[0] else []
        else:
            fragments = [p for p in pieces if len(p.split()) >= MIN_FRAGMENT_WORDS]
        for fragment in fragments:
            if fragment and fragment not in swedish and fragment not in swedish_words:
                # Not part of a longer word or a dotted name (the topic `order.updated`).
                found[fragment] = re.compile(r"(?<![\w.-])" + re.escape(fragment)
                                             + r"(?![\w-]|\.\w)")
    return tuple(sorted(found.items()))


def untranslated(text: str) -> list[str]:
    """The catalog's English texts that `text` shows as they are, each with what surrounds it
    on the page (to find where it comes from)."""
    squeezed = " ".join(text.split())
    found = []
    for english, pattern in english_texts():
        if match := pattern.search(squeezed):
            around = squeezed[max(0, match.start() - 30):match.end() + 30]
            found.append(f"{english!r} in '…{around}…'")
    return found
