"""Operator settings: what the shop owner edits on the settings page, stored per shop in the DB.

Each setting is declared once in ``SPECS`` with its default and a validator that raises
``SettingError`` with a message fit to show beside the form field. Deploy-time configuration is
elsewhere (``sidecar.config``).
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
        try:
            number = int(value)
        except ValueError:
            raise SettingError(key, "must be a whole number") from None
        if not minimum <= number <= maximum:
            raise SettingError(key, f"must be between {minimum} and {maximum}")
        return number

    return check


def yes_no(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise SettingError(key, "must be on or off")


SPECS: dict[str, SettingSpec] = {}


def declare(key: str, default: Any, validate: Callable[[str, Any], Any]) -> None:
    """Add a setting; later features declare theirs next to the code that reads them."""
    SPECS[key] = SettingSpec(default, validate)


def job_interval_key(job: str) -> str:
    return f"jobs.{job}.interval_seconds"


def job_paused_key(job: str) -> str:
    return f"jobs.{job}.paused"


def specs() -> dict[str, SettingSpec]:
    """Every declared setting. Features declare theirs where they live; importing those
    modules here makes sure the declarations ran whoever asks first."""
    import sidecar.jobs.registry
    import sidecar.sync.export_settings
    import sidecar.sync.fortnox_to_woo_settings  # noqa: F401

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
