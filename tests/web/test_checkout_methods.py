"""Payment and shipping methods are picked from the shop's own lists (WooCommerce's
payment_gateways and shipping zones, here the simulator's over HTTP), with codes and patterns
still accepted as typed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from sidecar import settings
from sidecar.models import Shop
from sidecar.sim.server import RunningServer
from sidecar.sim.server import serve_in_thread
from sidecar.sim.woocommerce import WooSimConfig
from sidecar.sim.woocommerce import create_app as create_woocommerce
from sidecar.web import choices
from sidecar.woo_access import woo_client_for
from tests.web.conftest import post_form


@pytest.fixture(name="woo_shop")
def _woo_shop(web_shop: Shop) -> Iterator[Shop]:
    """The shop connected to the WooCommerce simulator."""
    server: RunningServer = serve_in_thread(create_woocommerce(WooSimConfig(seed=True)))
    store = server.server.app.extensions["woocommerce_sim"].store
    Shop.update(woo_url=server.url, woo_consumer_key=store.config.consumer_key,
                woo_consumer_secret=store.config.consumer_secret).execute()
    choices.forget(web_shop)
    yield Shop.get_by_id(web_shop.id)
    choices.forget(web_shop)
    server.stop()


def test_the_client_reads_the_shops_payment_and_shipping_methods(woo_shop: Shop) -> None:
    client = woo_client_for(woo_shop)

    assert [m.id for m in client.payment_gateways()] == ["bacs", "cheque", "cod"]
    assert [(m.title, m.id, m.zone) for m in client.shipping_methods()] == [
        ("Fast frakt", "flat_rate", "Sverige"), ("Fri frakt", "free_shipping", "Sverige"),
        ("Hämta i butik", "local_pickup", "Sverige")]


def test_the_fields_offer_the_shops_methods_and_still_take_a_code(signed_in: FlaskClient,
                                                                  woo_shop: Shop) -> None:
    export = signed_in.get("/settings/export").text
    shipping = signed_in.get("/settings/shipping").text

    assert 'list="woo-payment-methods"' in export
    assert '<option value="bacs">bacs – Direct bank transfer</option>' in export
    assert 'list="woo-shipping-methods"' in shipping
    assert '<option value="Fast frakt">Fast frakt (Sverige, flat_rate)</option>' in shipping

    saved = post_form(signed_in, "/settings/sync/shipping", {
        "export.way_of_delivery_rules.pattern": ["Fast frakt", "DHL*"],
        "export.way_of_delivery_rules.code": ["P", "DHL"]})
    assert saved.status_code == 302
    assert settings.get(woo_shop, "export.way_of_delivery_rules") == [["Fast frakt", "P"],
                                                                       ["DHL*", "DHL"]]
