"""The owner's settings checked against Fortnox before the first order needs them.

Every account the mapping can use (the table's cells, filled or left to their BAS default, the
overrides per SKU and category, the rounding account) is looked up in Fortnox's chart of
accounts for the current financial year; every way and terms of delivery, terms and mode of
payment and price list the settings name, in its register. A missing or inactive one becomes
an issue with its fix, shown next to the setting and in the attention box. Run on connect, when
the owner saves the accounts, and daily (the `check_fortnox` job); `find_issues` is pure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any

from sidecar import checks
from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxError
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import Shop
from sidecar.sync.failures import PASSING
from sidecar.sync.failures import classify
from sidecar.sync.orders.accounts import KINDS
from sidecar.sync.orders.accounts import RATES
from sidecar.sync.orders.accounts import choose_account
from sidecar.sync.orders.settings import ExportSettings

log = logging.getLogger(__name__)

CHECK_EVERY = timedelta(days=1)
MARKETS = ("se", "eu", "eu_reverse", "export")


@dataclass(frozen=True)
class Use:
    """Where the settings use an account or a code: a cell ("accounts.se.shipping.25"), an
    override ("sku:MUG", "category:kaffe"), or a setting's key; `words` for the owner."""

    where: str
    words: Message


@dataclass(frozen=True)
class Issue:
    kind: str  # account, way_of_delivery, terms_of_delivery, terms_of_payment, ...
    code: str
    problem: Message
    fix: Message
    uses: tuple[Use, ...]

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "code": self.code, "problem": self.problem.as_json(),
                "fix": self.fix.as_json(), "where": [use.where for use in self.uses]}


@dataclass(frozen=True)
class Registers:
    """What Fortnox has: accounts (number -> (name, active)) and each register's codes."""

    accounts: Mapping[int, tuple[str, bool]]
    codes: Mapping[str, frozenset[str]]


REGISTERS: dict[str, Callable[[FortnoxClient], list[dict[str, Any]]]] = {
    "way_of_delivery": lambda f: f.list_ways_of_delivery(),
    "terms_of_delivery": lambda f: f.list_terms_of_delivery(),
    "terms_of_payment": lambda f: f.list_terms_of_payment(),
    "mode_of_payment": lambda f: f.list_modes_of_payment(),
    "price_list": lambda f: f.list_price_lists(),
}


def accounts_in_use(settings: ExportSettings) -> dict[int, list[Use]]:
    """Every account an order can be booked on with these settings, and where it comes from."""
    found: dict[int, list[Use]] = {}
    for market in MARKETS:
        for kind in KINDS:
            for rate in RATES:
                account = choose_account(settings.accounts, market=market, kind=kind,
                                         rate=rate).account
                found.setdefault(account, []).append(Use(
                    f"accounts.{market}.{kind}.{rate}",
                    msg("use.cell", market=msg(f"market.{market}"), kind=msg(f"kind.{kind}"),
                        rate=rate)))
    for prefix, overrides in (("sku", settings.accounts.by_sku),
                              ("category", settings.accounts.by_category)):
        for name, cells in overrides.items():
            for account in dict.fromkeys(cells.values()):
                found.setdefault(account, []).append(
                    Use(f"{prefix}:{name}", msg(f"use.{prefix}", name=name)))
    found.setdefault(settings.rounding_account, []).append(
        Use("export.rounding_account", msg("use.rounding")))
    return found


def codes_in_use(settings: ExportSettings, price_list: str) -> dict[str, dict[str, list[Use]]]:
    """Register -> code -> where the settings name it."""
    found: dict[str, dict[str, list[Use]]] = {name: {} for name in REGISTERS}

    def add(register: str, code: str | None, use: Use) -> None:
        if code:
            found[register].setdefault(code, []).append(use)

    for register, rules in (("way_of_delivery", settings.way_of_delivery_rules),
                            ("terms_of_delivery", settings.terms_of_delivery_rules)):
        for pattern, code in rules:
            add(register, code, Use(f"export.{register}_rules", msg("use.shipping_rule",
                                                                    pattern=pattern)))
    add("terms_of_payment", settings.terms_of_payment,
        Use("export.terms_of_payment", msg("use.all_orders")))
    add("mode_of_payment", settings.mode_of_payment,
        Use("export.mode_of_payment", msg("use.all_orders")))
    for method, rules in settings.payment_methods.items():
        for register in ("terms_of_payment", "mode_of_payment"):
            add(register, getattr(rules, register),
                Use("export.payment_methods", msg("use.payment_method", method=method)))
    add("price_list", price_list, Use("products.price_list", msg("use.product_prices")))
    return found


def find_issues(settings: ExportSettings, price_list: str, fortnox: Registers) -> list[Issue]:
    issues: list[Issue] = []
    for number, uses in sorted(accounts_in_use(settings).items()):
        known = fortnox.accounts.get(number)
        if known is not None and known[1]:
            continue
        problem = (msg("check.account_missing", account=number, uses=_uses(uses))
                   if known is None else
                   msg("check.account_inactive", account=number, name=known[0],
                       uses=_uses(uses)))
        issues.append(Issue("account", str(number), problem,
                            msg("check.fix_account", account=number), tuple(uses)))
    for register, codes in codes_in_use(settings, price_list).items():
        for code, uses in codes.items():
            if register in fortnox.codes and code not in fortnox.codes[register]:
                words = msg(f"register.{register}")
                issues.append(Issue(register, code,
                                    msg("check.code_missing", register=words, code=code,
                                        uses=_uses(uses)),
                                    msg("check.fix_code", register=words, code=code),
                                    tuple(uses)))
    return issues


def _uses(uses: list[Use]) -> Message:
    if len(uses) == 1:
        return uses[0].words
    return msg("use.and_more", first=uses[0].words, more=len(uses) - 1)


def read_registers(fortnox: FortnoxClient, wanted: Iterable[str]) -> Registers:
    """The chart of accounts (the current financial year's) and the registers asked for."""
    accounts = {a.number: (a.description, a.active) for a in fortnox.iter_accounts()}
    codes = {name: frozenset(str(r.get("Code")) for r in REGISTERS[name](fortnox)
                             if r.get("Code")) for name in wanted}
    return Registers(accounts, codes)


def check_settings(shop: Shop, *, fortnox: FortnoxClient, settings: ExportSettings,
                   price_list: str, now: datetime) -> dict[str, int]:
    """Read Fortnox, store what is wrong (or that nothing is); counts for the job's run."""
    wanted = [name for name, codes in codes_in_use(settings, price_list).items() if codes]
    try:
        registers = read_registers(fortnox, wanted)
    except FortnoxError as exc:
        failure = classify(exc)
        if failure.kind == PASSING:
            checks.failed(shop, checks.SETTINGS, problem=failure.problem, cause=failure.cause,
                          now=now)
            return {"settings_unchecked": 1}
        problem = msg("check.unreadable", reason=failure.problem)
        checks.answered(shop, checks.SETTINGS, now=now, next_at=now + CHECK_EVERY,
                        state=checks.PROBLEM, value={"issues": [], "unreadable": {
                            "problem": problem.as_json(), "fix": failure.advice.as_json()}})
        return {"settings_unchecked": 1}
    issues = find_issues(settings, price_list, registers)
    names = {str(number): registers.accounts[number][0]
             for number in accounts_in_use(settings) if number in registers.accounts}
    checks.answered(shop, checks.SETTINGS, now=now, next_at=now + CHECK_EVERY,
                    state=checks.PROBLEM if issues else checks.OK,
                    value={"issues": [issue.as_json() for issue in issues],
                           "account_names": names})
    if issues:
        log.warning("settings_check.issues shop=%s issues=%s", shop.id,
                    ",".join(f"{i.kind}:{i.code}" for i in issues))
    return {"settings_checked": 1, "settings_issues": len(issues)}
