"""What every page shows around its content: navigation, the alarm banner, the language switch.

Another feature adds a page by registering its blueprint in the app factory and one line here:
``NAVIGATION.append(NavItem("orders.index", _l("Orders")))``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g
from flask import request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from sidecar.models import Shop
from sidecar.shops import DEFAULT_NAME


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: LazyString


NAVIGATION: list[NavItem] = [
    NavItem("dashboard.index", _l("Dashboard")),
    NavItem("order_list.index", _l("Orders")),
    NavItem("settings.page", _l("Settings")),
    NavItem("products.index", _l("Products")),
    NavItem("reconcile.index", _l("Reconciliation")),
    NavItem("security.page", _l("Security log")),
]

# Shop states that mean sync has stopped until the owner acts (set by the connection checks).
FORTNOX_ALARM_STATES = frozenset({"needs_reconnect"})
WOO_ALARM_STATES = frozenset({"webhooks_disabled"})


@dataclass(frozen=True)
class Alarm:
    message: LazyString
    action_endpoint: str
    action_label: LazyString


def alarms(shop: Shop) -> list[Alarm]:
    found = []
    if shop.fortnox_state in FORTNOX_ALARM_STATES:
        found.append(Alarm(_l("Fortnox has disconnected the sidecar. Nothing is sent to Fortnox "
                              "until you connect again."),
                           "settings.page", _l("Connect Fortnox again")))
    if shop.woo_state in WOO_ALARM_STATES:
        found.append(Alarm(_l("WooCommerce has turned off the webhooks that tell the sidecar "
                              "about new orders. Orders are only picked up by the slower "
                              "catch-up until they are turned on again."),
                           "settings.page", _l("Check the WooCommerce connection")))
    return found


def shop_name(shop: Shop) -> str:
    """The shop's name; the name a fresh install gives it, in the reader's language."""
    return str(_l("My shop")) if shop.name == DEFAULT_NAME else str(shop.name)


def template_context() -> dict[str, Any]:
    signed_in = g.get("signed_in")
    return {
        "shop_name": shop_name(signed_in.shop) if signed_in is not None else "",
        "navigation": NAVIGATION,
        "signed_in": signed_in,
        "alarms": alarms(signed_in.shop) if signed_in is not None else [],
        "language": str(get_locale() or "en"),
        "current_path": request.full_path.rstrip("?"),
    }
