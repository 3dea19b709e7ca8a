"""Inputs that used to make a route answer 500: now each gets a 4xx, or 503 with the reason."""

from __future__ import annotations

import json

from flask import Flask
from flask.testing import FlaskClient

from sidecar import crypto
from sidecar.config import Config
from sidecar.models import Shop
from sidecar.webhooks.signature import sign
from tests.web.conftest import WEBHOOK_SECRET
from tests.web.conftest import csrf_token


def test_a_wordpress_link_expiring_in_the_far_future_is_refused(client: FlaskClient,
                                                                  web_shop: Shop) -> None:
    response = client.get("/auth/wordpress?wp_user=1&expires=999999999999&sig=" + "0" * 64)

    assert response.status_code == 403


def test_a_language_switch_with_a_line_break_in_next_goes_home(client: FlaskClient) -> None:
    token = csrf_token(client)

    response = client.post("/language", data={"lang": "sv", "next": "/\r\nSet-Cookie: x=1",
                                              "csrf_token": token})

    assert response.status_code == 302
    assert response.location == "/"


def test_a_deeply_nested_signed_body_is_a_400(client: FlaskClient, web_shop: Shop) -> None:
    body = b"[" * 100_000 + b"]" * 100_000

    response = client.post("/webhooks/woocommerce", data=body, headers={
        "X-WC-Webhook-Topic": "order.updated", "X-WC-Webhook-Signature": sign(body,
                                                                              WEBHOOK_SECRET)})

    assert response.status_code == 400
    assert "not JSON" in response.get_json()["error"]


def wrong_key(app: Flask) -> None:
    crypto.configure("another-key-" + "Zq8Lw3Tn1Vb6Xc9Hm2Jd5Sp0Ga4Ye7Ku")


def test_with_the_wrong_secret_key_health_says_so_in_json(app: Flask, client: FlaskClient,
                                                         web_shop: Shop,
                                                         config: Config) -> None:
    wrong_key(app)
    try:
        response = client.get("/healthz")
    finally:
        crypto.configure(config.secret_key)

    assert response.status_code == 503
    assert response.is_json
    assert response.get_json()["secrets"] == "unreadable"


def test_with_the_wrong_secret_key_a_webhook_gets_503_not_500(app: Flask, client: FlaskClient,
                                                             web_shop: Shop,
                                                             config: Config) -> None:
    body = json.dumps({"id": 5, "date_modified_gmt": "2026-01-01T00:00:00"}).encode()
    wrong_key(app)
    try:
        response = client.post("/webhooks/woocommerce", data=body, headers={
            "X-WC-Webhook-Topic": "order.updated",
            "X-WC-Webhook-Signature": sign(body, WEBHOOK_SECRET)})
    finally:
        crypto.configure(config.secret_key)

    assert response.status_code == 503
    assert response.get_json() == {"error": "the sidecar cannot read its secrets"}


def test_with_the_wrong_secret_key_a_page_says_what_to_do(app: Flask, signed_in: FlaskClient,
                                                          config: Config) -> None:
    wrong_key(app)
    try:
        response = signed_in.get("/settings")
    finally:
        crypto.configure(config.secret_key)

    assert response.status_code == 503
    assert "SIDECAR_SECRET_KEY" in response.text
