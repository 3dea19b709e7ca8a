"""The lists the settings page offers as choices, read from Fortnox and WooCommerce themselves.

Read when the page is shown and kept for a short while per shop, so saving a form and the page
after it cost no extra requests. When Fortnox is not connected (or does not answer) the page
falls back to free text and says why; nothing here raises.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from typing import TypeVar

from sidecar.config import Config
from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxError
from sidecar.fortnox_access import fortnox_client_for
from sidecar.models import Shop
from sidecar.woo_access import woo_client_for
from sidecar.woocommerce.errors import WooError

log = logging.getLogger(__name__)

CACHE_SECONDS = 120.0


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FortnoxLists:
    """Fortnox's registers; `available` False means free text, with `reason` shown."""

    available: bool
    reason: str = ""
    accounts: tuple[Choice, ...] = ()
    ways_of_delivery: tuple[Choice, ...] = ()
    terms_of_delivery: tuple[Choice, ...] = ()
    terms_of_payment: tuple[Choice, ...] = ()
    modes_of_payment: tuple[Choice, ...] = ()
    price_lists: tuple[Choice, ...] = ()
    stock_points: tuple[Choice, ...] = ()


@dataclass(frozen=True)
class WooLists:
    available: bool
    reason: str = ""
    tax_classes: tuple[Choice, ...] = ()
    webhooks: tuple[Any, ...] = ()  # woocommerce.types.Webhook, ours only
    # The shop's checkout: payment gateways (id: title) and shipping methods (title: zone).
    payment_methods: tuple[Choice, ...] = ()
    shipping_methods: tuple[Choice, ...] = ()


T = TypeVar("T")
_cache: dict[tuple[str, int], tuple[float, Any]] = {}
_lock = threading.Lock()


def _cached(kind: str, shop: Shop, build: Callable[[], T]) -> T:
    key = (kind, int(shop.id))
    now = time.monotonic()
    with _lock:
        hit = _cache.get(key)
        if hit is not None and now - hit[0] < CACHE_SECONDS:
            return hit[1]  # type: ignore[no-any-return]
    value = build()
    with _lock:
        _cache[key] = (now, value)
    return value


def forget(shop: Shop) -> None:
    """Drop the shop's cached lists (after connecting, repairing, or on the owner's request)."""
    with _lock:
        for key in [k for k in _cache if k[1] == shop.id]:
            del _cache[key]


def fortnox_lists(shop: Shop, config: Config) -> FortnoxLists:
    if shop.fortnox_state != "connected":
        return FortnoxLists(False, "not_connected")
    return _cached("fortnox", shop, lambda: _read_fortnox(fortnox_client_for(shop, config)))


def _read_fortnox(client: FortnoxClient) -> FortnoxLists:
    try:
        return FortnoxLists(
            True,
            # The whole chart: an override or a special account (gift cards on 2421, say)
            # may be any account the company has.
            accounts=tuple(Choice(str(a.number), f"{a.number} {a.description}")
                           for a in sorted(client.iter_accounts(), key=lambda a: a.number)
                           if a.number > 0 and a.active),
            ways_of_delivery=_codes(client.list_ways_of_delivery()),
            terms_of_delivery=_codes(client.list_terms_of_delivery()),
            terms_of_payment=_codes(client.list_terms_of_payment()),
            modes_of_payment=_codes(client.list_modes_of_payment()),
            price_lists=_codes(client.list_price_lists()),
            stock_points=_stock_points(client),
        )
    except FortnoxError as exc:
        log.warning("settings.fortnox_lists_failed error=%s", exc)
        return FortnoxLists(False, "unreachable")


def _stock_points(client: FortnoxClient) -> tuple[Choice, ...]:
    try:
        points = client.list_stock_points()
    except FortnoxError:
        return ()  # no Fortnox Lager: there are no stock points to choose from
    return tuple(Choice(str(p.get("code")), f"{p.get('code')} – {p.get('name') or ''}".strip(" –"))
                 for p in points if p.get("code"))


def _codes(rows: list[dict[str, Any]]) -> tuple[Choice, ...]:
    return tuple(Choice(str(r["Code"]), f"{r['Code']} – {r.get('Description') or ''}".strip(" –"))
                 for r in rows if r.get("Code"))


def woo_lists(shop: Shop) -> WooLists:
    if not (shop.woo_url and shop.woo_consumer_key and shop.woo_consumer_secret):
        return WooLists(False, "not_configured")
    return _cached("woo", shop, lambda: _read_woo(shop))


OUR_NAME_PREFIX = "Fortnox sidecar:"


def _read_woo(shop: Shop) -> WooLists:
    try:
        client = woo_client_for(shop)
        classes = tuple(Choice("" if c.slug == "standard" else c.slug, c.name)
                        for c in client.tax_classes())
        ours = tuple(w for w in client.list_webhooks() if w.name.startswith(OUR_NAME_PREFIX))
    except WooError as exc:
        log.warning("settings.woo_lists_failed error=%s", exc)
        return WooLists(False, str(exc))
    payments, shipping = _checkout_methods(client)
    return WooLists(True, tax_classes=classes, webhooks=ours, payment_methods=payments,
                    shipping_methods=shipping)


def _checkout_methods(client: Any) -> tuple[tuple[Choice, ...], tuple[Choice, ...]]:
    """The shop's payment and shipping methods to pick from; a shop (or a key) that does not
    list them leaves the fields free text, as before."""
    try:
        payments = tuple(Choice(m.id, f"{m.id} – {m.title}") for m in client.payment_gateways())
        shipping = tuple(dict.fromkeys(
            Choice(m.title, f"{m.title} ({m.zone}, {m.id})") for m in client.shipping_methods()))
    except WooError as exc:
        log.info("settings.woo_checkout_methods_unread error=%s", exc)
        return (), ()
    return payments, shipping
