"""Ordered `*` patterns map shipping methods to Fortnox codes; the first match wins."""

from __future__ import annotations

import pytest

from sidecar.sync.orders.shipping_patterns import first_match
from sidecar.sync.orders.shipping_patterns import matches
from sidecar.sync.orders.shipping_patterns import shipping_names


@pytest.mark.parametrize(("pattern", "name", "expected"), [
    ("DHL*", "DHL-1", True),
    ("DHL*", "DHL-test", True),
    ("DHL*", "DHL", True),
    ("D*L", "DtestL", True),
    ("D*L", "DYL", True),
    ("D*L", "DHLX", False),
    ("DHL*", "PostNord DHL", False),
    ("dhl*", "DHL Express", True),
    ("a.b", "axb", False),
    ("flat_rate", "flat_rate:3", False),
    ("*", "anything", True),
])
def test_a_pattern_fits_the_whole_name(pattern: str, name: str, expected: bool) -> None:
    assert matches(pattern, name) is expected


def test_the_first_rule_in_the_owners_order_wins() -> None:
    rules = [("Post*", "P"), ("D*", "BUD"), ("DHL*", "DHL")]
    found = first_match(rules, ["DHL Express"])
    assert found is not None and (found.code, found.pattern) == ("BUD", "D*")


def test_no_matching_rule_gives_no_code() -> None:
    assert first_match([("DHL*", "DHL")], ["PostNord"]) is None


def test_a_rule_may_name_the_method_instance() -> None:
    names = shipping_names("flat_rate", "7", "Fast frakt")
    assert names == ("flat_rate:7", "flat_rate", "Fast frakt")
    found = first_match([("flat_rate:7", "FK")], names)
    assert found is not None and found.matched == "flat_rate:7"
