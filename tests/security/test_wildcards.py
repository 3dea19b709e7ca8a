"""Shipping patterns match in linear time and are at most 100 characters."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from sidecar.settings import SettingError
from sidecar.sync.orders.settings import SETTINGS
from sidecar.sync.orders.shipping_patterns import matches


def test_a_backtracking_pattern_is_matched_at_once() -> None:
    started = time.perf_counter()
    for _ in range(100):
        assert not matches("*a*a*a*a*a*b", "a" * 120)
        assert not matches("*" + "a*" * 49 + "b", "a" * 5000)
    assert time.perf_counter() - started < 0.5


def reference(pattern: str, name: str) -> bool:
    """What `*` means, as a regular expression (slow on adversarial input, fine on small)."""
    regex = ".*".join(re.escape(p) for p in pattern.strip().casefold().split("*"))
    return re.fullmatch(regex, name.strip().casefold(), re.DOTALL) is not None


@settings(max_examples=500, deadline=None, database=None)
@given(pattern=st.text("ab*-", max_size=8), name=st.text("ab-", max_size=10))
def test_it_means_what_the_regular_expression_meant(pattern: str, name: str) -> None:
    assert matches(pattern, name) is reference(pattern, name)


@pytest.mark.parametrize(("pattern", "name", "expected"), [
    ("DHL*", "dhl express", True), ("D*L", "DtestL", True), ("D*L", "DL", True),
    ("*", "", True), ("a*a", "a", False), ("*x*", "abc", False), ("ab", "AB ", True),
])
def test_the_documented_examples(pattern: str, name: str, expected: bool) -> None:
    assert matches(pattern, name) is expected


def test_a_pattern_over_100_characters_is_refused() -> None:
    rules = SETTINGS["export.way_of_delivery_rules"]

    assert rules.validate("k", [["x" * 100, "P"]]) == [["x" * 100, "P"]]
    with pytest.raises(SettingError, match="at most 100"):
        rules.validate("k", [["x" * 101, "P"]])
