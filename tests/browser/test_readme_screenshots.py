"""The README's "first hour" screenshots: the dashboard with an order in Fortnox, the settings
(Export), and the products page, as an owner sees them after connecting. `make screenshots`
writes them to docs/screenshots/ (DOCS_SCREENSHOTS names the folder); in the suite they go to
test-artifacts/ and the test checks the pages show what the README says."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.browser.conftest import OWNER_EMAIL
from tests.browser.conftest import OWNER_PASSWORD
from tests.browser.conftest import SCREENSHOTS
from tests.browser.conftest import sign_in
from tests.browser.owner_rig import OwnerRig
from tests.browser.owner_rig import owner_rig
from tests.polling import wait_for

pytestmark = pytest.mark.slow

FOLDER = Path(os.environ.get("DOCS_SCREENSHOTS") or SCREENSHOTS / "readme")
VIEWPORT = {"width": 1280, "height": 860}


@pytest.fixture(scope="module", name="rig")
def _rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnerRig]:
    """Simulators and sidecar, Fortnox not connected yet."""
    with owner_rig(tmp_path_factory.mktemp("readme-rig"), email=OWNER_EMAIL,
                   password=OWNER_PASSWORD) as rig:
        yield rig


@pytest.fixture(name="owner")
def _owner(browser: Browser, rig: OwnerRig) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", base_url=rig.url, viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(20_000)
    sign_in(page)
    yield page
    context.close()


def shot(page: Page, name: str) -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=FOLDER / f"{name}.png")  # the first screen, as the owner sees it


def test_the_first_hour_in_three_screenshots(owner: Page, rig: OwnerRig) -> None:
    owner.goto("/fortnox/connect")
    owner.get_by_role("button", name="Allow").click()
    expect(owner.get_by_text(f"Connected to Fortnox: {rig.company_name}.")).to_be_visible()
    order_id = rig.place_order("RW-MUG-001")
    assert wait_for(lambda: rig.ledger_state(order_id) == "exported"), rig.sidecar.log()[-2000:]

    owner.goto("/")
    expect(owner.locator(f"#order-{order_id} .fortnox-invoice")).to_have_text(
        re.compile(r"^\d+$"))
    owner.locator("#orders").scroll_into_view_if_needed()
    shot(owner, "dashboard")

    owner.goto("/settings/export")
    expect(owner.get_by_role("button", name="Save: Order export")).to_be_visible()
    shot(owner, "settings")

    owner.goto("/products")
    owner.get_by_role("button", name="Compare every product now").click()
    expect(owner.get_by_text("The product sync has started")).to_be_visible()

    def compared() -> bool:
        owner.reload()
        return "Last compared" in owner.locator("#product-sync-progress").inner_text()
    assert wait_for(compared, 30)
    owner.goto("/products?show=only_fortnox")
    expect(owner.get_by_role("button", name=re.compile("^Create in WooCommerce"))).to_be_visible()
    shot(owner, "products")

    assert sorted(p.name for p in FOLDER.glob("*.png")) >= ["dashboard.png", "products.png",
                                                            "settings.png"]
