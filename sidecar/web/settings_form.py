"""The generic settings form: every declared setting, grouped by its key's prefix, with a field
chosen from its default's type. A feature that declares a setting gets a field without writing
a form; ``labels.py`` gives it words.

``jobs.prune.paused`` is section ``jobs``, group ``jobs.prune``, field ``paused``.

Only settings with a scalar default (on/off, whole number, text) get a generic field. Lists and
mappings (account tables, shipping rules) need a form of their own in a part of the settings
page; so does a prefix listed in ``OWN_FORMS``, which the generic form then leaves alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from sidecar.settings import SettingError
from sidecar.settings import specs
from sidecar.web import labels


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str  # checkbox, number, text, or interval (chosen from INTERVALS)
    value: Any
    error: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (value, words) of an interval

    @property
    def html_id(self) -> str:
        return "setting-" + self.key.replace(".", "-")


@dataclass
class Group:
    key: str
    title: str
    help: str
    fields: list[Field] = field(default_factory=list)


@dataclass
class Section:
    key: str
    title: str
    help: str
    groups: dict[str, Group] = field(default_factory=dict)


# Key prefixes whose settings a feature edits in a form of its own, e.g. OWN_FORMS.add("export").
OWN_FORMS: set[str] = set()
# How often a job may run, chosen rather than typed in seconds (a stored value outside the
# list is offered too, and any whole number of seconds is still accepted when posted).
INTERVALS = (60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 604800)


def kind_of(default: Any) -> str | None:
    """The field for a setting, or None when the generic form cannot edit it."""
    if isinstance(default, bool):
        return "checkbox"
    if isinstance(default, int):
        return "number"
    if isinstance(default, str):
        return "text"
    return None


def generic_specs() -> dict[str, Any]:
    """The settings the generic form edits, in declaration order."""
    return {key: spec for key, spec in specs().items()
            if kind_of(spec.default) is not None
            and not any(key == p or key.startswith(p + ".") for p in OWN_FORMS)}


def sections(values: Mapping[str, Any], errors: Mapping[str, str] | None = None) -> list[Section]:
    """The form to show: stored (or just submitted) values, with any errors beside them."""
    errors = errors or {}
    found: dict[str, Section] = {}
    for key, spec in generic_specs().items():
        group_key, _, _name = key.rpartition(".")
        section_key = key.partition(".")[0]
        section = found.setdefault(section_key, Section(
            section_key, labels.section_title(section_key), labels.section_help(section_key)))
        group = section.groups.setdefault(group_key, Group(
            group_key, labels.group_title(group_key), labels.group_help(group_key)))
        value = values.get(key, spec.default)
        if key.endswith("interval_seconds"):
            group.fields.append(Field(key, labels.field_label(key), "interval", value,
                                      errors.get(key, ""), interval_choices(value)))
            continue
        group.fields.append(Field(key, labels.field_label(key), kind_of(spec.default) or "text",
                                  value, errors.get(key, "")))
    return list(found.values())


def interval_choices(current: Any) -> tuple[tuple[str, str], ...]:
    """Sensible intervals in words ("every 15 minutes"), with the current one among them."""
    seconds = set(INTERVALS)
    if isinstance(current, int) and not isinstance(current, bool) and current > 0:
        seconds.add(current)
    elif str(current).isdigit() and int(current) > 0:
        seconds.add(int(current))
    elif current not in ("", None):  # a refused value, shown as it was sent, beside its error
        return ((str(current), str(current)),
                *((str(s), labels.every(s)) for s in sorted(seconds)))
    return tuple((str(s), labels.every(s)) for s in sorted(seconds))


def parse(form: MultiDict[str, str]) -> dict[str, Any]:
    """Form values per setting; an unticked checkbox is not sent, so it means off."""
    changes: dict[str, Any] = {}
    for key, spec in generic_specs().items():
        if kind_of(spec.default) == "checkbox":
            changes[key] = key in form
        elif key in form:
            changes[key] = form[key].strip()
    return changes


def validate(changes: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Clean values, and a message per rejected key (all of them, not just the first)."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, value in changes.items():
        try:
            clean[key] = specs()[key].validate(key, value)
        except SettingError as exc:
            errors[key] = explain(exc)
    return clean, errors


# SettingError messages of sidecar.settings, in words the owner reads in either language.
_BETWEEN = re.compile(r"must be between (-?\d+) and (-?\d+)")
_ONE_OF = re.compile(r"must be one of (.+)")


def explain(error: SettingError) -> str:
    message = error.message
    if message == "must be a whole number":
        return _("Enter a whole number, like 60.")
    if message == "must be on or off":
        return _("Choose on or off.")
    between = _BETWEEN.fullmatch(message)
    if between:
        return _("Enter a number from %(low)s to %(high)s.", low=between[1], high=between[2])
    one_of = _ONE_OF.fullmatch(message)
    if one_of:
        return _("Enter one of: %(choices)s.", choices=one_of[1])
    return message
