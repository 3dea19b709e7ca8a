"""The WooCommerce connection's two buttons: test it, and repair our webhooks.

Both call the client and the sync's own webhook check, then record the answer on the shop
(``woo_state``), which the alarm banner reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _

from sidecar.fields import utcnow
from sidecar.models import Shop
from sidecar.sync.reconcile import check_webhooks
from sidecar.web import choices
from sidecar.woo_access import WooNotConfigured
from sidecar.woo_access import woo_client_for
from sidecar.woocommerce.errors import WooAuthError
from sidecar.woocommerce.errors import WooError
from sidecar.woocommerce.errors import WooNotFound
from sidecar.woocommerce.errors import WooTransient

CONNECTED = "connected"
WEBHOOKS_DISABLED = "webhooks_disabled"
UNREACHABLE = "unreachable"


@dataclass(frozen=True)
class WooAnswer:
    ok: bool
    message: str
    currency: str = ""
    prices_include_tax: bool | None = None
    weight_unit: str = ""


def test_connection(shop: Shop) -> WooAnswer:
    try:
        found = woo_client_for(shop).shop_settings()
    except WooError as exc:
        _set_state(shop, UNREACHABLE)
        return WooAnswer(False, describe(exc))
    _set_state(shop, _webhook_state(shop))
    return WooAnswer(True, _("WooCommerce answered."), found.currency,
                      found.prices_include_tax, found.weight_unit)


def repair_webhooks(shop: Shop) -> tuple[bool, str]:
    """Re-activate our paused or disabled webhooks (the sweep job does the same)."""
    try:
        counts = check_webhooks(shop, woo=woo_client_for(shop), now=utcnow())
    except WooError as exc:
        return False, describe(exc)
    choices.forget(shop)
    if counts.get("webhooks_missing"):
        return False, _("The shop has no webhooks for the sidecar. Save the connection in the "
                        "WordPress plugin (WooCommerce → Fortnox sidecar) to create them.")
    if counts.get("webhooks_unchecked"):
        return False, _("WooCommerce did not list its webhooks; try again in a moment.")
    state = _webhook_state(shop)
    _set_state(shop, state)
    if state != CONNECTED:
        return False, _("Some webhooks could not be turned on again; see the dashboard.")
    return True, _("%(num)d webhooks turned on again; all are active.",
                   num=counts.get("webhooks_reactivated", 0))


def _webhook_state(shop: Shop) -> str:
    choices.forget(shop)
    found = choices.woo_lists(shop)
    if found.available and any(not w.is_active for w in found.webhooks):
        return WEBHOOKS_DISABLED
    return CONNECTED


def _set_state(shop: Shop, state: str) -> None:
    if shop.woo_state != state:
        Shop.update(woo_state=state, updated_at=utcnow()).where(Shop.id == shop.id).execute()
        shop.woo_state = state


def describe(error: WooError) -> str:
    """A WooCommerce error as the owner can act on it."""
    if isinstance(error, WooNotConfigured):
        return _("Enter the shop address and both REST API keys first.")
    if isinstance(error, WooAuthError):
        return _("WooCommerce refused the keys. Check that the consumer key and secret are "
                 "right and have read and write access.")
    if isinstance(error, WooNotFound):
        return _("No WooCommerce REST API at that address. Check the shop address, and that "
                 "pretty permalinks are on in WordPress.")
    if isinstance(error, WooTransient):
        return _("The shop did not answer (%(error)s). Try again in a moment.",
                 error=summary(error))
    return _("WooCommerce answered with an error: %(error)s", error=summary(error))


_CODE = re.compile(r"[a-z0-9_.-]{1,64}")


def summary(error: WooError) -> str:
    """The error's kind, HTTP status and WooCommerce code: never the other host's own text,
    which would make this page a window onto any host the address names."""
    parts = [type(error).__name__]
    if error.status is not None:
        parts.append(f"HTTP {error.status}")
    if error.code and _CODE.fullmatch(error.code):
        parts.append(error.code)
    return ", ".join(parts)
