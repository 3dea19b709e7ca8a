"""Server-to-server calls from the WordPress plugin: pairing (with a one-time code), and calls
signed with the shop's plugin secret, each with a nonce that works once."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from datetime import timedelta
from typing import Any

from flask import Blueprint
from flask import current_app
from flask import request
from flask.typing import ResponseReturnValue
from marshmallow import EXCLUDE
from marshmallow import Schema
from marshmallow import ValidationError
from marshmallow import fields
from marshmallow.validate import Regexp
from peewee import IntegrityError

from sidecar.db import database
from sidecar.fields import utcnow
from sidecar.models import Shop
from sidecar.models import UsedNonce
from sidecar.security import audit
from sidecar.security import shop_keys
from sidecar.settings import first_message
from sidecar.sync.orders import resend_order
from sidecar.web import guard
from sidecar.webhooks.shop_secrets import ShopSecrets
from sidecar.woo_access import woo_client_for
from sidecar.woocommerce.errors import WooError

bp = Blueprint("plugin_api", __name__)
log = logging.getLogger(__name__)

# A signed request older (or newer) than this is refused: a copied request can't be replayed
# later. The plugin sends the time it signed at, and a nonce remembered for the whole window, so
# a copy can't be replayed within it either.
MAX_CLOCK_SKEW_SECONDS = 300
_NONCE = re.compile(r"[A-Za-z0-9_-]{16,64}")


@bp.post("/api/pair")
@guard.signed_by_shop
def pair() -> ResponseReturnValue:
    """The plugin trades the owner's one-time pairing code for the shop's three secrets."""
    body = _json(request.get_data(cache=False))
    code = body.get("code") if isinstance(body, dict) else None
    if not isinstance(code, str):
        return {"error": "code is missing"}, 400
    try:
        shop, secrets = shop_keys.redeem_pairing_code(code, now=utcnow())
    except shop_keys.PairingRefused as exc:
        log.warning("plugin.pairing_refused reason=%s", exc)
        return {"error": "the pairing code is unknown, used or expired"}, 403
    audit.record(shop, "plugin", "security.paired", address=audit.client_address())
    log.info("plugin.paired shop=%s", shop.id)
    return {"webhook_secret": secrets.webhook_secret, "link_secret": secrets.link_secret,
            "plugin_secret": secrets.plugin_secret, "shop": shop.slug}, 200


@bp.post("/api/orders/<int:order_id>/resend")
@guard.signed_by_shop
def resend(order_id: int) -> ResponseReturnValue:
    raw = request.get_data(cache=False)
    secrets: ShopSecrets = current_app.extensions[ShopSecrets.PLUGIN_EXTENSION]
    shop_id = secrets.shop_signing(raw, request.headers.get("X-Sidecar-Signature"), None)
    if shop_id is None:
        return {"error": "signature does not match"}, 401
    problem = _check_body(raw, order_id, shop_id)
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
    """The plugin's "Send to Fortnox again": the order, when the plugin signed the request, and
    a nonce that makes a copy of the request useless."""

    order_id = fields.Integer(strict=True, required=True)
    requested_at = fields.Integer(strict=True, required=True, error_messages={
        "required": "requested_at is missing", "invalid": "requested_at is missing",
        "null": "requested_at is missing"})
    nonce = fields.String(required=True, validate=Regexp(_NONCE, error="nonce is missing"),
                          error_messages={"required": "nonce is missing",
                                          "invalid": "nonce is missing",
                                          "null": "nonce is missing"})

    class Meta:
        unknown = EXCLUDE


RESEND_REQUEST = ResendRequest()


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return None


def _check_body(raw: bytes, order_id: int, shop_id: int) -> str:
    body = _json(raw)
    if body is None:
        return "body is not JSON"
    if not isinstance(body, dict) or body.get("order_id") != order_id:
        return "the order id in the body does not match the address"
    try:
        loaded = RESEND_REQUEST.load(body)
    except ValidationError as error:
        return first_message(error.messages)
    if abs(utcnow().timestamp() - loaded["requested_at"]) > MAX_CLOCK_SKEW_SECONDS:
        return "the request is too old (or the clocks of WordPress and the sidecar differ)"
    if not _use_nonce(shop_id, loaded["nonce"]):
        return "this request was already received"
    return ""


def _use_nonce(shop_id: int, nonce: str) -> bool:
    now = utcnow()
    UsedNonce.delete().where(UsedNonce.expires_at <= now).execute()
    key = hashlib.sha256(f"{shop_id}:{nonce}".encode()).hexdigest()
    try:
        with database.atomic():
            UsedNonce.create(nonce=key,
                             expires_at=now + timedelta(seconds=2 * MAX_CLOCK_SKEW_SECONDS))
    except IntegrityError:
        return False
    return True
