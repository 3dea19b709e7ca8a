"""The change-feed listener against both simulators over real sockets: it subscribes, brings
every kind of change over, drops repeats, keeps its tenant's token fresh, resumes from the
stored offsets, and leaves the work to polling when Fortnox won't have it."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from sidecar import settings
from sidecar.fields import utcnow
from sidecar.fortnox_access.connect import configure_service_account
from sidecar.jobs import feed_health
from sidecar.jobs.registry import JOBS
from sidecar.messages import Message
from sidecar.models import FeedOffset
from sidecar.models import FeedStatus
from sidecar.models import OrderLedger
from tests.jobs.feed_rig import FAST
from tests.jobs.feed_rig import FeedRig
from tests.jobs.feed_rig import feed_rig_fixture  # noqa: F401 - fixture
from tests.jobs.feed_rig import topics_server_fixture  # noqa: F401 - fixture
from tests.sync.two_sims import TENANT
from tests.sync.two_sims import sim_servers_fixture  # noqa: F401 - fixture
from tests.sync.two_sims import sims_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.slow


def catalog(rig: FeedRig, *skus: str) -> None:
    for sku in skus or ("MUG",):
        rig.sims.article(sku, f"Artikel {sku}", price="100.00", stock="6")
        rig.sims.woo_product(sku, f"Artikel {sku}", regular_price="125.00", manage_stock=True,
                             stock_quantity=6, weight="")
    rig.link_catalog()


def woo(rig: FeedRig, sku: str, field: str) -> object:
    return rig.sims.woo_state(sku)[field]


def order_status(rig: FeedRig, woo_id: int) -> str:
    return str(rig.sims.woo_sim.store.orders[woo_id]["status"])


def test_it_subscribes_the_tenant_to_what_the_settings_need_and_slows_the_polling(
    feed_rig: FeedRig
) -> None:
    catalog(feed_rig)
    feed_rig.start()

    adds = feed_rig.commands("add-tenants-v1")
    topics = feed_rig.commands("add-topics-v1")
    assert len(adds) == 1 and len(adds[0]["accessTokens"]) == 1
    assert {t["topic"] for t in topics[0]["topics"]} == {
        "orders", "invoices", "articles", "warehouse-stockbalances"}
    assert [c["command"] for c in feed_rig.commands()][-1] == "subscribe-v1"
    status = FeedStatus.get(FeedStatus.shop == feed_rig.shop)
    assert status.state == "on"
    now = utcnow()
    assert feed_health.polling_interval(JOBS["stock_sync"], feed_rig.shop, now) == \
        timedelta(hours=1)
    assert feed_health.polling_interval(JOBS["process_inbox"], feed_rig.shop, now) == \
        timedelta(seconds=30)  # not a Fortnox → Woo job: as the owner set it


def test_every_kind_of_change_reaches_the_shop_with_one_fortnox_call_each(
    feed_rig: FeedRig
) -> None:
    catalog(feed_rig, "MUG", "CUP", "BOWL")
    completed, to_invoice = feed_rig.exported("MUG")
    cancelled, to_cancel = feed_rig.exported("CUP")
    invoice_only, _ = feed_rig.sims.place_order("CUP")
    with feed_rig.sims.fortnox_state.lock:
        state = feed_rig.sims.fortnox_state
        customer = state.create_customer({"Name": "Bo"})["CustomerNumber"]
        invoice = state.documents.create_invoice({"CustomerNumber": customer, "InvoiceRows": [
            {"ArticleNumber": "CUP", "DeliveredQuantity": "1", "Price": "100"}]})
    OrderLedger.create(shop=feed_rig.shop, woo_order_id=invoice_only, external_key="wc-i",
                       state="done", fortnox_invoice_number=invoice["DocumentNumber"])
    feed_rig.start()
    feed_rig.clear_calls()

    feed_rig.sims.fortnox_gui("articles/MUG", {"Price": "80.00"})  # article-updated-v1
    feed_rig.sims.fortnox_gui("articles/BOWL", {"QuantityInStock": "2"})  # stock balance
    feed_rig.sims.fortnox_gui(f"orders/{to_invoice}/invoice")  # order-updated-v1
    feed_rig.sims.fortnox_gui(f"orders/{to_cancel}/cancel")  # order-cancelled-v1
    with state.lock:
        state.documents.cancel_invoice(invoice["DocumentNumber"])  # invoice-cancelled-v1

    every_topic = {"articles", "warehouse-stockbalances", "orders", "invoices"}
    # The offsets are stored once a batch is handled, a moment after the shop shows it.
    assert feed_rig.wait(lambda: woo(feed_rig, "MUG", "regular_price") == "100.00"
                         and woo(feed_rig, "BOWL", "stock_quantity") == 2
                         and order_status(feed_rig, completed) == "completed"
                         and order_status(feed_rig, cancelled) == "cancelled"
                         and order_status(feed_rig, invoice_only) == "cancelled"
                         and {row.topic for row in FeedOffset.select()} == every_topic)
    # One read each: the article, the other's stock, two orders, the invoice; the stock the
    # invoice gave back is a change of its own (one more read of its article).
    assert feed_rig.fortnox_calls("/3/orders/") == 2
    assert feed_rig.fortnox_calls("/3/invoices/") == 1
    assert feed_rig.fortnox_calls("/3/articles") <= 3  # one list, or a read each
    assert feed_rig.fortnox_calls() <= 7
    assert FeedStatus.get().last_event_at is not None


def test_a_repeated_event_is_handled_once(feed_rig: FeedRig) -> None:
    catalog(feed_rig)
    feed_rig.knobs(topics_repeat_probability=1.0)  # every event comes twice
    feed_rig.start(dataclasses.replace(FAST, batch_window=0.0))
    feed_rig.clear_calls()

    feed_rig.sims.fortnox_gui("articles/MUG", {"QuantityInStock": "4"})

    assert feed_rig.wait(lambda: woo(feed_rig, "MUG", "stock_quantity") == 4)
    assert feed_rig.wait(lambda: feed_rig.topics.delivered and len(feed_rig.sims.woo_writes())
                         >= 1)
    delivered = [e for _, e in feed_rig.topics.delivered if e["entityId"] == "MUG"]
    assert delivered  # sent twice on the wire (the knob), read once
    assert feed_rig.fortnox_calls("/3/articles/MUG") == 1


def test_a_renewed_token_is_given_to_the_open_connection_before_the_old_one_expires(
    feed_rig: FeedRig
) -> None:
    catalog(feed_rig)
    # Fortnox, in this variant, silently stops a tenant whose token expired: only a token
    # handed over in time keeps the changes coming.
    feed_rig.knobs(token_lifetime_seconds=4, topics_token_expiry="silent")
    configure_service_account(feed_rig.shop, feed_rig.config, TENANT)  # a 4-second token
    feed_rig.start(dataclasses.replace(FAST, token_margin=timedelta(seconds=2)))

    assert feed_rig.wait(lambda: len(feed_rig.commands("add-tenants-v1")) >= 3, 15)
    for quantity in (5, 4):
        feed_rig.sims.fortnox_gui("articles/MUG", {"QuantityInStock": str(quantity)})
        assert feed_rig.wait(lambda q=quantity: woo(feed_rig, "MUG", "stock_quantity") == q)
    adds = feed_rig.commands("add-tenants-v1")
    assert {c["connection"] for c in adds} == {adds[0]["connection"]}  # one connection
    assert len({c["accessTokens"][0] for c in adds}) == len(adds)  # a new token each time


def test_a_connection_closed_at_token_expiry_is_opened_again_with_a_fresh_token(
    feed_rig: FeedRig
) -> None:
    catalog(feed_rig)
    feed_rig.knobs(topics_token_expiry="close")
    feed_rig.start()
    first = feed_rig.commands("add-tenants-v1")[0]["connection"]
    feed_rig.sims.fortnox_gui("articles/MUG", {"QuantityInStock": "5"})
    assert feed_rig.wait(lambda: woo(feed_rig, "MUG", "stock_quantity") == 5)

    # Fortnox expires the token before its time: the connection closes; the token still
    # stored is refused, so the listener renews it and adds the tenant again.
    feed_rig.sims.fortnox_gui("expire-tokens")
    feed_rig.sims.fortnox_gui("articles/MUG", {"QuantityInStock": "1"})

    assert feed_rig.wait(lambda: woo(feed_rig, "MUG", "stock_quantity") == 1, 15)
    later = [c for c in feed_rig.commands("subscribe-v1") if c["connection"] != first]
    assert later


def test_nothing_changed_during_an_outage_is_missed_after_it(feed_rig: FeedRig) -> None:
    catalog(feed_rig, "MUG", "CUP")
    first_id, first = feed_rig.exported("MUG")
    woo_id, number = feed_rig.exported("MUG")
    feed_rig.start()
    # A change on every topic: each now has an offset to replay from.
    feed_rig.sims.fortnox_gui("articles/MUG", {"Price": "90.00"})
    feed_rig.sims.fortnox_gui("articles/CUP", {"QuantityInStock": "5"})
    feed_rig.sims.fortnox_gui(f"orders/{first}/invoice")
    assert feed_rig.wait(lambda: woo(feed_rig, "CUP", "stock_quantity") == 5
                         and order_status(feed_rig, first_id) == "completed")
    assert feed_rig.wait(lambda: FeedOffset.select().count() == 4)
    woken = list(feed_rig.woken)  # the first subscription had nothing to replay: a poll each
    assert {job for job, _ in woken} == {"order_status", "product_sync", "stock_sync"}

    feed_rig.knobs(topics_refuse_connections=True)
    feed_rig.topics.drop_connections()
    assert feed_rig.wait(lambda: FeedStatus.get().state == "off")
    feed_rig.sims.fortnox_gui("articles/MUG", {"Price": "60.00"})
    feed_rig.sims.fortnox_gui("articles/CUP", {"QuantityInStock": "3"})
    feed_rig.sims.fortnox_gui(f"orders/{number}/invoice")
    feed_rig.knobs(topics_refuse_connections=False)

    assert feed_rig.wait(lambda: woo(feed_rig, "MUG", "regular_price") == "75.00"
                         and woo(feed_rig, "CUP", "stock_quantity") == 3
                         and order_status(feed_rig, woo_id) == "completed", 15)
    replayed = feed_rig.commands("add-topics-v1")[-1]["topics"]
    assert all(topic.get("offset") for topic in replayed)
    assert feed_rig.woken == woken  # the replay brought it all: no polling needed
    assert FeedStatus.get().state == "on"


def test_refused_connections_leave_the_work_to_polling_at_the_owners_pace(
    feed_rig: FeedRig
) -> None:
    catalog(feed_rig)
    feed_rig.knobs(topics_refuse_connections=True)
    feed_rig.start(wait=False)

    assert feed_rig.wait(lambda: FeedStatus.get_or_none() is not None)
    status = FeedStatus.get()
    assert status.state == "off"
    assert Message.from_json(status.problem).code == "feed.connection_lost"
    assert feed_health.polling_interval(JOBS["stock_sync"], feed_rig.shop, utcnow()) == \
        timedelta(minutes=15)


def test_a_refused_service_account_token_is_shown_and_polling_keeps_the_owners_pace(
    feed_rig: FeedRig
) -> None:
    catalog(feed_rig)
    feed_rig.knobs(topics_refuse_tokens="service_account")
    feed_rig.start(wait=False)

    assert feed_rig.wait(lambda: getattr(FeedStatus.get_or_none(), "state", "") == "refused")
    assert Message.from_json(FeedStatus.get().problem).code == "feed.service_account_refused"
    assert len(feed_rig.commands("add-tenants-v1")) == 2  # tried again with a renewed token
    assert not feed_rig.commands("subscribe-v1")
    assert feed_health.polling_interval(JOBS["order_status"], feed_rig.shop, utcnow()) == \
        timedelta(minutes=15)


def test_a_second_process_waits_while_the_first_holds_the_connection(
    feed_rig: FeedRig
) -> None:
    catalog(feed_rig)
    first = feed_rig.start()
    second = feed_rig.start(wait=False)

    assert not second.connected.wait(1.0)
    assert feed_rig.topics.open_connections == 1
    first.stop()
    assert second.connected.wait(10)


def test_a_change_that_cannot_be_brought_over_wakes_the_polling_jobs(feed_rig: FeedRig) -> None:
    catalog(feed_rig)
    feed_rig.start()
    feed_rig.woken.clear()
    feed_rig.knobs(error_rates={"400": 1.0})  # Fortnox refuses every read

    feed_rig.sims.fortnox_gui("articles/MUG", {"QuantityInStock": "2"})

    assert feed_rig.wait(lambda: ("stock_sync", feed_rig.shop.id) in feed_rig.woken)
    assert ("product_sync", feed_rig.shop.id) in feed_rig.woken
    assert feed_rig.wait(lambda: FeedOffset.select().count() == 1)  # and it moves on


def test_a_payment_booked_in_fortnox_completes_the_order_under_the_invoice_paid_rule(
    feed_rig: FeedRig
) -> None:
    catalog(feed_rig)
    settings.save(feed_rig.shop, {"order_status.completed_when": "invoice_paid"})
    woo_id, number = feed_rig.exported("MUG")
    feed_rig.start()
    invoice = feed_rig.sims.fortnox_gui(f"orders/{number}/invoice")["InvoiceReference"]
    assert feed_rig.wait(lambda: FeedOffset.select().where(
        FeedOffset.topic == "orders").exists())
    assert order_status(feed_rig, woo_id) == "processing"  # invoiced, not paid yet

    feed_rig.sims.fortnox_gui(f"invoices/{invoice}/payments")  # invoicepayment-bookkeep-v1

    assert feed_rig.wait(lambda: order_status(feed_rig, woo_id) == "completed")
