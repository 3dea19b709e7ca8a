"""POST /webhooks/woocommerce[/<shop slug>]: verify, store, acknowledge. Nothing else.

A small WSGI app in front of Flask, not a Flask view. Flask's request context, sessions, sign-in
guard, hooks and response object cost a delivery more than verifying and storing it (measured
with `bench/webhook_intake.py`), and none of them applies to a server-to-server call that proves
itself with an HMAC. Every other path goes on to Flask untouched.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from contextlib import AbstractContextManager
from contextlib import nullcontext
from typing import Any

from flask import Flask
from peewee import SqliteDatabase

from sidecar.crypto import SecretUnreadable
from sidecar.db import database
from sidecar.logs import UNREDACTED
from sidecar.webhooks import intake
from sidecar.webhooks.shop_secrets import ShopSecrets

log = logging.getLogger(__name__)

PATH = "/webhooks/woocommerce"
# A WooCommerce order with a hundred rows is a few hundred KB; anything this big is not one.
MAX_BODY_BYTES = 5 * 1024 * 1024

Environ = dict[str, Any]
Answer = tuple[int, str | dict[str, str]]  # status, text or a JSON error

REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 405: "Method Not Allowed",
           408: "Request Timeout",
           413: "Payload Too Large", 500: "Internal Server Error",
           503: "Service Unavailable"}


class BodyTooLarge(ValueError):
    pass


class BadLength(ValueError):
    pass


class WebhookEndpoint:
    """Wraps the Flask app's ``wsgi_app``: answers the webhook paths, passes on the rest."""

    def __init__(self, app: Flask, wrapped: Any) -> None:
        self.app = app
        self.wrapped = wrapped
        self.traced_order = app.extensions["sidecar.config"].log_bodies_for_order

    def __call__(self, environ: Environ, start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(PATH):
            return self.wrapped(environ, start_response)
        rest = path[len(PATH):]
        if rest and not _is_slug_part(rest):
            return self.wrapped(environ, start_response)  # not ours: Flask answers 404
        slug = rest[1:] or None
        answer: Answer = (405, {"error": "webhook deliveries are POSTed"})
        if environ.get("REQUEST_METHOD") == "POST":
            try:
                answer = self.answer(environ, slug)
            except TimeoutError:
                # The client did not send its body in time (sidecar.slow_clients).
                log.warning("webhook.rejected reason=read_timeout slug=%s", slug)
                answer = (408, {"error": "the request was not received in time"})
            except SecretUnreadable:
                # The deploy's key is wrong: nothing can be verified until it is put right.
                log.error("webhook.failed reason=secret_key_changed slug=%s", slug)
                answer = (503, {"error": "the sidecar cannot read its secrets"})
            except Exception:
                # Nothing was acknowledged, so nothing is lost: WooCommerce logs the failure and
                # the reconciliation sweep fetches the order itself.
                log.exception("webhook.failed slug=%s", slug)
                answer = (500, {"error": "the delivery could not be stored"})
        return _respond(start_response, *answer)

    def answer(self, environ: Environ, slug: str | None) -> Answer:
        try:
            raw = _read_body(environ)
        except BodyTooLarge:
            return _refuse(413, f"body over {MAX_BODY_BYTES} bytes")
        except BadLength:
            return _refuse(400, "Content-Length is not a number")
        topic = environ.get("HTTP_X_WC_WEBHOOK_TOPIC", "")
        if not topic:
            if raw.startswith(b"webhook_id="):
                return 200, "pong"  # the creation ping: unsigned, must get exactly 200
            return _refuse(400, "missing X-WC-Webhook-Topic header")
        if len(topic) > intake.MAX_HEADER_LENGTH:
            return _refuse(400, "X-WC-Webhook-Topic header too long")

        secrets: ShopSecrets = self.app.extensions[ShopSecrets.EXTENSION]
        with _connection():
            shop_id = secrets.shop_signing(raw, environ.get("HTTP_X_WC_WEBHOOK_SIGNATURE"), slug)
            if shop_id is None:
                log.warning("webhook.rejected reason=signature topic=%s slug=%s", topic[:64],
                            slug[:64] if slug else slug)
                return _refuse(401, "signature does not match")

            delivery_id = environ.get("HTTP_X_WC_WEBHOOK_DELIVERY_ID", "")
            try:
                delivery = intake.classify(topic, raw, delivery_id)
            except intake.BadDelivery as exc:
                log.warning("webhook.rejected reason=body shop=%s topic=%s detail=%s",
                            shop_id, topic, exc)
                return _refuse(400, str(exc))

            if delivery.action == "ignore":
                log.info("webhook.ignored shop=%s topic=%s id=%s reason=%s", shop_id, topic,
                         delivery.resource_id, delivery.reason)
                return 200, "ignored"
            if delivery.action == "report":
                intake.report(shop_id, delivery)
                log.warning("webhook.error_payload shop=%s topic=%s reason=%s", shop_id, topic,
                            delivery.reason)
                return 200, "noted"
            stored = intake.record(shop_id, delivery, raw, delivery_id)
        if delivery.resource == "order" and delivery.resource_id == self.traced_order:
            # SIDECAR_LOG_BODIES_FOR_ORDER: the owner's support asked to see this order's data.
            log.debug("webhook.body shop=%s topic=%s id=%s body=%s", shop_id, topic,
                      delivery.resource_id, raw.decode("utf-8", "replace"),
                      extra={UNREDACTED: True})
        log.info("webhook.%s shop=%s topic=%s id=%s modified=%s bytes=%d",
                 "stored" if stored else "duplicate", shop_id, topic, delivery.resource_id,
                 delivery.modified_gmt, len(raw))
        if stored:
            self.wake_inbox(shop_id)
        return 200, ("stored" if stored else "duplicate")

    def wake_inbox(self, shop_id: int) -> None:
        wake = self.app.extensions.get("sidecar.wake_inbox")
        if wake is None:
            return
        try:
            wake(shop_id)
        except Exception:
            # Stored is stored: the delivery is acknowledged, and the job's interval finds it.
            log.exception("webhook.wake_failed shop=%s", shop_id)


def _is_slug_part(rest: str) -> bool:
    """``/<slug>``: one non-empty path segment."""
    return len(rest) > 1 and rest[0] == "/" and "/" not in rest[1:]


def _connection() -> AbstractContextManager[object]:
    # On SQLite a worker thread keeps its connection from one delivery to the next: checking
    # it in and out of the pool cost a tenth of a delivery, and a local file can't go stale.
    # A server's connection goes back to the pool, whose check-out replaces one that sat idle
    # past its stale timeout (the server may have dropped it).
    if isinstance(database.obj, SqliteDatabase):
        database.connect(reuse_if_open=True)
        return nullcontext()
    return database.connection_context()


def _read_body(environ: Environ) -> bytes:
    """The raw body, at most MAX_BODY_BYTES; an oversized one is not read at all."""
    stream = environ["wsgi.input"]
    declared = environ.get("CONTENT_LENGTH") or ""
    if declared:
        if not (declared.isascii() and declared.isdigit()):  # not "-1", not "¹"
            raise BadLength
        length = int(declared)
        if length > MAX_BODY_BYTES:
            raise BodyTooLarge
        return bytes(stream.read(length))
    if not environ.get("wsgi.input_terminated"):
        return b""  # no length and no end marker: reading could block forever
    body = bytes(stream.read(MAX_BODY_BYTES + 1))  # chunked: the server marks the end
    if len(body) > MAX_BODY_BYTES:
        raise BodyTooLarge
    return body


def _refuse(status: int, reason: str) -> Answer:
    return status, {"error": reason}


def _respond(start_response: Any, status: int, content: str | dict[str, str]) -> list[bytes]:
    if isinstance(content, dict):
        body, content_type = json.dumps(content).encode(), "application/json"
    else:
        body, content_type = content.encode(), "text/plain; charset=utf-8"
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    if status == 405:
        headers.append(("Allow", "POST"))
    start_response(f"{status} {REASONS[status]}", headers)
    return [body]
