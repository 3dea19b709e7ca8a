"""WordPress's REST schema checks, as the API answers them (tests/fixtures/woocommerce/rest
017, 018, 059, 068, 093–099).

A top-level request is checked against its schema before the handler runs, and every bad
parameter is reported at once:

    {"code": "rest_invalid_param", "message": "Invalid parameter(s): a, b",
     "data": {"status": 400, "params": {"a": "<msg>", ...},
              "details": {"a": {"code": "rest_invalid_type", "message": "<msg>",
                                "data": {"param": "a"}}, ...}}}

Type errors carry `{"param": name}` as their data, enum and range errors null. What passes is
converted as WordPress's sanitize step does ("5" for an integer becomes 5, "true" True).
Batch items skip all of this; the handlers coerce what they get (see `product_fields`).
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from typing import Any

from sidecar.sim.woocommerce.errors import WooError


def wp_list(values: Sequence[str]) -> str:
    """wp_sprintf_l: "a", "a and b", "a, b, and c"."""
    if len(values) <= 1:
        return "".join(values)
    if len(values) == 2:
        return f"{values[0]} and {values[1]}"
    return ", ".join(values[:-1]) + f", and {values[-1]}"


class ParamErrors:
    """Collects every invalid parameter of one request; `check()` raises them together."""

    def __init__(self) -> None:
        self.errors: dict[str, tuple[str, str, Any]] = {}

    def add(self, name: str, message: str, code: str, data: Any = None) -> None:
        self.errors.setdefault(name, (message, code, data))

    def wrong_type(self, name: str, type_name: str) -> None:
        self.add(name, f"{name} is not of type {type_name}.", "rest_invalid_type", {"param": name})

    def not_in(self, name: str, allowed: Sequence[str], label: str | None = None) -> None:
        self.add(name, f"{label or name} is not one of {wp_list(allowed)}.", "rest_not_in_enum")

    def check(self) -> None:
        if self.errors:
            raise _invalid(self.errors)


def invalid_param(name: str, message: str, code: str = "rest_invalid_param",
                  data: Any = None) -> WooError:
    """One bad parameter, as WordPress reports it."""
    return _invalid({name: (message, code, data)})


def _invalid(errors: dict[str, tuple[str, str, Any]]) -> WooError:
    return WooError(
        "rest_invalid_param",
        f"Invalid parameter(s): {', '.join(errors)}",
        400,
        params={name: message for name, (message, _, _) in errors.items()},
        details={name: {"code": code, "message": message, "data": data}
                 for name, (message, code, data) in errors.items()},
    )


def as_integer(value: Any) -> int | None:
    """rest_is_integer then absint-free conversion: None when `value` is no integer."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return int(number) if number.is_integer() else None
    return None


def as_boolean(value: Any) -> bool | None:
    """rest_is_boolean: true/false, "true"/"false"/"1"/"0" and the ints 1/0."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")
    if isinstance(value, int) and value in (0, 1):
        return value == 1
    return None


def check_schema(data: dict[str, Any], schema: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Validate `data` against (name, rule) pairs in schema order; the sanitized copy.

    A rule is "string", "integer", "integer,null", "boolean", "object" or a tuple of allowed
    values (an enum of strings).
    """
    errors = ParamErrors()
    clean = dict(data)
    for name, rule in schema:
        if name not in data:
            continue
        value = data[name]
        if isinstance(rule, tuple):
            if value not in rule:
                errors.not_in(name, rule)
        elif rule == "string":
            if not isinstance(value, str):
                errors.wrong_type(name, "string")
        elif rule in ("integer", "integer,null"):
            if value is None and rule == "integer,null":
                continue
            number = as_integer(value)
            if number is None:
                errors.wrong_type(name, rule)
            else:
                clean[name] = number
        elif rule == "boolean":
            flag = as_boolean(value)
            if flag is None:
                errors.wrong_type(name, "boolean")
            else:
                clean[name] = flag
        elif rule == "object" and not isinstance(value, dict):
            errors.wrong_type(name, "object")
    errors.check()
    return clean
