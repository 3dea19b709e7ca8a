"""Refunds, credits and gift cards (sidecar.sync.orders.refunds, followups, gift_cards)."""

from __future__ import annotations

from sidecar.messages.marks import N_

TEXTS: dict[str, str] = {
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
}
