"""Server-to-server calls from the WordPress plugin, signed with the shop's webhook secret."""

from __future__ import annotations

import json
import logging
from typing import Any

from flask import Blueprint
from flask import current_app
from flask import request
from flask.typing import ResponseReturnValue
from marshmallow import EXCLUDE
from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields

from sidecar.fields import utcnow
from sidecar.models import Shop
from sidecar.settings import first_message
from sidecar.sync.orders import resend_order
from sidecar.web import guard
from sidecar.webhooks.shop_secrets import ShopSecrets
from sidecar.woo_access import woo_client_for
from sidecar.woocommerce.errors import WooError

bp = Blueprint("plugin_api", __name__)
log = logging.getLogger(__name__)

# A signed request older (or newer) than this is refused: a copied request can't be replayed
# later. The plugin sends the time it signed at.
MAX_CLOCK_SKEW_SECONDS = 300


@bp.post("/api/orders/<int:order_id>/resend")
@guard.signed_by_shop
def resend(order_id: int) -> ResponseReturnValue:
    raw = request.get_data(cache=False)
    secrets: ShopSecrets = current_app.extensions[ShopSecrets.EXTENSION]
    shop_id = secrets.shop_signing(raw, request.headers.get("X-Sidecar-Signature"), None)
    if shop_id is None:
        return {"error": "signature does not match"}, 401
    problem = _check_body(raw, order_id)
    if problem:
        return {"error": problem}, 400
    shop = Shop.get_by_id(shop_id)
    try:
        message = resend_order(shop, order_id, woo=woo_client_for(shop), now=utcnow())
    except WooError as exc:
        log.warning("plugin.resend_failed shop=%s order=%s error=%s", shop_id, order_id,
                    type(exc).__name__)
        return {"error": f"The sidecar could not read the order from WooCommerce: {exc}"}, 502
    wake = current_app.extensions.get("sidecar.wake_inbox")
    if wake is not None:
        wake(shop_id)
    log.info("plugin.resend shop=%s order=%s", shop_id, order_id)
    return {"message": message}, 202


class ResendRequest(Schema):
    """The plugin's "Send to Fortnox again": the order and when the plugin signed the request."""

    order_id = fields.Integer(strict=True, required=True)
    requested_at = fields.Integer(strict=True, required=True, error_messages={
        "required": "requested_at is missing", "invalid": "requested_at is missing",
        "null": "requested_at is missing"})

    class Meta:
        unknown = EXCLUDE


RESEND_REQUEST = ResendRequest()


def _check_body(raw: bytes, order_id: int) -> str:
    try:
        body: Any = json.loads(raw)
    except ValueError:
        return "body is not JSON"
    if not isinstance(body, dict) or body.get("order_id") != order_id:
        return "the order id in the body does not match the address"
    try:
        requested_at = RESEND_REQUEST.load(body)["requested_at"]
    except ValidationError as error:
        return first_message(error.messages)
    if abs(utcnow().timestamp() - requested_at) > MAX_CLOCK_SKEW_SECONDS:
        return "the request is too old (or the clocks of WordPress and the sidecar differ)"
    return ""
