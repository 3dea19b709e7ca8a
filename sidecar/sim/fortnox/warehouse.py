"""Fortnox Lager in memory: stock points, locations, balances and reservations (reference §6).

Balances are kept per (article, stock point, location); an article's `QuantityInStock` is the
sum over them (whether real Fortnox sums exactly so is not documented). Documents own the
stock they moved (see `documents`), so a change or cancel moves only the difference.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sidecar.sim.fortnox.errors import WarehouseApiError

ZERO = Decimal("0")


class Warehouse:
    def __init__(self, on_change: Callable[[str], None] | None = None) -> None:
        # Told the article number whenever a balance or reservation moves (the change feed).
        self.on_change = on_change
        self.stock_points: dict[str, dict[str, Any]] = {}
        self.balances: dict[tuple[str, str, str], Decimal] = defaultdict(lambda: ZERO)
        self.reserved: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        # The keys per article, so an article's stock is found without scanning every balance
        # (listing a catalog of thousands of articles asks for each one's stock).
        self._balance_keys: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
        self._reserved_keys: dict[str, set[tuple[str, str]]] = defaultdict(set)

    # Stock points -------------------------------------------------------------------------

    def add_stock_point(self, body: dict[str, Any]) -> dict[str, Any]:
        code = str(body.get("code") or "").strip()
        if not code or not body.get("name"):
            raise WarehouseApiError(400, "invalid_request", "code and name are required")
        if len(code) > 10 or len(str(body["name"])) > 25:
            raise WarehouseApiError(400, "invalid_request", "code max 10, name max 25 characters")
        if self.find_stock_point(code) is not None:
            raise WarehouseApiError(400, "duplicate_code", f"Stock point {code} already exists")
        point_id = str(uuid.uuid4())
        locations = [
            {
                "id": str(uuid.uuid4()),
                "code": str(loc["code"]),
                "name": str(loc.get("name") or loc["code"]),
                "stockPointId": point_id,
            }
            for loc in body.get("stockLocations") or []
        ]
        point = {
            "id": point_id,
            "code": code,
            "name": str(body["name"]),
            "active": bool(body.get("active", True)),
            "usingCompanyAddress": bool(body.get("usingCompanyAddress", True)),
            "deliveryName": body.get("deliveryName"),
            "deliveryAddress": body.get("deliveryAddress"),
            "deliveryZipCode": body.get("deliveryZipCode"),
            "deliveryCity": body.get("deliveryCity"),
            "deliveryCountryCode": body.get("deliveryCountryCode"),
            "deliveryPhone": body.get("deliveryPhone"),
            "stockLocations": locations,
        }
        self.stock_points[code] = point
        return point

    def update_stock_point(self, id_or_code: str, body: dict[str, Any]) -> dict[str, Any]:
        point = self.stock_point(id_or_code)
        for key in ("name", "active", "usingCompanyAddress", "deliveryName", "deliveryAddress",
                    "deliveryZipCode", "deliveryCity", "deliveryCountryCode", "deliveryPhone"):
            if key in body:
                point[key] = body[key]
        return point

    def find_stock_point(self, id_or_code: str) -> dict[str, Any] | None:
        if id_or_code in self.stock_points:
            return self.stock_points[id_or_code]
        for point in self.stock_points.values():
            if point["id"] == id_or_code:
                return point
        return None

    def stock_point(self, id_or_code: str) -> dict[str, Any]:
        point = self.find_stock_point(id_or_code)
        if point is None:
            raise WarehouseApiError(404, "not_found", f"Stock point {id_or_code} not found")
        return point

    def list_stock_points(self, query: str = "", state: str = "ACTIVE") -> list[dict[str, Any]]:
        state = (state or "ACTIVE").upper()
        points = []
        for point in self.stock_points.values():
            if state == "ACTIVE" and not point["active"]:
                continue
            if state == "INACTIVE" and point["active"]:
                continue
            text = f"{point['code']} {point['name']}".lower()
            if query and query.lower() not in text:
                continue
            points.append({k: v for k, v in point.items() if k != "stockLocations"})
        return points

    def location_codes(self, stock_point_code: str) -> set[str]:
        point = self.stock_points.get(stock_point_code)
        return {loc["code"] for loc in point["stockLocations"]} if point else set()

    # Balances ------------------------------------------------------------------------------

    def in_stock(self, item_id: str, stock_point_code: str | None = None) -> Decimal:
        return sum(
            (self.balances[key] for key in self._balance_keys.get(item_id, ())
             if stock_point_code is None or key[1] == stock_point_code),
            ZERO,
        )

    def reserved_quantity(self, item_id: str, stock_point_code: str | None = None) -> Decimal:
        return sum(
            (self.reserved[key] for key in self._reserved_keys.get(item_id, ())
             if stock_point_code is None or key[1] == stock_point_code),
            ZERO,
        )

    def move(self, item_id: str, stock_point_code: str, location: str, delta: Decimal) -> None:
        self.balances[(item_id, stock_point_code, location)] += delta
        self._balance_keys[item_id].add((item_id, stock_point_code, location))
        self._changed(item_id)

    def reserve(self, item_id: str, stock_point_code: str, delta: Decimal) -> None:
        self.reserved[(item_id, stock_point_code)] += delta
        self._reserved_keys[item_id].add((item_id, stock_point_code))
        self._changed(item_id)

    def set_balance(self, item_id: str, stock_point_code: str, location: str, qty: Decimal) -> None:
        self.balances[(item_id, stock_point_code, location)] = qty
        self._balance_keys[item_id].add((item_id, stock_point_code, location))
        self._changed(item_id)

    def _changed(self, item_id: str) -> None:
        if self.on_change is not None:
            self.on_change(item_id)

    def stock_balance(self, item_ids: list[str], point_codes: list[str]) -> list[dict[str, Any]]:
        """`GET /api/warehouse/status-v1/stockbalance`: one entry per item and stock point."""
        keys = sorted({(item, point) for (item, point, _) in self.balances}
                      | set(self.reserved))
        answer = []
        for item, point in keys:
            if (item_ids and item not in item_ids) or (point_codes and point not in point_codes):
                continue
            in_stock = self.in_stock(item, point)
            answer.append({
                "itemId": item,
                "stockPointCode": point,
                "inStock": in_stock,
                "availableStock": in_stock - self.reserved_quantity(item, point),
            })
        return answer

    def item_summary(self, item_id: str, query: str = "") -> list[dict[str, Any]]:
        """The undocumented per-stock-point summary WooCommerce Fortnox Hub reads."""
        return [
            {
                "stockPointId": point["id"],
                "stockPointCode": point["code"],
                "stockPointName": point["name"],
                "availableQuantity": self.in_stock(item_id, point["code"])
                - self.reserved_quantity(item_id, point["code"]),
                "inStockQuantity": self.in_stock(item_id, point["code"]),
            }
            for point in self.stock_points.values()
            if not query or query.lower() in point["code"].lower()
        ]
