"""Orders: read them (one, or every change since a moment), set status, meta and notes."""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sidecar.woocommerce.base import WooBase
from sidecar.woocommerce.types import format_wc_datetime


class Orders(WooBase):
    """Order operations of `WooClient`."""

    def get_order(self, order_id: int) -> dict[str, Any]:
        return self._get(f"orders/{int(order_id)}")

    def iter_order_pages(
        self,
        *,
        modified_after: datetime | None = None,
        status: str | Sequence[str] | None = None,
        orderby: str = "modified",
        order: str = "asc",
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> Iterator[list[dict[str, Any]]]:
        """Orders page by page, oldest change first: a caller can advance a cursor per page.

        `modified_after` and `created_after`/`created_before` (WooCommerce's `after`/`before`
        on the creation date, both exclusive) are aware datetimes, sent as UTC with
        `dates_are_gmt=true`. `status` filters (e.g. ["processing", "completed"]);
        WooCommerce's default is any. `orderby=modified` needs a current WooCommerce; older
        ones answer 400 (use "date").
        """
        params: dict[str, Any] = {"orderby": orderby, "order": order}
        for name, moment in (("modified_after", modified_after), ("after", created_after),
                             ("before", created_before)):
            if moment is not None:
                params[name] = format_wc_datetime(moment)
                params["dates_are_gmt"] = "true"
        if status:
            params["status"] = status if isinstance(status, str) else ",".join(status)
        return self._pages("orders", params)

    def iter_orders(
        self,
        *,
        modified_after: datetime | None = None,
        status: str | Sequence[str] | None = None,
        orderby: str = "modified",
        order: str = "asc",
    ) -> Iterator[dict[str, Any]]:
        """Every order matching the filters of `iter_order_pages`."""
        for page in self.iter_order_pages(
            modified_after=modified_after, status=status, orderby=orderby, order=order
        ):
            yield from page

    def list_order_refunds(self, order_id: int) -> list[dict[str, Any]]:
        """Every refund of the order with its lines and taxes (newest first, as WooCommerce
        lists them); the order itself names only their ids and totals."""
        return [refund for page in self._pages(f"orders/{int(order_id)}/refunds", {})
                for refund in page]

    def update_order_status(self, order_id: int, status: str) -> dict[str, Any]:
        """Runs WooCommerce's normal transition: note, customer e-mail, stock, webhook."""
        return self._put(f"orders/{int(order_id)}", {"status": status})

    def update_order_meta(self, order_id: int, meta: Mapping[str, str]) -> dict[str, Any]:
        """Set meta keys (e.g. fortnox_invoice_number); WooCommerce updates existing keys."""
        entries = [{"key": key, "value": str(value)} for key, value in meta.items()]
        return self._put(f"orders/{int(order_id)}", {"meta_data": entries})

    def add_order_note(
        self, order_id: int, note: str, *, customer_note: bool = False
    ) -> dict[str, Any]:
        """A private note unless `customer_note`, which also e-mails the customer."""
        body = {"note": note, "customer_note": customer_note}
        return self._post(f"orders/{int(order_id)}/notes", body)
