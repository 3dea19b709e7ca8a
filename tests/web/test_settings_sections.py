"""The settings in sections, each its own page with its own saves, in the order an owner sets
things up (as WooCommerce's own settings tabs)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.web.conftest import post_form

SECTIONS = {  # slug: a form of the section, none of the others'
    "connections": 'id="fortnox"',
    "export": 'id="part-export"',
    "accounts": 'id="part-accounts"',
    "shipping": 'id="part-shipping"',
    "from-fortnox": 'id="part-fortnox_to_woo"',
    "schedules": 'id="general"',
}


@pytest.mark.parametrize("slug", SECTIONS)
def test_each_section_is_a_page_of_its_own(signed_in: FlaskClient, slug: str) -> None:
    page = signed_in.get(f"/settings/{slug}", follow_redirects=True).text  # connections: /settings

    assert SECTIONS[slug] in page
    assert not [mark for other, mark in SECTIONS.items() if other != slug and mark in page]
    assert 'aria-current="page">' in page


def test_the_sections_are_named_in_swedish_in_the_order_an_owner_sets_up(
        signed_in: FlaskClient) -> None:
    signed_in.set_cookie("sidecar_lang", "sv")
    page = signed_in.get("/settings").text
    tabs = page[page.index('class="section-tabs"'):page.index("</nav>", page.index(
        'class="section-tabs"'))]

    names = ["Anslutningar", "Export", "Konton", "Frakt och leverans", "Från Fortnox",
             "Scheman"]
    assert [tabs.index(f">{name}</a>") for name in names] == sorted(
        tabs.index(f">{name}</a>") for name in names)


def test_a_refused_part_is_shown_again_on_its_own_section(signed_in: FlaskClient) -> None:
    response = post_form(signed_in, "/settings/sync/accounts",
                         {"export.rounding_account": "not an account"})

    assert response.status_code == 422
    assert 'id="part-accounts"' in response.text and 'id="general"' not in response.text


def test_an_unknown_section_is_not_found(signed_in: FlaskClient) -> None:
    assert signed_in.get("/settings/nothing").status_code == 404
