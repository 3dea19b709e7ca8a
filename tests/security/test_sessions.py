"""Sessions end on the server's word: sign-out, a new password or a new link secret end every
copy of the cookie; a session dies after its idle and absolute lifetimes whatever the cookie
says."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from sidecar.models import Owner
from sidecar.web import accounts
from sidecar.web import sessions
from tests.web.conftest import post_form


def saved_cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie(sessions.COOKIE_NAME)
    assert cookie is not None
    return cookie.value


def test_a_cookie_saved_before_sign_out_does_not_open_settings_after(
    signed_in: FlaskClient, app
) -> None:  # type: ignore[no-untyped-def]
    copy = saved_cookie(signed_in)
    assert signed_in.get("/settings").status_code == 200

    post_form(signed_in, "/auth/sign-out")
    other = app.test_client()
    other.set_cookie(sessions.COOKIE_NAME, copy)

    assert other.get("/settings").status_code == 302


def test_a_new_password_ends_every_session(signed_in: FlaskClient, owner: Owner) -> None:
    accounts.set_password(owner, "ett helt nytt långt lösenord")

    assert signed_in.get("/settings").status_code == 302


@pytest.mark.parametrize(("since_sign_in", "since_use", "open_"), [
    (timedelta(hours=1), timedelta(minutes=5), True),
    (timedelta(hours=3), timedelta(hours=2, minutes=1), False),  # idle too long
    (timedelta(hours=12, minutes=1), timedelta(minutes=1), False),  # used, but too old
])
def test_idle_and_absolute_lifetimes(signed_in: FlaskClient, since_sign_in: timedelta,
                                     since_use: timedelta, open_: bool) -> None:
    with signed_in.session_transaction() as session:
        now = session["signed_in_at"]
        session["signed_in_at"] = now - int(since_sign_in.total_seconds())
        session["seen_at"] = now - int(since_use.total_seconds())

    assert (signed_in.get("/settings").status_code == 200) is open_


def test_requests_do_not_extend_the_absolute_lifetime(signed_in: FlaskClient) -> None:
    with signed_in.session_transaction() as session:
        session["signed_in_at"] -= int(sessions.ABSOLUTE_LIFETIME.total_seconds()) - 5
    first = signed_in.get("/settings").status_code
    with signed_in.session_transaction() as session:
        session["signed_in_at"] -= 10

    assert (first, signed_in.get("/settings").status_code) == (200, 302)
