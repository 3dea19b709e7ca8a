"""One problem, one entry: the same cause for the same order updates its entry; the order
exported resolves every open entry of it with a note of how, older entries without a cause too.
On every engine (the `shop` fixture)."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sidecar import activity
from sidecar.messages import msg
from sidecar.models import ActivityEntry
from sidecar.models import InboxEntry
from sidecar.models import Shop

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
ORDER = activity.about_order(46)


def fail(shop: Shop, cause: str, error: str, *, level: str = "error",
         now: datetime = NOW) -> ActivityEntry:
    return activity.problem(shop, about=ORDER, cause=cause, level=level, workflow="orders",
                            message=msg("order.not_exported", order=46,
                                        reason=msg("fortnox.said", error=error)),
                            hint=msg("hint.fortnox_rejected"), woo_order_id=46, now=now)


def test_the_same_cause_again_updates_the_entry_instead_of_adding_one(shop: Shop) -> None:
    first = fail(shop, "fortnox.said.2001304", "konto 3520", level="warning")
    again = fail(shop, "fortnox.said.2001304", "konto 3520 (igen)",
                 now=NOW + timedelta(minutes=3))
    other = fail(shop, "fortnox.said.2000428", "artikel")

    assert again.id == first.id != other.id
    assert (again.repeats, again.level, again.created_at) == (2, "error", NOW)
    assert again.updated_at == NOW + timedelta(minutes=3)
    assert "(igen)" in again.message
    assert ActivityEntry.select().count() == 2


def test_an_exported_order_resolves_its_open_entries_with_how(shop: Shop) -> None:
    fail(shop, "fortnox.said.2001304", "konto 3520")
    older = ActivityEntry.create(shop=shop, level="error", workflow="orders", woo_order_id=46,
                                 message="Order 46 was not exported: Fortnox said: konto 3520")
    delivery = InboxEntry.create(shop=shop, topic="order.created", resource_id=46,
                                 dedupe_key="order.created:46", body=b"{}", status="done")
    parked = ActivityEntry.create(shop=shop, level="error", workflow="webhooks",
                                  message="Could not process order.created for id 46",
                                  details={"inbox_entry": delivery.id})
    unrelated = ActivityEntry.create(shop=shop, level="error", workflow="orders",
                                     woo_order_id=47, message="Order 47 was not exported")

    closed = activity.resolve(shop, ORDER, how=msg("resolved.exported_invoice", invoice="12"),
                              now=NOW)

    assert closed == 3
    assert not activity.open_problems(shop, ORDER)
    for entry in (older, parked):
        row = ActivityEntry.get_by_id(entry.id)
        assert row.resolved_at == NOW
        assert row.resolution == ["resolved.exported_invoice", {"invoice": "12"}]
    assert ActivityEntry.get_by_id(unrelated.id).resolved_at is None
    # after it is resolved, the same cause starts a new entry
    assert fail(shop, "fortnox.said.2001304", "konto 3520").id not in (older.id, parked.id)


def test_a_job_resolves_only_what_it_did_not_see_again(shop: Shop) -> None:
    job = activity.about_job("product_sync")
    seen = activity.problem(shop, about=job, cause="products.refused", level="warning",
                            workflow="products", message=msg("plain", text="x"), now=NOW)
    gone = activity.problem(shop, about=job, cause="products.tax", level="warning",
                            workflow="products", message=msg("plain", text="y"),
                            now=NOW - timedelta(hours=1))

    activity.resolve(shop, job, how=msg("resolved.job_succeeded"), now=NOW,
                     before=NOW - timedelta(minutes=1))

    assert ActivityEntry.get_by_id(seen.id).resolved_at is None
    assert ActivityEntry.get_by_id(gone.id).resolved_at == NOW


def test_an_orders_new_problem_replaces_the_one_it_got_past(shop: Shop) -> None:
    waiting = activity.problem(shop, about=ORDER, cause="export.side_call", level="warning",
                               workflow="orders", message=msg("plain", text="Lager"),
                               replaces="export.", now=NOW)
    status = activity.problem(shop, about=ORDER, cause="status.woo", level="warning",
                              workflow="order_status", message=msg("plain", text="Woo"), now=NOW)

    now_missing = activity.problem(shop, about=ORDER, cause="export.fortnox.said.2001304",
                                   level="error", workflow="orders", replaces="export.",
                                   message=msg("plain", text="konto 3520"), now=NOW)

    assert [e.id for e in activity.open_problems(shop, ORDER)] == [status.id, now_missing.id]
    assert ActivityEntry.get_by_id(waiting.id).resolution == ["resolved.moved_on", {}]
