"""Side calls never stop the order path: the Lager check and the article register, against the
Fortnox simulator over HTTP. A 404 or 403 from Lager means "not available"; a 5xx waits without
counting; an article created after the snapshot is found; the stop rule checks what exists."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from sidecar import checks
from sidecar.models import ActivityEntry
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sync.orders.export import export_order
from sidecar.sync.orders.export_errors import ExportFailed
from sidecar.sync.orders.export_errors import SideCallFailed
from sidecar.sync.orders.fortnox_facts import warehouse_active
from tests.sync.orders.test_export import _shop  # noqa: F401 - fixture
from tests.sync.orders.test_export import _systems  # noqa: F401 - fixture
from tests.sync.systems import Systems

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
LAGER = "/api/warehouse/tenants-v4"


def lager_calls(systems: Systems) -> int:
    with systems.fortnox_state.lock:
        return sum(n for (route, _), n in systems.fortnox_state.counters.items() if LAGER in route)


def export(systems: Systems, shop: Shop, order: dict, *, now: datetime = NOW, **settings) -> str:
    return export_order(Shop.get_by_id(shop.id), order, fortnox=systems.fortnox,
                        woo=systems.woo, settings=systems.settings(shop, **settings), now=now,
                        worker="w1", facts=systems.facts)


def test_lager_answering_404_means_not_available_and_is_asked_once_a_day(
        systems: Systems, shop: Shop) -> None:
    systems.knobs(path_errors={LAGER: 404})

    assert warehouse_active(shop, systems.fortnox, NOW) is False
    assert warehouse_active(shop, systems.fortnox, NOW + timedelta(hours=23)) is False
    assert lager_calls(systems) == 1
    row = checks.get(shop, checks.LAGER)
    assert (row.state, row.result) == ("ok", {"activated": False, "answer": "HTTP 404"})

    systems.knobs(path_errors={})
    assert warehouse_active(shop, systems.fortnox, NOW + timedelta(days=1)) is True
    assert lager_calls(systems) == 2


def test_a_lager_check_failing_for_a_passing_reason_keeps_the_last_answer(
        systems: Systems, shop: Shop) -> None:
    assert warehouse_active(shop, systems.fortnox, NOW) is True
    systems.knobs(path_errors={LAGER: 503})

    assert warehouse_active(shop, systems.fortnox, NOW + timedelta(days=2)) is True
    assert checks.get(shop, checks.LAGER).state == checks.FAILING


def test_without_an_answer_the_order_waits_uncounted_and_the_hint_names_the_lager_check(
        systems: Systems, shop: Shop) -> None:
    (mug,) = systems.products(("MUG", "149.00", ""))
    order = systems.place([(mug, 1)])
    systems.knobs(path_errors={LAGER: 503})

    with pytest.raises(ExportFailed) as failed:
        export(systems, shop, order)
    with pytest.raises(ExportFailed) as backing_off:  # within the backoff: not asked again
        export(systems, shop, order, now=NOW + timedelta(seconds=2))

    assert failed.value.retryable and failed.value.wait_until == NOW + checks.FIRST_RETRY
    assert backing_off.value.wait_until == NOW + checks.FIRST_RETRY
    assert lager_calls(systems) == 1 + 3  # the client's own three retries of one check
    (entry,) = ActivityEntry.select().where(ActivityEntry.woo_order_id == order["id"])
    assert entry.level == "warning" and entry.repeats == 2
    assert "Lager check (GET /api/warehouse/tenants-v4)" in entry.message
    assert "Lager check" in entry.hint and "rejected the document" not in entry.hint
    row = OrderLedger.get(OrderLedger.woo_order_id == order["id"])
    assert row.state != "failed" and row.customer_number is None  # nothing made in Fortnox
    assert systems.invoices() == []

    systems.knobs(path_errors={})
    note = export(systems, shop, order, now=NOW + timedelta(seconds=6))

    assert note.startswith("exported: invoice")
    resolved = ActivityEntry.get_by_id(entry.id)
    assert resolved.resolved_at is not None
    assert resolved.resolution[0] == "resolved.exported_invoice"


def test_saving_the_stock_settings_forgets_the_answer_until_lager_answers_again(
        systems: Systems, shop: Shop) -> None:
    systems.knobs(path_errors={LAGER: 404})
    assert warehouse_active(shop, systems.fortnox, NOW) is False
    checks.ask(shop, checks.LAGER, NOW, forget=True)
    systems.knobs(path_errors={LAGER: 503})

    with pytest.raises(SideCallFailed) as waits:
        warehouse_active(shop, systems.fortnox, NOW)

    assert waits.value.wait_until == NOW + checks.FIRST_RETRY


def test_the_stop_rule_checks_the_articles_fortnox_really_has(systems: Systems,
                                                              shop: Shop) -> None:
    known, unknown = systems.products(("MUG", "149.00", ""), ("NOPE-1", "99.00", ""))
    systems.facts.facts(shop, systems.fortnox, [], now=NOW)  # a snapshot without MUG ...
    with systems.fortnox_state.lock:  # ... which is created in Fortnox afterwards
        systems.fortnox_state.create_article({"ArticleNumber": "MUG", "Description": "Mugg"})

    note = export(systems, shop, systems.place([(known, 2)]), unknown_article="stop")
    with pytest.raises(ExportFailed) as stopped:
        export(systems, shop, systems.place([(unknown, 1)]), unknown_article="stop")

    assert note.startswith("exported: invoice")
    assert systems.invoices()[0]["InvoiceRows"][0]["ArticleNumber"] == "MUG"
    assert not stopped.value.retryable
    assert "SKU NOPE-1 is not an article in Fortnox" in stopped.value.message
    assert len(systems.invoices()) == 1
