"""Shop-wide things: the settings that change how amounts are read, and our webhooks.

WooCommerce disables a webhook after repeated failed deliveries and tells nobody, so the
sidecar lists its webhooks to notice, and re-activates or recreates them.
"""

from __future__ import annotations

from typing import Any

from sidecar.woocommerce.base import WooBase
from sidecar.woocommerce.types import ShopSettings
from sidecar.woocommerce.types import Webhook
from sidecar.woocommerce.types import shop_settings_from_groups

WEBHOOK_API_VERSION = "wp_api_v3"


class Shop(WooBase):
    """Settings and webhook operations of `WooClient`."""

    def shop_settings(self) -> ShopSettings:
        """Currency, whether catalog prices include VAT, and the weight unit."""
        return shop_settings_from_groups(
            general=self._get_list("settings/general"),
            tax=self._get_list("settings/tax"),
            products=self._get_list("settings/products"),
        )

    def list_webhooks(self, *, status: str = "all") -> list[Webhook]:
        """Webhooks by status: all, active, paused or disabled."""
        return [
            Webhook.from_json(item)
            for page in self._pages("webhooks", {"status": status})
            for item in page
        ]

    def create_webhook(
        self,
        *,
        name: str,
        topic: str,
        delivery_url: str,
        secret: str,
        status: str = "active",
    ) -> Webhook:
        """Create a webhook signed with our own `secret` (WooCommerce never returns it).

        WooCommerce creates every webhook active, whatever `status` says, so any other
        status is set by a second request.
        """
        if not secret:
            raise ValueError("send our own secret: WooCommerce's generated one can't be read")
        body = {
            "name": name,
            "topic": topic,
            "delivery_url": delivery_url,
            "secret": secret,
            # The v3 route stores wp_api_v3 anyway; sent so the intent is on the wire.
            "api_version": WEBHOOK_API_VERSION,
        }
        webhook = Webhook.from_json(self._post("webhooks", body))
        if status != "active" and webhook.status != status:
            webhook = self.update_webhook(webhook.id, status=status)
        return webhook

    def update_webhook(
        self,
        webhook_id: int,
        *,
        status: str | None = None,
        topic: str | None = None,
        delivery_url: str | None = None,
        secret: str | None = None,
        name: str | None = None,
    ) -> Webhook:
        """Change only the fields given; `status="active"` re-enables a disabled webhook."""
        changes: dict[str, Any] = {
            key: value
            for key, value in (
                ("status", status),
                ("topic", topic),
                ("delivery_url", delivery_url),
                ("secret", secret),
                ("name", name),
            )
            if value is not None
        }
        if not changes:
            raise ValueError("nothing to update")
        return Webhook.from_json(self._put(f"webhooks/{int(webhook_id)}", changes))
