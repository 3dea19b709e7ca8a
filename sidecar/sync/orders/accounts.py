"""Sales account per row: VAT rate × market × goods/services, overridable per category and SKU.

Defaults follow the BAS chart's sales accounts (names as in BAS 2024 and Fortnox's standard
chart; account group 30–34 is "free" in BAS, so 3001–3004/3041–3044 are the usual convention, not
law — owners check them against their own chart, GET /3/accounts):

    3001/3002/3003  Försäljning (varor) inom Sverige, 25/12/6 % moms;  3004 ... momsfri
    3041/3042/3043  Försäljning tjänster inom Sverige, 25/12/6 % moms; 3044 ... momsfri
    3105  Försäljning varor till land utanför EU        3305  ... tjänster till land utanför EU
    3106  Försäljning varor till annat EU-land, momspliktig
    3108  Försäljning varor till annat EU-land, momsfri  3308  ... tjänster till annat EU-land
    3520/3521/3522  Fakturerade frakter (Sverige / EU-land / export)
    3540/3541/3542  Faktureringsavgifter (Sverige / EU-land / export)
    3740  Öres- och kronutjämning
    2421  Ej inlösta presentkort (gift cards sold: a liability until used, gift_cards.py)

Services sold to EU consumers are taxed in Sweden (the B2C main rule), so they use the Swedish
service accounts. Sources: fortnox-api.md §5.7; BAS account names as published in BAS-based
charts (e.g. 3108 "momsfri", 3308 "tjänster till annat EU-land"); expowera.se "BAS 2010,
Rörelsens inkomster/intäkter" for 3041–3044 and the free 30–34 groups.

Precedence, most specific first: an override for the row's SKU, then for one of its product
categories (in the owner's order), then the owner's table, then the BAS default. Inside an
override the cell "market.rate" beats "market", which beats "*". Each decision says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal

from sidecar.messages import TEXTS
from sidecar.messages import Message
from sidecar.messages import msg

KINDS = ("goods", "services", "shipping", "fee")
RATES = (25, 12, 6, 0)
MARKETS = ("se", "eu", "eu_reverse", "export")
ROUNDING_ACCOUNT = 3740
GIFT_CARD_ACCOUNT = 2421

_BY_RATE = {
    ("se", "goods"): {25: 3001, 12: 3002, 6: 3003, 0: 3004},
    ("se", "services"): {25: 3041, 12: 3042, 6: 3043, 0: 3044},
    ("eu", "services"): {25: 3041, 12: 3042, 6: 3043, 0: 3044},
}
_FLAT = {
    ("eu", "goods"): 3106, ("eu_reverse", "goods"): 3108, ("eu_reverse", "services"): 3308,
    ("export", "goods"): 3105, ("export", "services"): 3305,
    ("se", "shipping"): 3520, ("eu", "shipping"): 3521, ("eu_reverse", "shipping"): 3521,
    ("export", "shipping"): 3522,
    ("se", "fee"): 3540, ("eu", "fee"): 3541, ("eu_reverse", "fee"): 3541, ("export", "fee"): 3542,
}


@dataclass(frozen=True)
class AccountDecision:
    account: int
    reason: str | Message


@dataclass(frozen=True)
class AccountRules:
    """The owner's choices. Keys of `table` are "market.kind.rate" (e.g. "se.goods.25");
    overrides map a SKU or category slug to cells ("*", "se", "se.25") → account."""

    table: Mapping[str, int] = field(default_factory=dict)
    by_sku: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    by_category: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


def rate_key(rate: Decimal | int) -> int:
    return int(rate)


def table_key(market: str, kind: str, rate: Decimal | int) -> str:
    return f"{market}.{kind}.{rate_key(rate)}"


def default_account(market: str, kind: str, rate: Decimal | int) -> int:
    by_rate = _BY_RATE.get((market, kind))
    if by_rate is not None:
        return by_rate.get(rate_key(rate), by_rate[0])
    return _FLAT[(market, kind)]


def _cell(cells: Mapping[str, int], market: str, rate: Decimal | int) -> tuple[str, int] | None:
    for key in (f"{market}.{rate_key(rate)}", market, "*"):
        if key in cells:
            return key, cells[key]
    return None


def choose_account(
    rules: AccountRules,
    *,
    market: str,
    kind: str,
    rate: Decimal | int,
    sku: str = "",
    categories: Sequence[str] = (),
) -> AccountDecision:
    """The account for one row, with the reason it was chosen."""
    if kind in ("goods", "services"):
        if sku and sku in rules.by_sku:
            found = _cell(rules.by_sku[sku], market, rate)
            if found:
                return AccountDecision(found[1], msg("account.sku_override", sku=repr(sku),
                                                     cell=found[0]))
        product_categories = set(categories)
        for category, cells in rules.by_category.items():
            if category in product_categories:
                found = _cell(cells, market, rate)
                if found:
                    return AccountDecision(found[1], msg(
                        "account.category_override", category=repr(category), cell=found[0]))
    key = table_key(market, kind, rate)
    if key in rules.table:
        return AccountDecision(rules.table[key], msg(
            "account.owner_table", market=_word("market", market), kind=_word("kind", kind),
            rate=rate_key(rate)))
    return AccountDecision(default_account(market, kind, rate), msg(
        "account.bas_default", market=_word("market", market), kind=_word("kind", kind),
        rate=rate_key(rate)))


def _word(area: str, code: str) -> Message | str:
    """A market or kind as a word of the owner's language; a code without words as it is."""
    return msg(f"{area}.{code}") if f"{area}.{code}" in TEXTS else code


MARKETS = ("se", "eu", "eu_reverse", "export")


def all_table_keys() -> tuple[str, ...]:
    """Every cell of the owner's table, for the settings page and validation."""
    return tuple(table_key(m, k, r) for m in MARKETS for k in KINDS for r in RATES)
