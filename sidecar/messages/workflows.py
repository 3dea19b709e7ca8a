"""The other workflows, and the Fortnox change feed (sidecar.jobs.change_feed)."""

from __future__ import annotations

from sidecar.messages.marks import N_

TEXTS: dict[str, str] = {
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
}
