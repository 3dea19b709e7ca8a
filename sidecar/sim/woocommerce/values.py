"""Numbers in request bodies, checked the way the REST API checks them."""

from __future__ import annotations

from decimal import Decimal
from decimal import InvalidOperation
from typing import Any

from sidecar.sim.woocommerce.errors import WooError


def to_decimal(value: Any, param: str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise WooError(
            "rest_invalid_param",
            f"Invalid parameter(s): {param}",
            400,
            params={param: f"{value!r} is not a number."},
        ) from exc
