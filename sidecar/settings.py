"""Operator settings: what the shop owner edits on the settings page, stored per shop in the DB.

Each workflow declares its settings beside the code that reads them, as a ``SETTINGS`` mapping
of key → ``SettingSpec`` (a default and a validator that raises ``SettingError`` with a message
fit to show beside the form field). The app factory hands them all to ``register`` once
(``sidecar.app.register_settings``). Deploy-time configuration is elsewhere (``sidecar.config``).
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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
    validate: Callable[[str, Any], Any]


def whole_number(minimum: int, maximum: int) -> Callable[[str, Any], int]:
    def check(key: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise SettingError(key, "must be a whole number")
        text = str(value).strip() if isinstance(value, str) else ""
        # ASCII digits only, and short: int() takes "١٠" and chokes on 100,000 digits.
        if isinstance(value, str) and not (0 < len(text) <= 12 and text.lstrip("-").isascii()
                                           and text.lstrip("-").isdigit()):
            raise SettingError(key, "must be a whole number")
        number = int(text) if isinstance(value, str) else value
        if not minimum <= number <= maximum:
            raise SettingError(key, f"must be between {minimum} and {maximum}")
        return number

    return check


def yes_no(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise SettingError(key, "must be on or off")


def choice(options: tuple[str, ...]) -> Callable[[str, Any], str]:
    def check(key: str, value: Any) -> str:
        if value not in options:
            raise SettingError(key, "must be one of " + ", ".join(options))
        return str(value)
    return check


def read_values(declared: Mapping[str, SettingSpec], values: Mapping[str, Any]) -> dict[str, Any]:
    """Each declared key: its value from `values`, validated, or else its default."""
    return {key: spec.validate(key, values[key]) if key in values else spec.default
            for key, spec in declared.items()}


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
