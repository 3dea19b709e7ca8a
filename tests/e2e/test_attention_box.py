"""The attention box and the settings checked before the first order, end to end: the sidecar
under gunicorn between both simulators, the owner on its pages. A fresh install, a missing
account warned on connect (and the products page read on connect), a failure that clears itself
after a Retry, and a Fortnox outage of over five minutes."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from babel.dates import format_datetime

from sidecar import checks
from sidecar.models import ActivityEntry
from sidecar.models import OrderLedger
from sidecar.models import ShopCheck
from sidecar.sim.fortnox import Knobs
from sidecar.sim.process import sidecar_database
from tests.e2e.order_export_setup import Rig
from tests.e2e.order_export_setup import order_export_rig
from tests.e2e.test_order_export import catalogue
from tests.e2e.test_order_export import place
from tests.e2e.test_side_calls import deliver_all

pytestmark = pytest.mark.slow

MISSING = "Account 3520 is not in Fortnox's chart of accounts for the current financial year"
FIX = "Activate account 3520 in Fortnox, or choose another account."


def without_account(rig: Rig, number: str) -> dict[str, Any]:
    with rig.fortnox_state.lock:
        return rig.fortnox_state.registers["accounts"].pop(number)


def give_back(rig: Rig, account: dict[str, Any]) -> None:
    with rig.fortnox_state.lock:
        rig.fortnox_state.registers["accounts"][str(account["Number"])] = account


def steps_left(box: str) -> list[str]:
    return re.findall(r'class="step to-do" data-step="([a-z_]+)"', box)


def test_a_fresh_install_is_guided_and_a_missing_account_is_warned_on_connect(
        tmp_path: Path) -> None:
    with order_export_rig(tmp_path, knobs=Knobs(rate_limit_enabled=False), connect=False,
                          woo_keys=False) as rig:
        shipping = without_account(rig, "3520")
        with rig.fortnox_state.lock:
            for number in ("MUG", "BEANS"):
                rig.fortnox_state.create_article({"ArticleNumber": number, "Description": number})
        rig.start()
        products = catalogue(rig)
        owner = rig.owner()

        box = owner.attention()
        assert "Nothing needs your attention" not in box
        assert steps_left(box) == ["fortnox", "woocommerce", "webhooks", "accounts",
                                   "first_order"]
        assert rig.wait_for(lambda: "Skipped: not set up yet" in owner.get("/"), timeout=30)

        keys = rig.store.config
        assert owner.post("/settings/woocommerce", {
            "store_url": rig.woo_url, "consumer_key": keys.consumer_key,
            "consumer_secret": keys.consumer_secret}).status_code == 302
        rig.hooks("order.created", "order.updated")
        assert owner.post("/settings/woocommerce/webhooks/repair").status_code == 302
        connected = owner.post("/settings/fortnox/service-account",
                               {"tenant_id": rig.tenant_id})
        assert connected.status_code == 302, connected.text

        # Before any order: the missing account is in the box, with the fix.
        assert rig.wait_for(lambda: MISSING in owner.attention(), timeout=30)
        box = owner.attention()
        assert FIX in box and steps_left(box) == ["accounts", "first_order"]
        with sidecar_database(rig.env):
            assert OrderLedger.select().count() == 0
        settings_page = owner.get("/settings/accounts")
        cell = settings_page[settings_page.index(
            'id="setting-export-accounts-se-shipping-25-issue"'):]
        assert cell.split("</p>")[0].endswith(FIX)
        # The whole chart is offered as a searchable list; the default shows as its placeholder.
        assert 'placeholder="BAS 3001 Försäljning inom Sverige, 25 % moms"' in settings_page
        assert "Aktivera konto 3520 i Fortnox, eller välj ett annat konto." in \
            rig.owner("sv").attention()

        # The products page read both catalogs on connect: no product sync has run.
        assert rig.wait_for(lambda: 'data-sku="MUG"' in owner.get("/products"), timeout=30)
        products_page = owner.get("/products")
        assert re.search(r'data-sku="MUG">.*?<td[^>]*>Both</td>', products_page, re.S)
        assert re.search(r'data-sku="BOOK">.*?<td[^>]*>Only in WooCommerce</td>', products_page,
                         re.S)

        give_back(rig, shipping)
        assert owner.post("/checks/settings").status_code == 302
        assert rig.wait_for(lambda: MISSING not in owner.attention(), timeout=30)
        assert steps_left(owner.attention()) == ["first_order"]

        order = place(rig, products, 1, email="kund@example.test")
        assert rig.sender.flush(timeout=30)
        assert rig.wait_for(lambda: rig.ledger_states() == {"exported": 1}, timeout=60)
        assert rig.wait_for(lambda: "Nothing needs your attention." in owner.attention(),
                            timeout=10), (order["id"], owner.attention())


def test_a_failure_clears_itself_after_a_retry(tmp_path: Path) -> None:
    with order_export_rig(tmp_path, knobs=Knobs(rate_limit_enabled=False)) as rig:
        shipping = without_account(rig, "3520")
        rig.start()
        products = catalogue(rig)
        owner = rig.owner()
        orders = [place(rig, products, n, email=f"kund{n}@example.test") for n in range(3)]
        deliver_all(rig, orders)
        assert rig.wait_for(lambda: rig.ledger_states() == {"failed": 3}, timeout=60)

        box = owner.attention()
        for order in orders:  # each failure once, each with its own Retry
            assert box.count(f"Order {order['id']} was not exported") == 1
            assert box.count(f'action="/orders/{order["id"]}/retry"') == 1
        assert box.count("Account 3520 does not exist in Fortnox") == 3
        assert box.count("Retry all 3 with this problem") == 3

        give_back(rig, shipping)
        first = orders[0]["id"]
        assert owner.post(f"/orders/{first}/retry").status_code == 302
        assert rig.wait_for(lambda: f"Order {first} was not exported"
                            not in owner.attention(), timeout=60)
        assert owner.post("/problems/retry-all",
                          {"cause": "export.fortnox.said.2001304"}).status_code == 302

        assert rig.wait_for(lambda: rig.ledger_states() == {"exported": 3}, timeout=60)
        assert rig.wait_for(lambda: "was not exported" not in owner.attention(), timeout=10)
        with sidecar_database(rig.env):
            entries = list(ActivityEntry.select().where(ActivityEntry.about.startswith("order:")))
            invoices = {row.woo_order_id: row.fortnox_invoice_number
                        for row in OrderLedger.select()}
        assert len(entries) == 3  # one per order, however often it was tried
        for entry in entries:
            order_id = int(entry.about.partition(":")[2])
            assert entry.resolved_at is not None
            assert entry.resolution == ["resolved.exported_invoice",
                                        {"invoice": invoices[order_id]}]


def test_the_attention_box_during_a_fortnox_outage_of_over_five_minutes(
        tmp_path: Path) -> None:
    with order_export_rig(tmp_path, knobs=Knobs(rate_limit_enabled=False)) as rig:
        rig.start()
        products = catalogue(rig)
        owner = rig.owner()
        rig.knobs(error_rates={503: 1.0})
        order = place(rig, products, 1, email="kund@example.test")
        deliver_all(rig, [order])

        def outage() -> ShopCheck | None:
            with sidecar_database(rig.env):
                row = ShopCheck.get_or_none(ShopCheck.name == checks.REACH)
                return row if row is not None and row.state == checks.FAILING else None

        assert rig.wait_for(lambda: outage() is not None, timeout=60)
        assert "has not answered" not in owner.attention()  # not five minutes yet

        # Six minutes on: the outage began six minutes ago, as far as the sidecar knows.
        began = outage().since - timedelta(minutes=6)
        with sidecar_database(rig.env):
            ShopCheck.update(since=began).where(ShopCheck.name == checks.REACH).execute()
        box = owner.attention()
        shown = format_datetime(began, "yyyy-MM-dd HH:mm", tzinfo="Europe/Stockholm",
                                locale="en")
        assert f"Fortnox has not answered properly since {shown}" in box
        assert "orders wait and are sent when Fortnox answers again" in box
        assert rig.ledger_states().get("exported", 0) == 0

        rig.knobs(error_rates={})
        assert rig.wait_for(lambda: "has not answered" not in owner.attention(), timeout=90)
        assert rig.wait_for(lambda: rig.ledger_states() == {"exported": 1}, timeout=90)
