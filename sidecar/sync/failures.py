"""Every failure sorted once, in one place: passing, needs the owner, or a bug.

- **Passing** (`PASSING`): Fortnox or WooCommerce did not answer properly, was busy, or the
  database was busy. Nothing to do: it is retried with backoff.
- **Needs the owner** (`OWNER`): Fortnox or WooCommerce refused, a setting or the order itself
  must change. Parked, with the fix in words.
- **A bug** (`BUG`): anything else. Parked, with the details, so it can be reported.

The export, the side calls it makes (the Lager check, the article register) and the jobs use
`classify`; a side call is named (`SideCall`), so the hint says what actually failed instead of
blaming a document that was never sent. `cause` is the failure's key: the same cause for the
same order or job updates one entry instead of adding another (`sidecar.activity.problem`).
"""

from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from peewee import InterfaceError
from peewee import OperationalError

from sidecar.fortnox import FortnoxAuthError
from sidecar.fortnox import FortnoxError
from sidecar.fortnox import FortnoxPermissionDenied
from sidecar.fortnox import FortnoxRateLimited
from sidecar.fortnox import FortnoxTransient
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.woocommerce.errors import WooError

PASSING = "passing"
OWNER = "owner"
BUG = "bug"

RETRY_SOON = msg("hint.retry_soon")
# Fortnox error codes with a hint of their own (fortnox-api.md §3, §8): `hint.fortnox.<code>`.
HINTED_CODES = (2000428, 2000423, 2001304, 2000427, 2000429, 2000435, 2000401, 2000107)
# Fortnox refusing what we sent, where the sender is to blame rather than the owner's data.
OUR_MISTAKES = frozenset({2000107})


@dataclass(frozen=True)
class SideCall:
    """A read made on the way to the document, not the document itself; `name` picks its words
    (`call.<name>`) and `detail` fills them (an article number)."""

    name: str
    detail: str = ""

    def words(self) -> Message:
        return msg(f"call.{self.name}", detail=self.detail)


@dataclass(frozen=True)
class Failure:
    kind: str  # PASSING, OWNER or BUG
    problem: Message  # what went wrong, for the owner
    advice: Message  # what to do about it
    cause: str  # the failure's key: the same cause again updates one entry
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def retryable(self) -> bool:
        return self.kind == PASSING


def classify(error: BaseException, *, call: SideCall | None = None) -> Failure:
    """What `error` means for the owner; `call` names the side call it came from, if any."""
    if isinstance(error, FortnoxError):
        failure = _fortnox(error, call)
    elif isinstance(error, WooError):
        retryable = bool(getattr(error, "retryable", True))
        failure = Failure(PASSING if retryable else OWNER, msg("woo.said", error=str(error)),
                          RETRY_SOON if retryable else msg("hint.check_woo_keys"), "woo.said")
    elif isinstance(error, OperationalError | InterfaceError):
        failure = Failure(PASSING, msg("database.busy", error=str(error)), RETRY_SOON,
                          "database.busy")
    else:
        failure = Failure(BUG, msg("error.unexpected", error=f"{type(error).__name__}: {error}"),
                          msg("hint.report_bug"), f"bug.{type(error).__name__}",
                          {"traceback": _last_frames(error)})
    if call is None:
        return failure
    return Failure(failure.kind,
                   msg("side_call.failed", call=call.words(), reason=failure.problem),
                   _side_call_advice(failure, call),
                   f"{failure.cause}@{call.name}", failure.details)


def _fortnox(error: FortnoxError, call: SideCall | None) -> Failure:
    if isinstance(error, FortnoxRateLimited):
        return Failure(PASSING, msg("fortnox.busy", error=str(error)), RETRY_SOON, "fortnox.busy")
    if isinstance(error, FortnoxTransient):
        return Failure(PASSING, msg("fortnox.no_proper_answer", error=str(error)), RETRY_SOON,
                       "fortnox.no_proper_answer")
    if isinstance(error, FortnoxAuthError):
        return Failure(OWNER, msg("fortnox.sign_in_refused", error=str(error)),
                       msg("hint.reconnect_fortnox"), "fortnox.sign_in_refused")
    if isinstance(error, FortnoxPermissionDenied):
        return Failure(OWNER, msg("fortnox.refused", error=str(error)), msg("hint.fortnox_rights"),
                       "fortnox.refused")
    if error.retryable:
        return Failure(PASSING, msg("fortnox.said", error=str(error)), RETRY_SOON, "fortnox.said")
    code = error.code if isinstance(error.code, int) else None
    cause = f"fortnox.said.{code}" if code is not None else "fortnox.said"
    if code in HINTED_CODES:
        advice = msg(f"hint.fortnox.{code}", detail=_detail(error.message))
    elif call is not None:
        advice = msg("hint.fortnox_refused_call", call=call.words())
    else:
        advice = msg("hint.fortnox_rejected")
    kind = BUG if code in OUR_MISTAKES else OWNER
    return Failure(kind, msg("fortnox.said", error=str(error)), advice, cause,
                   {"status": error.status, "code": error.code} if kind == BUG else {})


def _side_call_advice(failure: Failure, call: SideCall) -> Message:
    if failure.kind == PASSING:
        return msg("hint.side_call_retry", call=call.words())
    return failure.advice


def _detail(message: str) -> str:
    found = re.search(r"\(([^)]+)\)|(\d{4})", message or "")
    return (found.group(1) or found.group(2)) if found else ""


def _last_frames(error: BaseException, frames: int = 4) -> str:
    return "".join(traceback.format_exception(type(error), error, error.__traceback__,
                                              limit=-frames))[-2000:]
