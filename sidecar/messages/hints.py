"""What to do: the hints shown under a problem."""

from __future__ import annotations

from sidecar.messages.marks import N_

TEXTS: dict[str, str] = {
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
}
