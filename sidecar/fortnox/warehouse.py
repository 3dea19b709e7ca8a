"""Fortnox Lager (`/api/warehouse/...`): activation, stock points, stock balances."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sidecar.fortnox.errors import FortnoxError
from sidecar.fortnox.transport import FortnoxTransport
from sidecar.fortnox.transport import JsonObject
from sidecar.fortnox.wire import to_decimal

WAREHOUSE = "/api/warehouse"
# Item ids travel comma-separated in the query string; batches keep the URL well under 8 KB.
STOCK_BALANCE_BATCH = 100


@dataclass(frozen=True)
class StockBalance:
    """One article's stock at one stock point. Available = in stock - reserved."""

    item_id: str
    stock_point_code: str
    in_stock: Decimal
    available_stock: Decimal


class WarehouseOperations(FortnoxTransport):
    def warehouse_activated(self) -> bool:
        """Whether the company runs Fortnox Lager; stock then moves only through deliveries."""
        body = self._get(f"{WAREHOUSE}/tenants-v4")
        return bool(isinstance(body, dict) and body.get("activated"))

    def list_stock_points(self, *, state: str = "ACTIVE") -> list[JsonObject]:
        """Stock points {id, code, name, active, ...}; `state` is ACTIVE, INACTIVE or ALL."""
        return _as_list(self._get(f"{WAREHOUSE}/stockpoints-v1", {"state": state}))

    def get_stock_balances(
        self, item_ids: Iterable[str], *, stock_point_codes: Iterable[str] = ()
    ) -> list[StockBalance]:
        """Balances per (article, stock point) for the given article numbers."""
        ids = list(dict.fromkeys(item_ids))
        codes = ",".join(stock_point_codes)
        balances: list[StockBalance] = []
        for start in range(0, len(ids), STOCK_BALANCE_BATCH):
            params = {"itemIds": ",".join(ids[start : start + STOCK_BALANCE_BATCH])}
            if codes:
                params["stockPointCodes"] = codes
            rows = _as_list(self._get(f"{WAREHOUSE}/status-v1/stockbalance", params))
            balances.extend(_stock_balance(row) for row in rows)
        return balances


def _stock_balance(row: JsonObject) -> StockBalance:
    return StockBalance(
        item_id=str(row.get("itemId", "")),
        stock_point_code=str(row.get("stockPointCode", "")),
        in_stock=to_decimal(row.get("inStock")) or Decimal(0),
        available_stock=to_decimal(row.get("availableStock")) or Decimal(0),
    )


def _as_list(body: Any) -> list[JsonObject]:
    # The spec names a single object for these "lists"; the endpoints return JSON arrays.
    if isinstance(body, list):
        return [row for row in body if isinstance(row, dict)]
    if body == {}:  # empty answer
        return []
    raise FortnoxError("Fortnox warehouse answer is not a list", retryable=False)
