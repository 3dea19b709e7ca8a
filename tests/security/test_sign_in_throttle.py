"""Failed sign-ins slow the guesser down, per account and per address, and never lock the owner
out: after the wait the right password works, and a flood from one address slows only it."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from sidecar.fields import utcnow
from sidecar.models import Owner
from sidecar.models import SecurityEvent
from sidecar.models import SignInFailure
from sidecar.security import throttle
from sidecar.web import accounts
from sidecar.web.accounts import SignIn
from tests.web.conftest import OWNER_EMAIL
from tests.web.conftest import OWNER_PASSWORD
from tests.web.conftest import sign_in


def test_delays_grow_and_are_capped() -> None:
    delays = [throttle.delay_after(n, 3).total_seconds() for n in range(0, 20)]

    assert delays[:3] == [0, 0, 0]
    assert delays[3:7] == [2, 4, 8, 16]
    assert max(delays) == throttle.MAX_DELAY.total_seconds()


def test_after_five_failures_the_right_password_works_once_the_delay_is_over(
    owner: Owner,
) -> None:
    now = utcnow()
    for n in range(5):
        accounts.authenticate(OWNER_EMAIL, "guess", ip="192.0.2.1", now=now + timedelta(
            seconds=60 * n))
    last = now + timedelta(seconds=240)

    early, _, wait = accounts.authenticate(OWNER_EMAIL, OWNER_PASSWORD, ip="192.0.2.9",
                                           now=last + timedelta(seconds=1))
    later, who, _ = accounts.authenticate(OWNER_EMAIL, OWNER_PASSWORD, ip="192.0.2.9",
                                          now=last + throttle.delay_after(5, 3))

    assert early is SignIn.THROTTLED and timedelta(0) < wait <= throttle.delay_after(5, 3)
    assert later is SignIn.OK and who is not None and who.id == owner.id


def test_a_flood_of_random_accounts_from_one_address_slows_only_that_address(
    owner: Owner,
) -> None:
    now = utcnow()
    for n in range(20):
        SignInFailure.create(email=f"user{n}@example.se", ip="203.0.113.5", created_at=now)

    there, _, _ = accounts.authenticate(OWNER_EMAIL, OWNER_PASSWORD, ip="203.0.113.5", now=now)
    elsewhere, who, _ = accounts.authenticate(OWNER_EMAIL, OWNER_PASSWORD, ip="198.51.100.7",
                                              now=now)

    assert there is SignIn.THROTTLED
    assert elsewhere is SignIn.OK and who is not None


def test_the_page_says_how_long_to_wait_and_sends_retry_after(client: FlaskClient,
                                                              owner: Owner) -> None:
    for _ in range(throttle.FREE_FAILURES_PER_ACCOUNT):
        assert sign_in(client, OWNER_EMAIL, "guess").status_code == 401

    response = sign_in(client, OWNER_EMAIL, OWNER_PASSWORD)

    assert response.status_code == 429
    assert "Wait 2 seconds" in response.text
    assert response.headers["Retry-After"] == "2"
    assert client.get("/").status_code == 302
    actions = [e.action for e in SecurityEvent.select().order_by(SecurityEvent.id)]
    assert actions == ["security.sign_in_failed"] * 3 + ["security.sign_in_throttled"]


def test_behind_a_trusted_proxy_each_visitor_has_their_own_address(
    tmp_path, sqlite_database, owner: Owner  # type: ignore[no-untyped-def]
) -> None:
    from sidecar.app import create_app
    from sidecar.config import Config

    app: Flask = create_app(Config.for_tests(tmp_path, trusted_proxies=("127.0.0.1/32",)))
    client = app.test_client()
    with client.session_transaction() as session:
        session["csrf_token"] = "t"
    for n in range(12):
        client.post("/auth/sign-in", data={"email": f"nobody{n}@example.se", "password": "g",
                                           "csrf_token": "t"},
                    headers={"X-Forwarded-For": "203.0.113.5"})
    owners = client.post("/auth/sign-in", data={"email": OWNER_EMAIL, "password": OWNER_PASSWORD,
                                                "csrf_token": "t"},
                         headers={"X-Forwarded-For": "198.51.100.7"})

    assert {f.ip for f in SignInFailure.select()} == {"203.0.113.5"}
    assert owners.status_code == 302


def test_an_untrusted_peer_cannot_choose_its_address(client: FlaskClient, owner: Owner) -> None:
    with client.session_transaction() as session:
        session["csrf_token"] = "t"
    client.post("/auth/sign-in", data={"email": "x@example.se", "password": "g",
                                       "csrf_token": "t"},
                headers={"X-Forwarded-For": "198.51.100.99"})

    assert [f.ip for f in SignInFailure.select()] == ["127.0.0.1"]
