"""The Security log page: who did what, when and from where; the pairing code, secrets and
WordPress users; a year of history."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient

from sidecar.fields import utcnow
from sidecar.housekeeping import prune
from sidecar.models import Owner
from sidecar.models import SecurityEvent
from sidecar.models import Shop
from sidecar.models import WordPressUser
from sidecar.security import audit
from sidecar.security import shop_keys
from tests.web.conftest import OWNER_EMAIL
from tests.web.conftest import post_form
from tests.web.conftest import sign_in


def test_sign_ins_and_refusals_are_listed_with_who_and_where(client: FlaskClient,
                                                            owner: Owner) -> None:
    sign_in(client, OWNER_EMAIL, "wrong password")
    sign_in(client, OWNER_EMAIL, "rätt häst batteri")

    page = client.get("/security", headers={"Accept-Language": "sv"})

    assert page.status_code == 200
    assert "Säkerhetslogg" in page.text
    rows = page.text.split('id="security-events"')[1]
    assert rows.count(OWNER_EMAIL) == 2 and "127.0.0.1" in rows
    assert rows.index("Inloggad med e-postadress och lösenord.") < rows.index(
        "Inloggningen misslyckades")


def test_a_pairing_code_is_shown_once_and_logged(signed_in: FlaskClient, web_shop: Shop) -> None:
    post_form(signed_in, "/security/pairing-code")

    first = signed_in.get("/security").text
    second = signed_in.get("/security").text

    assert 'id="pairing-code"' in first and 'id="pairing-code"' not in second
    assert Shop.get_by_id(web_shop.id).pairing_code_hash is not None
    assert SecurityEvent.get(SecurityEvent.action == "security.pairing_code_made").actor == \
        OWNER_EMAIL


def test_rotating_the_plugin_secret_changes_it_and_says_which(signed_in: FlaskClient,
                                                              web_shop: Shop) -> None:
    before = Shop.get_by_id(web_shop.id).plugin_secret

    post_form(signed_in, "/security/secrets/plugin")

    assert Shop.get_by_id(web_shop.id).plugin_secret != before
    assert "A new plugin API secret was made" in signed_in.get("/security").text


def test_an_owner_links_a_wordpress_user(signed_in: FlaskClient, web_shop: Shop,
                                         owner: Owner) -> None:
    refused = post_form(signed_in, "/security/wordpress-users", {"wp_user": "0",
                                                                  "owner": str(owner.id)})
    post_form(signed_in, "/security/wordpress-users", {"wp_user": "12", "owner": str(owner.id)})

    assert refused.status_code == 302
    assert [(u.wp_user, u.owner_id) for u in WordPressUser.select()] == [(12, owner.id)]


def test_events_are_kept_a_year(web_shop: Shop) -> None:
    now = utcnow()
    audit.record(web_shop, "a", "security.signed_in", now=now - timedelta(days=366))
    audit.record(web_shop, "b", "security.signed_in", now=now - timedelta(days=364))
    audit.record(None, "c", "security.sign_in_failed", now=now - timedelta(days=400))

    counts = prune(web_shop, now=now)

    assert counts["security_events_deleted"] == 2
    assert [e.actor for e in SecurityEvent.select()] == ["b"]


def test_pairing_gives_the_plugin_its_three_secrets_once(client: FlaskClient,
                                                        web_shop: Shop) -> None:
    code = shop_keys.new_pairing_code(web_shop, now=utcnow())

    first = client.post("/api/pair", json={"code": code.lower()})
    again = client.post("/api/pair", json={"code": code})

    assert first.status_code == 200
    shop = Shop.get_by_id(web_shop.id)
    assert first.get_json() == {"webhook_secret": shop.webhook_secret,
                                "link_secret": shop.link_secret,
                                "plugin_secret": shop.plugin_secret, "shop": shop.slug}
    assert len({shop.webhook_secret, shop.link_secret, shop.plugin_secret}) == 3
    assert again.status_code == 403


def test_an_expired_pairing_code_is_refused(client: FlaskClient, web_shop: Shop) -> None:
    code = shop_keys.new_pairing_code(web_shop, now=utcnow() - timedelta(minutes=16))

    assert client.post("/api/pair", json={"code": code}).status_code == 403


def test_a_flood_of_refused_sign_ins_is_one_row_a_minute(web_shop: Shop) -> None:
    now = utcnow()
    for n in range(50):
        audit.record(None, "x@example.se", "security.sign_in_throttled", address="203.0.113.5",
                     now=now + timedelta(seconds=n))
    audit.record(None, "x@example.se", "security.sign_in_throttled", address="203.0.113.5",
                 now=now + timedelta(seconds=61))

    assert SecurityEvent.select().count() == 2
