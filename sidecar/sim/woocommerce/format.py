"""How WooCommerce writes values on the wire: PHP's json_encode, money strings, WP dates.

The captured deliveries in tests/fixtures/woocommerce/ are the yardstick: compact JSON with
`\\/` escaped slashes and `\\uXXXX` for non-ASCII, money as strings with two decimals, the
unrounded line taxes as trimmed strings ("59.6", "8.464286"), and dates without an offset.
"""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime
from datetime import tzinfo
from decimal import ROUND_HALF_UP
from decimal import Decimal
from typing import Any

CENT = Decimal("0.01")
# WooCommerce stores line amounts and taxes at wc_get_rounding_precision() = 6 decimals.
STORED = Decimal("0.000001")
WP_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"


def php_json(value: Any) -> str:
    """Encode like PHP's json_encode without flags (what wp_json_encode sends)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=True)
    # A "/" can only occur inside a string literal here, so escaping every one is safe.
    return text.replace("/", "\\/")


def money(amount: Decimal) -> str:
    """A REST money field: rounded half up to two decimals, as wc_format_decimal($v, 2)."""
    return str(amount.quantize(CENT, rounding=ROUND_HALF_UP))


def stored(amount: Decimal) -> Decimal:
    """Round to the six decimals WooCommerce keeps for unrounded line values."""
    return amount.quantize(STORED, rounding=ROUND_HALF_UP)


def trimmed(amount: Decimal) -> str:
    """A stored float as PHP prints it: no trailing zeros ("59.6", "12.25", "0")."""
    text = format(stored(amount), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def php_number(amount: Decimal) -> int | float:
    """A PHP float in JSON: integral values lose the fraction (json_encode(24.0) is 24)."""
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


def wp_dates(moment: datetime | None, site_tz: tzinfo) -> tuple[str | None, str | None]:
    """(site-local, GMT) strings for a UTC moment, the pair every WC date field comes in."""
    if moment is None:
        return None, None
    return (
        moment.astimezone(site_tz).strftime(WP_DATE_FORMAT),
        moment.astimezone(UTC).strftime(WP_DATE_FORMAT),
    )
