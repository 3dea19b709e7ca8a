"""What an order's mapping changed or left out (sidecar.sync.orders: mapping, lines,
customer_mapping, fortnox_text, credit_rows), shown with the dry run and the export."""

from __future__ import annotations

from sidecar.messages.marks import N_

TEXTS: dict[str, str] = {
    "mapping.customer_field_shortened": N_("customer %(field)s was shortened to %(length)s "
                                           "characters (Fortnox allows %(limit)s)"),
    "mapping.document_field_shortened": N_("document %(field)s was shortened to %(length)s "
                                           "characters (Fortnox allows %(limit)s)"),
    "mapping.postcode_left_out": N_("customer %(field)s: postcode %(postcode)s is longer than "
                                    "Fortnox's %(limit)s characters and was left out"),
    "mapping.no_billing_name": N_("the order has no usable billing name; the customer is called "
                                  "%(name)s"),
    "mapping.no_shared_guest_customer": N_("guests should share one customer, but no shared "
                                           "customer number is set; this guest gets a card of "
                                           "their own"),
    "mapping.order_number_shortened": N_("order number %(number)s was shortened for "
                                         "YourOrderNumber"),
    "mapping.no_country_name": N_("no Fortnox country name known for %(code)s; %(field)s is left "
                                  "for Fortnox to fill from the customer card"),
    "mapping.no_delivery_rule": N_("no %(field)s rule matches the shipping method %(methods)s; "
                                   "none was set"),
    "row.article_created_first": N_("%(where)s: article %(sku)s is created in Fortnox first"),
    "row.description_shortened": N_("%(where)s: the description was shortened to %(limit)s "
                                      "characters"),
    "row.gift_card_with_vat": N_("%(where)s is a gift card, but WooCommerce charged %(vat)s VAT "
                                   "on it; it is booked without VAT, as a gift card's VAT is due "
                                   "when it is used (set the product's tax status to none)"),
    "row.shipping_not_freight": N_("shipping is sent as a row, not as Freight: Fortnox taxes "
                                     "Freight at 25 %%, and this shipping is taxed at %(rates)s"),
    "row.shipping_not_freight_abroad": N_("shipping is sent as a row, not as Freight: Fortnox "
                                            "taxes Freight at 25 %%, and this shipping is taxed "
                                            "at %(rates)s to a %(market)s customer"),
    "plan.no_invoice_no_payment": N_("bookkeeping and payment need an invoice; this order makes "
                                     "only a Fortnox order, so they are skipped"),
    "plan.not_paid_yet": N_("the order is not paid yet, so no payment is registered"),
    "plan.no_mode_of_payment": N_("registering the payment needs a Fortnox mode of payment; none "
                                  "is set"),
    "rounding.vat_row": N_("VAT at %(rate)s %%: WooCommerce rounds per line, Fortnox per rate; a "
                           "%(delta)s row keeps the VAT at %(wanted)s"),
    "rounding.total_row": N_("a rounding row of %(residual)s makes the total %(total)s"),
    "vat.charged_despite_vat_number": N_("the customer has a VAT number but WooCommerce charged "
                                         "VAT, so the order is booked as an EU sale with VAT, "
                                         "not reverse charge"),
    "vat.charged_outside_eu": N_("the customer is outside the EU but WooCommerce charged VAT "
                                 "(local pickup is taxed at the shop's address), so the order is "
                                 "booked as a Swedish sale"),
    "account.sku_override": N_("override for SKU %(sku)s (%(cell)s)"),
    "account.category_override": N_("override for category %(category)s (%(cell)s)"),
    "account.owner_table": N_("owner's account for %(market)s, %(kind)s, %(rate)s %%"),
    "account.as_on_invoice": N_("as on the invoice"),
    "account.as_on_order": N_("as on the order"),
    "account.gift_card": N_("gift card account (unredeemed gift cards)"),
    "account.rounding": N_("rounding account (öresavrundning)"),
    "account.as_largest_row": N_("as the largest row at %(rate)s %%: %(reason)s"),
    "refund.split_over_rates": N_("refund %(refund)s: %(amount)s was not tied to order lines by "
                                  "WooCommerce, so it was split over the order's VAT rates: "
                                  "%(shares)s"),
}
