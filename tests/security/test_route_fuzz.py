"""Every route in the URL map, with and without a session, fed arbitrary paths, queries, forms,
bodies and headers: no input makes any of them answer 5xx (the app runs with TESTING, so an
exception in a view fails the example instead of becoming a 500 page)."""

from __future__ import annotations

import dataclasses
import re
from urllib.parse import quote

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from sidecar.app import create_app
from sidecar.config import Config
from sidecar.models import Owner
from sidecar.web import sessions

EXAMPLES = settings(max_examples=2000, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])
# Header values travel as Latin-1 without control characters.
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF,
                                    exclude_characters="\x7f"), max_size=60)
NASTY = st.sampled_from(["", "0", "-1", "¹⁰⁰⁰", "٣", "9" * 400, "1e309", "NaN", "\r\nX: y",
                         "/\r\n/evil", "//evil.example", "%00", "a" * 5000, "*a*a*a*a*a*b",
                         "null", "[]", "{}", "\x00", "ü", "999999999999", "true"])
VALUES = NASTY | st.text(max_size=40)
FIELDS = st.sampled_from(["next", "lang", "email", "password", "wp_user", "expires", "sig",
                          "store_url", "consumer_key", "consumer_secret", "sales_account",
                          "pattern", "account", "csrf_token", "code", "state", "order_id",
                          "from", "to", "page", "q", "mode", "format", "action"]) | \
    st.text(max_size=12)


def rules(app: Flask) -> list[tuple[Rule, str]]:
    found = [(rule, method) for rule in app.url_map.iter_rules()
             for method in sorted((rule.methods or set()) - {"OPTIONS"})]
    assert len(found) > 20
    return found


def fill(rule: Rule, values: list[str]) -> str:
    parts = iter(values)

    def one(match: re.Match[str]) -> str:
        value = next(parts, "1")
        if match[1] == "int":
            return str(abs(hash(value)) % 10**12) if not value.isdigit() else value[:18]
        return quote(value, safe="") or "x"  # as a browser would send it

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", one, rule.rule)


def open_session(client: FlaskClient, owner: Owner | None) -> None:
    with client.session_transaction() as session:
        session.clear()
        if owner is not None:
            session.update(sessions.contents(owner.shop, owner=owner))
            session["csrf_token"] = "fuzz-token"


def test_no_route_answers_5xx_to_any_input(config: Config, owner: Owner) -> None:
    # A complete deploy (a missing Fortnox integration is a 503 that says so, on purpose);
    # Fortnox and WooCommerce on a closed port, so a call out fails at once.
    app = create_app(dataclasses.replace(
        config, fortnox_client_id="fuzz", fortnox_client_secret="fuzz-secret",
        fortnox_api_url="http://127.0.0.1:9", fortnox_auth_url="http://127.0.0.1:9/oauth"))
    routes = [*rules(app), (Rule("/webhooks/woocommerce"), "POST"),
              (Rule("/webhooks/woocommerce/<slug>"), "POST")]
    client = app.test_client()
    seen: set[str] = set()
    answered: list[int] = []

    @EXAMPLES
    @given(route=st.sampled_from(routes), with_session=st.booleans(),
           path_values=st.lists(VALUES, max_size=3),
           query=st.dictionaries(FIELDS, VALUES, max_size=4),
           form=st.dictionaries(FIELDS, VALUES, max_size=6),
           raw=st.none() | st.binary(max_size=300) | st.just(b"[" * 100_000),
           headers=st.dictionaries(st.sampled_from([
               "X-WC-Webhook-Topic", "X-WC-Webhook-Signature", "X-WC-Webhook-Delivery-ID",
               "X-Sidecar-Signature", "X-Requested-With", "Accept", "X-CSRF-Token",
               "X-Forwarded-For", "Accept-Language", "Cookie"]), HEADER_TEXT, max_size=4),
           good_token=st.booleans())
    def example(route: tuple[Rule, str], with_session: bool, path_values: list[str],
                query: dict[str, str], form: dict[str, str], raw: bytes | None,
                headers: dict[str, str], good_token: bool) -> None:
        rule, method = route
        open_session(client, owner if with_session else None)
        if good_token and with_session:
            form = {**form, "csrf_token": "fuzz-token"}
        path = fill(rule, path_values)
        if raw is not None and method != "GET":
            response = client.open(path, method=method, query_string=query, data=raw,
                                   headers=headers, content_type="application/json")
        else:
            response = client.open(path, method=method, query_string=query,
                                   data=form if method != "GET" else None, headers=headers)
        seen.add(rule.rule)
        answered.append(response.status_code)
        assert response.status_code < 500, (method, path, response.status_code,
                                             response.get_data()[:500])

    example()
    assert len(answered) >= 2000 and max(answered) < 500
    assert len(seen) >= len({rule.rule for rule, _ in routes}) - 2
