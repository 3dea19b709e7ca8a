"""What goes on the wire to Fortnox: JSON bodies, timestamps, path segments, lenient numbers."""

from __future__ import annotations

import json
from datetime import date
from datetime import datetime
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# Below 16 significant digits a float's shortest repr is exactly the decimal we started from.
MAX_EXACT_DIGITS = 15


def encode_body(body: Any) -> bytes:
    """JSON with Decimal sent as a plain number and dates as YYYY-MM-DD; UTF-8 as Fortnox wants."""
    return json.dumps(body, default=_encode_value, ensure_ascii=False).encode("utf-8")


def _encode_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"cannot send {value} to Fortnox")
        if value == value.to_integral_value():
            return int(value)
        if len(value.as_tuple().digits) > MAX_EXACT_DIGITS:
            raise ValueError(f"{value} has too many digits to send exactly; quantize it first")
        return float(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable for Fortnox")


def format_lastmodified(moment: datetime) -> str:
    """Fortnox reads `lastmodified` as Swedish wall-clock time, minute precision."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("lastmodified needs an aware datetime (UTC), not a naive one")
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def date_range(first: date | None, last: date | None) -> dict[str, str]:
    """Fortnox's `fromdate`/`todate` list parameters (the document date, both days included)."""
    params = {}
    if first is not None:
        params["fromdate"] = first.isoformat()
    if last is not None:
        params["todate"] = last.isoformat()
    return params


def segment(value: str | int | Decimal) -> str:
    """One path segment, escaped: article numbers may contain '/' and other specials."""
    return quote(str(value), safe="")


def to_decimal(value: Any) -> Decimal | None:
    """Fortnox sends numbers as numbers or strings ("1", "12.50"); read both exactly."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None
