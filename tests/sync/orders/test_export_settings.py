"""The owner's export settings: declared defaults, and refusals that say what to fix."""

from __future__ import annotations

import pytest

from sidecar import settings
from sidecar.settings import SettingError
from sidecar.sync.orders.settings import ExportSettings


def test_every_export_setting_is_declared_with_its_default() -> None:
    assert settings.SPECS["export.trigger_statuses"].default == ["processing", "completed"]
    assert settings.SPECS["export.rounding_account"].default == 3740
    assert settings.SPECS["export.unknown_article"].default == "description_only"


def test_defaults_build_a_working_settings_object() -> None:
    export = ExportSettings.from_values("shop", {})
    assert export.trigger_statuses == ("processing", "completed")
    assert export.document_mode == "invoice" and export.shipping_as == "row"


@pytest.mark.parametrize(("key", "value", "message"), [
    ("export.trigger_statuses", ["pending"], "never exported"),
    ("export.document_mode", "both", "must be one of"),
    ("export.rounding_account", 374, "four-digit"),
    ("export.accounts", {"se.goods.30": 3001}, "unknown cells"),
    ("export.way_of_delivery_rules", [["DHL*"]], "pattern and a code"),
    ("export.first_order_date", "23/11/2026", "date like"),
    ("export.payment_methods", {"bacs": {"pay": True}}, "may only set"),
    ("export.payment_methods", {"bacs": {"document_mode": "both"}}, "must be one of"),
    ("export.payment_methods", {"bacs": {"skip": "yes"}}, "on or off"),
    ("export.rounding_account", "¹⁰⁰⁰", "four-digit"),
    ("export.accounts", {"se.goods.25": "３０１１"}, "four-digit"),
    ("export.accounts_by_sku", {"MUG": {"se.goods.25": 3011}}, "unknown cells: se.goods.25"),
    ("export.accounts_by_category", {"mugs": {"se": "abc"}}, "four-digit"),
    ("export.accounts_by_sku", ["MUG", 3011], "must map a SKU or category"),
    ("export.gift_cards.account", 999, "four-digit"),
    ("export.customer.vat_number_meta_keys", "vat", "list of names"),
    ("export.terms_of_payment", "x" * 21, "at most 20 characters"),
    ("export.bookkeep_invoice", None, "on or off"),
])
def test_bad_values_are_refused_with_a_reason(key: str, value, message: str) -> None:
    with pytest.raises(SettingError, match=message):
        ExportSettings.from_values("shop", {key: value})


def test_a_refusal_names_the_setting() -> None:
    with pytest.raises(SettingError) as refused:
        ExportSettings.from_values("shop", {"export.document_mode": "order",
                                            "export.rounding_account": "3740x"})
    assert refused.value.key == "export.rounding_account"


def test_an_override_names_a_market_a_market_and_rate_or_every_market() -> None:
    export = ExportSettings.from_values("shop", {"export.accounts_by_category": {
        "mugs": {"*": 3011, "eu": "3106", "se.12": 3002}}})
    assert export.accounts.by_category == {"mugs": {"*": 3011, "eu": 3106, "se.12": 3002}}


def test_a_bare_account_override_applies_to_every_market() -> None:
    export = ExportSettings.from_values("shop", {"export.accounts_by_sku": {"X": "3011"}})
    assert export.accounts.by_sku == {"X": {"*": 3011}}
