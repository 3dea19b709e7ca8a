"""After the export, end to end: the default order status rule leaves invoice-only orders alone
(a saved choice is kept), and orders placed while the sidecar is down are exported within
90 s of its start (the catch-up sweep at start)."""

from __future__ import annotations

import ast
import time
from pathlib import Path

import pytest

from sidecar import settings as shop_settings
from sidecar.models import InboxEntry
from sidecar.models import Shop
from sidecar.sim.fortnox import Knobs
from sidecar.sim.process import sidecar_database
from tests.e2e.order_export_setup import Rig
from tests.e2e.order_export_setup import order_export_rig
from tests.e2e.test_order_export import catalogue
from tests.e2e.test_order_export import place

pytestmark = pytest.mark.slow

CATCH_UP_WITHIN = 90.0


def woo_status(rig: Rig, order_id: int) -> str:
    with rig.store.lock:
        return str(rig.store.orders[order_id]["status"])


def run_status_job(rig: Rig) -> dict[str, int]:
    done = rig.cli("jobs", "run", "order_status")
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip().splitlines()[-1]  # "default: order_status ok {...}"
    return dict(ast.literal_eval(line[line.index("{"):]))


def test_the_default_status_rule_in_invoice_mode_leaves_orders_alone(tmp_path: Path) -> None:
    with order_export_rig(tmp_path, knobs=Knobs(rate_limit_enabled=False)) as rig:  # invoices
        rig.start()
        rig.hooks("order.created", "order.updated")
        products = catalogue(rig)
        orders = [place(rig, products, n, email=f"kund{n}@example.test") for n in range(2)]
        assert rig.sender.flush(timeout=30)
        assert rig.wait_for(lambda: rig.ledger_states() == {"exported": 2}, timeout=60)

        counts = run_status_job(rig)

        # Each invoice exists, made by the sidecar minutes after the purchase: no e-mail
        # "your order is complete" to the customer for that.
        assert counts["completed"] == 0
        assert [woo_status(rig, o["id"]) for o in orders] == ["processing", "processing"]

        # A shop that saved the old choice keeps it.
        with sidecar_database(rig.env):
            shop_settings.save(Shop.get(), {"order_status.completed_when": "invoice_created",
                                            "order_status.complete_orders": True})
        assert run_status_job(rig)["completed"] == 2
        assert [woo_status(rig, o["id"]) for o in orders] == ["completed", "completed"]


def test_orders_placed_while_the_sidecar_is_down_are_exported_within_90_s_of_its_start(
        tmp_path: Path) -> None:
    with order_export_rig(tmp_path, knobs=Knobs(rate_limit_enabled=False)) as rig:
        rig.start("before.log")
        rig.hooks("order.created", "order.updated")
        products = catalogue(rig)
        place(rig, products, 0, email="kund0@example.test")
        assert rig.sender.flush(timeout=30)
        assert rig.wait_for(lambda: rig.ledger_states() == {"exported": 1}, timeout=60)
        assert rig.sidecar is not None
        rig.sidecar.stop()

        missed = [place(rig, products, n, email=f"kund{n}@example.test") for n in (1, 2, 3)]
        assert rig.sender.flush(timeout=30)  # delivered to nobody; WooCommerce gives up
        started = time.monotonic()
        rig.start("after.log")

        assert rig.wait_for(lambda: rig.ledger_states() == {"exported": 4},
                            timeout=CATCH_UP_WITHIN), rig.ledger_states()
        print(f"missed orders exported {time.monotonic() - started:.1f} s after the start")
        with sidecar_database(rig.env):
            first_seen = {}
            for row in InboxEntry.select().where(InboxEntry.resource_id.in_(
                    [o["id"] for o in missed])).order_by(InboxEntry.id):
                first_seen.setdefault(row.resource_id, row.delivery_id)
        assert first_seen == {o["id"]: "sweep" for o in missed}  # found by the sweep
