"""The reconciliation report (sidecar.sync.reconcile, sidecar.reports)."""

from __future__ import annotations

from sidecar.messages.marks import N_

TEXTS: dict[str, str] = {
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
}
