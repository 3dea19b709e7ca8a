"""Words for the owner, stored as a code with parameters and rendered in the reader's language.

Code that tells the owner something builds a `Message` (`msg("order.not_exported", order=46,
reason=...)`); the database keeps its code and parameters (`as_json`), and the pages render it
in Swedish or English when it is read (`sidecar.web.say`). English is the source language: the
texts below are marked with `N_` so that `pybabel extract -k N_` finds them, and their Swedish
lives in the owner pages' catalog. `english()` gives the text for logs and the command line.

A parameter is plain text or a number (an order number, Fortnox's own words, which are shown as
they are), an `Amount` (formatted as money in the reader's language), or another `Message`
(rendered in the same language: a reason inside "Order 46 was not exported: …").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from decimal import Decimal
from typing import Any


def N_(text: str) -> str:
    """Marks `text` for translation without translating it: it is translated when shown."""
    return text


TEXTS: dict[str, str] = {
    # Pass-through: something that is the same in every language (a SKU, a webhook topic).
    "plain": N_("%(text)s"),
    # What an entry is about.
    "subject.order": N_("Order %(order)s"),
    "subject.fortnox_connection": N_("Fortnox connection"),
    "subject.webhooks": N_("Webhooks"),
    "subject.delivery": N_("%(topic)s %(id)s"),
    "subject.products_not_updated": N_("%(count)s product(s) not updated"),
    "subject.no_tax_class": N_("No tax class for %(vat)s %% VAT"),
    # WooCommerce order statuses the sidecar sets, as words inside other messages.
    "woo_status.completed": N_("completed"),
    "woo_status.cancelled": N_("cancelled"),
    # Fortnox's documents, as words inside other messages.
    "document.order": N_("order"),
    "document.invoice": N_("invoice"),
    # Why an export stopped (sidecar.sync.orders.export_errors).
    "order.not_readable": N_("Order %(order)s could not be read: %(reason)s"),
    "order.not_exported": N_("Order %(order)s was not exported: %(reason)s"),
    "order.not_mappable": N_("%(reason)s"),
    "fortnox.busy": N_("Fortnox is busy: %(error)s"),
    "fortnox.no_proper_answer": N_("Fortnox did not answer properly: %(error)s"),
    "fortnox.sign_in_refused": N_("Fortnox refused the sidecar's sign-in: %(error)s"),
    "fortnox.refused": N_("Fortnox refused: %(error)s"),
    "fortnox.said": N_("Fortnox said: %(error)s"),
    "woo.said": N_("WooCommerce said: %(error)s"),
    "error.unexpected": N_("%(error)s"),
    # What happened to an exported order afterwards.
    "order.totals_differ": N_("Fortnox %(kind)s %(number)s for order %(order)s totals "
                              "%(total)s with VAT %(vat)s; the shop's order totals "
                              "%(expected_total)s with VAT %(expected_vat)s."),
    "order.changed_after_export": N_("Order %(order)s changed in WooCommerce after it was "
                                     "exported; the Fortnox documents were not changed."),
    "order.cancelled_but_invoiced": N_("Order %(order)s was cancelled in WooCommerce, but "
                                       "Fortnox invoice %(invoice)s already exists, so nothing "
                                       "was cancelled."),
    "order.cancel_refused": N_("Order %(order)s was cancelled in WooCommerce, but Fortnox "
                               "refused to cancel order %(fortnox_order)s: %(error)s"),
    "order.fortnox_order_cancelled": N_("Fortnox order %(fortnox_order)s cancelled: order "
                                        "%(order)s was cancelled in WooCommerce."),
    "order.refunded_without_invoice": N_("Order %(order)s was refunded %(amount)s, but its "
                                         "Fortnox order %(fortnox_order)s has no invoice to "
                                         "credit."),
    "order.credit_made": N_("Credit invoice %(credit)s made in Fortnox for refund %(refund)s "
                            "(%(amount)s) of invoice %(invoice)s."),
    "order.trashed": N_("Order %(order)s was moved to the trash in WooCommerce; the Fortnox "
                        "documents (%(documents)s) were kept."),
    # Refunds, credits and gift cards (sidecar.sync.orders.refunds, followups, gift_cards).
    "refund.credited": N_("Credit invoice %(credit)s for invoice %(invoice)s made in Fortnox: "
                          "refund %(refund)s of order %(order)s (%(amount)s)."),
    "refund.order_corrected": N_("Fortnox order %(fortnox_order)s corrected before invoicing: "
                                 "refund %(refund)s of order %(order)s (%(amount)s) taken off."),
    "refund.order_cancelled": N_("Fortnox order %(fortnox_order)s cancelled: order %(order)s "
                                 "was refunded in full before it was invoiced."),
    "refund.split": N_("Refund %(refund)s of order %(order)s named no order lines, so "
                       "%(amount)s of it was split over the order's VAT rates by what the order "
                       "sold at each: %(shares)s."),
    "refund.not_exported": N_("Refund %(refund)s of order %(order)s (%(amount)s) was not "
                              "booked: the order was never sent to Fortnox."),
    "refund.invoice_cancelled": N_("Refund %(refund)s of order %(order)s was not booked: "
                                   "Fortnox invoice %(invoice)s is cancelled."),
    "refund.order_cancelled_in_fortnox": N_("Refund %(refund)s of order %(order)s was not "
                                            "booked: Fortnox order %(fortnox_order)s is "
                                            "cancelled."),
    "refund.credited_in_fortnox": N_("Refund %(refund)s of order %(order)s (%(amount)s) was "
                                     "not booked: invoice %(invoice)s already has credit "
                                     "invoice %(credit)s, made in Fortnox."),
    "refund.order_locked": N_("Refund %(refund)s of order %(order)s (%(amount)s) was not "
                              "booked: Fortnox order %(fortnox_order)s is marked done and can "
                              "no longer be changed."),
    "refund.order_changed": N_("Refund %(refund)s of order %(order)s (%(amount)s) was not "
                               "booked: Fortnox order %(fortnox_order)s no longer matches what "
                               "was sent (%(reason)s)."),
    "refund.totals_differ": N_("Fortnox document %(number)s for refund %(refund)s of order "
                               "%(order)s totals %(total)s with VAT %(vat)s; it should total "
                               "%(expected_total)s with VAT %(expected_vat)s."),
    "refund.details_missing": N_("The refunds of order %(order)s cannot be read without the "
                                 "connection to WooCommerce; they are booked once it works."),
    "refund.not_readable": N_("Refund %(refund)s of order %(order)s could not be read: "
                              "%(reason)s"),
    "order.cancel_credited": N_("Credit invoice %(credit)s for invoice %(invoice)s made in "
                                "Fortnox: order %(order)s was cancelled in WooCommerce."),
    "order.cancelled_after_credits": N_("Order %(order)s was cancelled in WooCommerce after "
                                        "refunds were credited; invoice %(invoice)s was not "
                                        "credited again."),
    "status.credited_in_fortnox": N_("Credit invoice %(credit)s for invoice %(invoice)s of "
                                     "order %(order)s was made in Fortnox."),
    "hint.check_fortnox_credit": N_("Check that credit invoice %(credit)s covers the refund; "
                                    "if it does not, credit the rest in Fortnox by hand."),
    "hint.invoice_locked_order": N_("Change the Fortnox order by hand, or invoice it: the "
                                    "sidecar credits the refund once the invoice exists."),
    "hint.credit_rest_by_hand": N_("If the sale is undone, credit what is left of the invoice "
                                   "in Fortnox by hand."),
    # Other workflows.
    "inbox.parked": N_("Could not process %(topic)s for id %(id)s: %(error)s"),
    "products.refused": N_("WooCommerce refused %(count)s product update(s): %(named)s"),
    "products.refused_more": N_("WooCommerce refused %(count)s product update(s): %(named)s "
                                "and %(more)s more"),
    "products.tax_class_missing": N_("Tax classes of articles with %(vat)s %% VAT are not "
                                     "updated: %(reason)s."),
    "status.order_set": N_("Order %(order)s set to %(status)s: %(reason)s."),
    "status.failed": N_("Could not bring order %(order)s's status over from Fortnox: "
                        "%(error)s"),
    "connection.connected": N_("Connected to %(company)s."),
    "connect.unreachable": N_("Fortnox could not be reached or failed (%(error)s); try again."),
    "connect.client_unknown": N_("Fortnox does not recognise the sidecar's client id and secret "
                                 "(SIDECAR_FORTNOX_CLIENT_ID / SIDECAR_FORTNOX_CLIENT_SECRET)."),
    "connect.fortnox_said": N_("%(error)s."),
    "connection.company_unreadable": N_("Connected, but the company name could not be read: "
                                        "%(error)s"),
    "connection.sign_in_refused": N_("Fortnox no longer accepts the sidecar's sign-in for this "
                                     "company (it expired or was revoked in Fortnox). Nothing is "
                                     "sent to Fortnox until you reconnect."),
    "connection.service_account_refused": N_("Fortnox refused the service-account access for "
                                             "tenant %(tenant)s (%(error)s). Nothing is sent to "
                                             "Fortnox until the connection is set up again."),
    "webhooks.reactivated": N_("Re-activated %(count)s webhook(s) WooCommerce had disabled; the "
                               "sweep fetched what they missed."),
    "webhooks.not_reactivated": N_("Webhook %(name)s is %(status)s and could not be "
                                   "re-activated: %(error)s"),
    "webhooks.unlisted": N_("The sidecar could not list the shop's webhooks: %(error)s"),
    "webhooks.missing": N_("The shop has no webhooks pointing at the sidecar; orders arrive only "
                           "through the sweep, up to one interval late."),
    "webhooks.error_instead_of_data": N_("WooCommerce sent an error instead of the data "
                                         "(%(reason)s)."),
    # Fortnox change feed (sidecar.jobs.change_feed): why direct updates are off.
    "feed.connection_lost": N_("The connection to Fortnox was lost (%(error)s); it is opened "
                               "again by itself, and changes are fetched on the usual schedule "
                               "meanwhile."),
    "feed.command_refused": N_("Fortnox refused to start direct updates (%(error)s); it is "
                               "tried again by itself, and changes are fetched on the usual "
                               "schedule meanwhile."),
    "feed.no_token": N_("No Fortnox sign-in to start direct updates with (%(error)s)."),
    "feed.token_refused": N_("Fortnox did not accept the sign-in for direct updates; changes "
                             "are fetched on the usual schedule. It is tried again later."),
    "feed.service_account_refused": N_("Fortnox did not accept the service account's sign-in "
                                       "for direct updates; changes are fetched on the usual "
                                       "schedule. It is tried again later."),
    # Reconciliation report (sidecar.sync.reconcile, sidecar.reports).
    "subject.reconcile": N_("Reconciliation %(period)s"),
    "hint.reconcile": N_("Open the Reconciliation page for each problem, its cause and links to "
                         "the order and the document."),
    "hint.reconcile_smtp": N_("Check SIDECAR_SMTP_URL, the SMTP password and the addresses on "
                              "the Reconciliation page; the next report is sent as usual."),
    "reconcile.missing_not_sent": N_("Order %(order)s (%(amount)s) was never sent to Fortnox."),
    "reconcile.missing_failed": N_("Order %(order)s (%(amount)s) is not in Fortnox: sending it "
                                   "failed: %(error)s"),
    "reconcile.missing_document": N_("Order %(order)s (%(amount)s): Fortnox has no %(kind)s "
                                     "%(number)s, which the sidecar made for it."),
    "reconcile.amount_differs": N_("Fortnox %(kind)s %(number)s totals %(fortnox)s with VAT "
                                   "%(fortnox_vat)s; order %(order)s totals %(woo)s with VAT "
                                   "%(woo_vat)s (difference %(difference)s)."),
    "reconcile.credit_differs": N_("Credit invoice %(number)s totals %(fortnox)s; refund "
                                   "%(refund)s of order %(order)s is %(woo)s."),
    "reconcile.duplicate": N_("Fortnox %(kind)s %(number)s (%(amount)s) is one more for order "
                              "%(order)s, which has %(original)s already."),
    "reconcile.unexplained": N_("Fortnox %(kind)s %(number)s (%(amount)s) names the order key "
                                "%(key)s, but the sidecar did not make it."),
    "reconcile.cancelled_in_fortnox": N_("Fortnox %(kind)s %(number)s is cancelled, but order "
                                         "%(order)s is %(status)s in WooCommerce."),
    "reconcile.cancelled_in_woo": N_("Order %(order)s is cancelled in WooCommerce, but Fortnox "
                                     "%(kind)s %(number)s (%(amount)s) is neither cancelled nor "
                                     "credited."),
    "reconcile.refund_without_credit": N_("Refund %(refund)s of order %(order)s (%(amount)s) "
                                          "has no credit invoice in Fortnox."),
    "reconcile.credit_without_refund": N_("Credit invoice %(number)s (%(amount)s) names order "
                                          "%(order)s, but no refund of the order matches it."),
    "reconcile.not_connected": N_("Fortnox or WooCommerce is not connected yet; connect both on "
                                  "the settings page."),
    "reconcile.woo_unreadable": N_("WooCommerce's orders could not be read: %(error)s"),
    "reconcile.fortnox_unreadable": N_("Fortnox's documents could not be read: %(error)s"),
    "reconcile.failed": N_("The reconciliation of %(period)s could not be made: %(reason)s"),
    "reconcile.email_failed": N_("The reconciliation of %(period)s was not e-mailed: "
                                 "%(error)s"),
    "reconcile.found.missing": N_("Reconciliation %(period)s: %(count)s order(s) missing in "
                                  "Fortnox: %(orders)s."),
    "reconcile.found.amount_differs": N_("Reconciliation %(period)s: %(count)s amount(s) differ "
                                         "between WooCommerce and Fortnox: %(orders)s."),
    "reconcile.found.duplicate": N_("Reconciliation %(period)s: %(count)s duplicate Fortnox "
                                    "document(s): %(orders)s."),
    "reconcile.found.unexplained": N_("Reconciliation %(period)s: %(count)s Fortnox document(s) "
                                      "no order explains: %(orders)s."),
    "reconcile.found.cancelled_in_fortnox": N_("Reconciliation %(period)s: %(count)s order(s) "
                                               "cancelled in Fortnox but not in WooCommerce: "
                                               "%(orders)s."),
    "reconcile.found.cancelled_in_woo": N_("Reconciliation %(period)s: %(count)s order(s) "
                                           "cancelled in WooCommerce but not in Fortnox: "
                                           "%(orders)s."),
    "reconcile.found.refund_without_credit": N_("Reconciliation %(period)s: %(count)s refund(s) "
                                                "without a credit invoice: %(orders)s."),
    "reconcile.found.credit_without_refund": N_("Reconciliation %(period)s: %(count)s credit "
                                                "invoice(s) without a refund: %(orders)s."),
    "reconcile.kind.matched": N_("Matched"),
    "reconcile.kind.missing": N_("Missing in Fortnox"),
    "reconcile.kind.amount_differs": N_("Amount differs"),
    "reconcile.kind.duplicate": N_("Duplicate"),
    "reconcile.kind.unexplained": N_("Not explained by any order"),
    "reconcile.kind.cancelled_in_fortnox": N_("Cancelled in Fortnox only"),
    "reconcile.kind.cancelled_in_woo": N_("Cancelled in WooCommerce only"),
    "reconcile.kind.refund_without_credit": N_("Refund without credit invoice"),
    "reconcile.kind.credit_without_refund": N_("Credit invoice without refund"),
    "reconcile.market.se": N_("Sweden"),
    "reconcile.market.eu": N_("Other EU countries, consumers"),
    "reconcile.market.eu_reverse": N_("Other EU countries, companies (reverse charge)"),
    "reconcile.market.export": N_("Outside the EU"),
    "reconcile.market.other": N_("Documents of no order in the period"),
    "reconcile.made": N_("%(shop)s · made %(time)s (Swedish time)"),
    "reconcile.summary": N_("%(orders)s order(s), %(matched)s matched to the öre, %(problems)s "
                            "problem(s)."),
    "reconcile.no_problems": N_("No problems: every order matches Fortnox to the öre."),
    "reconcile.col.day": N_("Date"),
    "reconcile.col.order": N_("Order"),
    "reconcile.col.status": N_("Status in WooCommerce"),
    "reconcile.col.currency": N_("Currency"),
    "reconcile.col.woo": N_("WooCommerce"),
    "reconcile.col.document": N_("Fortnox document"),
    "reconcile.col.fortnox": N_("Fortnox"),
    "reconcile.col.difference": N_("Difference"),
    "reconcile.col.outcome": N_("Outcome"),
    "reconcile.col.cause": N_("Cause"),
    "reconcile.col.rate": N_("VAT rate"),
    "reconcile.col.market": N_("Market"),
    "reconcile.col.orders": N_("Orders"),
    "reconcile.col.matched": N_("Matched"),
    "reconcile.col.problems": N_("Problems"),
    "reconcile.heading.problems": N_("Problems"),
    "reconcile.heading.vat": N_("VAT per rate"),
    "reconcile.heading.markets": N_("Totals per market (including VAT)"),
    "reconcile.heading.refunds": N_("Refunds and credit invoices"),
    "reconcile.heading.days": N_("Per day"),
    "reconcile.refunds_row": N_("Refunded / credited"),
    "reconcile.rate": N_("%(rate)s %%"),
    "reconcile.mail.subject": N_("Reconciliation %(period)s: %(problems)s problem(s)"),
    "reconcile.mail.body": N_("The reconciliation of %(shop)s for %(period)s is attached as a "
                              "PDF.\n\n%(summary)s\n\nThe page with every problem and the CSV "
                              "file: %(link)s"),
    # What to do.
    "hint.retry_soon": N_("Nothing to do: the sidecar tries again by itself."),
    "hint.fix_order_or_settings": N_("Change the order or the export settings, then press "
                                     "Retry."),
    "hint.reconnect_fortnox": N_("Reconnect Fortnox on the settings page, then press Retry."),
    "hint.fortnox_rights": N_("The Fortnox user or licence lacks a right the export needs "
                              "(orders, invoices, customers, articles); add it and reconnect."),
    "hint.fortnox_rejected": N_("Fortnox rejected the document; fix what its message says, "
                                "then press Retry."),
    "hint.fortnox.2000428": N_("Article %(detail)s does not exist in Fortnox: create it, or "
                               "allow description-only rows (Settings → Orders → Unknown "
                               "articles)."),
    "hint.fortnox.2000423": N_("An account is missing from the Fortnox chart of accounts: add "
                               "it in Fortnox, or change the account mapping in Settings."),
    "hint.fortnox.2001304": N_("Account %(detail)s does not exist in Fortnox: add it to the "
                               "chart of accounts, or change the account mapping in Settings."),
    "hint.fortnox.2000427": N_("The currency is not registered in Fortnox: add it under "
                               "Settings → Currencies in Fortnox."),
    "hint.fortnox.2000429": N_("The terms of payment code does not exist in Fortnox: add it "
                               "there or change it in Settings."),
    "hint.fortnox.2000435": N_("The terms of delivery code does not exist in Fortnox: add it "
                               "there or change the shipping mappings in Settings."),
    "hint.fortnox.2000401": N_("The accounting period is locked in Fortnox: open it, or ask "
                               "your accountant."),
    "hint.fortnox.2000107": N_("A value is longer than Fortnox allows; tell us the order number "
                               "so we can fix it."),
    "hint.check_woo_keys": N_("Check the WooCommerce REST API keys in Settings."),
    "hint.compare_rows": N_("Compare the rows in Fortnox with the order; correct the document "
                            "in Fortnox if needed, and tell us the order number."),
    "hint.correct_by_hand_or_refund": N_("Correct the Fortnox document by hand, or refund in "
                                         "WooCommerce to have a credit invoice made."),
    "hint.credit_or_refund": N_("Credit the invoice in Fortnox, or refund the order in "
                                "WooCommerce to have the credit invoice made."),
    "hint.cancel_by_hand": N_("Cancel or credit it in Fortnox by hand."),
    "hint.cancel_or_change_order": N_("Cancel the Fortnox order, or change it before invoicing "
                                      "it."),
    "hint.change_order_before_invoicing": N_("Change the Fortnox order by hand before "
                                             "invoicing it."),
    "hint.trashed": N_("If the sale is undone, cancel or credit the documents in Fortnox."),
    "hint.fix_then_retry": N_("Fix the cause, then press Retry."),
    "hint.products_refused": N_("Fix the product in WooCommerce or Fortnox; the next run tries "
                                "again."),
    "hint.choose_tax_class": N_("Choose an existing tax class for this VAT rate in the product "
                                "settings."),
    "hint.status_retry_next_run": N_("It is tried again on the next run."),
    "hint.status_fix_cause": N_("Fix the cause; the next change in Fortnox tries again."),
    "hint.company_information": N_("Check that the integration may read company "
                                   "information."),
    "hint.reconnect": N_("Reconnect Fortnox on the settings page."),
    "hint.webhooks_settings": N_("Open WooCommerce → Settings → Advanced → Webhooks, or re-save "
                                 "the connection in the sidecar's settings."),
    "hint.webhook_user": N_("Check that the user owning the webhooks can manage WooCommerce. "
                            "Nothing is lost: the reconciliation sweep fetches changed orders "
                            "itself."),
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


@dataclass(frozen=True)
class Amount:
    """Money in a message: shown as the reader's language writes it (`1 044,75 kr`)."""

    value: Decimal
    currency: str

    def english(self) -> str:
        return f"{self.value:.2f} {self.currency}".strip()



@dataclass(frozen=True)
class Message:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in TEXTS:
            raise ValueError(f"unknown message code {self.code!r}; add it to sidecar.messages")

    def english(self) -> str:
        return fill(TEXTS[self.code], {k: _english(v) for k, v in self.params.items()})

    def as_json(self) -> list[Any]:
        return [self.code, {k: _param_json(v) for k, v in self.params.items()}]

    @classmethod
    def from_json(cls, value: Any) -> Message | None:
        """A stored message; None for anything else (an unknown code written by a newer
        version, a damaged value), so the caller falls back to the stored English text."""
        if not (isinstance(value, list | tuple) and len(value) == 2 and value[0] in TEXTS
                and isinstance(value[1], Mapping)):
            return None
        return cls(value[0], {k: _param_from_json(v) for k, v in value[1].items()})


def msg(code: str, /, **params: Any) -> Message:
    return Message(code, params)


def fill(template: str, params: Mapping[str, Any]) -> str:
    """`template % params`, never failing: a translation that lost or renamed a placeholder
    still shows its words rather than breaking the page."""
    try:
        return template % params
    except (KeyError, TypeError, ValueError):
        return template


def _english(value: Any) -> Any:
    if isinstance(value, Message | Amount):
        return value.english()
    return value


def _param_json(value: Any) -> Any:
    if isinstance(value, Message):
        return {"message": value.as_json()}
    if isinstance(value, Amount):
        return {"amount": str(value.value), "currency": value.currency}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool) or not isinstance(value, int | str):
        return str(value)
    return value


def _param_from_json(value: Any) -> Any:
    if isinstance(value, Mapping):
        if "message" in value:
            return Message.from_json(value["message"]) or ""
        if "amount" in value:
            try:
                return Amount(Decimal(str(value["amount"])), str(value.get("currency") or ""))
            except ArithmeticError:
                return str(value["amount"])
        return ""
    return value
