"""Fortnox Lager (`/api/warehouse/...`): activation, stock points, stock balances."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sidecar.fortnox.errors import FortnoxError
from sidecar.fortnox.schemas import STOCK_BALANCE
from sidecar.fortnox.schemas import TENANT
from sidecar.fortnox.schemas import StockBalance
from sidecar.fortnox.schemas import read
from sidecar.fortnox.transport import FortnoxTransport
from sidecar.fortnox.transport import JsonObject

WAREHOUSE = "/api/warehouse"
# Item ids travel comma-separated in the query string; batches keep the URL well under 8 KB.
STOCK_BALANCE_BATCH = 100


class WarehouseOperations(FortnoxTransport):
    def warehouse_activated(self) -> bool:
        """Whether the company runs Fortnox Lager; stock then moves only through deliveries."""
        body = self._get(f"{WAREHOUSE}/tenants-v4")
        return bool(read(TENANT, body, "Lager answer")["activated"])

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
            balances.extend(read(STOCK_BALANCE, row, "stock balance") for row in rows)
        return balances


def _as_list(body: Any) -> list[JsonObject]:
    # The spec names a single object for these "lists"; the endpoints return JSON arrays.
    if isinstance(body, list):
        return [row for row in body if isinstance(row, dict)]
    if body == {}:  # empty answer
        return []
    raise FortnoxError("Fortnox warehouse answer is not a list", retryable=False)
