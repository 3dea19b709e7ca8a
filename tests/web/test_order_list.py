"""/orders over 1,000 orders: search by order number, customer or e-mail, filter by state or
problem, pages of 50, links to WooCommerce and to the documents, amounts as money."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from sidecar.models import Shop
from sidecar.web.order_list_data import PAGE_SIZE
from tests.web.orders_seed import seed_orders


@pytest.fixture(name="orders")
def _orders(web_shop: Shop) -> Shop:
    """1,000 orders of the shop, with a WooCommerce address for the links."""
    Shop.update(woo_url="https://butik.example.se").execute()
    seed_orders(web_shop)
    return web_shop


def listed(page: str) -> list[int]:
    return [int(part.split('"')[0]) for part in page.split('id="listed-order-')[1:]]


def test_the_newest_orders_come_first_fifty_to_a_page_with_pages(signed_in: FlaskClient,
                                                                  orders: Shop) -> None:
    first = signed_in.get("/orders").text
    third = signed_in.get("/orders?page=3").text

    assert listed(first) == list(range(2000, 2000 - PAGE_SIZE, -1))
    assert "Orders 1–50 of 1000" in first and "Page 1 of 20" in first
    assert listed(third) == list(range(1900, 1900 - PAGE_SIZE, -1))
    assert 'href="/orders?page=2"' in third and 'href="/orders?page=4"' in third


def test_each_row_shows_the_customer_the_amount_and_links(signed_in: FlaskClient,
                                                          orders: Shop) -> None:
    page = signed_in.get("/orders?q=1002").text  # n = 1: exported, invoice 5001

    assert listed(page) == [1002]
    assert "Kund 0001 Testsson" in page and "kund0001@example.se" in page
    assert "SEK\xa01,045.75" in page or "SEK1,045.75" in page  # English money
    assert "2026-11-02 12:01" in page
    assert ('href="https://butik.example.se/wp-admin/post.php?post=1002&amp;action=edit"'
            in page)
    assert 'href="/reconcile/document/invoice/5001"' in page


def test_amounts_are_swedish_money_in_swedish(signed_in: FlaskClient, orders: Shop) -> None:
    signed_in.set_cookie("sidecar_lang", "sv")

    page = signed_in.get("/orders?q=1002").text

    assert "1\xa0045,75\xa0kr" in page


@pytest.mark.parametrize(("search", "expected"), [
    ("Kund 0123", [1124]),
    ("KUND0456@example", [1457]),
    ("#1500", [1500]),
    ("ingen sådan", []),
])
def test_search_finds_by_number_customer_or_email(signed_in: FlaskClient, orders: Shop,
                                                  search: str, expected: list[int]) -> None:
    page = signed_in.get("/orders", query_string={"q": search}).text

    assert listed(page) == expected


def test_the_filter_shows_one_state_or_the_orders_with_a_problem(signed_in: FlaskClient,
                                                                orders: Shop) -> None:
    failed = signed_in.get("/orders?state=problem").text
    skipped = signed_in.get("/orders?state=skipped&page=2").text

    assert "of 100" in failed and all((n - 1001) % 10 == 0 for n in listed(failed))
    assert 'class="row-failed"' in failed
    assert listed(skipped) and all((n - 1001) % 7 == 0 and (n - 1001) % 10
                                   for n in listed(skipped))


@pytest.mark.parametrize("query", ["page=abc", "page=-3", "state=<script>", "q=" + "x" * 500,
                                   "page=99999"])
def test_odd_queries_are_answered_not_refused(signed_in: FlaskClient, orders: Shop,
                                              query: str) -> None:
    response = signed_in.get(f"/orders?{query}")

    assert response.status_code == 200
    assert "<script>" not in response.text


def test_the_list_is_in_the_navigation(signed_in: FlaskClient) -> None:
    assert 'href="/orders"' in signed_in.get("/").text
