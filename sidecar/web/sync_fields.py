"""Which field edits each setting the order export and the Fortnox → WooCommerce sync declare,
and the owner's words for them. The settings page shows them in parts (one form each); the
generic form (settings_form.py) leaves these prefixes alone.

A field's ``kind`` picks its control: checkbox, select (fixed choices), tristate (a select of
"not chosen" "", "on" and "off": None, True, False), fortnox (choices read
from Fortnox, free text when it is not connected), checkboxes, date, text, number, words
(comma-separated), and the tables rules, accounts, overrides, payment_methods, tax_classes.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from sidecar.web import settings_form


@dataclass(frozen=True)
class Widget:
    key: str
    label: LazyString
    kind: str
    choices: tuple[tuple[str, LazyString], ...] = ()
    source: str = ""  # FortnoxLists attribute with the choices
    blank: LazyString | None = None  # the empty choice, when empty is allowed
    help: LazyString | None = None

    @property
    def html_id(self) -> str:
        return "setting-" + self.key.replace(".", "-")


@dataclass(frozen=True)
class Fieldset:
    title: LazyString
    widgets: tuple[Widget, ...]
    help: LazyString | None = None


DOCUMENT_MODES = (("invoice", _l("An invoice")), ("order", _l("An order")),
                  ("order_then_invoice", _l("An order, then its invoice")))
ORDER_STATUSES = (("processing", _l("Processing")), ("completed", _l("Completed")),
                  ("on-hold", _l("On hold")))

EXPORT = (
    Fieldset(_l("Documents"), (
        Widget("export.document_mode", _l("Create in Fortnox"), "select", DOCUMENT_MODES),
        Widget("export.trigger_statuses", _l("Send orders with the status"), "checkboxes",
               ORDER_STATUSES),
        Widget("export.first_order_date", _l("First order to send (date)"), "date",
               help=_l("Orders placed before this date are never sent. Empty: every order.")),
        Widget("export.unknown_article", _l("When an order's SKU is not an article in Fortnox"),
               "select", (("description_only", _l("Send the row as text, without an article")),
                          ("create_article", _l("Create the article in Fortnox first")),
                          ("stop", _l("Stop, and show it on the dashboard")))),
        Widget("export.shipping_as", _l("Shipping is sent as"), "select",
               (("row", _l("A row of its own")), ("freight", _l("Fortnox's freight field")))),
        Widget("export.our_reference", _l("Our reference"), "text"),
        Widget("export.terms_of_payment", _l("Terms of payment"), "fortnox",
               source="terms_of_payment", blank=_l("The customer's own (Fortnox decides)")),
        Widget("export.mode_of_payment", _l("Mode of payment"), "fortnox",
               source="modes_of_payment", blank=_l("None")),
        Widget("export.bookkeep_invoice", _l("Bookkeep invoices at once"), "checkbox"),
        Widget("export.register_payment", _l("Register the payment on the invoice"),
               "checkbox"),
        Widget("export.credit_cancelled_invoices",
               _l("Credit the invoice when an invoiced order is cancelled in WooCommerce"),
               "checkbox", help=_l("A refund always becomes a credit invoice of its own; this "
                                   "is for an order cancelled without a refund.")),
    )),
    Fieldset(_l("Per payment method"), (
        Widget("export.payment_methods", _l("Rules per payment method"), "payment_methods"),
    ), help=_l("The payment method's id in WooCommerce, e.g. bacs, cod, swish or "
               "klarna_payments. Empty choices use the settings above.")),
    Fieldset(_l("Customers"), (
        Widget("export.customer.match_by", _l("Find the Fortnox customer by"), "select",
               (("email", _l("E-mail address")),
                ("organisation_number", _l("Organisation number")))),
        Widget("export.customer.organisation_number_meta_key",
               _l("Order field with the organisation number"), "text"),
        Widget("export.customer.vat_number_meta_keys", _l("Order fields with the VAT number"),
               "words", help=_l("Separate several with commas.")),
        Widget("export.customer.guests", _l("Guests who buy without an account"), "select",
               (("own", _l("Each gets a customer of their own")),
                ("shared", _l("All share one customer")))),
        Widget("export.customer.shared_guest_customer_number",
               _l("Customer number shared by guests"), "text"),
    )),
    Fieldset(_l("Stock"), (
        Widget("export.stock.draw_down", _l("Draw down Fortnox stock for sent orders"),
               "checkbox"),
        Widget("export.stock.stock_point_code", _l("Stock point to draw from"), "fortnox",
               source="stock_points", blank=_l("Fortnox's default")),
    )),
)

ACCOUNTS = (
    Fieldset(_l("Sales accounts"), (
        Widget("export.accounts", _l("Account per market, kind and VAT rate"), "accounts"),
        Widget("export.rounding_account", _l("Rounding (öre) account"), "fortnox",
               source="accounts"),
    ), help=_l("Empty cells use the BAS account shown in them.")),
    Fieldset(_l("Exceptions per product and category"), (
        Widget("export.accounts_by_sku", _l("Per SKU"), "overrides"),
        Widget("export.accounts_by_category", _l("Per product category (slug)"), "overrides"),
    ), help=_l("Where: * is every market, se, eu, eu_reverse or export one market, and se.25 "
               "one market and VAT rate. A SKU beats a category, which beats the table.")),
    Fieldset(_l("Gift cards"), (
        Widget("export.gift_cards.skus", _l("Gift card SKUs"), "words",
               help=_l("Separate several with commas.")),
        Widget("export.gift_cards.categories", _l("Gift card product categories (slug)"),
               "words", help=_l("Separate several with commas.")),
        Widget("export.gift_cards.account", _l("Account for gift cards sold"), "fortnox",
               source="accounts"),
    ), help=_l("A gift card is booked without VAT on this account when sold (BAS 2421 Ej "
               "inlösta presentkort): its VAT is due when it is used. A card used to pay is a "
               "payment from this account, and the sale keeps its VAT. Lines the PW and "
               "WooCommerce Gift Cards plugins sell are gift cards too.")),
)

SHIPPING = (
    Fieldset(_l("Shipping methods"), (
        Widget("export.way_of_delivery_rules", _l("Way of delivery"), "rules",
               source="ways_of_delivery"),
        Widget("export.terms_of_delivery_rules", _l("Terms of delivery"), "rules",
               source="terms_of_delivery"),
    ), help=_l("The first rule whose pattern fits the order's shipping method wins. * stands for "
               "any characters: DHL* fits DHL-1 and DHL Express. Case does not matter.")),
)

FORTNOX_TO_WOO = (
    Fieldset(_l("Order status from Fortnox"), (
        Widget("order_status.complete_orders", _l("Set done orders to Completed in WooCommerce"),
               "tristate", (("", _l("Yes, except orders sent as an invoice only")),
                            ("on", _l("Yes, every order")), ("off", _l("No"))),
               help=_l("When sent as an invoice only, nothing in Fortnox says the goods have "
                       "left, so those are not completed unless you choose so.")),
        Widget("order_status.completed_when", _l("A Fortnox order is done when"), "select",
               (("delivered_or_done", _l("It is delivered in full or marked done")),
                ("marked_done", _l("It is marked done")),
                ("fully_delivered", _l("It is delivered in full")),
                ("invoice_created", _l("Its invoice is created")),
                ("invoice_paid", _l("Its invoice is paid"))),
               help=_l("The sidecar sends orders delivered (so Fortnox Lager draws the stock), "
                       "so for those only marking them done counts. \"Its invoice is created\" "
                       "completes an invoice-only order at once, minutes after the purchase.")),
        Widget("order_status.cancel_orders",
               _l("Set cancelled orders to Cancelled in WooCommerce"), "checkbox"),
    ), help=_l("WooCommerce e-mails the customer that the order is complete when it becomes "
               "Completed. Cancelled orders follow whatever you choose here.")),
    Fieldset(_l("Product data from Fortnox"), (
        Widget("products.sync_name", _l("Name"), "checkbox"),
        Widget("products.sync_price", _l("Price"), "checkbox"),
        Widget("products.sync_weight", _l("Weight"), "checkbox"),
        Widget("products.sync_tax_class", _l("Tax class"), "checkbox"),
        Widget("products.price_list", _l("Price list"), "fortnox", source="price_lists",
               blank=_l("The company's default price list")),
        Widget("products.tax_class_by_vat", _l("Tax class per VAT rate"), "tax_classes"),
        Widget("products.full_compare_hours", _l("Compare every product every (hours)"),
               "number"),
    )),
    Fieldset(_l("Stock from Fortnox"), (
        Widget("stock.sync", _l("Update stock in WooCommerce"), "checkbox"),
        Widget("stock.source", _l("Read stock from"), "select",
               (("article", _l("The article's stock figure")),
                ("warehouse", _l("Fortnox Lager stock points")))),
        Widget("stock.quantity", _l("Quantity"), "select",
               (("available", _l("Available (in stock minus reserved)")),
                ("in_stock", _l("In stock")))),
        Widget("stock.stock_points", _l("Stock points to add up"), "fortnox_multi",
               source="stock_points", help=_l("None ticked: every stock point.")),
        Widget("stock.location", _l("Only articles with the stock location"), "text",
               help=_l("Empty: every article, wherever it is stored.")),
        Widget("stock.full_compare_hours", _l("Compare all stock every (hours)"), "number"),
    )),
)

PARTS: dict[str, tuple[Fieldset, ...]] = {
    "export": EXPORT,
    "accounts": ACCOUNTS,
    "shipping": SHIPPING,
    "fortnox_to_woo": FORTNOX_TO_WOO,
}

MARKETS = (("se", _l("Sweden")), ("eu", _l("Other EU countries, consumers")),
           ("eu_reverse", _l("Other EU countries, companies (reverse charge)")),
           ("export", _l("Outside the EU")))
KINDS = (("goods", _l("Goods")), ("services", _l("Services")), ("shipping", _l("Shipping")),
         ("fee", _l("Fees")))
RATES = ("25", "12", "6", "0")


def widgets(part: str) -> tuple[Widget, ...]:
    return tuple(w for fieldset in PARTS[part] for w in fieldset.widgets)


# These prefixes have the fields above; the generic form shows only the rest (the schedules).
settings_form.OWN_FORMS.update({"export", "order_status", "products", "stock"})
