"""A Swedish owner reads every page in Swedish: signed in, switched to Swedish, through the
Fortnox connect flow's outcomes, an exported and a failed order (with its hint), the dry run,
the activity feed, the order list, the products page, the reconciliation page and a page that
does not exist. Any text of the English catalog shown as it is fails the test."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.browser.conftest import OWNER_EMAIL
from tests.browser.conftest import OWNER_PASSWORD
from tests.browser.conftest import screenshot
from tests.browser.owner_rig import ONLY_IN_WOO
from tests.browser.owner_rig import OwnerRig
from tests.browser.owner_rig import owner_rig
from tests.browser.untranslated import english_texts
from tests.browser.untranslated import untranslated
from tests.polling import wait_for

pytestmark = pytest.mark.slow

# What the owner sees besides the body's text: the title, field hints, labels for screen readers.
# Code (a payload as sent to Fortnox, with its field names) is not words.
SHOWN_TEXT = """() => [document.title,
  [...document.querySelectorAll('pre, code')].reduce(
     (text, code) => text.replace(code.innerText, ' '), document.body.innerText),
  ...[...document.querySelectorAll('[placeholder]')].map(e => e.placeholder),
  ...[...document.querySelectorAll('[title]')].map(e => e.title),
  ...[...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label')),
  ...[...document.querySelectorAll('option')].map(e => e.textContent)].join('\\n')"""


@pytest.fixture(scope="module", name="rig")
def _rig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnerRig]:
    """Simulators and sidecar, Fortnox not connected yet."""
    with owner_rig(tmp_path_factory.mktemp("swedish-rig"), email=OWNER_EMAIL,
                   password=OWNER_PASSWORD) as rig:
        yield rig


@pytest.fixture(scope="module", name="owner")
def _owner(browser: Browser, rig: OwnerRig) -> Iterator[Page]:
    """A browser that prefers English; the owner switches to Swedish by hand."""
    context = browser.new_context(locale="en-GB", base_url=rig.url,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


class Reader:
    """Reads each page the owner is on and keeps what was English."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.found: dict[str, list[str]] = {}

    def read(self, name: str) -> None:
        english = untranslated(self.page.evaluate(SHOWN_TEXT))
        if english:
            self.found[f"{name} ({urlsplit(self.page.url).path})"] = english
        screenshot(self.page, f"swedish-{name}")

    def visit(self, path: str, name: str) -> None:
        self.page.goto(path)
        self.read(name)


def test_the_catalog_has_english_to_look_for() -> None:
    assert len(english_texts()) > 300


def test_every_page_an_owner_visits_is_in_swedish(owner: Page, rig: OwnerRig) -> None:
    reader = Reader(owner)
    owner.goto("/auth/sign-in")
    owner.get_by_role("button", name="Svenska").click()
    expect(owner.locator("html")).to_have_attribute("lang", "sv")
    reader.read("sign-in")
    owner.get_by_label("E-postadress").fill(OWNER_EMAIL)
    owner.get_by_label("Lösenord").fill(OWNER_PASSWORD)
    owner.get_by_role("button", name="Logga in").click()
    reader.read("dashboard-fresh")
    reader.visit("/settings", "settings-fresh")

    # Connect: refused in Fortnox, then a stale answer, then allowed.
    owner.goto("/fortnox/connect")
    state = parse_qs(urlsplit(owner.url).query)["state"][0]
    owner.goto(f"/fortnox/callback?state={state}&error=access_denied"
               "&error_description=The+user+denied+access")
    reader.read("connect-refused")
    owner.goto("/fortnox/callback?state=stale&code=abc")
    reader.read("connect-stale")
    owner.goto("/fortnox/connect")
    owner.get_by_role("button", name="Allow").click()
    expect(owner.locator("html")).to_have_attribute("lang", "sv")
    reader.read("connect-done")

    # An order exported, one failing on an article Fortnox lacks.
    exported = rig.place_order("RW-MUG-001")
    assert wait_for(lambda: rig.ledger_state(exported) == "exported"), rig.sidecar.log()[-3000:]
    owner.goto("/settings/export")
    owner.locator("select[name='export.unknown_article']").select_option("stop")
    owner.locator("select[name='export.unknown_article']").locator(
        "xpath=ancestor::form").locator("button[type=submit]").first.click()
    failed = rig.place_order(ONLY_IN_WOO)
    assert wait_for(lambda: rig.ledger_state(failed) == "failed"), rig.sidecar.log()[-3000:]

    reader.visit("/", "dashboard")
    expect(owner.locator(f"#order-{failed} + tr")).to_contain_text("Gör så här")
    for section in ("connections", "export", "accounts", "shipping", "from-fortnox",
                    "schedules"):
        reader.visit(f"/settings/{section}", f"settings-{section}")
    reader.visit(f"/orders/dry-run?order={exported}", "dry-run-exported")
    reader.visit(f"/orders/dry-run?order={failed}", "dry-run-failed")
    reader.visit("/orders/dry-run?order=999999", "dry-run-unknown")
    reader.visit("/products", "products")
    for show in ("both", "only_woo", "only_fortnox"):
        reader.visit(f"/products?show={show}", f"products-{show}")
    reader.visit("/orders", "orders")
    reader.visit(f"/orders?q={failed}&state=problem", "orders-problem")
    reader.visit("/orders?q=ingen+sådan", "orders-none")
    reader.visit("/reconcile", "reconcile")
    reader.visit("/no-such-page", "not-found")

    assert not reader.found, "English on Swedish pages:\n" + "\n".join(
        f"{page}:\n  " + "\n  ".join(texts) for page, texts in reader.found.items())
