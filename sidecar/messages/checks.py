"""Checks before the first order and the attention box (sidecar.sync.orders.settings_check,
sidecar.sync.failures, sidecar.web.attention)."""

from __future__ import annotations

from sidecar.messages.marks import N_

TEXTS: dict[str, str] = {
    # Checks before the first order: the reads an export makes besides its document (side
    # calls), and the owner's settings checked against Fortnox (sidecar.sync.orders.
    # settings_check, sidecar.sync.failures).
    "call.warehouse": N_("the Fortnox Lager check (GET /api/warehouse/tenants-v4)"),
    "call.articles": N_("reading the article register (GET /3/articles)"),
    "call.article": N_("looking up article %(detail)s (GET /3/articles/%(detail)s)"),
    "side_call.failed": N_("Nothing was sent to Fortnox yet: %(call)s failed: %(reason)s"),
    "hint.side_call_retry": N_("Nothing to do: %(call)s is tried again by itself, and the order "
                               "is sent as soon as it answers."),
    "hint.fortnox_refused_call": N_("Fortnox refused %(call)s; fix what its message says, then "
                                    "press Retry."),
    "check.account_missing": N_("Account %(account)s is not in Fortnox's chart of accounts for "
                                "the current financial year. It is used for %(uses)s."),
    "check.account_inactive": N_("Account %(account)s (%(name)s) is inactive in Fortnox. It is "
                                 "used for %(uses)s."),
    "check.fix_account": N_("Activate account %(account)s in Fortnox, or choose another "
                            "account."),
    "check.code_missing": N_("%(register)s %(code)s does not exist in Fortnox. It is used for "
                             "%(uses)s."),
    "check.fix_code": N_("Add %(code)s to %(register)s in Fortnox, or choose another in "
                         "Settings."),
    "register.way_of_delivery": N_("Way of delivery"),
    "register.terms_of_delivery": N_("Terms of delivery"),
    "register.terms_of_payment": N_("Terms of payment"),
    "register.mode_of_payment": N_("Mode of payment"),
    "register.price_list": N_("Price list"),
    "check.unreadable": N_("The settings could not be checked against Fortnox: %(reason)s"),
    "check.lager_unavailable": N_("Fortnox Lager is not available for this company (the Lager "
                                  "check got %(answer)s, %(when)s): orders are sent without "
                                  "stock points and without a delivery state."),
    "use.cell": N_("%(market)s, %(kind)s, %(rate)s %% VAT"),
    "use.sku": N_("the exception for SKU %(name)s"),
    "use.category": N_("the exception for category %(name)s"),
    "use.rounding": N_("rounding (öre)"),
    "use.shipping_rule": N_("shipping methods like %(pattern)s"),
    "use.all_orders": N_("every order"),
    "use.payment_method": N_("payment method %(method)s"),
    "use.product_prices": N_("product prices"),
    "use.and_more": N_("%(first)s and %(more)s more"),
    "market.se": N_("Sweden"),
    "market.eu": N_("other EU countries, consumers"),
    "market.eu_reverse": N_("other EU countries, companies"),
    "market.export": N_("outside the EU"),
    "kind.goods": N_("goods"),
    "kind.services": N_("services"),
    "kind.shipping": N_("shipping"),
    "kind.fee": N_("fees"),
    # The attention box: how a problem ended, what sort of failure it is, and what is wrong
    # right now (sidecar.web.attention).
    "resolved.exported_invoice": N_("Sent to Fortnox as invoice %(invoice)s."),
    "resolved.exported_order": N_("Sent to Fortnox as order %(order)s."),
    "resolved.exported_both": N_("Sent to Fortnox as order %(order)s and invoice %(invoice)s."),
    "resolved.not_sent": N_("Not to be sent any more: %(reason)s."),
    "resolved.handled": N_("Marked as handled."),
    "resolved.job_succeeded": N_("The job ran without this problem."),
    "resolved.moved_on": N_("The order got past this; a later problem is shown instead."),
    "resolved.status_followed": N_("Its status was brought over from Fortnox."),
    "database.busy": N_("The sidecar's database was busy: %(error)s"),
    "hint.report_bug": N_("This is a fault in the sidecar, not in your settings: tell us the "
                          "order number and this message. Press Retry to try again."),
    "hint.retries_ran_out": N_("The sidecar tried %(attempts)s times over several hours and has "
                               "stopped; press Retry when the cause is gone."),
    "attention.fortnox_unreachable": N_("Fortnox has not answered properly since %(since)s: "
                                        "%(reason)s"),
    "attention.fortnox_refusing": N_("Fortnox has refused the sidecar's sign-in since "
                                     "%(since)s."),
    "attention.fortnox_wait": N_("Nothing is lost: orders wait and are sent when Fortnox "
                                 "answers again."),
    "attention.job_failing": N_("%(job)s has failed %(runs)s times in a row, since %(since)s: "
                                "%(error)s"),
    "attention.job_fix": N_("Read the error; the job runs again by itself on its schedule, or "
                            "press Run now."),
    "attention.inbox_waiting": N_("%(count)s delivery(ies) from WooCommerce have waited more "
                                  "than 10 minutes, the oldest since %(since)s."),
    "attention.inbox_fix": N_("Look at the failures above, or at the Fortnox connection; the "
                              "sidecar keeps trying by itself."),
}
