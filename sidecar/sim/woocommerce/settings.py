"""GET /settings/<group>: the WooCommerce options an ERP bridge reads, as a Swedish shop has
them (tests/fixtures/woocommerce/rest 079–081, where each group holds more entries).

The currency, "prices entered with tax" and the weight unit follow the simulator's config.
"""

from __future__ import annotations

from typing import Any

from sidecar.sim.woocommerce.config import WooSimConfig
from sidecar.sim.woocommerce.site import Site

YES_NO_TAX = {"yes": "Yes, I will enter prices inclusive of tax",
              "no": "No, I will enter prices exclusive of tax"}
INCL_EXCL = {"incl": "Including tax", "excl": "Excluding tax"}
STOCK_THRESHOLD = (
    'When product stock reaches this amount the stock status will change to "out of stock" '
    'and you will be notified via email. This setting does not affect existing "in stock" '
    "products."
)


def _setting(site: Site, group: str, setting_id: str, label: str, value: str, default: str,
             kind: str = "text", description: str = "", tip: str | None = None,
             options: dict[str, str] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"id": setting_id, "label": label, "description": description,
                            "type": kind, "default": default}
    if options is not None:
        body["options"] = options
    if tip is not None:
        body["tip"] = tip
    body["value"] = value
    body["_links"] = site.links(f"settings/{group}/{setting_id}", f"settings/{group}")
    return body


def _same(text: str) -> dict[str, str]:
    """WooCommerce shows many descriptions again as the tip."""
    return {"description": text, "tip": text}


def setting_groups(config: WooSimConfig, site: Site) -> dict[str, list[dict[str, Any]]]:
    tax_classes = {"inherit": "Shipping tax class based on cart items", "": "Standard",
                   "reduced-rate": "Reduced rate", "super-reduced-rate": "Super reduced rate",
                   "zero-rate": "Zero rate"}
    general: list[tuple[Any, ...]] = [
        ("woocommerce_store_address", "Address line 1", "Drottninggatan 1", "", "text",
         _same("The street address for your business location.")),
        ("woocommerce_store_city", "City", "Stockholm", "", "text",
         _same("The city in which your business is located.")),
        ("woocommerce_default_country", "Country / State", "SE", "US:CA", "select",
         _same("The country and state or province, if any, in which your business is located.")),
        ("woocommerce_store_postcode", "Postcode / ZIP", "111 51", "", "text",
         _same("The postal code, if any, in which your business is located.")),
        ("woocommerce_calc_taxes", "Enable taxes", "yes", "no", "checkbox",
         {"description": "Enable tax rates and calculations",
          "tip": "Rates will be configurable and taxes will be calculated during checkout."}),
        ("woocommerce_enable_coupons", "Enable coupons", "yes", "yes", "checkbox",
         {"description": "Enable the use of coupon codes",
          "tip": "Coupons can be applied from the cart and checkout pages."}),
        ("woocommerce_currency", "Currency", config.currency, "USD", "select",
         _same("This controls what currency prices are listed at in the catalog and which "
               "currency gateways will take payments in.")),
        ("woocommerce_currency_pos", "Currency position", "right_space", "left", "select",
         {**_same("This controls the position of the currency symbol."),
          "options": {"left": "Left", "right": "Right", "left_space": "Left with space",
                      "right_space": "Right with space"}}),
        ("woocommerce_price_thousand_sep", "Thousand separator", " ", ",", "text",
         _same("This sets the thousand separator of displayed prices.")),
        ("woocommerce_price_decimal_sep", "Decimal separator", ",", ".", "text",
         _same("This sets the decimal separator of displayed prices.")),
        ("woocommerce_price_num_decimals", "Number of decimals", "2", "2", "number",
         _same("This sets the number of decimal points shown in displayed prices.")),
    ]
    tax: list[tuple[Any, ...]] = [
        ("woocommerce_prices_include_tax", "Prices entered with tax",
         "yes" if config.prices_include_tax else "no", "no", "radio",
         {"options": YES_NO_TAX, "tip": "This option is important as it will affect how you "
          "input prices. Changing it will not update existing products."}),
        ("woocommerce_tax_based_on", "Calculate tax based on", "shipping", "shipping", "select",
         {"options": {"shipping": "Customer shipping address",
                      "billing": "Customer billing address", "base": "Shop base address"},
          "tip": "This option determines which address is used to calculate tax."}),
        ("woocommerce_shipping_tax_class", "Shipping tax class", "inherit", "inherit", "select",
         {**_same("Optionally control which tax class shipping gets, or leave it so shipping "
                  "tax is based on the cart items themselves."), "options": tax_classes}),
        ("woocommerce_tax_round_at_subtotal", "Rounding", "no", "no", "checkbox",
         {"description": "Round tax at subtotal level, instead of rounding per line"}),
        ("woocommerce_tax_display_shop", "Display prices in the shop", "incl", "excl", "select",
         {"options": INCL_EXCL}),
        ("woocommerce_tax_display_cart", "Display prices during cart and checkout", "incl",
         "excl", "select", {"options": INCL_EXCL}),
    ]
    products: list[tuple[Any, ...]] = [
        ("woocommerce_weight_unit", "Weight unit", config.weight_unit, "kg", "select",
         {**_same("This controls what unit you will define weights in."),
          "options": {"kg": "kg", "g": "g", "lbs": "lbs", "oz": "oz"}}),
        ("woocommerce_dimension_unit", "Dimensions unit", "cm", "cm", "select",
         {**_same("This controls what unit you will define lengths in."),
          "options": {"m": "m", "cm": "cm", "mm": "mm", "in": "in", "yd": "yd"}}),
        ("woocommerce_manage_stock", "Manage stock", "yes", "yes", "checkbox",
         {"description": "Enable stock management"}),
        ("woocommerce_notify_no_stock_amount", "Out of stock threshold", "0", "0", "number",
         _same(STOCK_THRESHOLD)),
    ]
    return {
        group: [_setting(site, group, *row[:5], **row[5]) for row in rows]
        for group, rows in (("general", general), ("tax", tax), ("products", products))
    }
