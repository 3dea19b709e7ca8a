"""The products report and its actions, against both simulators over HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sidecar.fields import utcnow
from sidecar.models import ProductLink
from sidecar.models import Shop
from sidecar.sync.catalog.product_create import CreateRefused
from sidecar.sync.catalog.product_create import create_fortnox_article
from sidecar.sync.catalog.product_create import create_woo_product
from sidecar.sync.catalog.products_report import products_report
from sidecar.sync.catalog.settings import ProductSettings
from tests.sync.two_sims import Sims
from tests.sync.two_sims import sim_servers_fixture  # noqa: F401 - fixture
from tests.sync.two_sims import sims_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def report(shop: Shop, sims: Sims, *, refresh: bool = True):  # type: ignore[no-untyped-def]
    return products_report(shop, fortnox=sims.fortnox(), woo=sims.woo(),
                           settings=ProductSettings(), now=utcnow(), refresh=refresh)


def test_the_report_places_every_sku_and_names_the_fields_that_differ(
    shop: Shop, sims: Sims
) -> None:
    sims.article("SAME", "Lika", price="100.00", weight=400)
    sims.article("DIFF", "Nytt namn", price="100.00", weight=400)
    sims.article("FN-ONLY", "Bara Fortnox", price="1.00")
    sims.woo_product("SAME", "Lika", regular_price="125.00", weight="0.4")
    sims.woo_product("DIFF", "Gammalt namn", regular_price="99.00", weight="0.4")
    sims.woo_product("WOO-ONLY", "Bara butiken", regular_price="1.00")

    built = report(shop, sims)

    rows = {row.sku: row for row in built.rows}
    assert {sku: row.where for sku, row in rows.items()} == {
        "SAME": "both", "DIFF": "both", "FN-ONLY": "only_fortnox", "WOO-ONLY": "only_woo"}
    assert rows["DIFF"].differs == ("name", "regular_price") and rows["SAME"].differs == ()
    assert built.counts() == {"both": 2, "only_fortnox": 1, "only_woo": 1, "differing": 1}
    assert sims.woo_writes() == []  # a report never writes


def test_the_report_without_refresh_shows_what_was_stored_and_refresh_updates_it(
    shop: Shop, sims: Sims
) -> None:
    sims.article("MUG", "Mugg", price="100.00")
    sims.woo_product("MUG", "Mugg", regular_price="125.00")
    report(shop, sims)
    sims.fortnox_gui("articles/MUG", {"Description": "Kaffemugg"})

    stale = report(shop, sims, refresh=False)
    fresh = report(shop, sims, refresh=True)

    assert stale.rows[0].differs == ()
    assert fresh.rows[0].differs == ("name",)


def test_a_fortnox_article_becomes_a_draft_woo_product_with_its_price_and_stock(
    shop: Shop, sims: Sims
) -> None:
    sims.article("BOOK", "Kokbok", price="200.00", vat="6", weight=1250, stock="7")

    created = create_woo_product(shop, "BOOK", fortnox=sims.fortnox(), woo=sims.woo(),
                                 settings=ProductSettings(), now=utcnow())

    product = sims.woo_state("BOOK")
    assert (product["name"], product["regular_price"], product["weight"]) == (
        "Kokbok", "212.00", "1.25")
    assert (product["tax_class"], product["status"], product["stock_quantity"]) == (
        "super-reduced-rate", "draft", 7)
    link = ProductLink.get(ProductLink.sku == "BOOK")
    assert str(link.woo_product_id) == created.identifier and link.fortnox_article_number


def test_a_woo_product_becomes_a_fortnox_article_with_its_net_price(
    shop: Shop, sims: Sims
) -> None:
    sims.woo_product("CUP", "Kopp", regular_price="125.00", weight="0.3", manage_stock=True,
                     stock_quantity=3, tax_class="reduced-rate")

    create_fortnox_article(shop, "CUP", fortnox=sims.fortnox(), woo=sims.woo(),
                           settings=ProductSettings(), now=utcnow())

    article = sims.fortnox_state.article_view(sims.fortnox_state.article("CUP"))
    assert (article["Description"], article["VAT"], article["Weight"]) == ("Kopp", 12, 300)
    assert article["SalesPrice"] == Decimal("111.61")  # 125.00 / 1.12, to the öre
    assert report(shop, sims, refresh=False).rows[0].where == "both"


def test_creating_a_sku_that_exists_or_cant_exist_is_refused_with_the_reason(
    shop: Shop, sims: Sims
) -> None:
    sims.article("MUG", "Mugg", price="1.00")
    sims.woo_product("MUG", "Mugg")
    sims.woo_product("BAD SKU!", "Konstig")
    kwargs = {"fortnox": sims.fortnox(), "woo": sims.woo(), "settings": ProductSettings(),
              "now": utcnow()}

    with pytest.raises(CreateRefused, match="already has a product with SKU MUG"):
        create_woo_product(shop, "MUG", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(CreateRefused, match="already has an article MUG"):
        create_fortnox_article(shop, "MUG", **kwargs)  # type: ignore[arg-type]
    with pytest.raises(CreateRefused, match="can't be a Fortnox article number"):
        create_fortnox_article(shop, "BAD SKU!", **kwargs)  # type: ignore[arg-type]
