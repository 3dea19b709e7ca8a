"""The owner's order-export settings: declared once with defaults, read as one frozen object.

`ExportSettings.from_values(settings.load(shop))` gives the mapping everything it needs; tests
build it from a plain dict. Keys are `export.*`, read by the section's schema (`EXPORT`); each
field refuses a bad value in words the owner can act on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from typing import Any

from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields
from marshmallow import missing
from marshmallow.validate import OneOf

from sidecar.settings import Words
from sidecar.settings import YesNo
from sidecar.settings import choice
from sidecar.settings import declared
from sidecar.settings import read_values
from sidecar.settings import section
from sidecar.settings import yes_no
from sidecar.sync.orders.accounts import GIFT_CARD_ACCOUNT
from sidecar.sync.orders.accounts import MARKETS
from sidecar.sync.orders.accounts import RATES
from sidecar.sync.orders.accounts import ROUNDING_ACCOUNT
from sidecar.sync.orders.accounts import AccountRules
from sidecar.sync.orders.accounts import all_table_keys

DOCUMENT_MODES = ("order", "invoice", "order_then_invoice")
UNKNOWN_ARTICLE_POLICIES = ("description_only", "create_article", "stop")
# Statuses that never export: unpaid, failed, abandoned, or undone before we saw them.
NEVER_EXPORTED = ("pending", "failed", "checkout-draft", "cancelled", "refunded", "trash")
PAYMENT_METHOD_FIELDS = {"skip", "document_mode", "bookkeep_invoice", "register_payment",
                         "terms_of_payment", "mode_of_payment"}


# An account override names its cell by market and rate, by market, or "*" (every market).
OVERRIDE_CELLS = ("*", *MARKETS, *(f"{m}.{r}" for m in MARKETS for r in RATES))


class AccountNumber(fields.Field):
    default_error_messages = {  # noqa: RUF012
        "null": "must be a four-digit account number",
        "invalid": "must be a four-digit account number",
        "range": "must be a four-digit account number (1000-9999)",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        text = str(value).strip()
        if isinstance(value, bool) or not (text.isascii() and text.isdigit()):
            raise self.make_error("invalid")
        if not 1000 <= int(text) <= 9999:
            raise self.make_error("range")
        return int(text)


class AccountOr(AccountNumber):
    """An account number; left empty, the default."""

    def deserialize(self, value: Any, attr: str | None = None,
                    data: Mapping[str, Any] | None = None, **kwargs: Any) -> int:
        return self.load_default if value in ("", None) else super().deserialize(value)


class TriggerStatuses(fields.Field):
    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        if not isinstance(value, list | tuple) or not value:
            raise ValidationError("pick at least one order status")
        bad = [s for s in value if not isinstance(s, str) or s in NEVER_EXPORTED]
        if bad:
            raise ValidationError(f"orders in {', '.join(map(str, bad))} are never exported")
        return [str(s) for s in value]


class OptionalDate(fields.Field):
    def deserialize(self, value: Any, attr: str | None = None,
                    data: Mapping[str, Any] | None = None, **kwargs: Any) -> str:
        if value in ("", None, missing):
            return ""
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValidationError("must be a date like 2025-01-31, or empty") from None


class PatternRules(fields.Field):
    """(pattern, code) pairs: a shipping method pattern with `*` and the Fortnox code."""

    def __init__(self, code_length: int, **kwargs: Any) -> None:
        super().__init__(load_default=list, **kwargs)
        self.code_length = code_length

    def _deserialize(self, value: Any, attr: str | None, data: Any,
                     **kwargs: Any) -> list[list[str]]:
        if not isinstance(value, list | tuple):
            raise ValidationError("must be a list of (pattern, code) pairs")
        rules = []
        for rule in value:
            if not (isinstance(rule, list | tuple) and len(rule) == 2
                    and all(isinstance(part, str) and part.strip() for part in rule)):
                raise ValidationError("each rule needs a pattern and a code")
            if len(rule[1].strip()) > self.code_length:
                raise ValidationError(f"codes are at most {self.code_length} characters")
            rules.append([rule[0].strip(), rule[1].strip()])
        return rules


class AccountOverrides(fields.Dict):
    """SKU or category → cells; a bare account number means the cell "*" (every market)."""

    default_error_messages = {"invalid": "must map a SKU or category to accounts"}  # noqa: RUF012

    def __init__(self) -> None:
        cells = fields.Dict(keys=fields.Raw(validate=OneOf(
            OVERRIDE_CELLS, error="unknown cells: {input}")), values=AccountNumber())
        super().__init__(keys=fields.String(), values=cells, load_default=dict)

    def _deserialize(self, value: Any, attr: str | None, data: Any,
                     **kwargs: Any) -> dict[str, dict[str, int]]:
        if isinstance(value, Mapping):
            value = {str(name): cells if isinstance(cells, Mapping) else {"*": cells}
                     for name, cells in value.items()}
        return super()._deserialize(value, attr, data, **kwargs)


class PaymentRulesSchema(Schema):
    """What a payment method changes of the export; each key left out keeps the shop's rule."""

    skip = YesNo()
    document_mode = choice(DOCUMENT_MODES)
    bookkeep_invoice = YesNo()
    register_payment = YesNo()
    terms_of_payment = Words(20)
    mode_of_payment = Words(20)


PAYMENT_RULES = PaymentRulesSchema()


class PaymentMethods(fields.Field):
    def _deserialize(self, value: Any, attr: str | None, data: Any,
                     **kwargs: Any) -> dict[str, dict[str, Any]]:
        if not isinstance(value, Mapping):
            raise ValidationError("must map payment method ids to their rules")
        clean: dict[str, dict[str, Any]] = {}
        for method, rules in value.items():
            if not isinstance(rules, Mapping) or set(rules) - PAYMENT_METHOD_FIELDS:
                raise ValidationError(f"rules for {method!r} may only set "
                                      + ", ".join(sorted(PAYMENT_METHOD_FIELDS)))
            clean[str(method)] = PAYMENT_RULES.load(rules)
        return clean


class Names(fields.Field):
    """Names (meta keys, SKUs, categories), stripped; empty ones left out."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ValidationError("must be a list of names")
        return [v.strip() for v in value if v.strip()]


def string_list(default: list[str]) -> fields.Field:
    return Names(load_default=lambda: list(default))


EXPORT = section({
    "export.trigger_statuses": TriggerStatuses(load_default=lambda: ["processing", "completed"]),
    "export.first_order_date": OptionalDate(load_default=""),
    "export.document_mode": choice(DOCUMENT_MODES, "invoice"),
    "export.bookkeep_invoice": yes_no(False),
    "export.register_payment": yes_no(False),
    "export.terms_of_payment": Words(20, load_default=""),
    "export.mode_of_payment": Words(20, load_default=""),
    "export.payment_methods": PaymentMethods(load_default=dict),
    "export.unknown_article": choice(UNKNOWN_ARTICLE_POLICIES, "description_only"),
    "export.shipping_as": choice(("row", "freight"), "row"),
    "export.way_of_delivery_rules": PatternRules(50),
    "export.terms_of_delivery_rules": PatternRules(20),
    "export.accounts": fields.Dict(
        keys=fields.Raw(validate=OneOf(all_table_keys(), error="unknown cells: {input}")),
        values=AccountNumber(), load_default=dict,
        error_messages={"invalid": "must map cells like 'se.goods.25' to account numbers"}),
    "export.accounts_by_sku": AccountOverrides(),
    "export.accounts_by_category": AccountOverrides(),
    "export.rounding_account": AccountNumber(load_default=ROUNDING_ACCOUNT),
    "export.our_reference": Words(50, load_default=""),
    "export.customer.match_by": choice(("email", "organisation_number"), "email"),
    "export.customer.organisation_number_meta_key": Words(100, load_default="_organisation_number"),
    "export.customer.vat_number_meta_keys": string_list(
        ["_billing_vat_number", "_vat_number", "vat_number"]),
    "export.customer.guests": choice(("own", "shared"), "own"),
    "export.customer.shared_guest_customer_number": Words(50, load_default=""),
    "export.credit_cancelled_invoices": yes_no(True),
    "export.gift_cards.skus": string_list([]),
    "export.gift_cards.categories": string_list([]),
    "export.gift_cards.account": AccountOr(load_default=GIFT_CARD_ACCOUNT),
    "export.stock.draw_down": yes_no(True),
    "export.stock.stock_point_code": Words(10, load_default=""),
})
SETTINGS = declared(EXPORT)


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
        v = read_values(EXPORT, values)
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
