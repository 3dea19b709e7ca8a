"""List routes as WordPress serves them: paging with X-WP-Total and Link headers, date filters,
ordering, `include` (tests/fixtures/woocommerce/rest 002–004, 041–045, 052, 093–098, 112).

- A page after the last is an empty list; the products, variations, webhooks and refunds
  routes still send the real totals and a `prev` link to the last page. The orders route
  (HPOS) sends totals of 0 and a `prev` link to page 0 there.
- Date filters are exclusive, at one-second resolution, read as the site's local time unless
  `dates_are_gmt` is set or the value carries an offset.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import request

from sidecar.sim.woocommerce.rest import query_params
from sidecar.sim.woocommerce.validation import invalid_param
from sidecar.sim.woocommerce.validation import wp_list

# rest_parse_date: T, t or a space; an optional fraction; an optional Z or ±HH[:MM].
DATE_PARAM = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$")


def paginate(items: list[Any], *, hpos: bool = False) -> tuple[list[Any], dict[str, str]]:
    params = query_params()
    per_page = _int_param(params, "per_page", 10)
    if not 1 <= per_page <= 100:
        raise invalid_param(
            "per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)",
            "rest_out_of_bounds",
        )
    page = _int_param(params, "page", 1)
    if page < 1:
        raise invalid_param("page", "page must be greater than or equal to 1",
                            "rest_out_of_bounds")
    offset = _int_param(params, "offset", (page - 1) * per_page)
    total = len(items)
    shown = items[offset : offset + per_page]
    if hpos and not shown:
        total = 0  # HPOS counts the rows of the page it fetched
    pages = math.ceil(total / per_page) if total else 0
    headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
    links = []
    base = request.base_url
    query = {k: v for k, v in params.items() if not k.startswith("oauth_")}
    if page > 1:
        previous = min(page - 1, pages)
        links.append(f'<{base}?{urlencode({**query, "page": previous})}>; rel="prev"')
    if page < pages:
        links.append(f'<{base}?{urlencode({**query, "page": page + 1})}>; rel="next"')
    if links:
        headers["Link"] = ", ".join(links)
    return shown, headers


def _int_param(params: dict[str, str], name: str, default: int) -> int:
    if name not in params:
        return default
    try:
        return int(params[name])
    except ValueError as exc:
        raise invalid_param(name, f"{name} is not of type integer.", "rest_invalid_type",
                            {"param": name}) from exc


def _date_param(params: dict[str, str], name: str, tz: Any) -> datetime | None:
    """A WP date filter as a naive datetime in the frame it is compared in."""
    value = params.get(name)
    if not value:
        return None
    match = DATE_PARAM.match(value)
    if not match:
        raise invalid_param(name, "Invalid date.", "rest_invalid_date")
    day, clock, _, offset = match.groups()
    if offset and offset != "Z" and len(offset) == 3:
        offset += ":00"
    parsed = datetime.fromisoformat(f"{day}T{clock}{'+00:00' if offset == 'Z' else offset or ''}")
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(tz).replace(tzinfo=None)
    return parsed


def filter_dates(records: list[dict[str, Any]], tz: Any) -> list[dict[str, Any]]:
    """after/before on date_created, modified_after/_before on date_modified; exclusive."""
    params = query_params()
    gmt = params.get("dates_are_gmt", "").lower() in ("1", "true", "yes")
    frame = ZoneInfo("UTC") if gmt else tz
    bounds = {
        "after": ("date_created", _date_param(params, "after", frame)),
        "before": ("date_created", _date_param(params, "before", frame)),
        "modified_after": ("date_modified", _date_param(params, "modified_after", frame)),
        "modified_before": ("date_modified", _date_param(params, "modified_before", frame)),
    }
    for name, (date_field, bound) in bounds.items():
        if bound is None:
            continue

        def seen(record: dict[str, Any], date_field: str = date_field) -> datetime:
            return record[date_field].astimezone(frame).replace(tzinfo=None)

        if name.endswith("after"):
            records = [r for r in records if seen(r) > bound]
        else:
            records = [r for r in records if seen(r) < bound]
    return records


def ordered(records: list[dict[str, Any]], allowed: tuple[str, ...], name_field: str = "name",
            ties: str = "same") -> list[dict[str, Any]]:
    """Sort by `orderby`/`order`. Ties go by id, in the same direction (`ties="same"`) or
    ascending (`"asc"`); `orderby=include` keeps the order of the `include` list."""
    params = query_params()
    orderby = params.get("orderby", "date")
    if orderby not in allowed:
        raise invalid_param("orderby", f"orderby is not one of {wp_list(allowed)}.",
                            "rest_not_in_enum")
    order = params.get("order", "desc")
    if order not in ("asc", "desc"):
        raise invalid_param("order", "order is not one of asc and desc.", "rest_not_in_enum")
    if orderby == "include":
        wanted = _included_ids()
        return sorted(records, key=lambda r: wanted.index(r["id"]) if r["id"] in wanted else -1)
    keys = {
        "date": lambda r: r["date_created"],
        "modified": lambda r: r["date_modified"],
        "id": lambda r: r["id"],
        "title": lambda r: str(r.get(name_field, "")),
        "slug": lambda r: str(r.get("slug", "")),
        "menu_order": lambda r: 0,
    }
    key = keys[orderby]
    descending = order == "desc"
    if ties == "asc":
        by_id = sorted(records, key=lambda r: r["id"])
        return sorted(by_id, key=key, reverse=descending)
    return sorted(records, key=lambda r: (key(r), r["id"]), reverse=descending)


def only_included(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    wanted = _included_ids()
    if not wanted:
        return records
    return [r for r in records if r["id"] in wanted]


def _included_ids() -> list[int]:
    wanted = query_params().get("include", "")
    return [int(x) for x in wanted.split(",") if x.strip().isdigit()]
