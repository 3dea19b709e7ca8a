"""Sales accounts: BAS defaults per rate × market × kind, overrides most specific first."""

from __future__ import annotations

import pytest

from sidecar.sync.orders.accounts import AccountRules
from sidecar.sync.orders.accounts import choose_account
from sidecar.sync.orders.accounts import default_account


@pytest.mark.parametrize(("market", "kind", "rate", "account"), [
    ("se", "goods", 25, 3001), ("se", "goods", 12, 3002), ("se", "goods", 6, 3003),
    ("se", "goods", 0, 3004), ("se", "services", 25, 3041), ("se", "services", 0, 3044),
    ("eu", "goods", 25, 3106), ("eu", "services", 12, 3042),
    ("eu_reverse", "goods", 0, 3108), ("eu_reverse", "services", 0, 3308),
    ("export", "goods", 0, 3105), ("export", "services", 0, 3305),
    ("se", "shipping", 12, 3520), ("export", "shipping", 0, 3522), ("eu", "fee", 25, 3541),
])
def test_bas_defaults(market: str, kind: str, rate: int, account: int) -> None:
    assert default_account(market, kind, rate) == account


RULES = AccountRules(
    table={"se.goods.25": 3010},
    by_sku={"SKU-1": {"se.25": 3011, "se": 3012, "*": 3013}},
    by_category={"books": {"se": 3020}, "coffee": {"*": 3030}},
)


@pytest.mark.parametrize(("kwargs", "account", "reason"), [
    ({"sku": "SKU-1", "rate": 25}, 3011, "override for SKU 'SKU-1' (se.25)"),
    ({"sku": "SKU-1", "rate": 12}, 3012, "override for SKU 'SKU-1' (se)"),
    ({"sku": "SKU-1", "rate": 0, "market": "export"}, 3013, "override for SKU 'SKU-1' (*)"),
    ({"sku": "SKU-2", "rate": 6, "categories": ("books", "coffee")}, 3020,
     "override for category 'books' (se)"),
    ({"sku": "SKU-2", "rate": 0, "market": "export", "categories": ("books", "coffee")}, 3030,
     "override for category 'coffee' (*)"),
    ({"rate": 25}, 3010, "owner's account for Sweden, goods, 25 %"),
    ({"rate": 12}, 3002, "BAS default for Sweden, goods, 12 %"),
    ({"rate": 25, "kind": "shipping", "sku": "SKU-1"}, 3520,
     "BAS default for Sweden, shipping, 25 %"),
])
def test_the_most_specific_rule_decides_and_says_why(kwargs, account: int, reason: str) -> None:
    arguments = {"market": "se", "kind": "goods", **kwargs}
    decision = choose_account(RULES, **arguments)
    assert (decision.account, str(decision.reason)) == (account, reason)
