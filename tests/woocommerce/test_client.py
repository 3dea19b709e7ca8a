"""The client's seam: auth by URL scheme, one Session, timeouts, User-Agent, logging."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from decimal import Decimal
from urllib.parse import parse_qsl
from urllib.parse import quote
from urllib.parse import urlsplit

import pytest
import requests
import requests_mock as requests_mock_lib

from sidecar import __version__
from sidecar.sim.server import serve_in_thread
from sidecar.woocommerce import WooClient

HTTP_STORE = "http://shop.example"
HTTPS_STORE = "https://shop.example"
API = "/wp-json/wc/v3"
KEY = "ck_0123456789abcdef"
SECRET = "cs_fedcba9876543210"


def rawurlencode(value: str) -> str:
    """PHP's rawurlencode: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded."""
    return quote(value, safe="")


def woocommerce_signature_check(method: str, url: str, secret: str) -> tuple[str, str]:
    """(sent, expected) signatures, computed the way WC_REST_Authentication does it."""
    parts = urlsplit(url)
    params = dict(parse_qsl(parts.query, keep_blank_values=True))  # PHP's $_GET
    sent = params.pop("oauth_signature")
    pairs = [(rawurlencode(k), rawurlencode(v)) for k, v in sorted(params.items())]
    query = "%26".join(rawurlencode(f"{k}={v}") for k, v in pairs)
    base_uri = rawurlencode(f"{parts.scheme}://{parts.netloc}{parts.path}")
    string_to_sign = f"{method}&{base_uri}&{query}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha256).digest()
    return sent, base64.b64encode(digest).decode()


def query_of(request: requests_mock_lib.request._RequestObjectProxy) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(request.url).query, keep_blank_values=True)


def test_it_signs_http_requests_with_oauth_in_the_query(requests_mock):
    requests_mock.get(f"{HTTP_STORE}{API}/orders/7", json={"id": 7})

    WooClient(HTTP_STORE, KEY, SECRET).get_order(7)

    request = requests_mock.last_request
    query = dict(query_of(request))
    assert query["oauth_consumer_key"] == KEY
    assert query["oauth_signature_method"] == "HMAC-SHA256"
    assert query["oauth_timestamp"].isdigit()
    assert len(query["oauth_nonce"]) >= 32
    sent, expected = woocommerce_signature_check("GET", request.url, SECRET)
    assert sent == expected
    assert "Authorization" not in request.headers
    assert SECRET not in request.url


def test_it_signs_values_holding_slashes_the_way_woocommerce_checks_them(requests_mock):
    # The package's own signer leaves "/" unescaped, which WooCommerce rejects.
    requests_mock.get(f"{HTTP_STORE}{API}/products", json=[])

    WooClient(HTTP_STORE, KEY, SECRET).find_by_sku("TEE/RED %41 ~x")

    request = requests_mock.last_request
    assert dict(query_of(request))["sku"] == "TEE/RED %41 ~x"
    sent, expected = woocommerce_signature_check("GET", request.url, SECRET)
    assert sent == expected


def test_it_sends_each_query_parameter_once_over_http(requests_mock):
    requests_mock.get(f"{HTTP_STORE}{API}/products", json=[])

    WooClient(HTTP_STORE, KEY, SECRET).find_by_sku("MUG-BLU")

    names = [name for name, _ in query_of(requests_mock.last_request)]
    assert names.count("sku") == 1
    assert names.count("per_page") == 1


def test_it_signs_writes_with_their_method(requests_mock):
    requests_mock.put(f"{HTTP_STORE}{API}/orders/7", json={"id": 7})

    WooClient(HTTP_STORE, KEY, SECRET).update_order_status(7, "completed")

    sent, expected = woocommerce_signature_check("PUT", requests_mock.last_request.url, SECRET)
    assert sent == expected


def test_it_uses_basic_auth_over_https_and_keeps_keys_out_of_the_url(requests_mock):
    requests_mock.get(f"{HTTPS_STORE}{API}/orders/7", json={"id": 7})

    WooClient(HTTPS_STORE, KEY, SECRET).get_order(7)

    request = requests_mock.last_request
    expected = base64.b64encode(f"{KEY}:{SECRET}".encode()).decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    assert "oauth_signature" not in request.url
    assert KEY not in request.url


def test_it_passes_connect_and_read_timeouts(requests_mock):
    requests_mock.get(f"{HTTPS_STORE}{API}/orders/7", json={"id": 7})

    WooClient(HTTPS_STORE, KEY, SECRET, timeout=(3.0, 45.0)).get_order(7)

    assert requests_mock.last_request.timeout == (3.0, 45.0)


def test_it_identifies_itself_with_the_sidecar_version(requests_mock):
    requests_mock.get(f"{HTTPS_STORE}{API}/orders/7", json={"id": 7})

    WooClient(HTTPS_STORE, KEY, SECRET).get_order(7)

    assert requests_mock.last_request.headers["User-Agent"] == f"fortnox-sidecar/{__version__}"
    assert requests_mock.last_request.headers["Accept"] == "application/json"


def test_it_sends_every_request_through_the_session_it_was_given():
    session = requests.Session()
    adapter = requests_mock_lib.Adapter()
    session.mount("https://", adapter)
    adapter.register_uri("GET", f"{HTTPS_STORE}{API}/orders/7", json={"id": 7})
    adapter.register_uri("PUT", f"{HTTPS_STORE}{API}/orders/7", json={"id": 7})
    woo = WooClient(HTTPS_STORE, KEY, SECRET, session=session)

    woo.get_order(7)
    woo.update_order_status(7, "completed")

    assert [r.method for r in adapter.request_history] == ["GET", "PUT"]


def test_it_sends_decimals_as_strings_and_text_as_utf8(requests_mock):
    requests_mock.post(f"{HTTPS_STORE}{API}/products", json={"id": 9}, status_code=201)

    WooClient(HTTPS_STORE, KEY, SECRET).create_product(
        {"name": "Kaffekopp blå", "regular_price": Decimal("199.00"), "weight": Decimal("1E+1")}
    )

    request = requests_mock.last_request
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(request.body.decode("utf-8")) == {
        "name": "Kaffekopp blå",
        "regular_price": "199.00",
        "weight": "10",
    }


def test_it_builds_urls_under_a_store_in_a_subfolder(requests_mock):
    requests_mock.get("https://example.com/shop/wp-json/wc/v3/orders/7", json={"id": 7})

    order = WooClient("  HTTPS://example.com/shop/ ", KEY, SECRET).get_order(7)

    assert order == {"id": 7}
    assert "Authorization" in requests_mock.last_request.headers  # still https → Basic auth


@pytest.mark.parametrize(
    "url", ["shop.example", "ftp://shop.example", "https://", "https://x/?a=1"]
)
def test_it_rejects_a_store_url_it_cannot_use(url):
    with pytest.raises(ValueError):
        WooClient(url, KEY, SECRET)


def test_it_logs_one_line_per_request_without_credentials(requests_mock, caplog):
    requests_mock.get(f"{HTTP_STORE}{API}/orders/7", json={"id": 7, "billing": {"email": "a@b"}})
    caplog.set_level(logging.DEBUG, logger="sidecar.woocommerce")

    WooClient(HTTP_STORE, KEY, SECRET).get_order(7)

    lines = [r for r in caplog.records if r.name.startswith("sidecar.woocommerce")]
    assert len(lines) == 1
    assert lines[0].levelno == logging.INFO
    assert (
        lines[0].getMessage().startswith("woo.request method=GET endpoint=orders/7 status=200 ms=")
    )
    text = caplog.text
    assert KEY not in text and SECRET not in text and "oauth" not in text and "a@b" not in text


def test_it_keeps_the_keys_out_of_its_repr():
    woo = WooClient(HTTPS_STORE, KEY, SECRET)

    assert repr(woo) == "WooClient('https://shop.example')"


def test_it_passes_woocommerce_oauth_check_on_a_real_socket():
    """The URL on the wire, not requests-mock's view of it, carries a valid signature."""

    def shop(environ, start_response):
        url = f"http://{environ['HTTP_HOST']}{environ['PATH_INFO']}?{environ['QUERY_STRING']}"
        sent, expected = woocommerce_signature_check(environ["REQUEST_METHOD"], url, SECRET)
        if sent != expected:
            status = "401 Unauthorized"
            body: object = {"code": "woocommerce_rest_authentication_error", "message": "Bad"}
        else:
            status = "200 OK"
            body = [] if environ["PATH_INFO"].endswith("/products") else {"id": 7}
        start_response(status, [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    running = serve_in_thread(shop)
    try:
        woo = WooClient(running.url, KEY, SECRET, timeout=(2.0, 5.0))
        assert woo.get_order(7) == {"id": 7}
        assert woo.find_by_sku("TEE/RED L, 50%") is None
    finally:
        running.stop()


def test_it_routes_the_packages_own_methods_through_the_session():
    session = requests.Session()
    adapter = requests_mock_lib.Adapter()
    session.mount("https://", adapter)
    adapter.register_uri("GET", f"{HTTPS_STORE}{API}/orders", json=[])
    woo = WooClient(HTTPS_STORE, KEY, SECRET, session=session)

    response = woo._api.get("orders", params={"status": "processing"})

    assert response.json() == []
    assert adapter.last_request.qs == {"status": ["processing"]}
