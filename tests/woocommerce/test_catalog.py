"""Products: SKU lookup across variations, writes through the parent, checked batches."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from decimal import Decimal
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest

from sidecar.woocommerce import ProductRef
from sidecar.woocommerce import TaxClass
from sidecar.woocommerce import WooAuthError
from sidecar.woocommerce import WooClient
from sidecar.woocommerce import parse_money
from sidecar.woocommerce.batch import chunked

STORE = "https://shop.example"
API = f"{STORE}/wp-json/wc/v3"


@pytest.fixture
def woo() -> WooClient:
    """A client for an https shop."""
    return WooClient(STORE, "ck_test", "cs_test", sleep=lambda _: None)


def echo_batch(request, context) -> dict:
    """WooCommerce's batch answer: each item back, and an error for SKU 'DUPE'."""
    body = request.json()
    answer: dict = {}
    for action in ("create", "update"):
        answer[action] = [
            {
                "id": 0,
                "error": {
                    "code": "product_invalid_sku",
                    "message": "Invalid or duplicated SKU.",
                    "data": {"status": 400},
                },
            }
            if item.get("sku") == "DUPE"
            else {"id": item.get("id", 900), "sku": item.get("sku", "")}
            for item in body.get(action, [])
        ]
    answer["delete"] = [{"id": item_id} for item_id in body.get("delete", [])]
    return answer


def test_it_finds_a_variation_by_sku_with_its_parent(woo, requests_mock):
    requests_mock.get(
        f"{API}/products",
        json=[
            {
                "id": 31,
                "sku": "TEE-RED-L",
                "type": "variation",
                "parent_id": 30,
                "regular_price": "249.00",
            },
        ],
    )

    found = woo.find_by_sku("TEE-RED-L")

    assert found is not None
    assert (found.id, found.parent_id, found.is_variation) == (31, 30, True)
    assert found.endpoint == "products/30/variations/31"
    assert found.regular_price == Decimal("249.00")
    sent = parse_qs(urlsplit(requests_mock.last_request.url).query)
    assert sent["sku"] == ["TEE-RED-L"]


def test_it_finds_a_simple_product_by_sku(woo, requests_mock):
    requests_mock.get(
        f"{API}/products", json=[{"id": 87, "sku": "MUG-BLU", "type": "simple", "parent_id": 0}]
    )

    found = woo.find_by_sku("MUG-BLU")

    assert found == ProductRef(id=87, sku="MUG-BLU", parent_id=None, data=found.data)
    assert found.endpoint == "products/87"


def test_it_ignores_products_whose_sku_only_resembles_the_one_asked_for(woo, requests_mock):
    requests_mock.get(f"{API}/products", json=[{"id": 1, "sku": "MUG-BLU-2", "type": "simple"}])

    assert woo.find_by_sku("MUG-BLU") is None


def test_it_updates_a_variation_through_its_parent(woo, requests_mock):
    requests_mock.put(f"{API}/products/30/variations/31", json={"id": 31})

    woo.update_product(31, {"stock_quantity": 4, "manage_stock": True}, parent_id=30)

    assert requests_mock.last_request.json() == {"stock_quantity": 4, "manage_stock": True}


def test_it_updates_a_product_directly(woo, requests_mock):
    requests_mock.put(f"{API}/products/87", json={"id": 87})

    woo.update_product(87, {"regular_price": Decimal("95.50")})

    assert requests_mock.last_request.json() == {"regular_price": "95.50"}


def test_it_splits_a_batch_of_250_into_requests_of_at_most_100(woo, requests_mock):
    requests_mock.post(f"{API}/products/batch", json=echo_batch)
    updates = [{"id": i, "sku": f"SKU-{i}", "stock_quantity": i} for i in range(1, 251)]

    result = woo.batch_products(update=updates)

    sizes = [len(r.json()["update"]) for r in requests_mock.request_history]
    assert sizes == [100, 100, 50]
    assert result.requests == 3
    assert [item["id"] for item in result.updated] == list(range(1, 251))
    assert result.ok


def test_it_surfaces_the_items_woocommerce_refused(woo, requests_mock):
    requests_mock.post(f"{API}/products/batch", json=echo_batch)
    creates = [{"sku": "NEW-1", "name": "One"}, {"sku": "DUPE", "name": "Two"}]

    result = woo.batch_products(create=creates)

    assert not result.ok
    assert [p["sku"] for p in result.created] == ["NEW-1"]
    [error] = result.errors
    assert (error.action, error.sku, error.code, error.status) == (
        "create",
        "DUPE",
        "product_invalid_sku",
        400,
    )
    assert error.message == "Invalid or duplicated SKU."


def test_it_reports_items_the_batch_answer_left_out(woo, requests_mock):
    requests_mock.post(f"{API}/products/batch", json={"update": [{"id": 1}]})

    result = woo.batch_products(update=[{"id": 1}, {"id": 2}])

    assert [(e.item_id, e.code) for e in result.errors] == [(2, "missing_in_response")]


def test_it_batches_variations_through_their_parent(woo, requests_mock):
    requests_mock.post(f"{API}/products/30/variations/batch", json=echo_batch)

    result = woo.batch_variations(30, update=[{"id": 31, "stock_quantity": 2}], delete=[32])

    assert requests_mock.last_request.json() == {
        "update": [{"id": 31, "stock_quantity": 2}],
        "delete": [32],
    }
    assert [d["id"] for d in result.deleted] == [32]


def test_it_counts_creates_updates_and_deletes_together_toward_the_limit():
    bodies = list(
        chunked(
            create=[{"n": i} for i in range(60)],
            update=[{"id": i} for i in range(60)],
            delete=list(range(90)),
        )
    )

    assert [sum(len(v) for v in body.values()) for body in bodies] == [100, 100, 10]
    assert (len(bodies[0]["create"]), len(bodies[0]["update"])) == (60, 40)
    assert (len(bodies[1]["update"]), len(bodies[1]["delete"])) == (20, 80)


def test_it_lists_products_oldest_id_first_and_changed_since(woo, requests_mock):
    requests_mock.get(f"{API}/products", json=[{"id": 1}], headers={"X-WP-TotalPages": "1"})

    products = list(woo.iter_products(modified_after=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)))

    assert products == [{"id": 1}]
    sent = parse_qs(urlsplit(requests_mock.last_request.url).query)
    assert sent["modified_after"] == ["2025-01-02T03:04:05"]
    assert sent["dates_are_gmt"] == ["true"]
    assert (sent["orderby"], sent["order"]) == (["id"], ["asc"])


def test_it_reads_tax_classes(woo, requests_mock):
    requests_mock.get(
        f"{API}/taxes/classes",
        json=[
            {"slug": "standard", "name": "Standard rate"},
            {"slug": "reduced-rate-12", "name": "Reduced 12 %"},
        ],
    )

    assert woo.tax_classes() == [
        TaxClass("standard", "Standard rate"),
        TaxClass("reduced-rate-12", "Reduced 12 %"),
    ]


def test_it_reads_money_as_decimal_and_refuses_floats():
    assert parse_money("24.90") == Decimal("24.90")
    assert parse_money("") is None
    with pytest.raises(TypeError):
        parse_money(24.900000000000002)  # type: ignore[arg-type]


def test_a_403_for_a_missing_capability_on_a_variation_stays_an_authentication_failure(
    woo, requests_mock
):
    # WooCommerce uses woocommerce_rest_cannot_edit for a wrong parent and for a user without
    # the right to edit; the product's own parent tells them apart.
    requests_mock.put(f"{API}/products/30/variations/31", status_code=403, json={
        "code": "woocommerce_rest_cannot_edit",
        "message": "Sorry, you are not allowed to edit this resource.", "data": {"status": 403}})
    requests_mock.get(f"{API}/products/31", json={"id": 31, "type": "variation",
                                                  "parent_id": 30})

    with pytest.raises(WooAuthError) as caught:
        woo.update_product(31, {"regular_price": "1"}, parent_id=30)

    assert type(caught.value) is WooAuthError and caught.value.status == 403
