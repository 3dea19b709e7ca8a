"""Words for the owner, stored as a code with parameters and rendered in the reader's language.

Code that tells the owner something builds a `Message` (`msg("order.not_exported", order=46,
reason=...)`); the database keeps its code and parameters (`as_json`), and the pages render it
in Swedish or English when it is read (`sidecar.web.say`). English is the source language: the
texts, in this package's modules by area, are marked with `N_` so that `pybabel extract -k N_`
finds them, and their Swedish lives in the owner pages' catalog. `english()` gives the text
for logs and the command line.

A parameter is plain text or a number (an order number, Fortnox's own words, which are shown as
they are), an `Amount` (formatted as money in the reader's language), or another `Message`
(rendered in the same language: a reason inside "Order 46 was not exported: …").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from typing import Any

from sidecar.messages import checks
from sidecar.messages import common
from sidecar.messages import hints
from sidecar.messages import mapping
from sidecar.messages import owner
from sidecar.messages import reconcile
from sidecar.messages import refunds
from sidecar.messages import security
from sidecar.messages import validation
from sidecar.messages import workflows
from sidecar.messages.marks import N_

__all__ = ["N_", "TEXTS", "Amount", "Message", "fill", "msg"]

TEXTS: dict[str, str] = {}
for _area in (common, refunds, workflows, reconcile, hints, mapping, checks, owner, security,
              validation):
    if _clash := TEXTS.keys() & _area.TEXTS.keys():
        raise ValueError(f"message codes defined twice: {sorted(_clash)}")
    TEXTS.update(_area.TEXTS)


@dataclass(frozen=True)
class Amount:
    """Money in a message: shown as the reader's language writes it (`1 044,75 kr`)."""

    value: Decimal
    currency: str

    def english(self) -> str:
        return f"{self.value:.2f} {self.currency}".strip()



@dataclass(frozen=True)
class Message:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in TEXTS:
            raise ValueError(f"unknown message code {self.code!r}; "
                             "add it to a module of sidecar.messages")

    def english(self) -> str:
        return fill(TEXTS[self.code], {k: _english(v) for k, v in self.params.items()})

    def __str__(self) -> str:
        # Inside logs, the command line and English-only text (`f"{where}: ..."`).
        return self.english()

    def as_json(self) -> list[Any]:
        return [self.code, {k: _param_json(v) for k, v in self.params.items()}]

    @classmethod
    def from_json(cls, value: Any) -> Message | None:
        """A stored message; None for anything else (an unknown code written by a newer
        version, a damaged value), so the caller falls back to the stored English text."""
        if not (isinstance(value, list | tuple) and len(value) == 2 and value[0] in TEXTS
                and isinstance(value[1], Mapping)):
            return None
        return cls(value[0], {k: _param_from_json(v) for k, v in value[1].items()})


def msg(code: str, /, **params: Any) -> Message:
    return Message(code, params)


def fill(template: str, params: Mapping[str, Any]) -> str:
    """`template % params`, never failing: a translation that lost or renamed a placeholder
    still shows its words rather than breaking the page."""
    try:
        return template % params
    except (KeyError, TypeError, ValueError):
        return template


def _english(value: Any) -> Any:
    if isinstance(value, Message | Amount):
        return value.english()
    return value


def _param_json(value: Any) -> Any:
    if isinstance(value, Message):
        return {"message": value.as_json()}
    if isinstance(value, Amount):
        return {"amount": str(value.value), "currency": value.currency}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool) or not isinstance(value, int | str):
        return str(value)
    return value


def _param_from_json(value: Any) -> Any:
    if isinstance(value, Mapping):
        if "message" in value:
            return Message.from_json(value["message"]) or ""
        if "amount" in value:
            try:
                return Amount(Decimal(str(value["amount"])), str(value.get("currency") or ""))
            except ArithmeticError:
                return str(value["amount"])
        return ""
    return value
