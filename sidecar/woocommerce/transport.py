"""The `woocommerce` package, made to send through one `requests.Session`.

This is the one place that works around the package (woocommerce 3.0.0, its last release,
read from its installed source):

- `API.__request` calls the module-level `requests.request`: every call opens a new
  connection, and there is no Session to share, mount adapters on or mock.
- Per-call `headers=`, `timeout=`, `auth=` collide with its own arguments (TypeError), so the
  User-Agent and timeout can only be set per instance; the default timeout is 5 s.
- Over http it appends the params to the URL it signs and then passes them again as
  `params=`, so every parameter is sent twice; a query inside the endpoint gets corrupted.
- Its OAuth signer leaves "/" unescaped and unquotes values a second time, while WooCommerce
  (`WC_REST_Authentication::check_oauth_signature`) rawurlencodes the decoded key and value,
  then the "key=value" pair again. A SKU such as "AB/12" or a value holding "%41" fails with
  "Invalid signature". Its nonce has only 10^8 values, and a reused nonce is a 401 too.
- It follows redirects, which turns a POST into a GET (a silent no-op on a list endpoint).

We keep what it gets right: its settings (API version, `/wp-json/` layout, user agent,
`verify_ssl`), its choice of auth by URL scheme (https: Basic auth header; http: OAuth 1.0a
with HMAC-SHA256 in the query string) and its OAuth signer, fixed below. We replace only the
sending step.
"""

from __future__ import annotations

import json as jsonlib
import secrets
from collections import OrderedDict
from decimal import Decimal
from typing import Any
from urllib.parse import quote
from urllib.parse import urlsplit

import requests
from requests.auth import AuthBase
from requests.auth import HTTPBasicAuth
from woocommerce import API
from woocommerce.oauth import OAuth

API_VERSION = "wc/v3"

Timeout = tuple[float, float]


class WooCommerceOAuth(OAuth):  # type: ignore[misc]  # the package has no type hints
    """The package's OAuth 1.0a signer, encoding parameters the way WooCommerce checks them."""

    @staticmethod
    def normalize_parameters(params: dict[str, Any]) -> OrderedDict[str, str]:
        # The package joins these as "key%3Dvalue"; with both sides rawurlencoded and "%"
        # escaped once more, that equals WooCommerce's rawurlencode(rawurlencode(k)=...).
        # Values arrive already decoded (parse_qsl), so they must not be unquoted again.
        return OrderedDict(
            (_rawurlencode(key).replace("%", "%25"), _rawurlencode(value).replace("%", "%25"))
            for key, value in params.items()
        )

    @staticmethod
    def generate_nonce() -> str:
        # WooCommerce rejects a nonce it has seen from the same key within 15 minutes.
        return secrets.token_hex(20)


def _rawurlencode(value: Any) -> str:
    return quote(str(value), safe="")


class OAuth1InQuery(AuthBase):
    """Signs the final URL (params included, once) the way WooCommerce expects over http."""

    def __init__(self, consumer_key: str, consumer_secret: str) -> None:
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        signer = WooCommerceOAuth(
            url=request.url,
            consumer_key=self.consumer_key,
            consumer_secret=self.consumer_secret,
            version=API_VERSION,  # not "v1"/"v2": the key is "secret&", as wp-json wants
            method=request.method,
        )
        request.url = signer.get_oauth_url()
        return request


class SessionAPI(API):  # type: ignore[misc]  # the package has no type hints
    """`woocommerce.API` that sends through a `requests.Session` (see the module docstring)."""

    def __init__(
        self,
        url: str,
        consumer_key: str,
        consumer_secret: str,
        *,
        session: requests.Session,
        timeout: Timeout,
        user_agent: str,
        verify_ssl: bool = True,
    ) -> None:
        super().__init__(
            normalise_store_url(url),
            consumer_key,
            consumer_secret,
            version=API_VERSION,
            wp_api=True,
            timeout=timeout,
            verify_ssl=verify_ssl,
            query_string_auth=False,  # keys stay out of URLs, and so out of access logs
            user_agent=user_agent,
        )
        self.session = session
        self.auth: AuthBase = (
            HTTPBasicAuth(consumer_key, consumer_secret)
            if self.is_ssl
            else OAuth1InQuery(consumer_key, consumer_secret)
        )

    def url_for(self, endpoint: str) -> str:
        return f"{self.url}/wp-json/{self.version}/{endpoint.lstrip('/')}"

    def send(
        self,
        method: str,
        endpoint: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
    ) -> requests.Response:
        headers = {"User-Agent": self.user_agent, "Accept": "application/json"}
        body = None
        if json is not None:
            body = jsonlib.dumps(json, ensure_ascii=False, default=_encode_decimal).encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
        return self.session.request(
            method,
            self.url_for(endpoint),
            params=params,
            data=body,
            headers=headers,
            auth=self.auth,
            timeout=self.timeout,
            verify=self.verify_ssl,
            allow_redirects=False,
        )

    def _API__request(  # the package's private sender; its get/post/put/delete call it
        self, method: str, endpoint: str, data: Any, params: dict[str, Any] | None = None
    ) -> requests.Response:
        return self.send(method, endpoint, params=params, json=data)


def normalise_store_url(url: str) -> str:
    """`https://Shop.example/` → `https://Shop.example`; the scheme decides the auth."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"store URL must start with https:// or http://, got {url!r}")
    if parts.query or parts.fragment:
        raise ValueError("store URL must not have a query or fragment")
    return f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _encode_decimal(value: Any) -> str:
    # WooCommerce wants money as strings; format "f" avoids exponents such as "1E+2".
    if isinstance(value, Decimal):
        return format(value, "f")
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
