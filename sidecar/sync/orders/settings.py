"""The owner's order-export settings: declared once with defaults, read as one frozen object.

`ExportSettings.from_values(settings.load(shop))` gives the mapping everything it needs; tests
build it from a plain dict. Keys are `export.*`; each validator explains a bad value in words
the owner can act on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any

from sidecar.settings import SettingError
from sidecar.settings import SettingSpec
from sidecar.settings import choice
from sidecar.settings import read_values
from sidecar.settings import yes_no
from sidecar.sync.orders.accounts import GIFT_CARD_ACCOUNT
from sidecar.sync.orders.accounts import MARKETS
from sidecar.sync.orders.accounts import RATES
from sidecar.sync.orders.accounts import ROUNDING_ACCOUNT
from sidecar.sync.orders.accounts import AccountRules
from sidecar.sync.orders.accounts import all_table_keys
from sidecar.sync.orders.shipping_patterns import MAX_PATTERN_LENGTH

DOCUMENT_MODES = ("order", "invoice", "order_then_invoice")
UNKNOWN_ARTICLE_POLICIES = ("description_only", "create_article", "stop")
# Statuses that never export: unpaid, failed, abandoned, or undone before we saw them.
NEVER_EXPORTED = ("pending", "failed", "checkout-draft", "cancelled", "refunded", "trash")
PAYMENT_METHOD_FIELDS = {"skip", "document_mode", "bookkeep_invoice", "register_payment",
                         "terms_of_payment", "mode_of_payment"}


def text(max_length: int):
    def check(key: str, value: Any) -> str:
        if not isinstance(value, str) or len(value.strip()) > max_length:
            raise SettingError(key, f"must be text of at most {max_length} characters")
        return value.strip()
    return check


def account_number(key: str, value: Any) -> int:
    # ASCII digits only ("¹⁰⁰⁰" and "١٠٠٠" are digits to str.isdigit), and short: int() of
    # a 100,000-digit string takes long and then fails.
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value) if -10**8 < value < 10**8 else "x"
    text = value.strip() if isinstance(value, str) else ""
    if not (0 < len(text) <= 8 and text.isascii() and text.isdigit()):
        raise SettingError(key, "must be a four-digit account number")
    number = int(text)
    if not 1000 <= number <= 9999:
        raise SettingError(key, "must be a four-digit account number (1000-9999)")
    return number


def account_or(default: int):
    """An account number; left empty, `default`."""
    def check(key: str, value: Any) -> int:
        return default if value in ("", None) else account_number(key, value)
    return check


def trigger_statuses(key: str, value: Any) -> list[str]:
    if not isinstance(value, list | tuple) or not value:
        raise SettingError(key, "pick at least one order status")
    bad = [s for s in value if not isinstance(s, str) or s in NEVER_EXPORTED]
    if bad:
        raise SettingError(key, f"orders in {', '.join(map(str, bad))} are never exported")
    return [str(s) for s in value]


def optional_date(key: str, value: Any) -> str:
    if value in ("", None):
        return ""
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise SettingError(key, "must be a date like 2025-01-31, or empty") from None


def pattern_rules(code_length: int):
    def check(key: str, value: Any) -> list[list[str]]:
        if not isinstance(value, list | tuple):
            raise SettingError(key, "must be a list of (pattern, code) pairs")
        rules = []
        for rule in value:
            if not (isinstance(rule, list | tuple) and len(rule) == 2
                    and all(isinstance(part, str) and part.strip() for part in rule)):
                raise SettingError(key, "each rule needs a pattern and a code")
            if len(rule[1].strip()) > code_length:
                raise SettingError(key, f"codes are at most {code_length} characters")
            if len(rule[0].strip()) > MAX_PATTERN_LENGTH:
                raise SettingError(key, f"patterns are at most {MAX_PATTERN_LENGTH} characters")
            rules.append([rule[0].strip(), rule[1].strip()])
        return rules
    return check


def account_table(key: str, value: Any) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise SettingError(key, "must map cells like 'se.goods.25' to account numbers")
    unknown = set(value) - set(all_table_keys())
    if unknown:
        raise SettingError(key, f"unknown cells: {', '.join(sorted(map(str, unknown)))}")
    return {k: account_number(key, v) for k, v in value.items()}


def account_overrides(key: str, value: Any) -> dict[str, dict[str, int]]:
    """SKU or category → cells; a bare account number means the cell "*" (every market)."""
    if not isinstance(value, Mapping):
        raise SettingError(key, "must map a SKU or category to accounts")
    clean: dict[str, dict[str, int]] = {}
    for name, cells in value.items():
        cells = {"*": cells} if not isinstance(cells, Mapping) else cells
        if not isinstance(name, str) or not 0 < len(name.strip()) <= 200:
            raise SettingError(key, "a SKU or category has 1 to 200 characters")
        unknown = [str(cell) for cell in cells if cell not in OVERRIDE_CELLS]
        if unknown:
            raise SettingError(key, f"unknown cell {unknown[0][:20]!r}: use *, a market "
                                    "(se, eu, eu_reverse, export) or a market and rate (se.25)")
        clean[name.strip()] = {cell: account_number(key, n) for cell, n in cells.items()}
    return clean


# Where an exception applies: everywhere, a market, or a market at one VAT rate.
OVERRIDE_CELLS = frozenset({"*", *MARKETS, *(f"{m}.{r}" for m in MARKETS for r in RATES)})


def payment_methods(key: str, value: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(value, Mapping):
        raise SettingError(key, "must map payment method ids to their rules")
    clean: dict[str, dict[str, Any]] = {}
    for method, rules in value.items():
        if not isinstance(rules, Mapping) or set(rules) - PAYMENT_METHOD_FIELDS:
            raise SettingError(key, f"rules for {method!r} may only set "
                                    + ", ".join(sorted(PAYMENT_METHOD_FIELDS)))
        if "document_mode" in rules:
            choice(DOCUMENT_MODES)(key, rules["document_mode"])
        clean[str(method)] = dict(rules)
    return clean


def string_list(key: str, value: Any) -> list[str]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise SettingError(key, "must be a list of names")
    return [v.strip() for v in value if v.strip()]


SETTINGS: dict[str, SettingSpec] = {
    "export.trigger_statuses": SettingSpec(["processing", "completed"], trigger_statuses),
    "export.first_order_date": SettingSpec("", optional_date),
    "export.document_mode": SettingSpec("invoice", choice(DOCUMENT_MODES)),
    "export.bookkeep_invoice": SettingSpec(False, yes_no),
    "export.register_payment": SettingSpec(False, yes_no),
    "export.terms_of_payment": SettingSpec("", text(20)),
    "export.mode_of_payment": SettingSpec("", text(20)),
    "export.payment_methods": SettingSpec({}, payment_methods),
    "export.unknown_article": SettingSpec("description_only", choice(UNKNOWN_ARTICLE_POLICIES)),
    "export.shipping_as": SettingSpec("row", choice(("row", "freight"))),
    "export.way_of_delivery_rules": SettingSpec([], pattern_rules(50)),
    "export.terms_of_delivery_rules": SettingSpec([], pattern_rules(20)),
    "export.accounts": SettingSpec({}, account_table),
    "export.accounts_by_sku": SettingSpec({}, account_overrides),
    "export.accounts_by_category": SettingSpec({}, account_overrides),
    "export.rounding_account": SettingSpec(ROUNDING_ACCOUNT, account_number),
    "export.our_reference": SettingSpec("", text(50)),
    "export.customer.match_by": SettingSpec("email", choice(("email", "organisation_number"))),
    "export.customer.organisation_number_meta_key": SettingSpec("_organisation_number", text(100)),
    "export.customer.vat_number_meta_keys": SettingSpec(
        ["_billing_vat_number", "_vat_number", "vat_number"], string_list),
    "export.customer.guests": SettingSpec("own", choice(("own", "shared"))),
    "export.customer.shared_guest_customer_number": SettingSpec("", text(50)),
    "export.credit_cancelled_invoices": SettingSpec(True, yes_no),
    "export.gift_cards.skus": SettingSpec([], string_list),
    "export.gift_cards.categories": SettingSpec([], string_list),
    "export.gift_cards.account": SettingSpec(GIFT_CARD_ACCOUNT, account_or(GIFT_CARD_ACCOUNT)),
    "export.stock.draw_down": SettingSpec(True, yes_no),
    "export.stock.stock_point_code": SettingSpec("", text(10)),
}


@dataclass(frozen=True)
class PaymentMethodRules:
    skip: bool = False
    document_mode: str | None = None
    bookkeep_invoice: bool | None = None
    register_payment: bool | None = None
    terms_of_payment: str | None = None
    mode_of_payment: str | None = None


@dataclass(frozen=True)
class ExportSettings:
    shop_slug: str
    trigger_statuses: tuple[str, ...] = ("processing", "completed")
    first_order_date: date | None = None
    document_mode: str = "invoice"
    bookkeep_invoice: bool = False
    register_payment: bool = False
    terms_of_payment: str = ""
    mode_of_payment: str = ""
    payment_methods: Mapping[str, PaymentMethodRules] = field(default_factory=dict)
    unknown_article: str = "description_only"
    shipping_as: str = "row"
    way_of_delivery_rules: tuple[tuple[str, str], ...] = ()
    terms_of_delivery_rules: tuple[tuple[str, str], ...] = ()
    accounts: AccountRules = field(default_factory=AccountRules)
    rounding_account: int = ROUNDING_ACCOUNT
    our_reference: str = ""
    match_by: str = "email"
    organisation_number_meta_key: str = "_organisation_number"
    vat_number_meta_keys: tuple[str, ...] = ("_billing_vat_number", "_vat_number", "vat_number")
    guests: str = "own"
    shared_guest_customer_number: str = ""
    draw_down_stock: bool = True
    stock_point_code: str = ""
    credit_cancelled_invoices: bool = True
    gift_card_skus: tuple[str, ...] = ()
    gift_card_categories: tuple[str, ...] = ()
    gift_card_account: int = GIFT_CARD_ACCOUNT

    @classmethod
    def from_values(cls, shop_slug: str, values: Mapping[str, Any]) -> ExportSettings:
        """Validated settings; keys left out take their declared defaults."""
        v = read_values(SETTINGS, values)
        first = v["export.first_order_date"]
        return cls(
            shop_slug=shop_slug,
            trigger_statuses=tuple(v["export.trigger_statuses"]),
            first_order_date=date.fromisoformat(first) if first else None,
            document_mode=v["export.document_mode"],
            bookkeep_invoice=v["export.bookkeep_invoice"],
            register_payment=v["export.register_payment"],
            terms_of_payment=v["export.terms_of_payment"],
            mode_of_payment=v["export.mode_of_payment"],
            payment_methods={k: PaymentMethodRules(**r)
                             for k, r in v["export.payment_methods"].items()},
            unknown_article=v["export.unknown_article"],
            shipping_as=v["export.shipping_as"],
            way_of_delivery_rules=tuple(map(tuple, v["export.way_of_delivery_rules"])),
            terms_of_delivery_rules=tuple(map(tuple, v["export.terms_of_delivery_rules"])),
            accounts=AccountRules(v["export.accounts"], v["export.accounts_by_sku"],
                                  v["export.accounts_by_category"]),
            rounding_account=v["export.rounding_account"],
            our_reference=v["export.our_reference"],
            match_by=v["export.customer.match_by"],
            organisation_number_meta_key=v["export.customer.organisation_number_meta_key"],
            vat_number_meta_keys=tuple(v["export.customer.vat_number_meta_keys"]),
            guests=v["export.customer.guests"],
            shared_guest_customer_number=v["export.customer.shared_guest_customer_number"],
            draw_down_stock=v["export.stock.draw_down"],
            stock_point_code=v["export.stock.stock_point_code"],
            credit_cancelled_invoices=v["export.credit_cancelled_invoices"],
            gift_card_skus=tuple(v["export.gift_cards.skus"]),
            gift_card_categories=tuple(v["export.gift_cards.categories"]),
            gift_card_account=v["export.gift_cards.account"],
        )
