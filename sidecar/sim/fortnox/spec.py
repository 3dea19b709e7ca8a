"""Field checks from Fortnox's OpenAPI spec: unknown fields, max lengths, enums.

The spec is loaded once, when the app is created. Without it these checks are off (a warning is
logged) and only the simulator's business rules validate bodies.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from sidecar.sim.fortnox.errors import INVALID_FIELD_NAME
from sidecar.sim.fortnox.errors import INVALID_PARAMETER
from sidecar.sim.fortnox.errors import VALUE_TOO_LONG
from sidecar.sim.fortnox.errors import invalid

log = logging.getLogger(__name__)

# Limits the reference documents but the spec leaves out (schema, field) -> max length.
EXTRA_MAX_LENGTHS = {
    ("fortnox_Order", "ExternalInvoiceReference1"): 80,
    ("fortnox_Order", "ExternalInvoiceReference2"): 80,
    ("fortnox_Order", "Comments"): 1024,
    ("fortnox_Order_OrderRow", "Description"): 255,
    ("fortnox_Order_OrderRow", "ArticleNumber"): 50,
    ("fortnox_InvoicePayload_InvoiceRow", "Description"): 255,
    ("fortnox_InvoicePayload_InvoiceRow", "ArticleNumber"): 50,
}


class SpecChecker:
    """Checks a request object against a named component schema of the spec."""

    def __init__(self, schemas: dict[str, Any] | None, *, reject_unknown_fields: bool) -> None:
        self.schemas = schemas
        self.reject_unknown_fields = reject_unknown_fields

    @classmethod
    def load(cls, path: Path | None, *, reject_unknown_fields: bool = True) -> SpecChecker:
        if path is None or not Path(path).is_file():
            log.warning("fortnox_sim.spec_missing path=%s: length and enum checks are off", path)
            return cls(None, reject_unknown_fields=False)
        with open(path, encoding="utf-8") as spec_file:
            schemas = json.load(spec_file)["components"]["schemas"]
        return cls(schemas, reject_unknown_fields=reject_unknown_fields)

    @property
    def enabled(self) -> bool:
        return self.schemas is not None

    def check(self, schema_name: str, body: dict[str, Any]) -> None:
        """Raise a Fortnox 400 for the first problem found in `body`."""
        if self.schemas is None or schema_name not in self.schemas:
            return
        properties: dict[str, Any] = self.schemas[schema_name].get("properties", {})
        for name, value in body.items():
            prop = properties.get(name)
            if prop is None:
                if self.reject_unknown_fields:
                    raise invalid(INVALID_FIELD_NAME, f"Felaktigt fältnamn ({name})")
                continue
            self._check_value(schema_name, name, prop, value)

    def _check_value(self, schema_name: str, name: str, prop: dict[str, Any], value: Any) -> None:
        if value is None:
            return
        ref = prop.get("$ref") or prop.get("items", {}).get("$ref")
        if ref:
            child = ref.rsplit("/", 1)[-1]
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, dict):
                    self.check(child, item)
            return
        if isinstance(value, str) and value == "API_BLANK":
            return
        max_length = prop.get("maxLength") or EXTRA_MAX_LENGTHS.get((schema_name, name))
        if max_length is not None and len(str(value)) > max_length:
            raise invalid(
                VALUE_TOO_LONG, f"Värdet är för långt för fältet {name} (max {max_length} tecken)"
            )
        enum = prop.get("enum")
        if enum is not None and value not in enum:
            raise invalid(INVALID_PARAMETER, f"Ogiltigt värde för {name}: {value}")
