"""Fortnox article → WooCommerce product patch, and the stock quantity rule: pure table tests."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from sidecar.settings import SettingError
from sidecar.sync.catalog.product_patch import FieldRules
from sidecar.sync.catalog.product_patch import FortnoxValues
from sidecar.sync.catalog.product_patch import WooValues
from sidecar.sync.catalog.product_patch import product_patch
from sidecar.sync.catalog.product_patch import shop_price
from sidecar.sync.catalog.product_patch import shop_quantity
from sidecar.sync.catalog.product_patch import shop_weight
from sidecar.sync.catalog.product_patch import valid_tax_classes
from sidecar.sync.catalog.settings import ProductSettings
from sidecar.sync.catalog.settings import StockSettings

SWEDISH = {Decimal(25): "", Decimal(12): "reduced-rate", Decimal(6): "super-reduced-rate",
           Decimal(0): "zero-rate"}
RULES = FieldRules(name=True, price=True, weight=True, tax_class=True, prices_include_tax=True,
                   weight_unit="kg", tax_class_by_vat=SWEDISH)
ARTICLE = FortnoxValues(description="Kaffemugg", price=Decimal("79.20"), vat=Decimal(25),
                        weight_grams=Decimal(400), in_stock=Decimal(5), available=Decimal(4),
                        stock_place="")
SAME = WooValues(type="simple", name="Kaffemugg", regular_price="99.00", weight="0.4",
                 tax_class="", manage_stock=True, stock_quantity=4)


@pytest.mark.parametrize(("net", "vat", "include", "expected"), [
    ("79.20", "25", True, "99.00"),
    ("79.20", "25", False, "79.20"),
    ("224.53", "6", True, "238.00"),   # 238.0018 rounds to the öre
    ("10.005", "0", False, "10.01"),   # half up, as Fortnox rounds
    ("89.29", "12", True, "100.00"),   # 100.0048
])
def test_price_list_prices_exclude_vat_and_the_shop_gets_its_own_convention(
    net: str, vat: str, include: bool, expected: str
) -> None:
    assert shop_price(Decimal(net), Decimal(vat), prices_include_tax=include) == Decimal(expected)


@pytest.mark.parametrize(("grams", "unit", "expected"), [
    ("400", "kg", "0.400"), ("1250", "kg", "1.250"), ("400", "g", "400"),
    ("1000", "lbs", "2.205"), ("100", "oz", "3.53"),
])
def test_fortnox_grams_become_the_shops_weight_unit(grams: str, unit: str, expected: str) -> None:
    assert shop_weight(Decimal(grams), unit) == Decimal(expected)


def test_a_product_that_already_matches_needs_no_patch() -> None:
    assert product_patch(ARTICLE, SAME, RULES) == {}
    assert product_patch(ARTICLE, replace(SAME, regular_price="99"), RULES) == {}


def test_only_the_fields_that_differ_are_in_the_patch() -> None:
    woo = replace(SAME, name="Mugg", weight="0.5", tax_class="reduced-rate")

    assert product_patch(ARTICLE, woo, RULES) == {"name": "Kaffemugg", "weight": "0.4",
                                                  "tax_class": ""}


def test_variations_keep_woocommerces_name_and_variable_parents_get_no_price() -> None:
    variation = replace(SAME, type="variation", name="T-shirt - S", regular_price="1.00")
    parent = replace(SAME, type="variable", regular_price="")

    assert product_patch(ARTICLE, variation, RULES) == {"regular_price": "99.00"}
    assert product_patch(ARTICLE, parent, RULES) == {}


def test_a_missing_or_zero_price_and_a_missing_weight_are_never_written() -> None:
    bare = replace(ARTICLE, price=Decimal(0), weight_grams=None)

    assert product_patch(bare, replace(SAME, regular_price="5.00", weight=""), RULES) == {}


def test_a_vat_rate_without_a_usable_tax_class_is_left_out_and_reported() -> None:
    usable, problems = valid_tax_classes({Decimal(12): "food", Decimal(25): "standard"},
                                         {"standard", "reduced-rate"})
    rules = replace(RULES, tax_class_by_vat=usable)
    food = replace(ARTICLE, vat=Decimal(12))

    assert usable == {Decimal(25): ""}
    assert [(p.vat, p.reason) for p in problems] == [
        (Decimal(12), "the shop has no tax class 'food'")]
    assert "tax_class" not in product_patch(food, replace(SAME, tax_class="x"), rules)


@pytest.mark.parametrize(("fortnox", "shop_has"), [("2.99", 2), ("-3", 0), ("0", 0), ("12", 12)])
def test_stock_rounds_down_to_whole_items_and_never_goes_negative(
    fortnox: str, shop_has: int
) -> None:
    assert shop_quantity(Decimal(fortnox)) == shop_has


def test_settings_read_from_stored_values_and_refuse_nonsense() -> None:
    settings = ProductSettings.from_values({"products.tax_class_by_vat": {"12": "standard"},
                                            "products.price_list": " B "})
    stock = StockSettings.from_values({"stock.stock_points": ["STORE", " MAIN", "STORE"]})

    assert settings.tax_class_by_vat == {Decimal(12): ""} and settings.price_list == "B"
    assert stock.stock_points == ("MAIN", "STORE")
    with pytest.raises(SettingError, match="unknown VAT rates: 13"):
        ProductSettings.from_values({"products.tax_class_by_vat": {"13": ""}})
    with pytest.raises(SettingError, match="must be one of available, in_stock"):
        StockSettings.from_values({"stock.quantity": "reserved"})
