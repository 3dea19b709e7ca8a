"""Signing in through the WordPress plugin's signed link: valid once, for a minute."""

from __future__ import annotations

import time

import pytest
from flask.testing import FlaskClient

from sidecar.models import Owner
from sidecar.models import Shop
from sidecar.models import UsedSignInLink
from sidecar.web.wordpress_link import link_user
from sidecar.web.wordpress_link import signature
from tests.web.conftest import LINK_SECRET
from tests.web.conftest import OWNER_EMAIL


@pytest.fixture(autouse=True)
def _user_seven_is_the_owner(web_shop: Shop, owner: Owner) -> None:
    """WordPress user 7 is linked to the owner's account."""
    link_user(web_shop, 7, owner)


def link(wp_user: str = "7", expires: int | None = None, secret: str = LINK_SECRET) -> str:
    """The URL the plugin's admin menu opens (signed as in its PHP: hash_hmac over the query)."""
    expires_text = str(int(time.time()) + 60 if expires is None else expires)
    sig = signature(secret, wp_user, expires_text)
    return f"/auth/wordpress?wp_user={wp_user}&expires={expires_text}&sig={sig}"


def test_a_valid_link_signs_in_as_the_shops_wordpress_user(client: FlaskClient,
                                                          web_shop: Shop) -> None:
    response = client.get(link(wp_user="7"))

    assert response.status_code == 302
    assert response.location == "/"  # the signature leaves the address bar at once
    with client.session_transaction() as session:
        assert session["shop_id"] == web_shop.id
        assert session["wp_user"] == 7
    page = client.get("/")
    assert page.status_code == 200
    assert f"{OWNER_EMAIL} (WordPress #7)" in page.text


def test_the_signature_matches_the_plugins_php(web_shop: Shop) -> None:
    # From wp-plugin-stub/tests/AdminLinkTest.php: hash_hmac('sha256', 'wp_user=7&expires=...')
    import hashlib
    import hmac

    expected = hmac.new(LINK_SECRET.encode(), b"wp_user=7&expires=1700000060",
                        hashlib.sha256).hexdigest()
    assert signature(LINK_SECRET, "7", "1700000060") == expected


def test_an_expired_link_is_refused(client: FlaskClient, web_shop: Shop) -> None:
    response = client.get(link(expires=int(time.time()) - 1))

    assert response.status_code == 403
    assert "has expired" in response.text
    assert client.get("/").status_code == 302


def test_a_link_valid_too_far_ahead_is_refused(client: FlaskClient, web_shop: Shop) -> None:
    response = client.get(link(expires=int(time.time()) + 3600))

    assert response.status_code == 403
    assert client.get("/").status_code == 302


def test_a_link_signed_with_another_secret_is_refused(client: FlaskClient,
                                                     web_shop: Shop) -> None:
    response = client.get(link(secret="someone-elses-secret"))

    assert response.status_code == 403
    assert "is not valid" in response.text
    assert client.get("/").status_code == 302


def test_the_webhook_secret_does_not_sign_a_link(client: FlaskClient, web_shop: Shop) -> None:
    response = client.get(link(secret=str(web_shop.webhook_secret)))

    assert response.status_code == 403
    assert client.get("/").status_code == 302


@pytest.mark.parametrize("wp_user", ["0", "8"])
def test_a_user_not_linked_to_an_owner_is_refused(client: FlaskClient, web_shop: Shop,
                                                  wp_user: str) -> None:
    response = client.get(link(wp_user=wp_user))

    assert response.status_code == 403
    assert f"WordPress user {wp_user} is not linked" in response.text
    assert client.get("/").status_code == 302


def test_rotating_the_link_secret_ends_sessions_the_link_opened(client: FlaskClient,
                                                                 web_shop: Shop) -> None:
    from sidecar.fields import utcnow
    from sidecar.security import shop_keys

    assert client.get(link()).status_code == 302
    assert client.get("/").status_code == 200

    shop_keys.rotate(Shop.get_by_id(web_shop.id), "link", now=utcnow())

    assert client.get("/").status_code == 302


def test_a_tampered_user_id_is_refused(client: FlaskClient, web_shop: Shop) -> None:
    response = client.get(link(wp_user="7").replace("wp_user=7", "wp_user=1"))

    assert response.status_code == 403


def test_a_link_works_only_once(client: FlaskClient, app, web_shop: Shop) -> None:  # type: ignore[no-untyped-def]
    url = link()
    assert client.get(url).status_code == 302

    replay = app.test_client().get(url)  # another browser, e.g. from a leaked history

    assert replay.status_code == 403
    assert "already been used" in replay.text
    assert UsedSignInLink.select().count() == 1


@pytest.mark.parametrize("query", [
    "",
    "wp_user=7&expires=abc&sig=00",
    "wp_user=7&expires=1700000060&sig=" + "Z" * 64,
    "wp_user=-1&expires=1700000060&sig=" + "0" * 64,
])
def test_a_malformed_link_is_refused(client: FlaskClient, web_shop: Shop, query: str) -> None:
    assert client.get(f"/auth/wordpress?{query}").status_code == 403
