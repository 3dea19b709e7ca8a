"""The dashboard's orders: failures first with the message, the hint and what was sent (secrets
masked), Fortnox numbers, a Retry that makes the parked delivery due again, the export chart;
and the dry-run page's answers when it cannot run."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient

from sidecar.fields import utcnow
from sidecar.models import ActivityEntry
from sidecar.models import InboxEntry
from sidecar.models import OrderLedger
from sidecar.models import OrderStep
from sidecar.models import Shop
from sidecar.web import dashboard_orders
from tests.web.conftest import post_form


def exported_and_failed(shop: Shop) -> tuple[OrderLedger, OrderLedger, InboxEntry]:
    now = utcnow()
    done = OrderLedger.create(shop=shop, woo_order_id=101, external_key="wc-t-101",
                              state="exported", fortnox_invoice_number="5001", exported_at=now,
                              updated_at=now)
    OrderStep.create(ledger=done, step="invoice", state="done", fortnox_number="5001",
                     request={"Invoice": {"CustomerNumber": "7"}, "access_token": "abc123"})
    failed = OrderLedger.create(shop=shop, woo_order_id=102, external_key="wc-t-102",
                                state="failed", last_error="SKU X is not an article in Fortnox",
                                last_hint="Create it in Fortnox, then press Retry.",
                                updated_at=now - timedelta(hours=2))
    parked = InboxEntry.create(shop=shop, topic="order.created", resource_id=102,
                               dedupe_key="order.created:102", body=b"{}", status="parked")
    ActivityEntry.create(shop=shop, level="error", workflow="orders", subject="Order 102",
                         message="Order 102 was not exported", woo_order_id=102,
                         details={"ledger": failed.id, "attempt": 1})
    return done, failed, parked


def test_failures_come_first_with_their_hint_and_what_was_sent_is_masked(
        signed_in: FlaskClient, web_shop: Shop) -> None:
    exported_and_failed(web_shop)

    page = signed_in.get("/").text

    assert page.index('id="order-102"') < page.index('id="order-101"')  # older, but failed
    assert "SKU X is not an article in Fortnox" in page
    assert "What to do: Create it in Fortnox, then press Retry." in page
    assert "5001" in page and "CustomerNumber" in page
    assert "abc123" not in page and dashboard_orders.MASK in page
    orders = page[page.index('id="orders"'):]
    assert orders.count('action="/orders/') == 1  # only the failed one has Retry
    # its error is in the attention box once, with the order's Retry
    box = page[page.index('id="attention"'):page.index('id="orders"')]
    assert box.count("Order 102 was not exported") == 1
    assert box.count('action="/orders/102/retry"') == 1


def test_retry_makes_the_parked_delivery_due_and_its_error_waits_for_the_outcome(
        signed_in: FlaskClient, web_shop: Shop) -> None:
    _, _, parked = exported_and_failed(web_shop)

    response = post_form(signed_in, "/orders/102/retry")

    assert response.status_code == 302 and response.location == "/#orders"
    assert InboxEntry.get_by_id(parked.id).status == "pending"
    # Out of the attention box while it is tried again; resolved only once it is exported.
    (entry,) = ActivityEntry.select().where(ActivityEntry.woo_order_id == 102)
    assert (entry.level, entry.resolved_at) == ("warning", None)
    assert "Order 102 will be sent again shortly." in signed_in.get("/").text


def test_retrying_an_order_that_is_not_waiting_says_so(signed_in: FlaskClient,
                                                      web_shop: Shop) -> None:
    exported_and_failed(web_shop)

    post_form(signed_in, "/orders/101/retry")

    assert "Order 101 is not waiting for a retry." in signed_in.get("/").text


def test_the_chart_counts_exports_and_failures_per_day(web_shop: Shop) -> None:
    exported_and_failed(web_shop)

    days = dashboard_orders.exports_per_day(web_shop, now=utcnow())

    assert len(days) == 14
    assert (days[-1].exported, days[-1].failed) == (1, 1)


def test_the_dry_run_explains_why_it_cannot_run(signed_in: FlaskClient) -> None:
    not_a_number = post_form(signed_in, "/orders/dry-run", {"order": "abc"})
    no_woo = signed_in.get("/orders/dry-run?order=12")

    assert not_a_number.status_code == 422
    assert "Enter the order&#39;s number, like 1234." in not_a_number.text
    assert no_woo.status_code == 422
    assert "WooCommerce is not connected" in no_woo.text
    assert signed_in.get("/orders/dry-run").status_code == 200


def refunded_twice(shop: Shop) -> OrderLedger:
    """Order 24: invoice 12, refund 116 credited, refund 117 POSTed without Fortnox's link,
    a credit made by hand in Fortnox, and its Fortnox order cancelled there."""
    row = OrderLedger.create(shop=shop, woo_order_id=24, external_key="wc-t-24", state="exported",
                             fortnox_order_number="5", fortnox_invoice_number="12")
    OrderStep.create(ledger=row, step="refund:116", state="done", fortnox_number="63",
                     request={"kind": "credit", "invoice": "12", "linked": True})
    OrderStep.create(ledger=row, step="refund:117", state="done", fortnox_number="64",
                     request={"kind": "credit", "invoice": "12", "linked": False})
    OrderStep.create(ledger=row, step="fortnox_credit", state="done", fortnox_number="65",
                     request={"invoice": "12"})
    OrderStep.create(ledger=row, step="fortnox_cancelled", state="done", fortnox_number="5",
                     request={"document": "order"})
    OrderStep.create(ledger=row, step="refund:118", state="noted",
                     request={"kind": "invoice_cancelled"})
    return row


def test_the_dashboard_says_what_exists_in_fortnox(signed_in: FlaskClient,
                                                   web_shop: Shop) -> None:
    refunded_twice(web_shop)

    page = signed_in.get("/", headers={"Accept-Language": "en"}).text

    assert "Credit invoice 63 for invoice 12 (refund 116)" in page
    assert "Credit note 64 for invoice 12 (refund 117, not linked in Fortnox)" in page
    assert "Credit invoice 65 for invoice 12 (made in Fortnox)" in page
    assert "Refund 118 not booked in Fortnox: the invoice is cancelled in Fortnox" in page
    assert "5 <span class=\"state state-cancelled\">cancelled in Fortnox</span>" in page


def test_the_dashboard_says_it_in_swedish(signed_in: FlaskClient, web_shop: Shop) -> None:
    refunded_twice(web_shop)
    post_form(signed_in, "/language", {"lang": "sv", "next": "/"})

    page = signed_in.get("/").text

    assert "Kreditfaktura 63 för faktura 12 (återbetalning 116)" in page
    assert "makulerad i Fortnox" in page
