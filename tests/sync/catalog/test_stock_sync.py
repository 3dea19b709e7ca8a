"""Stock from Fortnox (articles or Lager stock points) reaches WooCommerce's stock_quantity."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from sidecar.fields import utcnow
from sidecar.models import Shop
from sidecar.sync.catalog.settings import StockSettings
from sidecar.sync.catalog.stock_sync import StockSyncResult
from sidecar.sync.catalog.stock_sync import sync_stock
from tests.sync.two_sims import Sims
from tests.sync.two_sims import sim_servers_fixture  # noqa: F401 - fixture
from tests.sync.two_sims import sims_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def run(shop: Shop, sims: Sims, settings: StockSettings, **options: object) -> StockSyncResult:
    return sync_stock(shop, fortnox=sims.fortnox(), woo=sims.woo(), settings=settings,
                      now=options.pop("now", utcnow()), **options)  # type: ignore[arg-type]


def managed(sims: Sims, sku: str, quantity: int) -> None:
    sims.woo_product(sku, sku, regular_price="10.00", manage_stock=True, stock_quantity=quantity)


@pytest.mark.parametrize(("quantity", "expected"), [("available", 7), ("in_stock", 10)])
def test_article_stock_is_written_as_available_or_in_stock_as_the_owner_chooses(
    shop: Shop, sims: Sims, quantity: str, expected: int
) -> None:
    sims.article("MUG", "Mugg", stock="10")
    with sims.fortnox_state.lock:
        sims.fortnox_state.warehouse.reserve("MUG", "MAIN", Decimal(3))
    managed(sims, "MUG", 0)

    run(shop, sims, StockSettings(quantity=quantity))

    assert sims.woo_state("MUG")["stock_quantity"] == expected


def test_warehouse_stock_is_summed_over_the_two_chosen_of_three_stock_points(
    shop: Shop, sims: Sims
) -> None:
    sims.fortnox_gui("seed", {"stock_points": [{"code": "OUTLET", "name": "Outlet"}]})
    sims.article("MUG", "Mugg", stock="5")  # MAIN
    sims.fortnox_gui("articles/MUG", {"QuantityInStock": "7", "StockPointCode": "STORE"})
    sims.fortnox_gui("articles/MUG", {"QuantityInStock": "100", "StockPointCode": "OUTLET"})
    managed(sims, "MUG", 0)

    result = run(shop, sims, StockSettings(source="warehouse", quantity="in_stock",
                                           stock_points=("MAIN", "STORE")))

    assert sims.woo_state("MUG")["stock_quantity"] == 12
    assert result.written == 1
    balance_calls = [e for e in sims.fortnox_state.request_log if "stockbalance" in e["path"]]
    assert len(balance_calls) == 1


def test_only_changed_quantities_are_written(shop: Shop, sims: Sims) -> None:
    sims.article("MUG", "Mugg", stock="4")
    sims.article("CUP", "Kopp", stock="9")
    managed(sims, "MUG", 4)
    managed(sims, "CUP", 1)
    first = utcnow()

    result = run(shop, sims, StockSettings(), now=first)
    again = run(shop, sims, StockSettings(), now=first + timedelta(minutes=15))

    assert (result.compared, result.written) == (2, 1)
    assert sims.woo_state("CUP")["stock_quantity"] == 9
    assert again.written == 0 and again.woo_write_requests == 0


def test_a_stock_movement_in_fortnox_reaches_the_shop_in_the_next_run(
    shop: Shop, sims: Sims
) -> None:
    sims.article("MUG", "Mugg", stock="4")
    managed(sims, "MUG", 4)
    first = utcnow()
    run(shop, sims, StockSettings(), now=first)
    sims.fortnox_gui("articles/MUG", {"QuantityInStock": "2.5"})

    result = run(shop, sims, StockSettings(), now=first + timedelta(minutes=15))

    assert not result.full and sims.woo_state("MUG")["stock_quantity"] == 2


def test_the_stock_location_filter_syncs_only_articles_in_that_location(
    shop: Shop, sims: Sims
) -> None:
    sims.article("SHELF", "På hyllan", stock="3", stock_place="Hylla A")
    sims.article("CELLAR", "I källaren", stock="8", stock_place="Källare")
    managed(sims, "SHELF", 0)
    managed(sims, "CELLAR", 0)

    result = run(shop, sims, StockSettings(location="hylla a"))

    assert sims.woo_state("SHELF")["stock_quantity"] == 3
    assert sims.woo_state("CELLAR")["stock_quantity"] == 0
    assert result.other_location == 1


def test_a_product_that_does_not_manage_stock_is_left_alone(shop: Shop, sims: Sims) -> None:
    sims.article("GIFT", "Presentkort", stock="50")
    sims.woo_product("GIFT", "Presentkort", regular_price="100.00")

    result = run(shop, sims, StockSettings())

    assert sims.woo_state("GIFT")["stock_quantity"] is None
    assert (result.not_managed, result.written) == (1, 0)
    assert sims.woo_writes() == []
