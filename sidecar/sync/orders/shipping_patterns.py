"""Shipping method → Fortnox code (way of delivery, terms of delivery) by ordered `*` patterns.

The owner lists `(pattern, code)` pairs. `*` stands for any run of characters, including none:
`DHL*` matches "DHL-1" and "DHL-test", `D*L` matches "DtestL" and "DYL". Every other character is
literal, and matching ignores case and surrounding spaces (owners type "dhl*" for "DHL Express").
A pattern is tried against each name the shipping line goes by — method id, "id:instance", and
title — and the first pattern in the owner's order that matches any of them wins. No match means
no code, and the caller reports a warning; a wrong code would be refused by Fortnox anyway.

Matching takes time linear in the name whatever the pattern: the literal parts between the
stars are looked for left to right, each at its first place after the one before (taking the
first place never loses a match). A regular expression with one `.*` per star backtracks:
`*a*a*a*a*a*b` against 120 characters took seconds. Patterns are at most MAX_PATTERN_LENGTH.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from dataclasses import dataclass

MAX_PATTERN_LENGTH = 100


@dataclass(frozen=True)
class PatternMatch:
    code: str
    pattern: str
    matched: str  # the name the pattern matched


def matches(pattern: str, name: str) -> bool:
    """True when the whole of `name` fits `pattern`."""
    parts = pattern.strip().casefold().split("*")
    text = name.strip().casefold()
    if len(parts) == 1:
        return text == parts[0]
    first, *middle, last = parts
    if len(first) + len(last) > len(text) or not (text.startswith(first)
                                                  and text.endswith(last)):
        return False
    position, end = len(first), len(text) - len(last)
    for part in middle:
        found = text.find(part, position, end)
        if found < 0:
            return False
        position = found + len(part)
    return True


def first_match(
    rules: Sequence[tuple[str, str]], names: Iterable[str]
) -> PatternMatch | None:
    """The code of the first rule (in the owner's order) whose pattern fits one of `names`."""
    candidates = [n for n in names if n and n.strip()]
    for pattern, code in rules:
        for name in candidates:
            if matches(pattern, name):
                return PatternMatch(code=code, pattern=pattern, matched=name)
    return None


def shipping_names(method_id: str, instance_id: str, title: str) -> tuple[str, ...]:
    """What a WooCommerce shipping line is called, most specific first."""
    names = [f"{method_id}:{instance_id}" if instance_id else "", method_id, title]
    return tuple(n for n in names if n)
