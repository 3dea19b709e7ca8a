"""An owner's first day, in a real browser against the sidecar under gunicorn and both
simulators (issue 7's acceptance list). The tests run in order on one browser session: connect
Fortnox through its consent page, map a shipping method with a wildcard and preview it, see an
order exported, see a failure, fix its cause and retry it, create a missing product, switch to
Swedish. Screenshots land in test-artifacts/screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.browser.conftest import OWNER_EMAIL
from tests.browser.conftest import OWNER_PASSWORD
from tests.browser.conftest import screenshot
from tests.browser.conftest import sign_in
from tests.browser.owner_rig import ONLY_IN_FORTNOX
from tests.browser.owner_rig import ONLY_IN_WOO
from tests.browser.owner_rig import OwnerRig
from tests.browser.owner_rig import owner_rig
from tests.polling import wait_for

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", name="rig")
def _rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnerRig]:
    """Simulators and sidecar, Fortnox not connected yet."""
    with owner_rig(tmp_path_factory.mktemp("owner-rig"), email=OWNER_EMAIL,
                   password=OWNER_PASSWORD) as rig:
        yield rig


@pytest.fixture(scope="module", name="owner")
def _owner(browser: Browser, rig: OwnerRig) -> Iterator[Page]:
    """One browser session for the whole day, signed in, preferring English."""
    context = browser.new_context(locale="en-GB", base_url=rig.url,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page)
    yield page
    context.close()


def reload_until(page: Page, locator: str, text: str, timeout: float = 20) -> None:
    """Reload the page until the element shows the text (work happens in the background)."""
    def shows() -> bool:
        page.reload()
        found = page.locator(locator)
        return found.count() > 0 and text in found.first.inner_text()
    assert wait_for(shows, timeout), f"{locator} never showed {text!r}"


def test_the_owner_connects_fortnox_on_its_consent_page(owner: Page, rig: OwnerRig) -> None:
    owner.goto("/settings/export")
    expect(owner.locator("#lists-note")).to_contain_text("Fortnox is not connected")
    owner.goto("/settings")
    expect(owner.locator("#fortnox-state")).to_have_text("Not connected")
    owner.get_by_role("link", name="Connect to Fortnox").click()

    expect(owner.get_by_role("heading", name="Fortnox simulator")).to_be_visible()
    screenshot(owner, "fortnox-consent")
    owner.get_by_role("button", name="Allow").click()

    expect(owner.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(owner.get_by_text(f"Connected to Fortnox: {rig.company_name}.")).to_be_visible()
    owner.goto("/settings")
    expect(owner.locator("#fortnox-state")).to_have_text("Connected")
    expect(owner.locator("#fortnox-company")).to_have_text(rig.company_name)
    screenshot(owner, "settings-fortnox-connected")


def test_a_wildcard_shipping_rule_is_chosen_from_fortnox_and_previewed(owner: Page) -> None:
    owner.goto("/settings/shipping")
    owner.get_by_label("Way of delivery, rule 1: shipping method").fill("DHL*")
    owner.get_by_label("Way of delivery, rule 1: code").select_option("DHL")  # Fortnox's list
    owner.get_by_role("button", name="Save: Shipping").click()
    expect(owner.get_by_text("Settings saved.")).to_be_visible()

    owner.get_by_label("Try a shipping method").fill("DHL-1")
    owner.get_by_role("button", name="Show the match").click()

    expect(owner.locator("#shipping-preview-result")).to_contain_text(
        "DHL-1 → way of delivery DHL (rule DHL*)")
    screenshot(owner, "settings-shipping-preview")


def test_the_gift_card_account_is_picked_from_the_whole_chart(owner: Page) -> None:
    owner.goto("/settings/accounts")
    field = owner.get_by_label("Account for gift cards sold")
    expect(field).to_have_attribute("list", "fortnox-accounts")
    # The whole chart is offered, liability accounts too, searchable by name in the list.
    expect(owner.locator('#fortnox-accounts option[value="2421"]')).to_have_text(
        re.compile("Ej inlösta presentkort"))
    field.fill("2421")
    owner.get_by_label("Gift card SKUs").fill("PRESENTKORT-500")
    owner.get_by_role("button", name="Save: Accounts").click()
    expect(owner.get_by_text("Settings saved.")).to_be_visible()
    expect(owner.get_by_label("Account for gift cards sold")).to_have_value("2421")


def test_an_order_is_exported_with_its_fortnox_number_on_the_dashboard(
        owner: Page, rig: OwnerRig) -> None:
    order_id = rig.place_order("RW-MUG-001")
    assert wait_for(lambda: rig.ledger_state(order_id) == "exported"), rig.sidecar.log()[-3000:]

    owner.goto("/")
    row = owner.locator(f"#order-{order_id}")
    expect(row).to_contain_text("In Fortnox")
    expect(row.locator(".fortnox-invoice")).to_have_text(re.compile(r"^\d+$"))
    screenshot(owner, "dashboard-order-exported")


def test_a_failed_order_is_explained_and_succeeds_when_retried_after_the_fix(
        owner: Page, rig: OwnerRig) -> None:
    owner.goto("/settings/export")
    owner.get_by_label("When an order's SKU is not an article in Fortnox").select_option("stop")
    owner.get_by_role("button", name="Save: Order export").click()
    expect(owner.get_by_text("Settings saved.")).to_be_visible()

    order_id = rig.place_order(ONLY_IN_WOO)
    assert wait_for(lambda: rig.ledger_state(order_id) == "failed"), rig.sidecar.log()[-3000:]
    owner.goto("/")
    row = owner.locator(f"#order-{order_id}")
    expect(row).to_contain_text("Failed")
    details = owner.locator(f"#order-{order_id} + tr")
    expect(details).to_contain_text(f"SKU {ONLY_IN_WOO} is not an article in Fortnox")
    expect(details).to_contain_text("What to do:")
    screenshot(owner, "dashboard-order-failed")

    owner.goto("/settings/export")  # the fix: create missing articles instead of stopping
    owner.get_by_label("When an order's SKU is not an article in Fortnox").select_option(
        "create_article")
    owner.get_by_role("button", name="Save: Order export").click()
    expect(owner.get_by_text("Settings saved.")).to_be_visible()
    owner.goto("/")
    attention = owner.locator("#attention")
    expect(attention).to_contain_text(f"Order {order_id} was not exported")
    attention.get_by_role("button", name=f"Retry – order {order_id}").click()
    expect(owner.get_by_text(f"Order {order_id} will be sent again shortly.")).to_be_visible()

    reload_until(owner, f"#order-{order_id}", "In Fortnox")
    expect(owner.locator(f"#order-{order_id} .fortnox-invoice")).to_have_text(
        re.compile(r"^\d+$"))
    expect(owner.locator("#attention")).not_to_contain_text("was not exported")  # cleared
    screenshot(owner, "dashboard-order-retried")


def test_the_products_page_creates_a_product_only_fortnox_has(owner: Page) -> None:
    owner.goto("/products")
    owner.get_by_role("button", name="Compare every product now").click()
    # Reloading while the form's redirect is still under way detaches the page.
    expect(owner.get_by_text("The product sync has started")).to_be_visible()
    reload_until(owner, "#product-sync-progress", "Last compared", timeout=30)

    # A variation's name is WooCommerce's own: the page says so instead of trying to write it.
    owner.goto("/products?show=both")
    expect(owner.locator("tr[data-sku='RW-TEE-BLK-M']")).to_contain_text(
        "WooCommerce won't take: name")
    expect(owner.locator("#not-taken")).to_contain_text("names a variation after its attributes")
    screenshot(owner, "products-not-taken")

    owner.get_by_role("link", name=re.compile(r"^Only in Fortnox")).click()
    row = owner.locator(f"tr[data-sku='{ONLY_IN_FORTNOX}']")
    expect(row).to_contain_text("Only in Fortnox")
    screenshot(owner, "products-only-in-fortnox")
    row.get_by_role("button", name=f"Create in WooCommerce – {ONLY_IN_FORTNOX}").click()

    expect(owner.get_by_text("Created in WooCommerce as a draft")).to_be_visible()
    owner.goto("/products?show=both")
    expect(owner.locator(f"tr[data-sku='{ONLY_IN_FORTNOX}']")).to_contain_text("Both")
    screenshot(owner, "products-created")


def test_the_owner_switches_to_swedish(owner: Page) -> None:
    owner.goto("/settings")
    owner.get_by_role("button", name="Svenska").click()

    expect(owner.locator("html")).to_have_attribute("lang", "sv")
    expect(owner.locator("#fortnox-state")).to_have_text("Ansluten")
    owner.get_by_role("link", name="Frakt och leverans").click()
    expect(owner.get_by_role("button", name="Spara: Frakt")).to_be_visible()
    screenshot(owner, "settings-swedish-full")
    owner.goto("/")
    expect(owner.get_by_role("heading", name="Ordrar", exact=True)).to_be_visible()
    screenshot(owner, "dashboard-swedish")
