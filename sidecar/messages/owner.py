"""The owner's pages and the command line: connect, error pages, the order list, the dry run,
why an order cannot become a Fortnox document, the CLI."""

from __future__ import annotations

from sidecar.messages.marks import N_

TEXTS: dict[str, str] = {
    # Connecting Fortnox (sidecar.fortnox_access.connect, web/fortnox_connect.py).
    "connect.not_configured": N_("The sidecar has no Fortnox integration credentials yet: "
                                 "whoever runs it must set SIDECAR_FORTNOX_CLIENT_ID and "
                                 "SIDECAR_FORTNOX_CLIENT_SECRET, then restart it."),
    "connect.sign_in_not_accepted": N_("Fortnox did not accept the sign-in: %(reason)s"),
    "connect.tenant_not_a_number": N_("The Fortnox tenant id is a number (Fortnox calls it "
                                      "DatabaseNumber; it is shown under company "
                                      "information)."),
    "connect.no_service_account_token": N_("Fortnox did not give a service-account token for "
                                           "tenant %(tenant)s (a Fortnox system administrator "
                                           "must approve the integration as a service account "
                                           "first): %(reason)s"),
    "connect.refused": N_("Fortnox did not grant access (%(reason)s). Nothing was saved; you "
                          "can connect again below."),
    "connect.stale": N_("The answer from Fortnox does not belong to this browser's connect "
                        "attempt (it is stale, or was opened elsewhere). Nothing was saved; "
                        "connect again below."),
    "connect.done": N_("Connected to Fortnox: %(company)s. The settings are being checked "
                       "against the company now."),
    # Where in an order a problem is (inside the reasons below).
    "where.line": N_("line %(line)s (%(name)s)"),
    "where.shipping": N_("shipping %(line)s (%(name)s)"),
    "where.fee": N_("fee %(line)s (%(name)s)"),
    # Why an order cannot become a Fortnox document (sidecar.sync.orders: OrderNotMappable).
    "mapping.sku_not_an_article": N_("%(where)s: SKU %(sku)s is not an article in Fortnox, and "
                                     "the settings say to stop"),
    "mapping.not_a_swedish_rate": N_("%(where)s is taxed at %(rate)s %%, which is not a Swedish "
                                     "VAT rate (25, 12, 6 or 0 %%); Fortnox has only those "
                                     "unless the company is set up for OSS"),
    "mapping.several_rates": N_("%(where)s carries taxes at several rates; a product row in "
                                "Fortnox has one VAT rate"),
    "mapping.quantity_not_positive": N_("%(where)s has quantity %(quantity)s; Fortnox needs a "
                                        "quantity above zero (a return is a refund, not a "
                                        "negative line)"),
    "mapping.quantity_decimals": N_("%(where)s has quantity %(quantity)s; Fortnox takes at "
                                    "most two decimals"),
    "mapping.negative_quantity": N_("%(where)s is negative (%(amount)s) with quantity "
                                    "%(quantity)s; only a single negative amount can be sent"),
    "mapping.vat_does_not_fit": N_("the order's VAT at %(rate)s %% (%(vat)s) does not fit its "
                                   "lines; Fortnox would need %(delta)s more at that rate. Check "
                                   "the tax lines."),
    "mapping.total_differs": N_("the order total %(total)s differs by %(residual)s from its "
                                "lines; a gift card or a line type the export does not read? "
                                "Redeemed gift cards are read from WooCommerce Gift Cards' "
                                "order field gift_cards (PW Gift Cards does not show them in "
                                "the order at all). Nothing was booked."),
    # Why a row gets its VAT and account (the dry run).
    "vat.line_rate": N_("tax rate %(rate)s %% on the line"),
    "vat.line_rate_nothing_charged": N_("tax rate %(rate)s %% on the line (nothing charged)"),
    "vat.gift_card_sold": N_("a gift card: VAT is due when it is used"),
    "vat.gift_card_paid": N_("paid with a gift card: no VAT"),
    "vat.adjustment": N_("moves Fortnox's VAT at %(rate)s %% onto the shop's %(wanted)s"),
    "vat.rounding": N_("rounding carries no VAT"),
    "account.bas_default": N_("BAS default for %(market)s, %(kind)s, %(rate)s %%"),
    # Whether an order is one to send (sidecar.sync.orders.plan).
    "eligibility.never": N_("orders with status '%(status)s' are never exported"),
    "eligibility.not_a_trigger": N_("status '%(status)s' is not an export trigger "
                                    "(%(wanted)s)"),
    "eligibility.no_date": N_("the order has no creation date to compare with the first order "
                              "date"),
    "eligibility.before_first_date": N_("placed %(placed)s, before the first order date "
                                        "%(first)s"),
    "eligibility.payment_skipped": N_("payment method '%(method)s' is set to skip"),
    "eligibility.trigger": N_("status '%(status)s' triggers export"),
    # A line sent without an article (sidecar.sync.orders.lines), as the dry run warns.
    "lines.no_sku": N_("%(where)s has no SKU; sent as a row with its description only"),
    "lines.not_an_article": N_("%(where)s: SKU %(sku)s is not a Fortnox article; sent as a row "
                               "with its description only"),
    "lines.not_an_acceptable_article": N_("%(where)s: SKU %(sku)s is not a Fortnox article that "
                                          "Fortnox would accept as an article number; sent as a "
                                          "row with its description only"),
    # The dry run's verdicts and notes.
    "dry_run.already_exported": N_("Already exported as %(documents)s."),
    "dry_run.document.order": N_("order %(number)s"),
    "dry_run.document.invoice": N_("invoice %(number)s"),
    "dry_run.documents_both": N_("%(first)s and %(second)s"),
    "dry_run.fortnox_unreachable": N_("Fortnox could not be reached (%(reason)s), so whether "
                                      "each SKU is an article in Fortnox is not known; the "
                                      "rows are shown without an article."),
    "dry_run.from_stored_delivery": N_("WooCommerce's REST API is not connected: the order is "
                                       "read from the last delivery WooCommerce sent."),
}
