"""Parsing request values and rendering stored values the way Fortnox's JSON carries them.

Inside the simulator money and quantities are Decimal. On the way out, Fortnox prints whole
numbers as integers (`"Total": 219`) and others as decimals (`"TotalVAT": 43.75`), and row
quantities as strings (`"DeliveredQuantity": "1"`), as a recorded real order shows.
"""

from __future__ import annotations

from datetime import date
from datetime import datetime
from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from sidecar.sim.fortnox.errors import INVALID_PARAMETER
from sidecar.sim.fortnox.errors import VALUE_NOT_BOOLEAN
from sidecar.sim.fortnox.errors import VALUE_NOT_NUMERIC
from sidecar.sim.fortnox.errors import invalid

BLANK = "API_BLANK"  # Fortnox's way to clear a field on update
QUANTITY_STRINGS = frozenset({"OrderedQuantity", "DeliveredQuantity", "ReservedQuantity"})
ROW_LISTS = frozenset({"OrderRows", "InvoiceRows"})


def to_decimal(value: Any, name: str) -> Decimal:
    if isinstance(value, bool):
        raise invalid(VALUE_NOT_NUMERIC, f"Värdet måste vara numeriskt ({name})")
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise invalid(VALUE_NOT_NUMERIC, f"Värdet måste vara numeriskt ({name})") from None
    if not number.is_finite():
        raise invalid(VALUE_NOT_NUMERIC, f"Värdet måste vara numeriskt ({name})")
    return number


def to_bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise invalid(VALUE_NOT_BOOLEAN, f"Värdet måste vara en boolean ({name})")


def to_date(value: Any, name: str) -> str:
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise invalid(INVALID_PARAMETER, f"Ogiltigt datum ({name}: {value})") from None


def to_text(value: Any) -> str:
    if value is None or value == BLANK:
        return ""
    return str(value)


def number_json(value: Decimal) -> int | float:
    # The one place a float appears: JSON has no decimal type, and a two-decimal value
    # round-trips exactly through float's shortest repr.
    return int(value) if value == value.to_integral_value() else float(value)


def quantity_text(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def render(value: Any, key: str = "", *, in_row: bool = False) -> Any:
    """A stored value as Fortnox's JSON: hidden `_` keys dropped, Decimals as numbers
    (document row quantities as strings)."""
    if isinstance(value, dict):
        return {k: render(v, k, in_row=in_row) for k, v in value.items()
                if not k.startswith("_")}
    if isinstance(value, list):
        return [render(item, in_row=in_row or key in ROW_LISTS) for item in value]
    if isinstance(value, Decimal):
        if in_row and key in QUANTITY_STRINGS:
            return quantity_text(value)
        return number_json(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value


def plain(value: Any) -> Any:
    """Like `render` but for the control API, which shows hidden keys too."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, Decimal):
        return number_json(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value
