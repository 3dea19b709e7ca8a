"""The catalog client against the WooCommerce simulator over HTTP, on what the real store showed
(tests/fixtures/woocommerce/rest): escaped names, variations named by WooCommerce, and the two
ways a wrong parent is met (403 on a single PUT, a silent move in a batch)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sidecar.sim.server import serve_in_thread
from sidecar.sim.woocommerce import WooSim
from sidecar.sim.woocommerce import WooSimConfig
from sidecar.sim.woocommerce import create_app
from sidecar.woocommerce import WooAuthError
from sidecar.woocommerce import WooClient
from sidecar.woocommerce import WooWrongParent
from sidecar.woocommerce.text import as_read
from sidecar.woocommerce.text import for_shop
from sidecar.woocommerce.text import same_name


@pytest.fixture(scope="module", name="served")
def served_fixture() -> Iterator[tuple[WooSim, WooClient]]:
    app = create_app(WooSimConfig())
    server = serve_in_thread(app)
    sim: WooSim = app.extensions["woocommerce_sim"]
    yield sim, WooClient(server.url, sim.config.consumer_key, sim.config.consumer_secret)
    sim.sender.stop()
    server.stop()


@pytest.fixture(name="shop")
def shop_fixture(served: tuple[WooSim, WooClient]) -> tuple[WooSim, WooClient]:
    served[0].reset()
    return served


def tee(sim: WooSim, sku: str = "TEE-M") -> tuple[dict[str, Any], dict[str, Any]]:
    """A variable T-shirt with one variation, size M."""
    store = sim.store
    with store.lock:
        parent = store.create_product({"name": "T-shirt", "type": "variable", "attributes": [
            {"name": "Storlek", "options": ["M"], "variation": True}]})
        variation = store.create_product(
            {"sku": sku, "regular_price": "249", "manage_stock": True, "stock_quantity": 3,
             "attributes": [{"name": "Storlek", "option": "M"}]}, parent_id=parent["id"])
    return parent, variation


def test_a_name_sent_as_for_shop_is_stored_and_read_back_as_written(shop) -> None:
    _, woo = shop
    for plain in ('Kaffe & Co "Special" <Ä> 5 > 3', "Back\\slash", "Mugg, blå"):
        created = woo.create_product({"name": for_shop(plain), "type": "simple"})
        assert as_read(woo.get_product(created["id"])["name"]) == plain
        assert same_name(created["name"], for_shop(plain))
    assert as_read("Kaffe &amp; Co <b>Extra</b>") == "Kaffe & Co Extra"  # as a shopper reads it
    # Sent as it is, WooCommerce would have changed it (001, 013): the reason for for_shop.
    raw = woo.create_product({"name": "Kaffe & Co <Ä>", "type": "simple"})
    assert raw["name"] == "Kaffe &amp; Co"


def test_a_variation_is_named_by_woocommerce_whatever_is_sent(shop) -> None:
    sim, woo = shop
    parent, variation = tee(sim)

    woo.update_product(variation["id"], {"name": "T-shirt röd M"}, parent_id=parent["id"])

    listed = list(woo.iter_variations(parent["id"]))
    assert [v["name"] for v in listed] == ["M"]
    assert "type" not in listed[0]
    assert woo.find_by_sku("TEE-M").data["name"] == "T-shirt - M"  # type: ignore[union-attr]


def test_a_put_through_the_wrong_parent_is_not_an_authentication_failure(shop) -> None:
    sim, woo = shop
    parent, variation = tee(sim)
    other = woo.create_product({"name": "Kaffekopp", "type": "simple"})

    with pytest.raises(WooWrongParent) as caught:
        woo.update_product(variation["id"], {"regular_price": "1"}, parent_id=other["id"])

    assert not isinstance(caught.value, WooAuthError)
    assert caught.value.parent_id == parent["id"]
    assert caught.value.retryable is False
    assert sim.store.products[variation["id"]]["regular_price"] == "249"  # nothing changed


def test_variation_ids_names_only_the_variations_under_that_parent(shop) -> None:
    sim, woo = shop
    parent, variation = tee(sim)
    other, stray = tee(sim, "TEE-M-2")

    assert woo.variation_ids(parent["id"], [variation["id"], stray["id"]]) == {variation["id"]}
    assert woo.variation_ids(other["id"], [variation["id"]]) == set()


def test_a_variations_batch_moves_what_it_is_sent_as_woocommerce_does(shop) -> None:
    # Why the sync checks a parent before batching (034, 035): nothing refuses it.
    sim, woo = shop
    parent, variation = tee(sim)
    other, _ = tee(sim, "TEE-M-2")

    result = woo.batch_variations(other["id"], update=[{"id": variation["id"], "sku": "TEE-M"}])

    assert result.ok and result.updated[0]["parent_id"] == other["id"]
    assert woo.variation_ids(parent["id"], [variation["id"]]) == set()
