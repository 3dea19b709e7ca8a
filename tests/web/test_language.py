"""Swedish when the browser prefers it, English otherwise, and the owner's choice remembered."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.web.conftest import post_form


def test_a_browser_preferring_swedish_gets_swedish(client: FlaskClient) -> None:
    page = client.get("/auth/sign-in", headers={"Accept-Language": "sv-SE,sv;q=0.9,en;q=0.8"})

    assert '<html lang="sv">' in page.text
    assert "Logga in" in page.text
    assert "E-postadress" in page.text


def test_other_browsers_get_english(client: FlaskClient) -> None:
    page = client.get("/auth/sign-in", headers={"Accept-Language": "de-DE,de;q=0.9"})

    assert '<html lang="en">' in page.text
    assert "Sign in" in page.text


def test_the_switch_remembers_the_choice_over_the_browsers_preference(
    signed_in: FlaskClient,
) -> None:
    english = {"Accept-Language": "en-GB"}
    response = post_form(signed_in, "/language", {"lang": "sv", "next": "/settings"},
                         headers=english)

    assert response.status_code == 302
    assert response.location == "/settings"
    cookie = signed_in.get_cookie("sidecar_lang")
    assert cookie is not None and cookie.value == "sv" and cookie.http_only
    page = signed_in.get("/settings/schedules", headers=english).text
    assert '<html lang="sv">' in page
    assert "Inställningar" in page
    assert "Spara inställningar" in page


def test_the_switch_ignores_unknown_languages_and_foreign_return_addresses(
    signed_in: FlaskClient,
) -> None:
    response = post_form(signed_in, "/language", {"lang": "xx", "next": "https://evil.example"})

    assert response.location == "/"
    assert signed_in.get_cookie("sidecar_lang") is None


def test_setting_errors_are_explained_in_swedish_too(signed_in: FlaskClient) -> None:
    post_form(signed_in, "/language", {"lang": "sv"})

    response = post_form(signed_in, "/settings", {"jobs.prune.interval_seconds": "0"})

    assert "Ange ett tal från 1 till 604800." in response.text
    assert "Inget sparades." in response.text
