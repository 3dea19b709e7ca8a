"""Words every workflow uses: subjects, documents, why an export stopped, what happened to an
exported order afterwards."""

from __future__ import annotations

from sidecar.messages.marks import N_

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
}
