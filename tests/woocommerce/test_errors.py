"""Every failure shape becomes a typed error that says whether a retry can help."""

from __future__ import annotations

import pytest
import requests
from urllib3.exceptions import MaxRetryError
from urllib3.exceptions import NewConnectionError

from sidecar.woocommerce import WooAuthError
from sidecar.woocommerce import WooClient
from sidecar.woocommerce import WooError
from sidecar.woocommerce import WooInvalidResponse
from sidecar.woocommerce import WooNotFound
from sidecar.woocommerce import WooRateLimited
from sidecar.woocommerce import WooTransient
from sidecar.woocommerce import WooValidationError

STORE = "https://shop.example"
ORDER_URL = f"{STORE}/wp-json/wc/v3/orders/7"


@pytest.fixture
def sleeps() -> list[float]:
    """The delays the client asked for, instead of sleeping."""
    return []


@pytest.fixture
def woo(sleeps) -> WooClient:
    """A client for an https shop that records its sleeps."""
    return WooClient(STORE, "ck_test", "cs_test", sleep=sleeps.append)


def wp_error(code: str, message: str, status: int, **data) -> dict:
    return {"code": code, "message": message, "data": {"status": status, **data}}


@pytest.mark.parametrize(
    ("status", "code", "error_type", "retryable"),
    [
        (401, "woocommerce_rest_authentication_error", WooAuthError, False),
        (401, "woocommerce_rest_cannot_view", WooAuthError, False),
        (403, "woocommerce_rest_cannot_edit", WooAuthError, False),
        (404, "woocommerce_rest_shop_order_invalid_id", WooNotFound, False),
        (400, "woocommerce_rest_shop_webhook_invalid_id", WooNotFound, False),
        (400, "product_invalid_sku", WooValidationError, False),
        (413, "woocommerce_rest_request_entity_too_large", WooValidationError, False),
        (501, "woocommerce_rest_trash_not_supported", WooError, False),
        (500, "internal_server_error", WooTransient, True),
        (503, "service_unavailable", WooTransient, True),
        (429, "too_many_requests", WooRateLimited, True),
        (405, "rest_no_route_method", WooError, False),
    ],
)
def test_it_maps_each_woocommerce_error_to_its_type(
    woo, requests_mock, status, code, error_type, retryable
):
    requests_mock.put(ORDER_URL, status_code=status, json=wp_error(code, "Nope.", status))

    with pytest.raises(error_type) as caught:
        woo.update_order_status(7, "completed")

    assert type(caught.value) is error_type
    assert caught.value.status == status
    assert caught.value.code == code
    assert caught.value.message.startswith("Nope.")
    assert caught.value.retryable is retryable


def test_it_keeps_wordpress_per_parameter_messages(woo, requests_mock):
    body = wp_error(
        "rest_invalid_param",
        "Invalid parameter(s): status",
        400,
        params={"status": "status is not one of pending, processing, completed."},
    )
    requests_mock.put(ORDER_URL, status_code=400, json=body)

    with pytest.raises(WooValidationError) as caught:
        woo.update_order_status(7, "done")

    assert caught.value.params == {"status": "status is not one of pending, processing, completed."}
    assert "Invalid parameter(s): status" in str(caught.value)


def test_it_does_not_mistake_a_missing_route_for_a_missing_order(woo, requests_mock):
    body = wp_error("rest_no_route", "No route was found matching the URL and request method.", 404)
    requests_mock.get(ORDER_URL, status_code=404, json=body)

    with pytest.raises(WooError) as caught:
        woo.get_order(7)

    assert not isinstance(caught.value, WooNotFound)
    assert "permalinks" in str(caught.value)


def test_it_says_so_when_a_security_plugin_answers_with_html(woo, requests_mock):
    page = "<!DOCTYPE html><html><head><title>403 Forbidden | Wordfence</title></head></html>"
    requests_mock.get(ORDER_URL, status_code=403, text=page, headers={"Content-Type": "text/html"})

    with pytest.raises(WooInvalidResponse) as caught:
        woo.get_order(7)

    message = str(caught.value)
    assert "HTML page titled '403 Forbidden | Wordfence'" in message
    assert "not WooCommerce JSON" in message
    assert caught.value.retryable is False


def test_it_says_so_when_a_successful_answer_is_not_json(woo, requests_mock):
    requests_mock.get(ORDER_URL, text='<br />\n<b>Notice</b>: Undefined index {"id": 7}')

    with pytest.raises(WooInvalidResponse, match="not JSON"):
        woo.get_order(7)


def test_it_treats_an_html_error_page_from_a_proxy_as_transient(woo, requests_mock):
    page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    requests_mock.get(ORDER_URL, status_code=502, text=page)

    with pytest.raises(WooTransient, match="502 Bad Gateway"):
        woo.get_order(7)


def test_it_refuses_to_follow_a_redirect(woo, requests_mock):
    # Following it would turn a POST into a GET and silently write nothing.
    requests_mock.post(
        f"{STORE}/wp-json/wc/v3/orders/7/notes",
        status_code=301,
        headers={
            "Location": "https://www.shop.example/wp-json/wc/v3/orders/7/notes?oauth_nonce=n1"
        },
    )

    with pytest.raises(WooInvalidResponse, match=r"www\.shop\.example") as caught:
        woo.add_order_note(7, "Invoice 1001 created in Fortnox")

    assert "oauth_nonce" not in str(caught.value)
    assert requests_mock.call_count == 1


def test_it_reads_retry_after_from_a_429(woo, requests_mock, sleeps):
    requests_mock.get(ORDER_URL, status_code=429, json={}, headers={"Retry-After": "7"})

    with pytest.raises(WooRateLimited) as caught:
        woo.get_order(7)

    assert caught.value.retry_after == 7.0
    assert sleeps == [7.0, 7.0, 7.0]


def test_it_marks_a_connect_timeout_as_never_sent(woo, requests_mock):
    requests_mock.post(f"{STORE}/wp-json/wc/v3/products", exc=requests.ConnectTimeout)

    with pytest.raises(WooTransient) as caught:
        woo.create_product({"name": "Mug"})

    assert caught.value.request_sent is False
    assert caught.value.retryable is True


def test_it_warns_that_a_write_may_have_happened_after_a_read_timeout(woo, requests_mock):
    requests_mock.post(f"{STORE}/wp-json/wc/v3/products", exc=requests.ReadTimeout)

    with pytest.raises(WooTransient) as caught:
        woo.create_product({"name": "Mug"})

    assert caught.value.request_sent is True
    assert "may still have been applied" in str(caught.value)
    assert requests_mock.call_count == 1


def test_it_keeps_the_signed_url_out_of_connection_errors(requests_mock):
    woo = WooClient("http://shop.example", "ck_test", "cs_test", sleep=lambda _: None)
    url = "http://shop.example/wp-json/wc/v3/orders/7"
    failure = requests.ConnectionError(
        MaxRetryError(
            None,
            url + "?oauth_consumer_key=ck_test&oauth_signature=abc",
            NewConnectionError(None, "Connection refused"),
        )
    )
    requests_mock.get(url, exc=failure)

    with pytest.raises(WooTransient) as caught:
        woo.get_order(7)

    assert str(caught.value) == "Could not connect to the shop"
    assert caught.value.request_sent is False
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_it_reports_a_certificate_problem_as_permanent(woo, requests_mock):
    requests_mock.get(ORDER_URL, exc=requests.exceptions.SSLError("certificate verify failed"))

    with pytest.raises(WooError) as caught:
        woo.get_order(7)

    assert caught.value.retryable is False
    assert "certificate" in str(caught.value)


def test_it_hints_that_keys_were_lost_on_the_way_in(woo, requests_mock):
    body = wp_error("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.", 401)
    requests_mock.get(ORDER_URL, status_code=401, json=body)

    with pytest.raises(WooAuthError, match="Authorization header"):
        woo.get_order(7)
