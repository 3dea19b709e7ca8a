"""What the checks against Fortnox found, as the settings page shows it beside each setting:
the accounts' names as Fortnox has them, the fix next to a missing or inactive account or an
unknown code, and whether Fortnox Lager is available. Read from `ShopCheck` rows only."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime

from sidecar import checks
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import Shop
from sidecar.sync.orders.fortnox_facts import lager_answer
from sidecar.web.i18n import local_time


@dataclass(frozen=True)
class Finding:
    problem: Message
    fix: Message | None


@dataclass(frozen=True)
class FortnoxChecks:
    checked_at: datetime | None = None
    account_names: dict[str, str] = field(default_factory=dict)
    accounts: dict[str, Finding] = field(default_factory=dict)  # account number -> finding
    codes: dict[tuple[str, str], Finding] = field(default_factory=dict)  # (register, code)
    lager_active: bool | None = None
    lager_answer: str = ""
    lager_checked_at: datetime | None = None

    def account_label(self, number: int | str) -> str:
        name = self.account_names.get(str(number), "")
        return f"{number} {name}".strip()

    def code(self, register: str, code: object) -> Finding | None:
        return self.codes.get((register, str(code))) if code else None

    def for_widget(self, key: str, value: object) -> Finding | None:
        """What to show under a single-value setting: its account's or code's finding, and
        for the stock point, that Fortnox Lager is not available."""
        if key == "export.rounding_account":
            return self.accounts.get(str(value))
        if key in WIDGET_REGISTERS:
            return self.code(WIDGET_REGISTERS[key], value)
        if key == "export.stock.stock_point_code" and self.lager_active is False:
            when = local_time(self.lager_checked_at) if self.lager_checked_at else ""
            return Finding(msg("check.lager_unavailable", answer=self.lager_answer, when=when),
                           None)
        return None


# Settings naming one code of a Fortnox register.
WIDGET_REGISTERS = {"export.terms_of_payment": "terms_of_payment",
                    "export.mode_of_payment": "mode_of_payment",
                    "products.price_list": "price_list",
                    "export.way_of_delivery_rules": "way_of_delivery",
                    "export.terms_of_delivery_rules": "terms_of_delivery"}


def fortnox_checks(shop: Shop, names: dict[str, str] | None = None) -> FortnoxChecks:
    """`names`: account names known otherwise (the settings page's list from Fortnox), used
    where the check has not named an account yet."""
    row = checks.get(shop, checks.SETTINGS)
    value = checks.result(row) or {}
    accounts: dict[str, Finding] = {}
    codes: dict[tuple[str, str], Finding] = {}
    for issue in value.get("issues") or []:
        problem = Message.from_json(issue.get("problem"))
        if problem is None:
            continue
        finding = Finding(problem, Message.from_json(issue.get("fix")))
        if issue.get("kind") == "account":
            accounts[str(issue.get("code"))] = finding
        else:
            codes[(str(issue.get("kind")), str(issue.get("code")))] = finding
    lager = checks.get(shop, checks.LAGER)
    return FortnoxChecks(
        checked_at=row.checked_at if row else None,
        account_names={**(names or {}), **{str(k): str(v) for k, v in
                                           (value.get("account_names") or {}).items()}},
        accounts=accounts, codes=codes, lager_active=lager_answer(lager),
        lager_answer=str((checks.result(lager) or {}).get("answer") or ""),
        lager_checked_at=lager.checked_at if lager else None)
