"""The "Fortnox" menu entry in a real WordPress and browser: it signs the administrator in to
the running sidecar; without a valid nonce or the capability it is refused."""

from __future__ import annotations

import pytest
import requests
from playwright.sync_api import Browser
from playwright.sync_api import expect

from sidecar.sim.process import ROOT
from sidecar.sim.process import SidecarProcess
from tests.wordpress.conftest import OWNER_EMAIL
from tests.wordpress.conftest import in_browser
from tests.wordpress.site import PASSWORD
from tests.wordpress.site import WordPressSite

pytestmark = pytest.mark.slow

OPEN = "/wp-admin/admin-post.php?action=fortnox_sidecar_open"
SCREENSHOT = ROOT / "test-artifacts" / "screenshots" / "wordpress-fortnox-menu.png"


def test_the_fortnox_menu_signs_the_administrator_in_to_the_sidecar(
        wordpress: WordPressSite, connected: SidecarProcess) -> None:
    def walk(browser: Browser) -> None:
        context = browser.new_context(locale="en-GB", viewport={"width": 1200, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            page.goto(f"{wordpress.url}/wp-login.php")
            page.fill("#user_login", "admin")
            page.fill("#user_pass", PASSWORD)
            page.click("#wp-submit")
            expect(page.locator("#adminmenu")).to_be_visible()

            page.locator("#adminmenu").get_by_role("link", name="Fortnox", exact=True).click()

            expect(page).to_have_url(f"{connected.url}/")  # the sidecar's dashboard
            expect(page.locator(".who")).to_have_text(
                f"{OWNER_EMAIL} (WordPress #{wordpress.users['admin']})")
            expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        finally:
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=SCREENSHOT, full_page=True)
            context.close()

    in_browser(walk)


def test_the_menu_link_is_refused_without_a_nonce(
        wordpress: WordPressSite, connected: SidecarProcess, admin: requests.Session) -> None:
    refused = admin.get(wordpress.url + OPEN, allow_redirects=False, timeout=30)

    assert refused.status_code == 403
    assert "The link you followed has expired." in refused.text


def test_the_menu_link_is_refused_to_a_user_without_manage_woocommerce(
        wordpress: WordPressSite, connected: SidecarProcess) -> None:
    with wordpress.log_in("editor") as http:
        dashboard = http.get(f"{wordpress.url}/wp-admin/", timeout=30)
        nonce = wordpress.nonce(http, "fortnox_sidecar_open")
        refused = http.get(wordpress.url + OPEN, params={"_wpnonce": nonce},
                           allow_redirects=False, timeout=30)

    assert dashboard.status_code == 200
    assert "fortnox_sidecar_open" not in dashboard.text  # no menu entry for editors
    assert refused.status_code == 403
    assert "Sorry, you are not allowed to open the Fortnox settings." in refused.text
