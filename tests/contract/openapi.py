"""Check what the Fortnox client sends against Fortnox's own OpenAPI spec.

`check_request(method, path, body)` returns readable problems (empty list = fine): unknown
operation, unknown field, wrong type, value outside an enum, too long, below/above limits,
missing required field on create. To check every body any test sends, a conftest can do:

    @pytest.fixture(autouse=True)
    def fortnox_contract(monkeypatch):
        checker = install_request_checker(monkeypatch)
        yield checker
        checker.assert_clean()

The spec is Fortnox's published file (see fortnox_openapi.SOURCE.txt) and is known to be wrong
in places; every relaxation and addition below says why.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

SPEC_PATH = Path(__file__).with_name("fortnox_openapi.json")
SCHEMA_PREFIX = "#/components/schemas/"

# Relaxation: Fortnox's documented sentinel for "clear this field" on update, valid in any field.
BLANK = "API_BLANK"
# Relaxation: quantities are typed string in the spec but Fortnox sends and accepts numbers
# (fortnox-api.md §5 "Types in responses are loose", §9 "quantities as strings").
NUMERIC_STRING_FIELDS = frozenset({"OrderedQuantity", "DeliveredQuantity", "ReservedQuantity"})
# Relaxation: with Fortnox Lager, StockPointCode/StockPointId belong on invoice headers too
# (Fortnox "Warehouse resource specific fields", fortnox-api.md §6); the spec has them on orders.
EXTRA_FIELDS: dict[str, dict[str, Any]] = {
    "fortnox_InvoicePayload": {
        "StockPointCode": {"type": "string"},
        "StockPointId": {"type": "string"},
    },
}
# Relaxation: operations Fortnox documents and the SDKs use but the spec lacks (§5.2, §9).
MISSING_OPERATIONS: tuple[tuple[str, str], ...] = (
    ("PUT", "/3/orders/{DocumentNumber}/warehouseready"),
)
# Addition: limits the spec states for invoices but not for the same fields on orders; an order
# becomes an invoice, so the stricter limit applies to both (fortnox-api.md §8.5).
EXTRA_MAX_LENGTHS: dict[tuple[str, str], int] = {
    ("fortnox_Order", "ExternalInvoiceReference1"): 80,
    ("fortnox_Order", "ExternalInvoiceReference2"): 80,
    ("fortnox_Order_OrderRow", "Description"): 255,
    ("fortnox_InvoicePayload_InvoiceRow", "Description"): 255,
}
# Addition: fields that look writable in the spec but are not. SalesPrice became read-only
# (fortnox-api.md §5.4, §5.5: write prices through /3/prices). For orders the spec has no
# separate write schema, but invoices have one (fortnox_InvoicePayload): what it drops from
# fortnox_Invoice (totals, Cancelled, Sent, ...) is read-only on orders as well, plus the
# InvoiceReference Fortnox sets when it invoices the order (§5.2).
ARTICLE_READ_ONLY = frozenset({"SalesPrice", "DisposableQuantity", "StockValue"})
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@functools.cache
def read_only_fields() -> dict[str, frozenset[str]]:
    schemas = load_spec()["components"]["schemas"]

    def dropped_from_payload(full: str, payload: str, other: str) -> frozenset[str]:
        names = set(schemas[full]["properties"]) - set(schemas[payload]["properties"])
        return frozenset(names & set(schemas[other]["properties"]))

    return {
        "fortnox_Article": ARTICLE_READ_ONLY,
        "fortnox_Order": dropped_from_payload(
            "fortnox_Invoice", "fortnox_InvoicePayload", "fortnox_Order"
        ) | {"InvoiceReference"},
        "fortnox_Order_OrderRow": dropped_from_payload(
            "fortnox_Invoice_InvoiceRow", "fortnox_InvoicePayload_InvoiceRow",
            "fortnox_Order_OrderRow",
        ) | {"ReservedQuantity"},
    }


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    body_schema: dict[str, Any] | None

    @property
    def literal_segments(self) -> int:
        return sum(1 for part in self.template.split("/") if not part.startswith("{"))


@functools.cache
def load_spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    return spec


@functools.cache
def operations() -> tuple[Operation, ...]:
    found = []
    for template, methods in load_spec()["paths"].items():
        for method, operation in methods.items():
            if isinstance(operation, dict) and method.upper() in {"GET", "POST", "PUT", "DELETE"}:
                found.append(Operation(method.upper(), template, _body_schema(operation)))
    found.extend(Operation(method, template, None) for method, template in MISSING_OPERATIONS)
    return tuple(found)


def find_operation(method: str, path: str) -> Operation | None:
    """The spec operation for a concrete path; literal segments win over {placeholders}."""
    parts = urlsplit(path).path.rstrip("/").split("/")
    matches = [
        op for op in operations()
        if op.method == method.upper() and _matches(op.template.split("/"), parts)
    ]
    return max(matches, key=lambda op: op.literal_segments, default=None)


def check_request(method: str, path: str, body: dict[str, Any] | None) -> list[str]:
    """Problems with this request as Fortnox's spec describes it; [] when it conforms."""
    label = f"{method.upper()} {urlsplit(path).path}"
    operation = find_operation(method, path)
    if operation is None:
        return [f"{label}: no such operation in Fortnox's OpenAPI spec"]
    # Relaxation: action endpoints (bookkeep, ...) declare a body that Fortnox does not need.
    if body is None:
        return []
    if operation.body_schema is None:
        return [f"{label}: this operation takes no body"]
    problems: list[str] = []
    _Checker(problems, label, creating=method.upper() == "POST").check(
        body, operation.body_schema, "body", None
    )
    return problems


def assert_body_matches_spec(method: str, path: str, body: dict[str, Any] | None) -> None:
    problems = check_request(method, path, body)
    assert not problems, "Fortnox contract problems:\n" + "\n".join(problems)


@dataclass
class RequestChecker:
    """Collects problems from every request the patched client sends."""

    problems: list[str] = field(default_factory=list)
    requests_seen: int = 0

    def record(self, method: str, path: str, body: dict[str, Any] | None) -> None:
        self.requests_seen += 1
        self.problems.extend(check_request(method, path, body))

    def assert_clean(self) -> None:
        assert not self.problems, "Fortnox contract problems:\n" + "\n".join(self.problems)


def install_request_checker(monkeypatch: pytest.MonkeyPatch) -> RequestChecker:
    """Wrap `FortnoxClient._request` for one test so every request is checked before sending."""
    from sidecar.fortnox.client import FortnoxClient

    original = FortnoxClient._request
    checker = RequestChecker()

    @functools.wraps(original)
    def checked_request(
        self: FortnoxClient,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        idempotent: bool,
    ) -> Any:
        checker.record(method, path, json)
        return original(self, method, path, params=params, json=json, idempotent=idempotent)

    monkeypatch.setattr(FortnoxClient, "_request", checked_request)
    return checker


@dataclass
class _Checker:
    problems: list[str]
    label: str
    creating: bool

    def check(self, value: Any, schema: dict[str, Any], where: str, name: str | None) -> None:
        if "$ref" in schema:
            name = schema["$ref"].removeprefix(SCHEMA_PREFIX)
            schema = load_spec()["components"]["schemas"][name]
        if value == BLANK:
            return
        if value is None:
            self._problem(where, "is null; leave the field out or send API_BLANK")
            return
        kind = schema.get("type", "object" if "properties" in schema else None)
        if kind == "object":
            self._check_object(value, schema, where, name)
        elif kind == "array":
            self._check_array(value, schema, where)
        elif kind == "string":
            self._check_string(value, schema, where)
        elif kind in ("integer", "number"):
            self._check_number(value, schema, where, integer=kind == "integer")
        elif kind == "boolean" and not isinstance(value, bool):
            self._problem(where, f"is {value!r}, not a boolean")

    def _check_object(
        self, value: Any, schema: dict[str, Any], where: str, name: str | None
    ) -> None:
        if not isinstance(value, dict):
            self._problem(where, f"is {type(value).__name__}, not an object")
            return
        properties = {**schema.get("properties", {}), **EXTRA_FIELDS.get(name or "", {})}
        read_only = read_only_fields().get(name or "", frozenset())
        for key, item in value.items():
            here = f"{where}.{key}"
            if key not in properties:
                self._problem(here, f"is not a field of {name or 'this object'}")
            elif key.startswith("@") or key in read_only:
                self._problem(here, "is read-only in Fortnox; do not send it")
            else:
                limit = EXTRA_MAX_LENGTHS.get((name or "", key))
                field_schema = {**properties[key], "maxLength": limit} if limit else properties[key]
                self.check(item, field_schema, here, None)
        # Relaxation: `required` binds creates only; an update sends just the fields it changes.
        if self.creating:
            for key in schema.get("required", []):
                if key not in value:
                    self._problem(f"{where}.{key}", "is required when creating")

    def _check_array(self, value: Any, schema: dict[str, Any], where: str) -> None:
        if not isinstance(value, list):
            self._problem(where, f"is {type(value).__name__}, not a list")
            return
        for index, item in enumerate(value):
            self.check(item, schema.get("items", {}), f"{where}[{index}]", None)

    def _check_string(self, value: Any, schema: dict[str, Any], where: str) -> None:
        field_name = where.rsplit(".", 1)[-1]
        if field_name in NUMERIC_STRING_FIELDS and _is_number(value):
            return
        if schema.get("format") == "date" and isinstance(value, date):
            if isinstance(value, datetime):
                self._problem(where, "is a datetime; Fortnox wants a date (YYYY-MM-DD)")
            return
        if not isinstance(value, str):
            self._problem(where, f"is {value!r}, not a string")
            return
        if "enum" in schema and value not in schema["enum"]:
            self._problem(where, f"is {value!r}, not one of {', '.join(schema['enum'])}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            self._problem(
                where, f"is {len(value)} characters long, more than {schema['maxLength']}"
            )
        if "minLength" in schema and len(value) < schema["minLength"]:
            self._problem(where, f"is shorter than {schema['minLength']} characters")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            self._problem(where, f"does not match {schema['pattern']}")
        if schema.get("format") == "date" and not DATE.fullmatch(value):
            self._problem(where, f"is {value!r}, not a date (YYYY-MM-DD)")

    def _check_number(self, value: Any, schema: dict[str, Any], where: str, integer: bool) -> None:
        if not _is_number(value):
            self._problem(where, f"is {value!r}, not a number")
            return
        # Relaxation: a whole Decimal/float is an integer on the wire (Decimal("25") -> 25).
        if integer and value != int(value):
            self._problem(where, f"is {value}, not a whole number")
        if "minimum" in schema and value < schema["minimum"]:
            self._problem(where, f"is {value}, below the minimum {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            self._problem(where, f"is {value}, above the maximum {schema['maximum']}")
        if "enum" in schema and value not in schema["enum"]:
            self._problem(where, f"is {value}, not one of {schema['enum']}")

    def _problem(self, where: str, what: str) -> None:
        self.problems.append(f"{self.label}: {where} {what}")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _matches(template: list[str], parts: list[str]) -> bool:
    return len(template) == len(parts) and all(
        t == p or (t.startswith("{") and t.endswith("}") and p != "")
        for t, p in zip(template, parts, strict=True)
    )


def _body_schema(operation: dict[str, Any]) -> dict[str, Any] | None:
    content = operation.get("requestBody", {}).get("content", {})
    for media_type in ("application/json", "*/*"):
        if media_type in content:
            schema: dict[str, Any] = content[media_type].get("schema", {})
            return schema
    return None
