"""REST v3 representation of a webhook."""

from __future__ import annotations

from typing import Any

from sidecar.sim.woocommerce.site import Site
from sidecar.sim.woocommerce.site import date_fields

WEBHOOK_HOOKS = {
    "order.created": ["woocommerce_new_order"],
    "order.updated": ["woocommerce_update_order", "woocommerce_order_refunded"],
    "order.deleted": ["wp_trash_post", "woocommerce_trash_order"],
    "order.restored": ["untrashed_post", "woocommerce_untrash_order"],
    "product.created": [
        "woocommerce_process_product_meta",
        "woocommerce_new_product",
        "woocommerce_new_product_variation",
    ],
    "product.updated": [
        "woocommerce_process_product_meta",
        "woocommerce_update_product",
        "woocommerce_update_product_variation",
    ],
    "product.deleted": ["wp_trash_post"],
    "product.restored": ["untrashed_post"],
    "customer.created": [
        "user_register",
        "woocommerce_created_customer",
        "woocommerce_new_customer",
    ],
    "customer.updated": ["profile_update", "woocommerce_update_customer"],
    "customer.deleted": ["delete_user"],
    "coupon.created": ["woocommerce_process_shop_coupon_meta", "woocommerce_new_coupon"],
    "coupon.updated": ["woocommerce_process_shop_coupon_meta", "woocommerce_update_coupon"],
    "coupon.deleted": ["wp_trash_post"],
    "coupon.restored": ["untrashed_post"],
}


def webhook_json(webhook: dict[str, Any], site: Site) -> dict[str, Any]:
    topic = webhook["topic"]
    resource, _, event = topic.partition(".")
    hooks = WEBHOOK_HOOKS.get(topic, [event] if resource == "action" else [])
    return {
        "id": webhook["id"],
        "name": webhook["name"],
        "status": webhook["status"],
        "topic": topic,
        "resource": resource,
        "event": event,
        "hooks": hooks,
        "delivery_url": webhook["delivery_url"],
        **date_fields("date_created", webhook["date_created"], site),
        **date_fields("date_modified", webhook["date_modified"], site),
        "_links": site.links(f"webhooks/{webhook['id']}", "webhooks"),
    }
