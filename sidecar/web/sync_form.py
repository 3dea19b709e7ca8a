"""Reading and checking one part of the sync settings: form fields in, setting values out.

Every value goes through the validator its feature declared (``sidecar.settings.specs()``), so
the page accepts exactly what the sync accepts; the message of a refusal is put in the owner's
words here and shown beside the field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from sidecar.settings import SettingError
from sidecar.settings import specs
from sidecar.sync.orders.accounts import all_table_keys
from sidecar.web import settings_form
from sidecar.web.sync_fields import PARTS
from sidecar.web.sync_fields import RATES
from sidecar.web.sync_fields import Widget
from sidecar.web.sync_fields import widgets

BLANK_ROWS = 2  # empty rows under every table, to add to it without a script
TRISTATE: dict[str, bool | None] = {"": None, "on": True, "off": False}
PAYMENT_RULE_FIELDS = ("document_mode", "terms_of_payment", "mode_of_payment")


def parse(part: str, form: MultiDict[str, str]) -> dict[str, Any]:
    """The part's settings as the form sent them (unchecked)."""
    return {w.key: _parse_one(w, form) for w in widgets(part)}


def _parse_one(widget: Widget, form: MultiDict[str, str]) -> Any:
    key, kind = widget.key, widget.kind
    if kind == "checkbox":
        return key in form
    if kind == "tristate":
        return TRISTATE.get(form.get(key, "").strip(), form.get(key, "").strip())
    if kind in ("checkboxes", "fortnox_multi"):
        picked = form.getlist(key)
        return [w.strip() for p in picked for w in p.split(",") if w.strip()]
    if kind == "words":
        return [w.strip() for w in form.get(key, "").split(",") if w.strip()]
    if kind == "rules":
        pairs = zip(form.getlist(key + ".pattern"), form.getlist(key + ".code"), strict=False)
        return [[p.strip(), c.strip()] for p, c in pairs if p.strip() or c.strip()]
    if kind == "accounts":
        return {cell: form[f"{key}.{cell}"].strip() for cell in all_table_keys()
                if form.get(f"{key}.{cell}", "").strip()}
    if kind == "overrides":
        return _overrides(key, form)
    if kind == "payment_methods":
        return _payment_methods(key, form)
    if kind == "tax_classes":
        return {rate: form.get(f"{key}.{rate}", "").strip() for rate in RATES}
    return form.get(key, "").strip()


def _overrides(key: str, form: MultiDict[str, str]) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    rows = zip(form.getlist(key + ".name"), form.getlist(key + ".cell"),
               form.getlist(key + ".account"), strict=False)
    for name, cell, account in rows:
        if name.strip() or account.strip():
            found.setdefault(name.strip(), {})[cell.strip() or "*"] = account.strip()
    return found


def _payment_methods(key: str, form: MultiDict[str, str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    skipped = set(form.getlist(key + ".skip"))
    columns = [form.getlist(f"{key}.{name}") for name in ("method", *PAYMENT_RULE_FIELDS)]
    for index, (method, *values) in enumerate(zip(*columns, strict=False)):
        if not method.strip():
            continue
        rules: dict[str, Any] = {n: v.strip() for n, v in zip(PAYMENT_RULE_FIELDS, values,
                                                              strict=True) if v.strip()}
        if str(index) in skipped:
            rules["skip"] = True
        found[method.strip()] = rules
    return found


def validate(changes: Mapping[str, Any], chart: frozenset[int] | None = None
             ) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean values and errors; with Fortnox's `chart`, every account must be in it."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, value in changes.items():
        try:
            if key in ("export.accounts_by_sku", "export.accounts_by_category") and "" in value:
                raise SettingError(key, "an exception needs a SKU or category")
            clean[key] = specs()[key].validate(key, value)
        except SettingError as exc:
            errors[key] = explain(exc)
            continue
        missing = [n for n in _accounts_in(clean[key]) if chart is not None and n not in chart]
        if key in ACCOUNT_KEYS and missing:
            errors[key] = _("Account %(account)s is not in Fortnox's chart of accounts.",
                            account=missing[0])
    return clean, errors


# Settings holding account numbers, whose numbers must be in Fortnox's chart.
ACCOUNT_KEYS = ("export.accounts", "export.accounts_by_sku", "export.accounts_by_category",
                "export.rounding_account", "export.gift_cards.account")


def _accounts_in(value: Any) -> list[int]:
    if isinstance(value, int) and not isinstance(value, bool):
        return [value]
    if isinstance(value, Mapping):
        return [n for v in value.values() for n in _accounts_in(v)]
    return []


_AT_MOST = re.compile(r"must be (?:text|a code) of at most (\d+) characters")
_CODES_AT_MOST = re.compile(r"codes are at most (\d+) characters")
_NEVER = re.compile(r"orders in (.+) are never exported")
_UNKNOWN_CELLS = re.compile(r"unknown cells: (.+)")


def explain(error: SettingError) -> str:
    """The validators' messages (sidecar/sync/*_settings.py) in the owner's language."""
    message = error.message
    if message.startswith("must be a four-digit account number"):
        return _("Choose an account number from 1000 to 9999.")
    fixed = {
        "pick at least one order status": _("Pick at least one order status."),
        "must be a date like 2025-01-31, or empty":
            _("Enter a date like 2025-01-31, or leave it empty."),
        "each rule needs a pattern and a code":
            _("Each rule needs both a shipping method and a code."),
        "an exception needs a SKU or category": _("Each exception needs a SKU or a category."),
    }
    if message in fixed:
        return fixed[message]
    for pattern, words in ((_AT_MOST, _("Enter at most %(num)s characters.")),
                           (_CODES_AT_MOST, _("Codes are at most %(num)s characters."))):
        found = pattern.fullmatch(message)
        if found:
            return words % {"num": found[1]}
    cells = _UNKNOWN_CELLS.fullmatch(message)
    if cells:
        return _("%(cell)s is not a column of the table; use *, a market (se, eu, eu_reverse, "
                 "export) or a market and VAT rate (se.25).", cell=cells[1])
    never = _NEVER.fullmatch(message)
    if never:
        return _("Orders with the status %(statuses)s are never sent; pick others.",
                 statuses=never[1])
    return settings_form.explain(error)


def present(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as the tables show them: rows to edit plus a few empty ones."""
    shown = dict(values)
    for w in (w for part in PARTS for w in widgets(part) if w.kind == "tristate"):
        value = values.get(w.key)
        shown[w.key] = next((k for k, v in TRISTATE.items() if v is value), value)
    for key in ("export.way_of_delivery_rules", "export.terms_of_delivery_rules"):
        shown[key] = [list(r) for r in values.get(key) or []] + [["", ""]] * BLANK_ROWS
    for key in ("export.accounts_by_sku", "export.accounts_by_category"):
        rows = [(name, cell, account) for name, cells in (values.get(key) or {}).items()
                for cell, account in cells.items()]
        shown[key] = rows + [("", "*", "")] * BLANK_ROWS
    methods = values.get("export.payment_methods") or {}
    shown["export.payment_methods"] = [(m, dict(r)) for m, r in methods.items()] + [
        ("", {})] * BLANK_ROWS
    return shown
