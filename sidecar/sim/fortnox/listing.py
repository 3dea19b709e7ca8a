"""List endpoints as Fortnox serves them: filters, substring search, lastmodified, sort, pages.

- `limit` defaults to 100 and may not exceed 500; `page` is 1-based; `offset` skips items first.
- Search parameters match case-insensitively anywhere in the value (Fortnox runs ILIKE '%v%'),
  so `?email=a@b.se` also finds `xa@b.se`.
- `lastmodified` is Swedish local time, `YYYY-MM-DD HH:MM` (seconds optional).
- An unknown `filter` value is a 400 with code 2000587, as recorded from real Fortnox.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from datetime import tzinfo
from decimal import Decimal
from decimal import InvalidOperation
from functools import cache
from typing import Any

from sidecar.sim.fortnox.errors import INVALID_FILTER
from sidecar.sim.fortnox.errors import INVALID_PARAMETER
from sidecar.sim.fortnox.errors import invalid

log = logging.getLogger(__name__)

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
MODIFIED = "_modified"  # hidden key on every stored resource: last change, aware UTC


@cache
def swedish_time_zone() -> tzinfo:
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo("Europe/Stockholm")
    except Exception:  # noqa: BLE001 - no tz database on this host: winter time is close enough
        log.warning("fortnox_sim.no_tzdata: using UTC+1 for Swedish local time")
        return timezone(timedelta(hours=1))


def swedish_date(moment: datetime) -> date:
    return moment.astimezone(swedish_time_zone()).date()


def parse_lastmodified(value: str) -> datetime:
    """Fortnox's `lastmodified` (Swedish local time) as an aware UTC datetime."""
    for pattern in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            local = datetime.strptime(value.strip(), pattern)
        except ValueError:
            continue
        return local.replace(tzinfo=swedish_time_zone()).astimezone(UTC)
    raise invalid(INVALID_PARAMETER, "Ogiltig parameter i anropet. (lastmodified)")


@dataclass(frozen=True)
class ListRules:
    """What one list endpoint supports: search params -> field, filters, sortable fields."""

    search: Mapping[str, str] = field(default_factory=dict)
    filters: Mapping[str, Callable[[dict[str, Any]], bool]] = field(default_factory=dict)
    sort: Mapping[str, str] = field(default_factory=dict)
    default_sort: str = ""


def _sort_key(value: Any) -> tuple[int, Any]:
    if isinstance(value, int | Decimal):
        return (0, value)
    text = "" if value is None else str(value)
    try:
        return (0, Decimal(text))
    except InvalidOperation:
        return (1, text.lower())


def _int_param(args: Mapping[str, str], name: str, default: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        number = int(raw)
    except ValueError:
        raise invalid(INVALID_PARAMETER, f"Ogiltig parameter i anropet. ({name})") from None
    if number < (0 if name == "offset" else 1):
        raise invalid(INVALID_PARAMETER, f"Ogiltig parameter i anropet. ({name})")
    return number


def select(items: list[dict[str, Any]], args: Mapping[str, str], rules: ListRules) -> list[dict]:
    """Apply filter, search and lastmodified; return the matching items, sorted."""
    chosen = items
    filter_name = args.get("filter")
    if filter_name:
        predicate = rules.filters.get(filter_name.lower())
        if predicate is None:
            raise invalid(INVALID_FILTER, "Ett ogiltigt filter har använts.")
        chosen = [item for item in chosen if predicate(item)]
    for param, field_name in rules.search.items():
        needle = args.get(param)
        if needle:
            needle_lower = needle.lower()
            chosen = [i for i in chosen if needle_lower in str(i.get(field_name) or "").lower()]
    if args.get("lastmodified"):
        since = parse_lastmodified(args["lastmodified"])
        chosen = [item for item in chosen if item[MODIFIED] >= since]
    sort_param = (args.get("sortby") or "").lower()
    if sort_param and sort_param not in rules.sort:
        raise invalid(INVALID_PARAMETER, "Ogiltig parameter i anropet. (sortby)")
    sort_field = rules.sort.get(sort_param, rules.default_sort)
    descending = (args.get("sortorder") or "").lower() == "descending"
    if sort_field:
        chosen = sorted(chosen, key=lambda i: _sort_key(i.get(sort_field)), reverse=descending)
    return chosen


def paginate(items: list[Any], args: Mapping[str, str]) -> tuple[list[Any], dict[str, int]]:
    """One page of `items` and Fortnox's MetaInformation for it."""
    limit = _int_param(args, "limit", DEFAULT_LIMIT)
    if limit > MAX_LIMIT:
        raise invalid(INVALID_PARAMETER, f"Ogiltig parameter i anropet. (limit, max {MAX_LIMIT})")
    page = _int_param(args, "page", 1)
    offset = _int_param(args, "offset", 0)
    remaining = items[offset:]
    start = (page - 1) * limit
    meta = {
        "@TotalResources": len(remaining),
        "@TotalPages": max(1, math.ceil(len(remaining) / limit)),
        "@CurrentPage": page,
    }
    return remaining[start : start + limit], meta
