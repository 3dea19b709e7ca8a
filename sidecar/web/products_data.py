"""The products page's data: the report from the sync (sidecar.sync.catalog.products_report), the
filters, and errors in the owner's words. Nothing here decides what differs."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from sidecar import settings
from sidecar.config import Config
from sidecar.fields import utcnow
from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxError
from sidecar.fortnox_access import fortnox_client_for
from sidecar.models import Shop
from sidecar.sync.catalog import ProductSettings
from sidecar.sync.catalog import products_report
from sidecar.sync.catalog.products_report import ProductsReport
from sidecar.sync.catalog.products_report import ReportRow
from sidecar.web.woo_check import describe
from sidecar.woo_access import woo_client_for
from sidecar.woocommerce import WooClient
from sidecar.woocommerce.errors import WooError

FILTERS: dict[str, LazyString] = {
    "all": _l("All"),
    "both": _l("In both"),
    "only_fortnox": _l("Only in Fortnox"),
    "only_woo": _l("Only in WooCommerce"),
    "differs": _l("Differ"),
}
FIELDS: dict[str, LazyString] = {
    "name": _l("name"),
    "price": _l("price"),
    "regular_price": _l("price"),
    "weight": _l("weight"),
    "tax_class": _l("tax class"),
    "stock": _l("stock"),
    "stock_quantity": _l("stock"),
}


# Why WooCommerce won't take a synced field, by field (see product_patch.not_taken).
NOT_TAKEN: dict[str, LazyString] = {
    "name": _l("WooCommerce names a variation after its attributes (such as “M, Svart”) and "
               "ignores a name sent for it, so the Fortnox description is not written to "
               "variations."),
    "regular_price": _l("A variable product has no price of its own in WooCommerce: the "
                        "prices are on its variations."),
}


def not_taken_reasons(rows: list[ReportRow]) -> list[tuple[str, LazyString]]:
    """The explanations the shown rows need, once each."""
    fields = sorted({field for row in rows for field in row.not_taken})
    return [(field, NOT_TAKEN[field]) for field in fields if field in NOT_TAKEN]


def field_name(field: str) -> str:
    return str(FIELDS.get(field, field))


def clients(shop: Shop, config: Config) -> tuple[FortnoxClient, WooClient, ProductSettings]:
    if shop.fortnox_state != "connected":
        raise FortnoxError(_("Fortnox is not connected."))
    return (fortnox_client_for(shop, config), woo_client_for(shop),
            ProductSettings.from_values(settings.load(shop)))


def report(shop: Shop, config: Config) -> tuple[ProductsReport | None, str]:
    """The report, or why there is none, in words."""
    try:
        fortnox, woo, product_settings = clients(shop, config)
        return products_report(shop, fortnox=fortnox, woo=woo, settings=product_settings,
                               now=utcnow()), ""
    except (FortnoxError, WooError) as exc:
        return None, explain(exc)


def explain(error: FortnoxError | WooError) -> str:
    if isinstance(error, WooError):
        return describe(error)
    if error.args and error.args[0] == _("Fortnox is not connected."):
        return _("Connect Fortnox on the settings page to compare products.")
    return _("Fortnox answered with an error: %(error)s", error=str(error))


def filtered(found: ProductsReport | None, shown: str) -> list[ReportRow]:
    if found is None:
        return []
    if shown == "all":
        return list(found.rows)
    if shown == "differs":
        return [row for row in found.rows if row.differs]
    return [row for row in found.rows if row.where == shown]
