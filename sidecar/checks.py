"""What the sidecar last found out about something outside it, one `ShopCheck` row per shop and
name: an answer (`answered`), a passing failure with its backoff (`failed`), or a request to
look again soon (`ask`). The export reads Fortnox Lager's here, the settings page and the
attention box read all of them.
"""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from typing import Any

from sidecar.messages import Message
from sidecar.models import Shop
from sidecar.models import ShopCheck

REACH = "fortnox.reach"  # Fortnox answering, and accepting the stored sign-in
LAGER = "fortnox.lager"  # whether the company runs Fortnox Lager
SETTINGS = "fortnox.settings"  # the owner's accounts and codes, checked against Fortnox
CATALOG = "catalog.snapshot"  # both catalogs read into the products page's snapshot
WEBHOOKS = "woo.webhooks"  # our webhooks in WooCommerce, there and active (the sweep looks)

OK = "ok"
PROBLEM = "problem"  # answered, and the answer shows something to fix
FAILING = "failing"  # no usable answer lately (passing failures)
UNKNOWN = "unknown"

FIRST_RETRY = timedelta(seconds=5)
LONGEST_RETRY = timedelta(seconds=30)


def get(shop: Shop | int, name: str) -> ShopCheck | None:
    return ShopCheck.get_or_none(ShopCheck.shop == shop, ShopCheck.name == name)


def _row(shop: Shop | int, name: str) -> ShopCheck:
    ShopCheck.insert(shop=shop, name=name).on_conflict_ignore().execute()
    return ShopCheck.get(ShopCheck.shop == shop, ShopCheck.name == name)


def result(row: ShopCheck | None) -> dict[str, Any] | None:
    return row.result if row is not None and isinstance(row.result, dict) else None


def is_due(row: ShopCheck | None, now: datetime) -> bool:
    """Never looked at, or asked to look again by now."""
    return row is None or row.checked_at is None or (row.next_at is not None
                                                     and row.next_at <= now)


def answered(shop: Shop | int, name: str, *, value: dict[str, Any], now: datetime,
             next_at: datetime | None, state: str = OK) -> ShopCheck:
    row = _row(shop, name)
    since = row.since if row.state == state and row.since is not None else now
    (ShopCheck.update(state=state, result=value, problem=None, failures=0, checked_at=now,
                      since=since, next_at=next_at)
     .where(ShopCheck.id == row.id).execute())
    return ShopCheck.get_by_id(row.id)


def failed(shop: Shop | int, name: str, *, problem: Message, cause: str,
           now: datetime) -> ShopCheck:
    """A passing failure: tried again after a backoff (5 s, 10 s, 20 s, then every 30 s). The
    last answer (`result`) is kept; `since` is when the failures began."""
    row = _row(shop, name)
    failures = int(row.failures) + 1
    since = row.since if row.state == FAILING and row.since is not None else now
    (ShopCheck.update(state=FAILING, problem={"message": problem.as_json(), "cause": cause},
                      failures=failures, since=since, next_at=now + backoff(failures))
     .where(ShopCheck.id == row.id).execute())
    return ShopCheck.get_by_id(row.id)


def ask(shop: Shop | int, name: str, now: datetime, *, forget: bool = False) -> None:
    """Look again as soon as possible; `forget` drops the last answer, so nothing relies on it
    until a new one comes (the owner changed what it depends on)."""
    row = _row(shop, name)
    fields: dict[str, Any] = {"next_at": now}
    if forget:
        fields.update(result=None, checked_at=None, state=UNKNOWN, since=now)
    ShopCheck.update(**fields).where(ShopCheck.id == row.id).execute()


def set_state(shop: Shop | int, name: str, state: str, now: datetime) -> bool:
    """Only the state, and only when it changes (`since` restarts); True if it did."""
    row = _row(shop, name)
    if row.state == state:
        return False
    return bool(ShopCheck.update(state=state, since=now).where(
        ShopCheck.id == row.id, ShopCheck.state == row.state).execute())


def failure_message(row: ShopCheck | None) -> tuple[Message | None, str]:
    """The last failure as a message, and its cause."""
    stored = row.problem if row is not None and isinstance(row.problem, dict) else {}
    return Message.from_json(stored.get("message")), str(stored.get("cause") or "")


def backoff(failures: int) -> timedelta:
    return min(FIRST_RETRY * (2 ** max(failures - 1, 0)), LONGEST_RETRY)
