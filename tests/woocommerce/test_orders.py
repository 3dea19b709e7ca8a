"""Orders: paging, the reconciliation query, and the writes the sidecar makes."""

from __future__ import annotations

import json
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest

from sidecar.woocommerce import WooClient
from sidecar.woocommerce import WooInvalidResponse

STORE = "https://shop.example"
ORDERS_URL = f"{STORE}/wp-json/wc/v3/orders"


@pytest.fixture
def woo() -> WooClient:
    """A client for an https shop."""
    return WooClient(STORE, "ck_test", "cs_test", sleep=lambda _: None)


def query(request) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(request.url).query).items()}


def page_of(first_id: int, count: int, total_pages: int | None) -> dict:
    headers = {"X-WP-TotalPages": str(total_pages)} if total_pages is not None else {}
    return {"json": [{"id": i} for i in range(first_id, first_id + count)], "headers": headers}


def test_it_walks_every_page_announced_by_x_wp_totalpages(woo, requests_mock):
    requests_mock.get(ORDERS_URL, [page_of(1, 100, 3), page_of(101, 100, 3), page_of(201, 17, 3)])

    orders = list(woo.iter_orders())

    assert [o["id"] for o in orders] == list(range(1, 218))
    pages = [query(r) for r in requests_mock.request_history]
    assert [p["page"] for p in pages] == ["1", "2", "3"]
    assert {p["per_page"] for p in pages} == {"100"}


def test_it_stops_on_an_empty_page_when_the_header_is_missing(woo, requests_mock):
    requests_mock.get(ORDERS_URL, [page_of(1, 100, None), page_of(101, 5, None), {"json": []}])

    assert len(list(woo.iter_orders())) == 105
    assert requests_mock.call_count == 3


def test_it_yields_pages_so_a_cursor_can_advance_per_page(woo, requests_mock):
    requests_mock.get(ORDERS_URL, [page_of(1, 100, 2), page_of(101, 1, 2)])

    assert [len(page) for page in woo.iter_order_pages()] == [100, 1]


def test_it_stops_when_a_plugin_serves_the_same_page_again(woo, requests_mock):
    requests_mock.get(ORDERS_URL, json=[{"id": 1}, {"id": 2}])  # no header, ignores `page`

    with pytest.raises(WooInvalidResponse, match="twice"):
        list(woo.iter_orders())


def test_it_asks_for_orders_modified_after_a_moment_in_gmt(woo, requests_mock):
    requests_mock.get(ORDERS_URL, json=[])
    stockholm_summer = timezone(timedelta(hours=2))

    list(
        woo.iter_orders(
            modified_after=datetime(2025, 5, 20, 19, 14, 5, 123, tzinfo=stockholm_summer),
            status=["processing", "completed"],
        )
    )

    sent = query(requests_mock.last_request)
    assert sent["modified_after"] == "2025-05-20T17:14:05"
    assert sent["dates_are_gmt"] == "true"
    assert sent["status"] == "processing,completed"
    assert (sent["orderby"], sent["order"]) == ("modified", "asc")


def test_it_takes_a_single_status_as_is(woo, requests_mock):
    requests_mock.get(ORDERS_URL, json=[])

    list(woo.iter_orders(status="on-hold"))

    assert query(requests_mock.last_request)["status"] == "on-hold"


def test_it_refuses_a_naive_modified_after(woo):
    with pytest.raises(ValueError, match="naive"):
        list(woo.iter_orders(modified_after=datetime(2025, 5, 20, 17, 0)))


def test_it_sets_an_order_status(woo, requests_mock):
    requests_mock.put(f"{ORDERS_URL}/1042", json={"id": 1042, "status": "completed"})

    order = woo.update_order_status(1042, "completed")

    assert order["status"] == "completed"
    assert requests_mock.last_request.json() == {"status": "completed"}


def test_it_writes_fortnox_references_as_order_meta(woo, requests_mock):
    requests_mock.put(f"{ORDERS_URL}/1042", json={"id": 1042})

    woo.update_order_meta(
        1042,
        {
            "fortnox_order_number": "551",
            "fortnox_invoice_number": "1001",
            "fortnox_status": "invoiced",
        },
    )

    assert requests_mock.last_request.json() == {
        "meta_data": [
            {"key": "fortnox_order_number", "value": "551"},
            {"key": "fortnox_invoice_number", "value": "1001"},
            {"key": "fortnox_status", "value": "invoiced"},
        ]
    }


def test_it_adds_a_private_order_note(woo, requests_mock):
    requests_mock.post(f"{ORDERS_URL}/1042/notes", status_code=201, json={"id": 3, "note": "x"})

    note = woo.add_order_note(1042, "Fortnox invoice 1001 created")

    assert note["id"] == 3
    body = json.loads(requests_mock.last_request.body)
    assert body == {"note": "Fortnox invoice 1001 created", "customer_note": False}
