"""Every route, including those added after these tests were written, is behind sign-in and
CSRF unless the guard's allow-list names it. Walks the URL map, so new routes are covered."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from sidecar.web import guard

# What may answer without a session: the allow-list, plus HMAC-signed server-to-server routes.
EXPECTED_OPEN = {"health.healthz", "web.static", "auth.sign_in", "auth.wordpress",
                 "language.choose"}


def concrete_path(rule: Rule) -> str:
    """A URL for the rule, with a plausible value for each variable."""
    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>",
                  lambda m: "1" if m[1] in ("int", "float") else "x", rule.rule)


def routes(app: Flask) -> list[tuple[Rule, str]]:
    found = []
    for rule in app.url_map.iter_rules():
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule, method))
    assert len(found) > 10, "the URL map looks empty"
    return found


def test_the_open_routes_are_exactly_the_allow_list_and_signed_api_routes(app: Flask) -> None:
    open_endpoints = {rule.endpoint for rule, _ in routes(app)
                      if guard.is_open(app, rule.endpoint)}
    signed = {e for e in open_endpoints if guard.is_signed_endpoint(app, e)}

    assert open_endpoints - signed == EXPECTED_OPEN
    for rule in app.url_map.iter_rules():
        if rule.endpoint in signed:
            assert rule.rule.startswith("/api/"), f"{rule.rule}: @signed_by_shop is for /api/"


def test_every_other_route_sends_a_visitor_without_a_session_to_sign_in(
    app: Flask, client: FlaskClient
) -> None:
    checked = 0
    for rule, method in routes(app):
        if guard.is_open(app, rule.endpoint):
            continue
        path = concrete_path(rule)
        response = client.open(path, method=method)
        if rule.rule.startswith("/api/"):
            assert response.status_code == 401, f"{method} {path}"
            assert response.get_json() == {"error": "sign in first"}
        else:
            assert response.status_code == 302, f"{method} {path}: {response.status_code}"
            assert response.location.startswith("/auth/sign-in?next="), f"{method} {path}"
        checked += 1
    assert checked >= 8


def test_an_xhr_without_a_session_gets_401_json_not_a_redirect(client: FlaskClient) -> None:
    response = client.get("/settings", headers={"X-Requested-With": "XMLHttpRequest"})

    assert response.status_code == 401
    assert response.is_json


def test_every_post_without_a_csrf_token_is_refused_even_when_signed_in(
    app: Flask, signed_in: FlaskClient
) -> None:
    checked = 0
    for rule, method in routes(app):
        if method in ("GET",) or guard.is_signed_endpoint(app, rule.endpoint):
            continue
        path = concrete_path(rule)
        response = signed_in.open(path, method=method, data={"anything": "1"})
        assert response.status_code in (400, 403), f"{method} {path}: {response.status_code}"
        wrong = signed_in.open(path, method=method, data={"csrf_token": "forged"})
        assert wrong.status_code in (400, 403), f"{method} {path} with a forged token"
        checked += 1
    assert checked >= 6  # sign-in, sign-out, language, settings x3, run, retry, handled


@pytest.mark.parametrize("path", ["/", "/settings", "/products"])
def test_every_page_form_carries_the_sessions_csrf_token(signed_in: FlaskClient,
                                                         path: str) -> None:
    page = signed_in.get(path).text
    with signed_in.session_transaction() as session:
        token = session["csrf_token"]

    forms = re.findall(r"<form\b.*?</form>", page, flags=re.S)
    assert forms
    for form in forms:
        assert f'name="csrf_token" value="{token}"' in form, form


def test_a_route_added_later_is_protected_without_any_extra_code(app: Flask) -> None:
    app.add_url_rule("/later", "later.page", lambda: "owner's data")
    app.add_url_rule("/api/later", "later.api", lambda: {"data": 1})

    client = app.test_client()

    assert client.get("/later").status_code == 302
    assert client.get("/api/later").status_code == 401


def test_a_signed_api_route_needs_neither_session_nor_csrf_token(app: Flask) -> None:
    @guard.signed_by_shop
    def resend(order_id: int) -> tuple[str, int]:
        return "queued", 202  # a real one verifies the shop's HMAC here

    app.add_url_rule("/api/test-only/<int:order_id>", "api.test_only", resend,
                     methods=["POST"])

    response = app.test_client().post("/api/test-only/7", json={"order_id": 7})

    assert response.status_code == 202


def test_the_sign_in_page_gets_its_stylesheet_without_a_session(client: FlaskClient) -> None:
    page = client.get("/auth/sign-in").text
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', page)

    assert href
    with client.get(href[1]) as response:  # a file response: closed, or it leaks the file
        assert response.status_code == 200
        assert response.mimetype == "text/css"
