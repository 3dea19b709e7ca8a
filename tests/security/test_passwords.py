"""Owner passwords: at least 12 characters, not a common one; e-mail addresses that are."""

from __future__ import annotations

import pytest

from sidecar.models import Shop
from sidecar.security.passwords import common_passwords
from sidecar.security.passwords import is_email
from sidecar.security.passwords import password_problem
from sidecar.web.accounts import AccountError
from sidecar.web.accounts import create_owner


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "aaaaaaaaaaaa", "Password1234",
                                      "qwertyuiop123", "lösenord1234", "kort", "x" * 2000,
                                      "abababababab"])
def test_weak_passwords_are_refused(password: str) -> None:
    assert password_problem(password)


def test_a_long_uncommon_password_is_accepted() -> None:
    assert password_problem("rätt häst batteri") == ""


def test_the_common_password_list_is_shipped_and_long() -> None:
    assert len(common_passwords()) > 200
    assert all(len(p) >= 12 for p in common_passwords())


@pytest.mark.parametrize("address", ["@", "a@", "@b.se", "a@b", "a b@c.se", "a@b..se",
                                     "a@@b.se", "x" * 250 + "@b.se", "a@b.s"])
def test_non_addresses_are_refused(address: str) -> None:
    assert not is_email(address)


@pytest.mark.parametrize("address", ["agare@example.se", "förnamn.efternamn@butik.example.se",
                                     "a+b@x.io"])
def test_addresses_are_accepted(address: str) -> None:
    assert is_email(address)


def test_an_account_with_a_weak_password_or_an_at_sign_is_not_created(web_shop: Shop) -> None:
    with pytest.raises(AccountError):
        create_owner(web_shop, "agare@example.se", "aaaaaaaaaa")
    with pytest.raises(AccountError):
        create_owner(web_shop, "@", "rätt häst batteri")
