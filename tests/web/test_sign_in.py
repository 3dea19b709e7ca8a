"""Signing in with e-mail and password, the limit on failed attempts, and signing out."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sidecar.config import Config
from sidecar.models import Owner
from sidecar.models import SignInFailure
from sidecar.web.sessions import cookies_are_secure
from tests.web.conftest import OWNER_EMAIL
from tests.web.conftest import OWNER_PASSWORD
from tests.web.conftest import csrf_token
from tests.web.conftest import post_form
from tests.web.conftest import sign_in


def test_the_right_password_signs_in_and_opens_the_dashboard(client: FlaskClient,
                                                            owner: Owner) -> None:
    response = sign_in(client, OWNER_EMAIL.upper(), OWNER_PASSWORD)

    assert response.status_code == 302
    assert response.location == "/"
    assert client.get("/").status_code == 200
    assert Owner.get_by_id(owner.id).last_sign_in_at is not None


def test_it_goes_back_to_the_page_asked_for_but_never_to_another_site(
    client: FlaskClient, owner: Owner
) -> None:
    assert sign_in(client, OWNER_EMAIL, OWNER_PASSWORD, next="/settings").location == "/settings"
    client.post("/auth/sign-out", data={"csrf_token": csrf_token_of(client)})
    assert sign_in(client, OWNER_EMAIL, OWNER_PASSWORD,
                   next="//evil.example/phish").location == "/"


def csrf_token_of(client: FlaskClient) -> str:
    with client.session_transaction() as session:
        return str(session.setdefault("csrf_token", "t"))


def test_a_wrong_password_is_refused_in_plain_words(client: FlaskClient, owner: Owner) -> None:
    response = sign_in(client, OWNER_EMAIL, "wrong password")

    assert response.status_code == 401
    assert "The e-mail address or the password is wrong." in response.text
    assert client.get("/").status_code == 302
    assert SignInFailure.select().count() == 1


def test_an_unknown_address_gets_the_same_answer_as_a_wrong_password(client: FlaskClient,
                                                                      owner: Owner) -> None:
    response = sign_in(client, "nobody@example.se", OWNER_PASSWORD)

    assert response.status_code == 401
    assert "The e-mail address or the password is wrong." in response.text


def test_a_sign_in_without_a_csrf_token_is_refused(client: FlaskClient, owner: Owner) -> None:
    csrf_token(client)  # the visitor has a session, but the form post lacks the token

    response = client.post("/auth/sign-in", data={"email": OWNER_EMAIL,
                                                  "password": OWNER_PASSWORD})

    assert response.status_code == 403
    assert client.get("/").status_code == 302


def test_signing_out_ends_the_session(signed_in: FlaskClient) -> None:
    response = post_form(signed_in, "/auth/sign-out")

    assert response.status_code == 302
    assert signed_in.get("/").status_code == 302
    assert "You are signed out." in signed_in.get("/auth/sign-in").text


def test_a_deleted_account_is_signed_out_on_its_next_request(signed_in: FlaskClient,
                                                             owner: Owner) -> None:
    owner.delete_instance()

    assert signed_in.get("/").status_code == 302


def test_the_session_cookie_is_httponly_samesite_lax_and_not_secure_on_local_http(
    client: FlaskClient, owner: Owner
) -> None:
    sign_in(client, OWNER_EMAIL, OWNER_PASSWORD)
    cookie = client.get_cookie("sidecar_session")

    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert not cookie.secure  # Config.for_tests: http://127.0.0.1:8000


def test_the_session_cookie_is_secure_behind_a_public_url(tmp_path, sqlite_database) -> None:  # type: ignore[no-untyped-def]
    from sidecar.app import create_app

    app: Flask = create_app(Config.for_tests(tmp_path, public_url="https://fortnox.example.se"))

    assert app.config["SESSION_COOKIE_SECURE"] is True


@pytest.mark.parametrize(("url", "secure"), [
    ("http://127.0.0.1:8000", False),
    ("http://localhost:8000", False),
    ("https://127.0.0.1:8000", True),
    ("https://sidecar.example.se", True),
    ("http://sidecar.example.se", True),  # plain http elsewhere: refuse to send the cookie
])
def test_cookies_are_secure_except_on_plain_local_http(url: str, secure: bool) -> None:
    assert cookies_are_secure(url) is secure
