"""Settings the owner types: numbers in ASCII digits of a sane length, exceptions with known
cells; anything else is a message on the form, not a 500."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from sidecar.settings import SettingError
from sidecar.settings import SettingSpec
from sidecar.settings import whole_number
from sidecar.sync.orders.settings import SETTINGS
from tests.web.conftest import post_form


def account_number(key: str, value: object) -> object:
    return SETTINGS["export.rounding_account"].validate(key, value)


def account_overrides(key: str, value: object) -> object:
    return SETTINGS["export.accounts_by_sku"].validate(key, value)


@pytest.mark.parametrize("value", ["¹⁰⁰⁰", "١٠٠٠", "3" * 100_000, 10**50, "", " ", "30.01",
                                   True, None, "-3001"])
def test_an_account_number_in_other_digits_or_too_long_is_refused(value: object) -> None:
    with pytest.raises(SettingError):
        account_number("k", value)


def test_a_plain_account_number_is_read() -> None:
    assert account_number("k", " 3001 ") == account_number("k", 3001) == 3001


@pytest.mark.parametrize("value", ["١٠", "9" * 100_000, "²"])
def test_a_whole_number_in_other_digits_or_too_long_is_refused(value: str) -> None:
    with pytest.raises(SettingError):
        SettingSpec(0, whole_number(0, 10, 0)).validate("k", value)


@pytest.mark.parametrize("cells", [{"nowhere": "3001"}, {"se.99": "3001"}, {"": "3001"}])
def test_an_exception_with_an_unknown_cell_is_refused(cells: dict[str, str]) -> None:
    with pytest.raises(SettingError, match="unknown cell"):
        account_overrides("k", {"SKU-1": cells})


def test_known_cells_are_kept() -> None:
    assert account_overrides("k", {"SKU-1": {"*": "3001", "se": "3002", "eu.25": "3003"}}) == {
        "SKU-1": {"*": 3001, "se": 3002, "eu.25": 3003}}


def test_the_settings_form_answers_422_not_500(signed_in: FlaskClient) -> None:
    for cell, account in (("nowhere", "3001"), ("*", "3" * 100_000), ("*", "¹⁰⁰⁰")):
        response = post_form(signed_in, "/settings/sync/accounts", {
            "export.accounts_by_sku.name": "SKU-1", "export.accounts_by_sku.cell": cell,
            "export.accounts_by_sku.account": account})

        assert response.status_code == 422
