"""What every part of the simulated shop shares: config, lock, clock, the id sequences, meta
data, and the events a webhook may listen to.

The shop's state is one object, `WooStore` (in `store`), composed of a class per resource
family (`products`, `orders`, `checkout`, `refunds`, `webhooks`); this is their common base.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sidecar.sim.woocommerce.config import WooSimConfig
from sidecar.sim.woocommerce.site import Site


class StoreBase:
    """The shop's clock, site, event listeners and id sequences; `WooStore` sets them up."""

    config: WooSimConfig
    lock: threading.RLock
    listeners: list[Callable[[str, str, int], None]]
    clock_offset: timedelta
    frozen_at: datetime | None
    detected_url: str | None
    _next_post_id: int
    _next_item_id: int
    _next_meta_id: int
    _next_item_meta_id: int

    def now(self) -> datetime:
        """The shop's clock (UTC, whole seconds as WordPress stores them): real time moved by
        `clock_offset`, or `frozen_at` (plus the offset) while it is frozen."""
        base = self.frozen_at if self.frozen_at is not None else datetime.now(UTC)
        return (base + self.clock_offset).replace(microsecond=0)

    @property
    def site(self) -> Site:
        url = (self.config.site_url or self.detected_url or "http://127.0.0.1").rstrip("/")
        return Site(
            url, ZoneInfo(self.config.timezone), self.config.currency, self.config.wc_version
        )

    def emit(self, resource: str, event: str, resource_id: int) -> None:
        for listener in self.listeners:
            listener(resource, event, resource_id)

    def _post_id(self) -> int:
        self._next_post_id += 1
        return self._next_post_id - 1

    def _item_id(self) -> int:
        self._next_item_id += 1
        return self._next_item_id - 1

    def _meta(self, key: str, value: Any, display: bool = False) -> dict[str, Any]:
        self._next_meta_id += 1
        meta: dict[str, Any] = {"id": self._next_meta_id - 1, "key": key, "value": value}
        if display:
            meta.update(display_key=key, display_value=value)
        return meta

    def _item_meta(self, key: str, value: Any) -> dict[str, Any]:
        """Meta of an order item (line, shipping, refund line): its own id sequence, as
        WooCommerce keeps order item meta in a table of its own."""
        self._next_item_meta_id += 1
        return {"id": self._next_item_meta_id - 1, "key": key, "value": value,
                "display_key": key, "display_value": value}

    def _merge_meta(self, meta: list[dict[str, Any]], updates: list[dict[str, Any]]) -> None:
        """WooCommerce meta_data semantics: update by id or key, add new, null value deletes."""
        for update in updates:
            existing = next(
                (
                    m
                    for m in meta
                    if ("id" in update and m["id"] == update["id"])
                    or ("id" not in update and m["key"] == update.get("key"))
                ),
                None,
            )
            if update.get("value") is None and existing is not None:
                meta.remove(existing)
            elif existing is not None:
                existing["value"] = update.get("value")
            elif update.get("key"):
                meta.append(self._meta(update["key"], update.get("value")))
