"""An owner in a real browser: signs in with the keyboard, changes a job's frequency, switches
to Swedish. Screenshots land in test-artifacts/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.browser.conftest import OWNER_EMAIL
from tests.browser.conftest import OWNER_PASSWORD
from tests.browser.conftest import screenshot
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.slow

FOCUSED = "document.activeElement"


def tab_until(page: Page, selector: str, limit: int = 12) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"{FOCUSED}.matches({selector!r})"):
            return
    raise AssertionError(f"{selector} never got the focus by Tab")


def test_an_owner_signs_in_using_only_the_keyboard(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_url("/auth/sign-in?next=/")  # guarded, sent to sign in

    tab_until(page, "#email")
    page.keyboard.type(OWNER_EMAIL)
    tab_until(page, "#password")
    page.keyboard.type(OWNER_PASSWORD)
    tab_until(page, "button[type=submit].primary")
    outline = page.evaluate(f"getComputedStyle({FOCUSED}).outlineStyle")
    screenshot(page, "sign-in-button-focused")
    page.keyboard.press("Enter")

    assert outline != "none", "the focused button shows no focus ring"
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_role("heading", name="Background jobs")).to_be_visible()


def test_a_wrong_password_is_explained_on_the_sign_in_page(page: Page) -> None:
    page.goto("/auth/sign-in")
    page.get_by_label("E-mail address").fill(OWNER_EMAIL)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator("#sign-in-error")).to_have_text(
        "The e-mail address or the password is wrong.")


def test_an_owner_picks_a_jobs_frequency_from_sensible_intervals(page: Page) -> None:
    sign_in(page)
    page.get_by_role("link", name="Settings").click()
    page.get_by_role("link", name="Schedules").click()
    field = page.locator("#setting-jobs-prune-interval_seconds")
    expect(field.locator("option[value='900']")).to_have_text("every 15 minutes")

    field.select_option(label="every 2 hours")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    expect(field).to_have_value("7200")
    screenshot(page, "settings-saved")

    page.goto("/")
    expect(page.get_by_role("row", name="Clean-up")).to_contain_text("every 2 hours")


def test_an_owner_switches_to_swedish_and_it_stays_swedish(page: Page) -> None:
    sign_in(page)
    page.get_by_role("button", name="Svenska").click()

    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", name="Översikt")).to_be_visible()
    page.get_by_role("link", name="Inställningar").click()
    page.get_by_role("link", name="Scheman").click()
    expect(page.get_by_role("button", name="Spara inställningar")).to_be_visible()
    expect(page.get_by_text("Tiderna är svensk tid.")).to_be_visible()
    screenshot(page, "settings-swedish")
