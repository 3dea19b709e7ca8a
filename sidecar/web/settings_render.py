"""Everything the settings page shows, gathered in one place so every form's view (and its
errors) renders the same page: stored values, the lists from Fortnox and WooCommerce, the
connection states and the shipping preview."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask import g
from flask import render_template
from flask import session
from flask.typing import ResponseReturnValue

from sidecar import settings
from sidecar.config import Config
from sidecar.fortnox_access.connect import redirect_uri
from sidecar.sync.orders.accounts import default_account
from sidecar.sync.orders.shipping_patterns import PatternMatch
from sidecar.sync.orders.shipping_patterns import first_match
from sidecar.web import choices
from sidecar.web import settings_form
from sidecar.web import settings_sections
from sidecar.web import sync_fields
from sidecar.web import sync_form
from sidecar.web.settings_checks import fortnox_checks
from sidecar.web.shop_connection import WooForm

REVEAL_FLAG = "reveal_webhook_secret"  # session flag: show the new secret on the next page
WOO_TEST_KEY = "woo_test_result"  # session: the last "Test connection" answer, shown once


@dataclass(frozen=True)
class ShippingPreview:
    name: str
    way_of_delivery: PatternMatch | None
    terms_of_delivery: PatternMatch | None


def config() -> Config:
    return current_app.extensions["sidecar.config"]  # type: ignore[no-any-return]


def shipping_preview(name: str, values: Mapping[str, Any]) -> ShippingPreview | None:
    """Which rule a shipping method called ``name`` meets, with the rules as stored."""
    name = name.strip()[:200]
    if not name:
        return None
    return ShippingPreview(
        name,
        first_match([tuple(r) for r in values["export.way_of_delivery_rules"]], [name]),
        first_match([tuple(r) for r in values["export.terms_of_delivery_rules"]], [name]),
    )


def render_settings(status: int = 200, *, values: Mapping[str, Any] | None = None,
                    errors: Mapping[str, str] | None = None, woo: WooForm | None = None,
                    woo_errors: Mapping[str, str] | None = None, part: str = "",
                    preview_name: str = "", fortnox_error: str = "",
                    section: str = settings_sections.CONNECTIONS) -> ResponseReturnValue:
    """One section's page; ``values``/``errors`` are a refused form's, shown instead of the
    stored ones."""
    shown_section = settings_sections.BY_SLUG[section]
    shop = g.signed_in.shop
    stored = settings.load(shop)
    shown = {**stored, **(values or {})}
    revealed = shop.webhook_secret if session.pop(REVEAL_FLAG, False) else None
    fortnox_lists = choices.fortnox_lists(shop, config())
    names = {c.value: c.label.partition(" ")[2] for c in fortnox_lists.accounts}
    return render_template(
        "settings/page.html",
        section=shown_section, setting_sections=settings_sections.SECTIONS,
        sync_parts=settings_sections.sync_parts(shown_section),
        shop=shop,
        sections=settings_form.sections(shown, errors),
        woo_url=woo.store_url if woo else shop.woo_url,
        woo_errors=woo_errors or {},
        woo_test=session.pop(WOO_TEST_KEY, None),
        woo_lists=choices.woo_lists(shop),
        revealed_secret=revealed,
        fortnox_lists=fortnox_lists,
        fortnox_configured=bool(config().fortnox_client_id and config().fortnox_client_secret),
        fortnox_callback_url=redirect_uri(config()),
        fortnox_error=fortnox_error,
        parts=sync_fields.PARTS,
        sync_values=sync_form.present(shown),
        sync_errors=errors or {},
        refused_part=part,
        markets=sync_fields.MARKETS, kinds=sync_fields.KINDS, rates=sync_fields.RATES,
        bas_default=default_account,
        checked=fortnox_checks(shop, names),
        preview=shipping_preview(preview_name, stored),
    ), status
