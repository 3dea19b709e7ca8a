"""Every marked message has Swedish, and the compiled catalog matches its source."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "sidecar" / "translations" / "sv" / "LC_MESSAGES"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
            "N_": None}
# The owner pages, the messages stored as codes (sidecar/messages/) and the command line's
# words, as babel.cfg says.
SOURCES = {
    ROOT / "sidecar" / "web": [("**.py", "python"), ("templates/**.html", "jinja2")],
    ROOT / "sidecar" / "messages": [("**.py", "python")],
    ROOT / "sidecar": [("cli.py", "python"), ("security_cli.py", "python"),
                       ("jobs/order_commands.py", "python")],
}


def marked_messages() -> set[str]:
    found = set()
    for directory, methods in SOURCES.items():
        for _file, _line, message, _comments, _context in extract_from_dir(
            directory, methods, keywords=KEYWORDS
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_marked_message_has_a_swedish_translation() -> None:
    with (CATALOG / "messages.po").open("rb") as f:
        catalog = read_po(f)
    translated = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}

    marked = marked_messages()

    assert len(marked) > 80
    missing = sorted(marked - set(translated))
    assert not missing, f"add Swedish for: {missing} (see sidecar/translations/README.md)"
    for message_id in marked:
        entry = translated[message_id]
        assert not entry.fuzzy, f"fuzzy: {message_id!r}"
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert all(strings), f"empty translation: {message_id!r}"


def plain(value: object) -> object:
    """Plural ids and strings come back as lists from one reader and tuples from the other."""
    return tuple(value) if isinstance(value, list | tuple) else value


def test_the_compiled_catalog_matches_the_po_file() -> None:
    with (CATALOG / "messages.po").open("rb") as f:
        source = {plain(m.id): plain(m.string) for m in read_po(f) if m.id}
    with (CATALOG / "messages.mo").open("rb") as f:
        compiled = {plain(m.id): plain(m.string) for m in read_mo(f) if m.id}

    assert compiled == source, "run: .venv/bin/pybabel compile -d sidecar/translations"
