"""The owner's settings of the reconciliation report: who gets it by e-mail, and how often.

Edited on the report's own page (sidecar.web.reconcile_page); the daily run's frequency and
pause switch are the job registry's. The SMTP server is deploy-time configuration
(`SIDECAR_SMTP_URL`), not an owner setting.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sidecar.settings import SettingError
from sidecar.settings import SettingSpec
from sidecar.settings import choice
from sidecar.settings import read_values

FREQUENCIES = ("off", "daily", "weekly")
LANGUAGES = ("sv", "en")
MAX_RECIPIENTS = 10
ADDRESS = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")


def addresses(key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [part for part in re.split(r"[,;\s]+", value) if part]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise SettingError(key, "must be e-mail addresses separated by commas")
    cleaned = [v.strip() for v in value if v.strip()]
    wrong = [v for v in cleaned if not ADDRESS.match(v)]
    if wrong:
        raise SettingError(key, f"not an e-mail address: {', '.join(wrong)}")
    if len(cleaned) > MAX_RECIPIENTS:
        raise SettingError(key, f"at most {MAX_RECIPIENTS} addresses")
    return list(dict.fromkeys(cleaned))


SETTINGS: dict[str, SettingSpec] = {
    "reconcile.email_to": SettingSpec([], addresses),
    "reconcile.email_frequency": SettingSpec("off", choice(FREQUENCIES)),
    "reconcile.language": SettingSpec("sv", choice(LANGUAGES)),
}


@dataclass(frozen=True)
class ReportSettings:
    email_to: tuple[str, ...] = ()
    email_frequency: str = "off"
    language: str = "sv"  # of the e-mail and its PDF

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> ReportSettings:
        v = read_values(SETTINGS, values)
        return cls(tuple(v["reconcile.email_to"]), v["reconcile.email_frequency"],
                   v["reconcile.language"])

    @property
    def emails(self) -> bool:
        return self.email_frequency != "off" and bool(self.email_to)
