"""Text fit for Fortnox: allowed characters only, cut cleanly within the field's length."""

from __future__ import annotations

import unicodedata

from sidecar.sync.orders.fortnox_text import clean
from sidecar.sync.orders.fortnox_text import fit
from sidecar.sync.orders.fortnox_text import fit_zip_code
from sidecar.sync.orders.fortnox_text import truncate


def test_disallowed_characters_are_replaced_or_dropped() -> None:
    assert clean('Anna\'s "bästa" <kaffe> & te 😀')[0] == "Anna’s bästa (kaffe) & te"


def test_html_entities_are_decoded_and_then_cleaned() -> None:
    assert clean("Mugg &amp; fat &times; 2")[0] == "Mugg & fat 2"


def test_a_cut_never_separates_a_letter_from_its_combining_mark() -> None:
    composed = fit("a" * 9 + "e\u0301" + "z", 10).value  # NFC makes "é" one character
    assert composed == "a" * 9 + "é"
    decomposed = "x" * 9 + "q\u0301" + "z"  # q + acute has no precomposed form
    assert truncate(decomposed, 10) == "x" * 9
    assert not unicodedata.combining(truncate(decomposed, 10)[-1])


def test_a_cut_leaves_no_dangling_separator() -> None:
    assert truncate("Kaffe, te och kakor", 7) == "Kaffe"


def test_fit_reports_truncation() -> None:
    result = fit("Kopp " * 100, 255)
    assert result.truncated and len(result.value) <= 255 and not result.value.endswith(" ")


def test_a_too_long_postcode_is_compacted_or_left_out() -> None:
    assert fit_zip_code("753 20", 10) == ("753 20", None)
    assert fit_zip_code("EC1A 1BB 12", 10) == ("EC1A1BB12", None)
    value, problem = fit_zip_code("12345-678901", 10)
    assert value == "" and problem is not None
