"""POST /webhooks/woocommerce[/<shop slug>]: verify, store, acknowledge. Nothing else."""

from __future__ import annotations

import logging

from flask import Blueprint
from flask import current_app
from flask import request
from flask.typing import ResponseReturnValue

from sidecar.webhooks import intake
from sidecar.webhooks.shop_secrets import ShopSecrets

bp = Blueprint("webhooks", __name__)
log = logging.getLogger(__name__)

# A WooCommerce order with a hundred rows is a few hundred KB; anything this big is not one.
MAX_BODY_BYTES = 5 * 1024 * 1024


@bp.post("/webhooks/woocommerce")
@bp.post("/webhooks/woocommerce/<slug>")
def woocommerce(slug: str | None = None) -> ResponseReturnValue:
    request.max_content_length = MAX_BODY_BYTES  # a bigger body gets 413 from Werkzeug
    raw = request.get_data(cache=False)
    topic = request.headers.get("X-WC-Webhook-Topic", "")
    if not topic:
        if raw.startswith(b"webhook_id="):
            return "pong", 200  # the creation ping: unsigned, must get exactly 200
        return _refuse(400, "missing X-WC-Webhook-Topic header")

    secrets: ShopSecrets = current_app.extensions[ShopSecrets.EXTENSION]
    shop_id = secrets.shop_signing(raw, request.headers.get("X-WC-Webhook-Signature"), slug)
    if shop_id is None:
        log.warning("webhook.rejected reason=signature topic=%s slug=%s", topic, slug)
        return _refuse(401, "signature does not match")

    delivery_id = request.headers.get("X-WC-Webhook-Delivery-ID", "")
    try:
        delivery = intake.classify(topic, raw, delivery_id)
    except intake.BadDelivery as exc:
        log.warning("webhook.rejected reason=body shop=%s topic=%s detail=%s",
                    shop_id, topic, exc)
        return _refuse(400, str(exc))

    if delivery.action == "ignore":
        log.info("webhook.ignored shop=%s topic=%s id=%s reason=%s", shop_id, topic,
                 delivery.resource_id, delivery.reason)
        return "ignored", 200
    if delivery.action == "report":
        intake.report(shop_id, delivery)
        log.warning("webhook.error_payload shop=%s topic=%s reason=%s", shop_id, topic,
                    delivery.reason)
        return "noted", 200
    stored = intake.record(shop_id, delivery, raw, delivery_id)
    log.info("webhook.%s shop=%s topic=%s id=%s modified=%s bytes=%d",
             "stored" if stored else "duplicate", shop_id, topic, delivery.resource_id,
             delivery.modified_gmt, len(raw))
    if stored:
        wake = current_app.extensions.get("sidecar.wake_inbox")
        if wake is not None:
            wake(shop_id)
    return ("stored" if stored else "duplicate"), 200


def _refuse(status: int, reason: str) -> ResponseReturnValue:
    return {"error": reason}, status
