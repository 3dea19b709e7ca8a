"""Signing in with e-mail and password, the limit on failed attempts, and signing out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from sidecar.config import Config
from sidecar.fields import utcnow
from sidecar.models import Owner
from sidecar.models import SignInFailure
from sidecar.web import accounts
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


def test_five_failures_lock_the_account_even_against_the_right_password(
    client: FlaskClient, owner: Owner
) -> None:
    for _ in range(accounts.MAX_FAILURES_PER_ACCOUNT):
        assert sign_in(client, OWNER_EMAIL, "guess").status_code == 401

    response = sign_in(client, OWNER_EMAIL, OWNER_PASSWORD)

    assert response.status_code == 429
    assert "Wait 15 minutes" in response.text
    assert client.get("/").status_code == 302


def test_the_lock_lifts_after_the_window(owner: Owner) -> None:
    now = utcnow()
    for _ in range(accounts.MAX_FAILURES_PER_ACCOUNT):
        accounts.authenticate(OWNER_EMAIL, "guess", ip="192.0.2.1", now=now)

    locked, _ = accounts.authenticate(OWNER_EMAIL, OWNER_PASSWORD, ip="192.0.2.9", now=now)
    later, who = accounts.authenticate(OWNER_EMAIL, OWNER_PASSWORD, ip="192.0.2.9",
                                       now=now + accounts.FAILURE_WINDOW + timedelta(seconds=1))

    assert locked is accounts.SignIn.LOCKED
    assert later is accounts.SignIn.OK
    assert who is not None and who.id == owner.id


def test_one_address_guessing_across_accounts_is_locked_out(owner: Owner) -> None:
    now = utcnow()
    for n in range(accounts.MAX_FAILURES_PER_ADDRESS):  # as authenticate() records them
        SignInFailure.create(email=f"user{n}@example.se", ip="203.0.113.5", created_at=now)

    outcome, _ = accounts.authenticate(OWNER_EMAIL, OWNER_PASSWORD, ip="203.0.113.5", now=now)
    elsewhere, _ = accounts.authenticate(OWNER_EMAIL, OWNER_PASSWORD, ip="198.51.100.7", now=now)

    assert outcome is accounts.SignIn.LOCKED
    assert elsewhere is accounts.SignIn.OK


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
