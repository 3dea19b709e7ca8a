"""The Security log page in a real browser, in Swedish: the owner's sign-in is listed with its
address, a pairing code is made and shown once, a WordPress user is linked."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.browser.conftest import OWNER_EMAIL
from tests.browser.conftest import screenshot
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.slow


def test_an_owner_reads_the_security_log_and_pairs_the_plugin_in_swedish(page: Page) -> None:
    sign_in(page)
    page.get_by_role("button", name="Svenska").click()
    page.get_by_role("link", name="Säkerhetslogg").click()

    expect(page.get_by_role("heading", name="Säkerhetslogg", exact=True)).to_be_visible()
    log = page.locator("#security-events")
    expect(log).to_contain_text("Inloggad med e-postadress och lösenord.")
    expect(log).to_contain_text(OWNER_EMAIL)
    expect(log).to_contain_text("127.0.0.1")

    page.get_by_role("button", name="Skapa en kopplingskod").click()
    code = page.get_by_label("Din kopplingskod. Den fungerar en gång och visas inte igen.")
    expect(code).to_have_value(re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    expect(log).to_contain_text("En kopplingskod för WordPress-tillägget skapades.")
    screenshot(page, "security-log-swedish")

    page.get_by_label("WordPress-användarens nummer").fill("7")
    page.get_by_role("button", name="Koppla", exact=True).click()
    expect(page.get_by_text("WordPress-användare 7 kan nu logga in via länken i WordPress."))\
        .to_be_visible()
    page.reload()
    expect(page.locator("#pairing-code")).to_have_count(0)  # shown once
