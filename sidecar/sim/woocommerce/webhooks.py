"""Webhooks as the shop stores them: topic, delivery URL, secret, status. State only; the
delivery is in `webhook_delivery`, the routes in `webhooks_routes`.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from sidecar.sim.woocommerce.base import StoreBase
from sidecar.sim.woocommerce.errors import WooError

VALID_EVENTS = ("created", "updated", "deleted", "restored")
VALID_RESOURCES = ("coupon", "customer", "order", "product")
BLOCKED_ACTIONS = (
    "action.woocommerce_login_credentials",
    "action.woocommerce_product_csv_importer_check_import_file_path",
    "action.woocommerce_webhook_should_deliver",
)


class WebhooksMixin(StoreBase):
    """Webhook records and the topics they may have."""

    webhooks: dict[int, dict[str, Any]]
    _next_webhook_id: int

    @staticmethod
    def valid_topic(topic: str) -> bool:
        if topic.startswith("action."):
            hook = topic[len("action.") :]
            return (hook.startswith(("woocommerce_", "wc_"))) and topic not in BLOCKED_ACTIONS
        resource, _, event = topic.partition(".")
        return resource in VALID_RESOURCES and event in VALID_EVENTS

    def create_webhook(self, data: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            topic = str(data.get("topic") or "").lower()
            if not self.valid_topic(topic):
                raise WooError(
                    "woocommerce_rest_shop_webhook_invalid_topic",
                    "Webhook topic is required and must be valid.",
                    400,
                )
            url = str(data.get("delivery_url") or "")
            if not re.match(r"^https?://[^\s/]+", url):
                raise WooError(
                    "woocommerce_rest_shop_webhook_invalid_delivery_url",
                    "Webhook delivery URL must be a valid URL starting with http:// or https://.",
                    400,
                )
            now = self.now()
            webhook = {
                "id": self._next_webhook_id,
                "name": str(data.get("name") or f"Webhook created on {now:%b %d, %Y @ %I:%M %p}"),
                # The REST controller does not honour status on create: new webhooks are active.
                "status": "active",
                "topic": topic,
                "delivery_url": url,
                "secret": str(data.get("secret") or secrets.token_urlsafe(37)[:50]),
                "api_version": "wp_api_v3",
                "failure_count": 0,
                "pending_delivery": True,
                "date_created": now,
                "date_modified": None,  # set by the first save after creation (113)
            }
            self._next_webhook_id += 1
            self.webhooks[webhook["id"]] = webhook
            return webhook

    def get_webhook(self, webhook_id: int, *, deleting: bool = False) -> dict[str, Any]:
        """A missing webhook is 400 "ID is invalid." on GET and PUT (070), 404 on DELETE."""
        webhook = self.webhooks.get(webhook_id)
        if webhook is None:
            if deleting:
                raise WooError("woocommerce_rest_shop_webhook_invalid_id", "Invalid ID.", 404)
            raise WooError("woocommerce_rest_shop_webhook_invalid_id", "ID is invalid.", 400)
        return webhook

    def update_webhook(self, webhook_id: int, data: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            webhook = self.get_webhook(webhook_id)
            if "topic" in data:
                topic = str(data["topic"] or "").lower()
                if not self.valid_topic(topic):
                    raise WooError(
                        "woocommerce_rest_shop_webhook_invalid_topic",
                        "Webhook topic must be valid.",
                        400,
                    )
                webhook["topic"] = topic
            if "delivery_url" in data and data["delivery_url"] != webhook["delivery_url"]:
                webhook["delivery_url"] = str(data["delivery_url"])
                webhook["pending_delivery"] = True
            for name in ("name", "secret"):
                if data.get(name):  # an empty name or secret is ignored
                    webhook[name] = str(data[name])
            if "status" in data:
                # The route's schema refuses other statuses (068); the count is left alone.
                webhook["status"] = str(data["status"])
            webhook["date_modified"] = self.now()
            return webhook

    def delete_webhook(self, webhook_id: int) -> dict[str, Any]:
        with self.lock:
            webhook = self.get_webhook(webhook_id, deleting=True)
            del self.webhooks[webhook_id]
            return webhook
