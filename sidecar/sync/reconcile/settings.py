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

from marshmallow import ValidationError
from marshmallow import fields

from sidecar.settings import choice
from sidecar.settings import declared
from sidecar.settings import read_values
from sidecar.settings import section

FREQUENCIES = ("off", "daily", "weekly")
LANGUAGES = ("sv", "en")
MAX_RECIPIENTS = 10
ADDRESS = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")


class Addresses(fields.Field):
    """E-mail addresses, as a list or as one text separated by commas."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        if isinstance(value, str):
            value = [part for part in re.split(r"[,;\s]+", value) if part]
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ValidationError("must be e-mail addresses separated by commas")
        cleaned = [v.strip() for v in value if v.strip()]
        wrong = [v for v in cleaned if not ADDRESS.match(v)]
        if wrong:
            raise ValidationError(f"not an e-mail address: {', '.join(wrong)}")
        if len(cleaned) > MAX_RECIPIENTS:
            raise ValidationError(f"at most {MAX_RECIPIENTS} addresses")
        return list(dict.fromkeys(cleaned))


REPORT = section({
    "reconcile.email_to": Addresses(load_default=list),
    "reconcile.email_frequency": choice(FREQUENCIES, "off"),
    "reconcile.language": choice(LANGUAGES, "sv"),
})
SETTINGS = declared(REPORT)


@dataclass(frozen=True)
class ReportSettings:
    email_to: tuple[str, ...] = ()
    email_frequency: str = "off"
    language: str = "sv"  # of the e-mail and its PDF

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> ReportSettings:
        v = read_values(REPORT, values)
        return cls(tuple(v["reconcile.email_to"]), v["reconcile.email_frequency"],
                   v["reconcile.language"])

    @property
    def emails(self) -> bool:
        return self.email_frequency != "off" and bool(self.email_to)
