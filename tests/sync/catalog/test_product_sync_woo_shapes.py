"""The product sync on what a real WooCommerce store sends (tests/fixtures/woocommerce/rest):
names HTML-escaped, variations named by WooCommerce and read without a `type`, and variations
batches that move whatever they are sent. Both simulators over HTTP, SQLite."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from sidecar.fields import utcnow
from sidecar.models import ProductLink
from sidecar.models import Shop
from sidecar.sim.woocommerce.snapshot import load_snapshot
from sidecar.sync.catalog.product_patch import shop_price
from sidecar.sync.catalog.product_sync import ProductSyncResult
from sidecar.sync.catalog.product_sync import sync_products
from sidecar.sync.catalog.products_report import products_report
from sidecar.sync.catalog.settings import DEFAULT_TAX_CLASSES
from sidecar.sync.catalog.settings import ProductSettings
from sidecar.sync.catalog.settings import StockSettings
from sidecar.sync.catalog.stock_sync import sync_stock
from sidecar.woocommerce.text import as_read
from tests.sim.woo_replay import captured
from tests.sync.two_sims import Sims
from tests.sync.two_sims import sim_servers_fixture  # noqa: F401 - fixture
from tests.sync.two_sims import sims_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
VAT_BY_CLASS = {slug: vat for vat, slug in DEFAULT_TAX_CLASSES.items()}


def run(shop: Shop, sims: Sims, **options: Any) -> ProductSyncResult:
    return sync_products(shop, fortnox=sims.fortnox(), woo=sims.woo(),
                         settings=ProductSettings(), now=options.pop("now", utcnow()), **options)


def captured_catalog() -> list[dict[str, Any]]:
    """The captured store's products and variations, as it had them before any write."""
    products = [p for p in captured("002") if p["id"] in (14, 15, 16, 17)]
    products += [p for p in captured("052") if p["id"] in (18, 19, 20)]
    return [*products, captured("006"), *({**v, "tax_class": "parent"} for v in captured("007"))]


def mirror_in_fortnox(sims: Sims, products: list[dict[str, Any]]) -> None:
    """Fortnox agreeing with the shop: the names as read, prices without VAT, grams. The
    variations' descriptions are Fortnox's own ("T-shirt S, Svart"), not WooCommerce's, and
    the variable T-shirt's article has a price (its cheapest variation's) it can't take."""
    for product in products:
        vat = VAT_BY_CLASS["" if product["tax_class"] == "parent" else product["tax_class"]]
        name = as_read(product["name"])
        if "type" not in product:
            name = f"T-shirt {name}"
        shown = product["regular_price"] or product["price"]
        gross = Decimal(shown) if shown else None
        net = (gross / (1 + Decimal(vat) / 100)).quantize(Decimal("0.01")) if gross else None
        assert not product["regular_price"] or shop_price(
            net, Decimal(vat), prices_include_tax=True) == gross  # type: ignore[arg-type]
        weight = int(Decimal(product["weight"]) * 1000) if product["weight"] else None
        sims.article(product["sku"], name, price=str(net) if net else None, vat=vat,
                     weight=weight)


def test_a_no_change_run_on_the_captured_shop_writes_nothing(shop: Shop, sims: Sims) -> None:
    products = captured_catalog()
    assert "Tidskrift Kaffe &amp; Co" in [p["name"] for p in products]
    assert {p["name"] for p in products if "type" not in p} >= {"S, Svart", "L, Vit"}
    with sims.woo_sim.store.lock:
        load_snapshot(sims.woo_sim.store, {"products": products})
    mirror_in_fortnox(sims, products)
    first = utcnow()

    full = run(shop, sims, now=first)
    later = run(shop, sims, now=first + timedelta(minutes=30))

    assert (full.full, full.compared, full.written, full.errors) == (True, 14, 0, {})
    assert (later.full, later.written) == (False, 0)
    assert sims.woo_writes() == []
    report = {row.sku: row for row in products_report(
        shop, fortnox=sims.fortnox(), woo=sims.woo(), settings=ProductSettings(), now=utcnow()
    ).rows}
    assert report["RW-MAG-001"].name == "Tidskrift Kaffe & Co"
    assert report["RW-TEE-BLK-M"].not_taken == ("name",)
    assert report["RW-TEE"].not_taken == ("regular_price",)
    assert report["RW-MUG-001"].not_taken == () and report["RW-MUG-001"].differs == ()


def test_a_name_woocommerce_would_change_is_written_once_and_reads_as_in_fortnox(
    shop: Shop, sims: Sims
) -> None:
    sims.article("MUG", 'Kaffe & Co "Special" <Ä> 5 > 3', price="100.00")
    sims.woo_product("MUG", "Kaffemugg", regular_price="125.00")
    first = utcnow()

    written = run(shop, sims, now=first)
    again = run(shop, sims, now=first + timedelta(hours=25))  # a full comparison again

    name = sims.woo_state("MUG")["name"]
    assert as_read(name) == 'Kaffe & Co "Special" <Ä> 5 > 3'
    assert (written.written, again.full, again.written) == (1, True, 0)


def test_a_variation_moved_in_the_shop_is_written_where_it_now_is(shop: Shop, sims: Sims) -> None:
    sims.article("TEE-S", "T-shirt S", price="200.00")
    sims.article("TEE-M", "T-shirt M", price="200.00")
    store = sims.woo_sim.store
    store.clock_offset = -timedelta(hours=1)  # made an hour ago: the next run reads none again
    old = sims.woo_variable("T-shirt", {"TEE-S": {"regular_price": "250.00"},
                                        "TEE-M": {"regular_price": "250.00"}})
    new = sims.woo_variable("Tröja", {"TROJA-M": {"regular_price": "100.00"}})
    store.clock_offset = timedelta(0)
    first = utcnow()
    run(shop, sims, now=first)
    # Moved by something that neither saved it nor told the sidecar (an import writing to the
    # database): the link still names the old parent, and no date says it changed.
    with store.lock:
        moved = store.find_sku("TEE-M")
        assert moved is not None
        old["variations"].remove(moved["id"])
        new["variations"].append(moved["id"])
        moved["parent_id"] = new["id"]
    sims.fortnox_gui("articles/TEE-M", {"Price": "240.00"})
    sims.fortnox_gui("clock", {"advance_seconds": 600})

    result = run(shop, sims, now=first + timedelta(minutes=10))

    assert (result.written, result.errors) == (1, {})
    assert sims.woo_state("TEE-M")["parent_id"] == new["id"]  # not moved back by the batch
    assert sims.woo_state("TEE-M")["regular_price"] == "300.00"
    assert [w for w in sims.woo_writes() if "variations/batch" in w][-1] == \
        f"POST /wp-json/wc/v3/products/{new['id']}/variations/batch"
    assert ProductLink.get(ProductLink.sku == "TEE-M").woo_parent_id == new["id"]


def test_stock_goes_in_the_same_batch_as_product_data(shop: Shop, sims: Sims) -> None:
    sims.article("MUG", "Mugg", price="100.00", stock="10")
    sims.article("CUP", "Kopp", price="50.00", stock="4")
    sims.woo_product("MUG", "Mugg", regular_price="125.00", manage_stock=True, stock_quantity=10)
    sims.woo_product("CUP", "Kopp", regular_price="62.50", manage_stock=True, stock_quantity=4)
    first = utcnow()
    run(shop, sims, now=first, stock=StockSettings())
    sims.fortnox_gui("articles/MUG", {"Price": "120.00"})
    sims.fortnox_gui("articles/CUP", {"QuantityInStock": "7"})
    sims.fortnox_gui("clock", {"advance_seconds": 600})
    writes_before = len(sims.woo_writes())

    products = run(shop, sims, now=first + timedelta(minutes=10), stock=StockSettings())
    stock = sync_stock(shop, fortnox=sims.fortnox(), woo=sims.woo(), settings=StockSettings(),
                       now=first + timedelta(minutes=11))

    assert (products.written, products.woo_write_requests) == (2, 1)
    assert (stock.written, stock.woo_write_requests) == (0, 0)
    assert len(sims.woo_writes()) == writes_before + 1
    assert (sims.woo_state("MUG")["regular_price"], sims.woo_state("CUP")["stock_quantity"]) \
        == ("150.00", 7)
