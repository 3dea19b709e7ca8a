"""The owner's settings checked against Fortnox before the first order: every account the
mapping can use (cells, BAS defaults, overrides, rounding) and every code the settings name."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from datetime import datetime

import pytest
from peewee import Database

from sidecar import checks
from sidecar.models import Shop
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.settings_check import Registers
from sidecar.sync.orders.settings_check import accounts_in_use
from sidecar.sync.orders.settings_check import check_settings
from sidecar.sync.orders.settings_check import find_issues
from tests.sync.systems import Systems
from tests.sync.systems import running_systems

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def settings(**values: object) -> ExportSettings:
    return ExportSettings.from_values("butik", {f"export.{k}": v for k, v in values.items()})


def chart(*missing: int, inactive: tuple[int, ...] = ()) -> Registers:
    every = {number for number in accounts_in_use(settings(accounts_by_sku={"MUG": 3011}))}
    return Registers({n: (f"Konto {n}", n not in inactive) for n in every - set(missing)},
                     {"way_of_delivery": frozenset({"P", "DHL"}),
                      "terms_of_payment": frozenset({"30"}), "price_list": frozenset({"A"})})


def test_every_account_an_order_can_use_is_checked_defaults_included() -> None:
    used = accounts_in_use(settings(accounts={"se.goods.25": 3011},
                                    accounts_by_category={"kaffe": {"se": 3012}}))

    assert {3011, 3012, 3520, 3740, 3106, 3305} <= set(used)
    assert 3001 not in used  # the owner's cell replaces the BAS default
    assert [u.where for u in used[3012]] == ["category:kaffe"]
    assert "accounts.se.shipping.25" in [u.where for u in used[3520]]


def test_a_missing_and_an_inactive_account_are_issues_with_the_fix() -> None:
    issues = find_issues(settings(accounts_by_sku={"MUG": 3011}), "",
                         chart(3520, inactive=(3011,)))

    by_code = {i.code: i for i in issues}
    assert set(by_code) == {"3520", "3011"}
    missing = by_code["3520"]
    assert missing.fix.english() == "Activate account 3520 in Fortnox, or choose another account."
    assert missing.problem.english().startswith(
        "Account 3520 is not in Fortnox's chart of accounts for the current financial year. "
        "It is used for Sweden, shipping, 25 % VAT and ")
    assert "is inactive in Fortnox" in by_code["3011"].problem.english()
    assert "the exception for SKU MUG" in by_code["3011"].problem.english()


def test_codes_the_settings_name_are_looked_up_in_their_registers() -> None:
    issues = find_issues(settings(way_of_delivery_rules=[["DHL*", "DHL"], ["Bud*", "BUD"]],
                                  terms_of_payment="30",
                                  payment_methods={"cod": {"terms_of_payment": "K"}}),
                         "B", chart())

    assert {(i.kind, i.code) for i in issues} == {
        ("way_of_delivery", "BUD"), ("terms_of_payment", "K"), ("price_list", "B")}
    bud = next(i for i in issues if i.code == "BUD")
    assert bud.problem.english() == ("Way of delivery BUD does not exist in Fortnox. It is used "
                                     "for shipping methods like Bud*.")


@pytest.fixture(name="systems")
def _systems(sqlite_database: Database) -> Iterator[Systems]:
    """The simulators, for a shop on the test SQLite database."""
    with running_systems(Shop.create(name="Butik", slug="butik")) as systems:
        yield systems


def test_the_check_reads_fortnox_and_keeps_what_is_wrong_and_the_accounts_names(
        systems: Systems) -> None:
    shop = Shop.get()
    with systems.fortnox_state.lock:
        del systems.fortnox_state.registers["accounts"]["3520"]
        systems.fortnox_state.registers["accounts"]["3108"]["Active"] = False

    counts = check_settings(shop, fortnox=systems.fortnox, now=NOW, price_list="",
                            settings=settings(way_of_delivery_rules=[["*", "NOPE"]]))

    row = checks.get(shop, checks.SETTINGS)
    assert counts == {"settings_checked": 1, "settings_issues": 3}
    assert row.state == checks.PROBLEM and row.next_at > NOW
    assert {(i["kind"], i["code"]) for i in row.result["issues"]} == {
        ("account", "3520"), ("account", "3108"), ("way_of_delivery", "NOPE")}
    assert row.result["account_names"]["3521"] == "Fakturerade frakter, EU-land"

    with systems.fortnox_state.lock:
        systems.fortnox_state.registers["accounts"]["3520"] = {
            "Number": 3520, "Description": "Fakturerade frakter", "Active": True}
        systems.fortnox_state.registers["accounts"]["3108"]["Active"] = True
    check_settings(shop, fortnox=systems.fortnox, now=NOW, price_list="", settings=settings())

    assert checks.get(shop, checks.SETTINGS).state == checks.OK


def test_fortnox_not_answering_leaves_the_check_to_be_tried_again(systems: Systems) -> None:
    shop = Shop.get()
    systems.knobs(path_errors={"/3/accounts": 503})

    counts = check_settings(shop, fortnox=systems.fortnox, now=NOW, price_list="",
                            settings=settings())

    row = checks.get(shop, checks.SETTINGS)
    assert counts == {"settings_unchecked": 1}
    assert row.state == checks.FAILING and row.next_at == NOW + checks.FIRST_RETRY
