"""List routes as WordPress serves them: paging with X-WP-Total and Link headers, date filters,
ordering, `include`.
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import request

from sidecar.sim.woocommerce.rest import invalid_param
from sidecar.sim.woocommerce.rest import query_params

DATE_PARAM = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$")


def paginate(items: list[Any]) -> tuple[list[Any], dict[str, str]]:
    params = query_params()
    per_page = _int_param(params, "per_page", 10)
    if not 1 <= per_page <= 100:
        raise invalid_param(
            "per_page", "per_page must be between 1 (inclusive) and 100 (inclusive)"
        )
    page = _int_param(params, "page", 1)
    if page < 1:
        raise invalid_param("page", "page must be greater than or equal to 1")
    offset = _int_param(params, "offset", (page - 1) * per_page)
    total = len(items)
    pages = math.ceil(total / per_page) if total else 0
    headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
    links = []
    base = request.base_url
    query = {k: v for k, v in params.items() if not k.startswith("oauth_")}
    if page > 1:
        links.append(f'<{base}?{urlencode({**query, "page": page - 1})}>; rel="prev"')
    if page < pages:
        links.append(f'<{base}?{urlencode({**query, "page": page + 1})}>; rel="next"')
    if links:
        headers["Link"] = ", ".join(links)
    return items[offset : offset + per_page], headers


def _int_param(params: dict[str, str], name: str, default: int) -> int:
    if name not in params:
        return default
    try:
        return int(params[name])
    except ValueError as exc:
        raise invalid_param(name, f"{name} is not of type integer.") from exc


def _date_param(params: dict[str, str], name: str, tz: Any) -> datetime | None:
    """A WP date filter as a naive datetime in the frame it is compared in."""
    value = params.get(name)
    if not value:
        return None
    if not DATE_PARAM.match(value):
        raise invalid_param(name, "Invalid date.")
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(tz).replace(tzinfo=None)
    return parsed.replace(microsecond=0)


def filter_dates(records: list[dict[str, Any]], field: str, tz: Any) -> list[dict[str, Any]]:
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
    del field
    return records


def ordered(records: list[dict[str, Any]], allowed: tuple[str, ...], name_field: str = "name"):
    params = query_params()
    orderby = params.get("orderby", "date")
    if orderby not in allowed:
        raise invalid_param("orderby", f"orderby is not one of {', '.join(allowed)}.")
    order = params.get("order", "desc")
    if order not in ("asc", "desc"):
        raise invalid_param("order", "order is not one of asc, desc.")
    keys = {
        "date": lambda r: (r["date_created"], r["id"]),
        "modified": lambda r: (r["date_modified"], r["id"]),
        "id": lambda r: r["id"],
        "include": lambda r: r["id"],
        "title": lambda r: (str(r.get(name_field, "")), r["id"]),
        "slug": lambda r: (str(r.get("slug", "")), r["id"]),
    }
    return sorted(records, key=keys[orderby], reverse=order == "desc")


def only_included(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    wanted = query_params().get("include")
    if not wanted:
        return records
    ids = {int(x) for x in wanted.split(",") if x.strip().isdigit()}
    return [r for r in records if r["id"] in ids]
