"""Product data from Fortnox reaches WooCommerce: both simulators over HTTP, SQLite."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sidecar.fields import utcnow
from sidecar.models import ActivityEntry
from sidecar.models import ProductLink
from sidecar.models import Shop
from sidecar.sync.catalog.product_sync import ProductSyncResult
from sidecar.sync.catalog.product_sync import sync_products
from sidecar.sync.catalog.settings import ProductSettings
from tests.sync.two_sims import Sims
from tests.sync.two_sims import sim_servers_fixture  # noqa: F401 - fixture
from tests.sync.two_sims import sims_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def run(shop: Shop, sims: Sims, settings: ProductSettings | None = None,
        **options: object) -> ProductSyncResult:
    return sync_products(shop, fortnox=sims.fortnox(), woo=sims.woo(),
                         settings=settings or ProductSettings(),
                         now=options.pop("now", utcnow()), **options)  # type: ignore[arg-type]


def test_a_full_sync_brings_name_price_with_vat_weight_and_tax_class_over(
    shop: Shop, sims: Sims
) -> None:
    sims.article("MUG", "Kaffemugg, blå", price="100.00", vat="25", weight=400)
    sims.article("BOOK", "Kokbok", price="200.00", vat="6", weight=1250)
    sims.woo_product("MUG", "Mugg", regular_price="99.00", weight="0.5", tax_class="")
    sims.woo_product("BOOK", "Kokbok", regular_price="212.00", weight="1.25",
                     tax_class="reduced-rate")

    result = run(shop, sims)

    mug, book = sims.woo_state("MUG"), sims.woo_state("BOOK")
    assert (mug["name"], mug["regular_price"], mug["weight"]) == ("Kaffemugg, blå", "125.00", "0.4")
    assert (book["regular_price"], book["tax_class"]) == ("212.00", "super-reduced-rate")
    assert result.full and result.written == 2 and result.woo_write_requests == 1


def test_a_shop_entering_prices_without_vat_gets_the_price_list_price_and_grams_stay_grams(
    shop: Shop, sims: Sims
) -> None:
    sims.woo_sim.config.prices_include_tax = False
    sims.woo_sim.config.weight_unit = "g"
    sims.article("MUG", "Mugg", price="79.20", weight=400)
    sims.woo_product("MUG", "Mugg", regular_price="99.00", weight="")

    run(shop, sims)

    assert (sims.woo_state("MUG")["regular_price"], sims.woo_state("MUG")["weight"]) == (
        "79.20", "400")


def test_only_fields_that_differ_are_sent_and_an_unchanged_catalog_writes_nothing(
    shop: Shop, sims: Sims
) -> None:
    sims.article("MUG", "Mugg", price="100.00", weight=400)
    sims.woo_product("MUG", "Mugg", regular_price="110.00", weight="0.4")
    first = utcnow()
    run(shop, sims, now=first)
    sent = [e for e in sims.woo_sim.request_log if e["method"] == "POST"]

    second = run(shop, sims, now=first + timedelta(minutes=30))

    assert len(sent) == 1 and sims.woo_state("MUG")["regular_price"] == "125.00"
    assert not second.full and second.written == 0
    assert len([e for e in sims.woo_sim.request_log if e["method"] == "POST"]) == 1


def test_a_price_changed_in_fortnox_reaches_the_shop_in_the_next_incremental_run(
    shop: Shop, sims: Sims
) -> None:
    sims.article("MUG", "Mugg", price="100.00")
    sims.woo_product("MUG", "Mugg", regular_price="125.00")
    first = utcnow()
    run(shop, sims, now=first)
    sims.fortnox_gui("articles/MUG", {"Price": "120.00"})
    sims.fortnox_gui("clock", {"advance_seconds": 600})

    result = run(shop, sims, now=first + timedelta(minutes=10))

    assert not result.full and result.written == 1
    assert sims.woo_state("MUG")["regular_price"] == "150.00"


def test_variations_are_written_through_their_parent(shop: Shop, sims: Sims) -> None:
    sims.article("TEE-S", "T-shirt S", price="200.00")
    sims.article("TEE-M", "T-shirt M", price="240.00")
    parent = sims.woo_variable("T-shirt", {"TEE-S": {"regular_price": "249.00"},
                                           "TEE-M": {"regular_price": "300.00"}})

    result = run(shop, sims)

    assert sims.woo_state("TEE-S")["regular_price"] == "250.00"
    assert sims.woo_state("TEE-M")["regular_price"] == "300.00"  # already right: untouched
    assert sims.woo_state("TEE-S")["name"] == "T-shirt - S"  # WooCommerce's own name
    assert sims.woo_writes() == [f"POST /wp-json/wc/v3/products/{parent['id']}/variations/batch"]
    assert result.written == 1


def test_a_sku_in_only_one_system_is_counted_and_never_matched(shop: Shop, sims: Sims) -> None:
    sims.article("ONLY-FN", "Bara i Fortnox", price="10.00")
    sims.woo_product("ONLY-WOO", "Bara i butiken", regular_price="10.00")

    result = run(shop, sims)

    assert (result.only_fortnox, result.only_woo, result.written) == (1, 1, 0)
    links = {link.sku: link for link in ProductLink.select()}
    assert links["ONLY-FN"].woo_product_id is None
    assert links["ONLY-WOO"].fortnox_article_number is None


def test_toggled_off_fields_are_left_as_the_shop_has_them(shop: Shop, sims: Sims) -> None:
    sims.article("MUG", "Fortnox-namn", price="100.00", weight=900)
    sims.woo_product("MUG", "Butiksnamn", regular_price="1.00", weight="0.1")

    run(shop, sims, ProductSettings(sync_name=False, sync_weight=False))

    mug = sims.woo_state("MUG")
    assert (mug["name"], mug["weight"], mug["regular_price"]) == ("Butiksnamn", "0.1", "125.00")


def test_a_vat_rate_mapped_to_a_missing_tax_class_is_reported_not_written(
    shop: Shop, sims: Sims
) -> None:
    from decimal import Decimal

    sims.article("FOOD", "Kaffe", price="100.00", vat="12")
    sims.woo_product("FOOD", "Kaffe", regular_price="112.00", tax_class="")
    settings = ProductSettings(tax_class_by_vat={Decimal(12): "food-rate"})

    result = run(shop, sims, settings)

    assert sims.woo_state("FOOD")["tax_class"] == ""
    assert [p.vat for p in result.tax_class_problems] == [Decimal(12)]
    assert ActivityEntry.get(ActivityEntry.workflow == "products").subject == \
        "No tax class for 12 % VAT"


def test_a_product_the_shop_refuses_is_reported_by_sku(shop: Shop, sims: Sims) -> None:
    sims.article("MUG", "Mugg", price="100.00")
    made = sims.woo_product("MUG", "Mugg", regular_price="125.00")
    first = utcnow()
    run(shop, sims, now=first)
    with sims.woo_sim.store.lock:  # deleted in the shop; the sidecar has not heard yet
        del sims.woo_sim.store.products[made["id"]]
    sims.fortnox_gui("articles/MUG", {"Price": "120.00"})

    result = run(shop, sims, now=first + timedelta(minutes=10))

    assert list(result.errors) == ["MUG"]
    entry = ActivityEntry.get(ActivityEntry.workflow == "products")
    assert entry.level == "error" and "MUG" in entry.message
