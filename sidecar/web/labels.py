"""Words for the owner: titles of settings and jobs, and intervals in plain language.

A feature that declares settings adds its words here, e.g.
``SECTION_TITLES["orders"] = _l("Order export")`` and
``FIELD_LABELS["orders.document_type"] = _l("Create in Fortnox")``. A setting without words is
still shown, under its key, so nothing declared is ever hidden from the owner.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_babel.speaklater import LazyString

from sidecar.jobs.registry import JOBS
from sidecar.sync.orders.fortnox_documents import Document

SECTION_TITLES: dict[str, LazyString] = {
    "jobs": _l("Schedules"),
    "change_feed": _l("Direct updates from Fortnox"),
}
SECTION_HELP: dict[str, LazyString] = {
    "jobs": _l("How often each background job runs, and whether it runs at all."),
    "change_feed": _l("While Fortnox's change feed is on, changes in Fortnox reach the shop "
                      "within seconds, and the order status, product and stock jobs only run "
                      "now and then, as a safety net. Once the connection has been down for "
                      "longer than a job's own interval, the job runs at that interval again."),
}
GROUP_TITLES: dict[str, LazyString] = {
    "jobs.process_inbox": _l("Webhook inbox"),
    "jobs.prune": _l("Clean-up"),
    "jobs.check_fortnox": _l("Checks against Fortnox"),
    "jobs.sweep_orders": _l("Catch-up of missed orders"),
    "jobs.order_status": _l("Order status from Fortnox"),
    "jobs.product_sync": _l("Product data from Fortnox"),
    "jobs.stock_sync": _l("Stock from Fortnox"),
    "jobs.reconcile_daily": _l("Daily reconciliation"),
}
GROUP_HELP: dict[str, LazyString] = {
    "jobs.process_inbox": _l("Works off what WooCommerce has sent: new and changed orders and "
                             "products. New deliveries are handled at once; this is the "
                             "safety net."),
    "jobs.prune": _l("Forgets finished work and old log entries. Failures are kept until "
                     "they are dealt with."),
    "jobs.sweep_orders": _l("Queues orders a missed webhook would have lost, and keeps the "
                            "sidecar's webhooks in WooCommerce active."),
    "jobs.order_status": _l("Marks shop orders completed or cancelled as they are in Fortnox."),
    "jobs.product_sync": _l("Updates names, prices, weights and tax classes in WooCommerce "
                            "from Fortnox."),
    "jobs.stock_sync": _l("Updates stock quantities in WooCommerce from Fortnox."),
    "jobs.reconcile_daily": _l("Compares the previous day's sales in WooCommerce with Fortnox, "
                               "after midnight Swedish time."),
    "jobs.check_fortnox": _l("Looks at what is due: the settings checked against Fortnox "
                             "(daily, and when you connect or save them), Fortnox Lager, and "
                             "whether Fortnox answers again after an outage."),
}
# By full key first, then by the key's last part (shared by every job's settings).
FIELD_LABELS: dict[str, LazyString] = {
    "interval_seconds": _l("Runs"),
    "paused": _l("Paused"),
    "change_feed.safety_interval_seconds": _l("Safety net: run them"),
}


def section_title(section: str) -> str:
    return str(SECTION_TITLES.get(section, section))


def section_help(section: str) -> str:
    return str(SECTION_HELP.get(section, ""))


def job_title(job: str) -> str:
    return group_title(f"jobs.{job}")


def group_title(group: str) -> str:
    if group in GROUP_TITLES:
        return str(GROUP_TITLES[group])
    section, _, name = group.partition(".")
    if section == "jobs" and name in JOBS:
        return JOBS[name].description
    return group


def group_help(group: str) -> str:
    return str(GROUP_HELP.get(group, ""))


def field_label(key: str) -> str:
    label = FIELD_LABELS.get(key) or FIELD_LABELS.get(key.rpartition(".")[2])
    return str(label) if label is not None else key


def every(seconds: int) -> str:
    """'every 15 minutes': the largest unit that divides the interval exactly."""
    if seconds % 86400 == 0:
        return ngettext("every day", "every %(num)d days", seconds // 86400)
    if seconds % 3600 == 0:
        return ngettext("every hour", "every %(num)d hours", seconds // 3600)
    if seconds % 60 == 0:
        return ngettext("every minute", "every %(num)d minutes", seconds // 60)
    return ngettext("every second", "every %(num)d seconds", seconds)


OUTCOMES: dict[str, LazyString] = {
    "ok": _l("OK"),
    "failed": _l("Failed"),
    "running": _l("Running"),
}
LEVELS: dict[str, LazyString] = {
    "info": _l("Info"),
    "warning": _l("Warning"),
    "error": _l("Error"),
}
# Keys of the counts jobs return (JobRun.counts); a job with new keys shows them as they are.
COUNTS: dict[str, LazyString] = {
    "done": _l("done"),
    "retry": _l("to retry"),
    "parked": _l("parked"),
    "inbox_deleted": _l("inbox rows removed"),
    "runs_deleted": _l("job runs removed"),
    "activity_deleted": _l("log entries removed"),
    "skipped": _l("skipped"),
    "seen": _l("orders looked at"),
    "queued": _l("queued"),
    "full": _l("full comparison"),
    "compared": _l("compared"),
    "written": _l("written"),
    "updated": _l("updated"),
    "differing": _l("differing"),
    "failed": _l("failed"),
    "only_fortnox": _l("only in Fortnox"),
    "only_woo": _l("only in WooCommerce"),
    "not_in_shop": _l("not in the shop"),
    "not_managed": _l("stock not managed"),
    "other_location": _l("at another stock point"),
    "woo_write_requests": _l("requests to WooCommerce"),
    "completed": _l("completed"),
    "cancelled": _l("cancelled"),
    "unchanged": _l("unchanged"),
    "already_final": _l("already final"),
    "learnt": _l("changes made in Fortnox noted"),
    "already_reported": _l("already reported"),
    "orders": _l("orders"),
    "problems": _l("problems"),
    "attention": _l("shown on the dashboard"),
    "emailed": _l("e-mailed"),
    "catalog": _l("catalog changes"),
    "order_status": _l("status changes"),
    "catalog_read": _l("catalogs read"),
    "catalog_unread": _l("catalogs not read"),
    "settings_checked": _l("settings checked"),
    "settings_issues": _l("settings problems"),
    "settings_unchecked": _l("settings not checked"),
    "webhooks_unchecked": _l("webhooks not checked"),
    "webhooks_reactivated": _l("webhooks turned on again"),
    "fortnox_probed": _l("Fortnox asked whether it answers"),
    "lager_checked": _l("Fortnox Lager checked"),
}


def outcome(value: str) -> str:
    return str(OUTCOMES.get(value, value))


def level(value: str) -> str:
    return str(LEVELS.get(value, value))


def counts(value: dict[str, object] | None) -> str:
    # A key without words (a newer job's) is shown without its underscores rather than hidden.
    return ", ".join(f"{COUNTS.get(k, k.replace('_', ' '))}: {v}"
                     for k, v in (value or {}).items())


# OrderLedger.state, as the dashboard's orders show it.
ORDER_STATES: dict[str, LazyString] = {
    "pending": _l("Waiting"),
    "exporting": _l("Being sent"),
    "exported": _l("In Fortnox"),
    "failed": _l("Failed"),
    "skipped": _l("Not sent"),
    "cancelled": _l("Cancelled"),
    "credited": _l("Credited"),
}
# The steps of an export plan (sidecar.sync.orders.plan), as the dry run lists them.
PLAN_STEPS: dict[str, LazyString] = {
    "create_order": _l("create the Fortnox order"),
    "create_invoice_from_order": _l("invoice the order"),
    "create_invoice": _l("create the invoice"),
    "bookkeep_invoice": _l("book the invoice"),
    "register_payment": _l("register the payment"),
    "gift_card_payment": _l("register the gift card payment"),
}


def plan_step(value: str) -> str:
    return str(PLAN_STEPS.get(value, value.replace("_", " ")))


# OrderStep.step (without a ":<id>" suffix) and OrderStep.state.
ORDER_STEPS: dict[str, LazyString] = {
    "customer": _l("Customer"),
    "article": _l("Article"),
    "order": _l("Order"),
    "invoice": _l("Invoice"),
    "createinvoice": _l("Invoice from the order"),
    "bookkeep": _l("Bookkeeping"),
    "payment": _l("Payment"),
    "payment_bookkeep": _l("Payment bookkeeping"),
    "cancel": _l("Cancellation"),
    "credit": _l("Credit invoice for refund"),
    "credit_edit": _l("Credit invoice rows for refund"),
    "correct": _l("Order corrected for refund"),
    "refund": _l("Refund"),
    "fortnox_cancelled": _l("Cancelled in Fortnox"),
    "fortnox_credit": _l("Credit invoice made in Fortnox"),
    "woo_writeback": _l("Numbers written to WooCommerce"),
}
STEP_STATES: dict[str, LazyString] = {
    "started": _l("started"),
    "done": _l("done"),
    "unknown": _l("outcome unknown"),
    "failed": _l("failed"),
    "noted": _l("noted, nothing booked"),
    "needs_owner": _l("for you to do"),
}
# Why a refund was not booked (refund_ledger kinds).
REFUND_REASONS: dict[str, LazyString] = {
    "not_exported": _l("the order was never sent to Fortnox"),
    "invoice_cancelled": _l("the invoice is cancelled in Fortnox"),
    "order_cancelled_in_fortnox": _l("the Fortnox order is cancelled"),
    "credited_in_fortnox": _l("the invoice was credited in Fortnox by hand"),
    "order_locked": _l("the Fortnox order is marked done"),
    "order_changed": _l("the Fortnox order was changed in Fortnox"),
}
COUNTS.update({
    "seen": _l("orders looked at"),
    "queued": _l("queued"),
    "compared": _l("compared"),
    "written": _l("updated"),
    "full": _l("full comparison"),
    "skipped": _l("skipped"),
    "settings_checked": _l("settings checked"),
    "settings_issues": _l("problems found"),
    "settings_unchecked": _l("settings not checked"),
    "lager_checked": _l("Fortnox Lager checked"),
    "catalog_read": _l("catalogs read"),
    "catalog_unread": _l("catalogs not read"),
    "fortnox_probed": _l("Fortnox asked whether it answers"),
    "learnt": _l("orders with documents cancelled or credited in Fortnox"),
})


def order_state(value: str) -> str:
    return str(ORDER_STATES.get(value, value))


def order_step(value: str) -> str:
    name, _, detail = value.partition(":")
    words = str(ORDER_STEPS.get(name, name))
    return f"{words} {detail}".strip()


def step_state(value: str) -> str:
    return str(STEP_STATES.get(value, value))


def document(value: Document) -> str:
    """One Fortnox document of an order, as the owner reads it."""
    number, invoice, refund = value.number, value.invoice, value.refund
    if value.type == "order":
        return (_("Order %(number)s cancelled in Fortnox", number=number) if value.cancelled
                else _("Order %(number)s", number=number))
    if value.type == "invoice":
        return (_("Invoice %(number)s cancelled in Fortnox", number=number) if value.cancelled
                else _("Invoice %(number)s", number=number))
    if value.type == "credit_invoice" and refund and value.unlinked:
        return _("Credit note %(credit)s for invoice %(invoice)s (refund %(refund)s, not "
                 "linked in Fortnox)", credit=number, invoice=invoice, refund=refund)
    if value.type == "credit_invoice" and refund:
        return _("Credit invoice %(credit)s for invoice %(invoice)s (refund %(refund)s)",
                 credit=number, invoice=invoice, refund=refund)
    if value.type == "credit_invoice" and value.by_hand:
        return _("Credit invoice %(credit)s for invoice %(invoice)s (made in Fortnox)",
                 credit=number, invoice=invoice)
    if value.type == "credit_invoice":
        return _("Credit invoice %(credit)s for invoice %(invoice)s (order cancelled)",
                 credit=number, invoice=invoice)
    if value.type == "order_correction":
        return _("Order %(order)s corrected before invoicing (refund %(refund)s)",
                 order=number, refund=refund)
    reason = REFUND_REASONS.get(value.reason)
    return _("Refund %(refund)s not booked in Fortnox: %(reason)s", refund=refund,
             reason=str(reason) if reason is not None else value.reason)
