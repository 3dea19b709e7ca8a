"""The WordPress plugin's Swedish catalog: the compiled .mo WordPress loads says what the .po
says (PHPUnit checks the .po covers every text of the plugin)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

LANGUAGES = Path(__file__).parents[1] / "wp-plugin-stub" / "languages"


def test_the_compiled_swedish_catalog_matches_its_source() -> None:
    with (LANGUAGES / "fortnox-sidecar-sv_SE.po").open("rb") as source:
        po = {m.id: m.string for m in read_po(source) if m.id}
    with (LANGUAGES / "fortnox-sidecar-sv_SE.mo").open("rb") as compiled:
        mo = {m.id: m.string for m in read_mo(compiled) if m.id}

    assert po == mo
    assert po["Invoice %s cancelled in Fortnox"] == "Faktura %s makulerad i Fortnox"
