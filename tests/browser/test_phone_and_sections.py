"""On a phone (390 px wide) no page scrolls sideways: tables become stacked rows and every
action stays reachable. At 1280 px each settings section fits its purpose: none is longer than
2,500 px. Against the real sidecar under gunicorn with both simulators, an order exported and
one failed, so the tables have rows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.browser.conftest import OWNER_EMAIL
from tests.browser.conftest import OWNER_PASSWORD
from tests.browser.conftest import screenshot
from tests.browser.conftest import sign_in
from tests.browser.owner_rig import ONLY_IN_WOO
from tests.browser.owner_rig import OwnerRig
from tests.browser.owner_rig import owner_rig
from tests.polling import wait_for

pytestmark = pytest.mark.slow

PHONE = {"width": 390, "height": 844}
SETTINGS_SECTIONS = ("connections", "export", "accounts", "shipping", "from-fortnox",
                     "schedules")
LONGEST_SECTION_PX = 2500


@pytest.fixture(scope="module", name="rig")
def _rig(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[OwnerRig]:
    """Simulators and sidecar; Fortnox connected, one order exported and one failed."""
    with owner_rig(tmp_path_factory.mktemp("phone-rig"), email=OWNER_EMAIL,
                   password=OWNER_PASSWORD) as rig:
        context = browser.new_context(locale="en-GB", base_url=rig.url)
        page = context.new_page()
        sign_in(page)
        page.goto("/fortnox/connect")
        page.get_by_role("button", name="Allow").click()
        expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
        page.goto("/settings/export")
        page.locator("select[name='export.unknown_article']").select_option("stop")
        page.get_by_role("button", name="Save: Order export").click()
        expect(page.get_by_text("Settings saved.")).to_be_visible()
        context.close()
        rig.exported = rig.place_order("RW-MUG-001")  # type: ignore[attr-defined]
        rig.failed = rig.place_order(ONLY_IN_WOO)  # type: ignore[attr-defined]
        assert wait_for(lambda: rig.ledger_state(rig.failed) == "failed"), rig.sidecar.log()
        yield rig


def every_page(rig: OwnerRig) -> list[str]:
    order = rig.exported  # type: ignore[attr-defined]
    return ["/", "/orders", "/orders?state=problem", *(f"/settings/{s}" for s in
            SETTINGS_SECTIONS), "/products", "/products?show=both", "/reconcile",
            f"/orders/dry-run?order={order}", "/no-such-page"]


def signed_in_page(browser: Browser, rig: OwnerRig, viewport: dict[str, int]) -> Page:
    context = browser.new_context(locale="en-GB", base_url=rig.url, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page)
    return page


def test_no_page_scrolls_sideways_on_a_phone(browser: Browser, rig: OwnerRig) -> None:
    page = signed_in_page(browser, rig, PHONE)
    too_wide = {}
    for path in every_page(rig):
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        screenshot(page, f"phone-{path}")
        if width > PHONE["width"]:
            too_wide[path] = width
    page.context.close()

    assert not too_wide, f"wider than {PHONE['width']} px: {too_wide}"


def test_every_action_of_a_table_row_is_reachable_on_a_phone(browser: Browser,
                                                             rig: OwnerRig) -> None:
    page = signed_in_page(browser, rig, PHONE)
    page.goto("/products?show=only_fortnox")
    create = page.get_by_role("button", name="Create in WooCommerce").first
    page.goto("/")
    retry = page.locator(f"#order-{rig.failed} button", has_text="Retry")  # type: ignore

    for button in (retry,):
        button.scroll_into_view_if_needed()
        box = button.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.goto("/products?show=only_fortnox")
    create.scroll_into_view_if_needed()
    box = create.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]
    page.context.close()


def test_each_settings_section_is_at_most_2500_px_tall(browser: Browser, rig: OwnerRig) -> None:
    page = signed_in_page(browser, rig, {"width": 1280, "height": 900})
    heights, widths = {}, {}
    for section in SETTINGS_SECTIONS:
        page.goto(f"/settings/{section}")
        heights[section] = page.evaluate("document.documentElement.scrollHeight")
        widths[section] = page.evaluate("document.documentElement.scrollWidth")
        screenshot(page, f"settings-section-{section}")
    page.context.close()

    assert {s: h for s, h in heights.items() if h > LONGEST_SECTION_PX} == {}, heights
    assert {s: w for s, w in widths.items() if w > 1280} == {}, widths
