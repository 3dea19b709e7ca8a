"""What the REST representations need to know about the shop: its URL, time zone, currency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from sidecar.sim.woocommerce.format import wp_dates

CURRENCY_SYMBOLS = {"SEK": "kr", "NOK": "kr", "DKK": "kr.", "EUR": "€", "USD": "$", "GBP": "£"}


@dataclass(frozen=True)
class Site:
    """What the representations need to know about the shop."""

    url: str  # home URL without trailing slash
    tz: tzinfo
    currency: str
    wc_version: str

    def api(self, route: str) -> str:
        return f"{self.url}/wp-json/wc/v3/{route}"

    def links(self, route: str, collection: str, **extra: str) -> dict[str, Any]:
        links: dict[str, Any] = {
            "self": [{"href": self.api(route)}],
            "collection": [{"href": self.api(collection)}],
        }
        for name, target in extra.items():
            links[name] = [{"href": self.api(target)}]
        return links


def date_fields(prefix: str, moment: Any, site: Site) -> dict[str, Any]:
    """A date field and its `_gmt` twin, e.g. `date_created` and `date_created_gmt`."""
    local, gmt = wp_dates(moment, site.tz)
    return {prefix: local, f"{prefix}_gmt": gmt}
