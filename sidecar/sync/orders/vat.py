"""VAT type of a customer from country and VAT number, and the market an order is sold to.

Fortnox's customer `VATType` (fortnox-api.md §5.1, the rule Fortnox Hub uses in
`class-woo-fortnox-customer-handler.php`): Sweden → SEVAT; another EU country with a VAT number →
EUREVERSEDVAT (reverse charge); another EU country without → EUVAT; outside the EU → EXPORT.
`SEREVERSEDVAT` (domestic reverse charge, construction) is never chosen automatically.

The money decides over the rule: when a shop charged VAT to an EU buyer with a VAT number (no
VAT-exemption plugin ran), the order is booked as an EU sale with VAT, with a warning, because the
customer paid that VAT and the invoice must show it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sidecar.messages import Message
from sidecar.messages import msg

# EU member states since 2020-02-01 (the United Kingdom left), ISO 3166-1 alpha-2 as WooCommerce
# stores them (Greece is GR there, EL only in VAT numbers).
EU_COUNTRIES = frozenset(
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()
)
# Parts of EU states outside the EU VAT area that WooCommerce files under the state's code, as
# (country, state): the Canary Islands (GC, TF), Ceuta (CE) and Melilla (ML). Åland (AX) and the
# French overseas departments have their own ISO codes and are outside EU_COUNTRIES already.
OUTSIDE_VAT_AREA = frozenset({("ES", "GC"), ("ES", "TF"), ("ES", "CE"), ("ES", "ML")})

SEVAT = "SEVAT"
EUREVERSEDVAT = "EUREVERSEDVAT"
EUVAT = "EUVAT"
EXPORT = "EXPORT"

# Markets for the account table: one per VAT type the export can produce.
MARKET_BY_VAT_TYPE = {SEVAT: "se", EUVAT: "eu", EUREVERSEDVAT: "eu_reverse", EXPORT: "export"}
MARKETS = ("se", "eu", "eu_reverse", "export")
SWEDISH_RATES = frozenset({25, 12, 6, 0})


@dataclass(frozen=True)
class VatDecision:
    vat_type: str
    reason: str
    warning: Message | None = None

    @property
    def market(self) -> str:
        return MARKET_BY_VAT_TYPE[self.vat_type]


def in_eu_vat_area(country: str, state: str = "") -> bool:
    country = country.upper()
    return country in EU_COUNTRIES and (country, state.upper()) not in OUTSIDE_VAT_AREA


def normalise_vat_number(value: str) -> str:
    """Upper case without spaces, dots or dashes ("se 5560-0000 0101" → "SE556000000101")."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def vat_type(country: str, vat_number: str = "", state: str = "") -> VatDecision:
    """Fortnox's VAT type for a customer in `country` (ISO-2), by the rule in the docstring."""
    country = (country or "SE").upper()  # WooCommerce leaves it empty only for local shops
    if country == "SE":
        return VatDecision(SEVAT, "customer in Sweden")
    if not in_eu_vat_area(country, state):
        return VatDecision(EXPORT, f"customer outside the EU VAT area ({country})")
    if normalise_vat_number(vat_number):
        return VatDecision(EUREVERSEDVAT, f"EU business customer ({country}) with a VAT number")
    return VatDecision(EUVAT, f"EU consumer ({country}) without a VAT number")


def vat_type_for_order(country: str, vat_number: str, state: str, *, charged_vat: bool
                       ) -> VatDecision:
    """`vat_type`, corrected by what the order actually charged (see the module docstring)."""
    decision = vat_type(country, vat_number, state)
    if decision.vat_type == EUREVERSEDVAT and charged_vat:
        return VatDecision(
            EUVAT, decision.reason + ", but the order charged VAT",
            warning=msg("vat.charged_despite_vat_number"),
        )
    if decision.vat_type == EXPORT and charged_vat:
        return VatDecision(
            SEVAT, decision.reason + ", but the order charged Swedish VAT",
            warning=msg("vat.charged_outside_eu"),
        )
    return decision
