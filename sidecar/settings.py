"""Operator settings: what the shop owner edits on the settings page, stored per shop in the DB.

Each workflow declares its settings beside the code that reads them, as a marshmallow schema per
section (``section({"export.document_mode": choice(...), ...})``): each field reads one key, with
its declared default as ``load_default``, and refuses a bad value with a message fit to show
beside the form field (``SettingError``; the pages put it in the owner's words). ``declared``
turns a section into the ``SETTINGS`` mapping of key → ``SettingSpec`` the app factory hands to
``register`` once (``sidecar.app.register_settings``). Deploy-time configuration is elsewhere
(``sidecar.config``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import EXCLUDE
from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import missing
from marshmallow.validate import OneOf

from sidecar.db import database
from sidecar.fields import utcnow
from sidecar.models import Setting
from sidecar.models import Shop


class SettingError(ValueError):
    """A value the owner entered is not acceptable; the message says why, in plain words."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


@dataclass(frozen=True)
class SettingSpec:
    default: Any
    field: fields.Field

    def validate(self, key: str, value: Any) -> Any:
        try:
            return self.field.deserialize(value)
        except ValidationError as error:
            raise SettingError(key, first_message(error.messages)) from None


class SettingsSchema(Schema):
    """One section of the settings; its fields are named by their keys ("export.document_mode").
    Stored keys of other sections, or of settings no longer declared, are left alone."""

    class Meta:
        unknown = EXCLUDE


def section(declared: Mapping[str, fields.Field]) -> SettingsSchema:
    """The schema of one section's settings, each field with its default as `load_default`."""
    for key, field in declared.items():
        field.data_key = key  # as an attribute name, the dots would make nested dicts
    return SettingsSchema.from_dict({key.replace(".", "__"): field
                                     for key, field in declared.items()})()


def declared(schema: SettingsSchema) -> dict[str, SettingSpec]:
    """The section's settings as the registry holds them: key → default and field."""
    return {str(field.data_key): SettingSpec(_default(field), field)
            for field in schema.fields.values()}


def first_message(messages: Any) -> str:
    """The first refusal of marshmallow's (possibly nested) messages, without its field."""
    while isinstance(messages, dict):
        messages = next(iter(messages.values()))
    return str(messages[0] if isinstance(messages, list) else messages)


def _default(field: fields.Field) -> Any:
    default = field.load_default
    return default() if callable(default) else default


def read_values(schema: SettingsSchema, values: Mapping[str, Any]) -> dict[str, Any]:
    """Each of the section's keys: its value from `values`, validated, or else its default."""
    try:
        loaded = schema.load(values)
    except ValidationError as error:
        key = next(iter(error.messages))
        raise SettingError(str(key), first_message(error.messages[key])) from None
    return {key.replace("__", "."): value for key, value in loaded.items()}


class WholeNumber(fields.Field):
    default_error_messages = {"null": "must be a whole number",  # noqa: RUF012
                              "invalid": "must be a whole number",
                              "range": "must be between {minimum} and {maximum}"}

    def __init__(self, minimum: int, maximum: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.minimum, self.maximum = minimum, maximum

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise self.make_error("invalid")
        try:
            number = int(value)
        except ValueError:
            raise self.make_error("invalid") from None
        if not self.minimum <= number <= self.maximum:
            raise self.make_error("range", minimum=self.minimum, maximum=self.maximum)
        return number


class YesNo(fields.Field):
    default_error_messages = {"null": "must be on or off",  # noqa: RUF012
                              "invalid": "must be on or off"}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if isinstance(value, bool):
            return value
        raise self.make_error("invalid")


class Words(fields.Field):
    """Text (a name, a code) of at most `max_length` characters, stripped."""

    def __init__(self, max_length: int, *, what: str = "text", **kwargs: Any) -> None:
        refusal = f"must be {what} of at most {max_length} characters"
        super().__init__(error_messages={"null": refusal, "invalid": refusal}, **kwargs)
        self.max_length = max_length

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str) or len(value.strip()) > self.max_length:
            raise self.make_error("invalid")
        return value.strip()


def whole_number(minimum: int, maximum: int, default: int) -> WholeNumber:
    return WholeNumber(minimum, maximum, load_default=default)


def yes_no(default: bool | None) -> YesNo:
    """On or off; with the default None, also None (not chosen)."""
    return YesNo(load_default=default, allow_none=default is None)


def choice(options: tuple[str, ...], default: Any = missing) -> fields.Field:
    refusal = "must be one of {choices}"
    return fields.Raw(validate=OneOf(options, error=refusal), load_default=default,
                      error_messages={"null": refusal.format(choices=", ".join(options))})


# Every registered setting. Filled by `register`, from the app factory; tests may add to it.
SPECS: dict[str, SettingSpec] = {}


def register(declared: Mapping[str, SettingSpec]) -> None:
    """Add a workflow's settings; registering the same keys again replaces them."""
    SPECS.update(declared)


def job_interval_key(job: str) -> str:
    return f"jobs.{job}.interval_seconds"


def job_paused_key(job: str) -> str:
    return f"jobs.{job}.paused"


def specs() -> dict[str, SettingSpec]:
    """Every registered setting."""
    if not SPECS:
        raise RuntimeError("no settings are registered: call sidecar.app.register_settings() "
                           "before reading or saving settings")
    return SPECS


def load(shop: Shop) -> dict[str, Any]:
    """Every declared setting for the shop: the stored value, else the default."""
    values = {key: spec.default for key, spec in specs().items()}
    for row in Setting.select().where(Setting.shop == shop):
        if row.key in SPECS:
            values[row.key] = row.value
    return values


def get(shop: Shop, key: str) -> Any:
    if key not in specs():
        raise SettingError(key, "is not a setting")
    spec = SPECS[key]
    row = Setting.get_or_none(Setting.shop == shop, Setting.key == key)
    return spec.default if row is None else row.value


def save(shop: Shop, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Validate every change first, then store them together; returns the stored values."""
    clean: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in specs():
            raise SettingError(key, "is not a setting")
        clean[key] = SPECS[key].validate(key, value)
    with database.atomic():
        for key, value in clean.items():
            updated = (
                Setting.update(value=value, updated_at=utcnow())
                .where(Setting.shop == shop, Setting.key == key)
                .execute()
            )
            if not updated:
                Setting.create(shop=shop, key=key, value=value)
    return clean
