"""GET /settings/<group>: the few WooCommerce options an ERP bridge reads."""

from __future__ import annotations

from typing import Any

from sidecar.sim.woocommerce.config import WooSimConfig
from sidecar.sim.woocommerce.site import Site


def _setting(
    site: Site,
    group: str,
    setting_id: str,
    label: str,
    value: str,
    default: str,
    kind: str = "text",
    options: dict[str, str] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": setting_id,
        "label": label,
        "description": "",
        "type": kind,
        "default": default,
        "tip": "",
        "value": value,
    }
    if options is not None:
        body["options"] = options
    body["group_id"] = group
    body["_links"] = site.links(f"settings/{group}/{setting_id}", f"settings/{group}")
    return body


def setting_groups(config: WooSimConfig, site: Site) -> dict[str, list[dict[str, Any]]]:
    yes_no = "yes" if config.prices_include_tax else "no"
    general = [
        ("woocommerce_store_address", "Address line 1", "Storgatan 1", ""),
        ("woocommerce_store_city", "City", "Uppsala", ""),
        ("woocommerce_default_country", "Country / State", "SE", "US:CA"),
        ("woocommerce_store_postcode", "Postcode / ZIP", "75320", ""),
        ("woocommerce_currency", "Currency", config.currency, "USD"),
        ("woocommerce_currency_pos", "Currency position", "right_space", "left"),
        ("woocommerce_price_thousand_sep", "Thousand separator", " ", ","),
        ("woocommerce_price_decimal_sep", "Decimal separator", ",", "."),
        ("woocommerce_price_num_decimals", "Number of decimals", "2", "2"),
        ("woocommerce_calc_taxes", "Enable taxes", "yes", "no"),
        ("woocommerce_enable_coupons", "Enable coupons", "yes", "yes"),
    ]
    tax = [
        ("woocommerce_prices_include_tax", "Prices entered with tax", yes_no, "no"),
        ("woocommerce_tax_based_on", "Calculate tax based on", "shipping", "shipping"),
        ("woocommerce_shipping_tax_class", "Shipping tax class", "inherit", "inherit"),
        ("woocommerce_tax_round_at_subtotal", "Rounding", "no", "no"),
        ("woocommerce_tax_display_shop", "Display prices in the shop", "incl", "excl"),
        ("woocommerce_tax_display_cart", "Display prices during cart and checkout", "incl", "excl"),
    ]
    products = [
        ("woocommerce_weight_unit", "Weight unit", config.weight_unit, "kg"),
        ("woocommerce_dimension_unit", "Dimensions unit", "cm", "cm"),
        ("woocommerce_manage_stock", "Manage stock", "yes", "yes"),
        ("woocommerce_notify_no_stock_amount", "Out of stock threshold", "0", "0"),
    ]
    return {
        group: [_setting(site, group, *row) for row in rows]
        for group, rows in (("general", general), ("tax", tax), ("products", products))
    }
