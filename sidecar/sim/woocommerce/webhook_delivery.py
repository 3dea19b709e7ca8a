"""The webhook sender: WooCommerce's Action Scheduler queue and WC_Webhook::deliver.

- Events are queued per (webhook, resource id); a pending entry absorbs later events for the
  same pair, so several quick changes become one delivery (Action Scheduler coalescing).
- The body is built when the delivery runs, not when the event happened.
- Body = trim(wp_json_encode(payload)); signature = base64(HMAC-SHA256(secret, body)).
- Success is a response code from 200 to 302; redirects are not followed, nothing is retried.
  A failure when the count is already above max_delivery_failures (default 5) disables the
  webhook, otherwise it adds one; a success resets the count. So the 7th failure in a row
  disables, and a re-enabled webhook keeps its count.
- The ping on creation is a form POST `webhook_id=N` without X-WC headers; only 200 counts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from collections import deque
from typing import Any
from urllib.parse import urlsplit

import requests

from sidecar.sim.woocommerce.format import php_json
from sidecar.sim.woocommerce.orders_json import order_json
from sidecar.sim.woocommerce.products_json import product_json
from sidecar.sim.woocommerce.store import WooStore

SAFE_PORTS = (80, 443, 8080)
# Order webhooks stay silent for drafts (WC_Webhook::is_valid_resource).
SILENT_ORDER_STATUSES = ("draft", "auto-draft", "new", "checkout-draft")


def signature(secret: str, body: bytes) -> str:
    """X-WC-Webhook-Signature: base64 of the raw HMAC-SHA256 digest of the exact body."""
    return base64.b64encode(
        hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    ).decode()


class WebhookSender:
    """Queues webhook work from store events and delivers it over real HTTP."""

    def __init__(self, store: WooStore) -> None:
        self.store = store
        self.deliveries: list[dict[str, Any]] = []
        self._queue: deque[tuple[int, int, str]] = deque()
        self._pending: set[tuple[int, int, str]] = set()
        self._busy = 0
        self._cond = threading.Condition()
        self._worker: threading.Thread | None = None
        self._stopping = False
        store.listeners.append(self.on_event)

    # -- queueing -------------------------------------------------------------------------

    def on_event(self, resource: str, event: str, resource_id: int) -> None:
        """Called by the store (under its lock) for every hook a webhook may listen to."""
        topic = f"action.{event}" if resource == "action" else f"{resource}.{event}"
        if resource == "order" and event != "deleted":
            order = self.store.orders.get(resource_id)
            if order is not None and order["status"] in SILENT_ORDER_STATUSES:
                return
        for webhook in self.store.webhooks.values():
            if webhook["status"] == "active" and webhook["topic"] == topic:
                self._enqueue((webhook["id"], resource_id, topic))

    def _enqueue(self, job: tuple[int, int, str]) -> None:
        with self._cond:
            if job in self._pending:
                return
            self._pending.add(job)
            self._queue.append(job)
            self._cond.notify_all()
        if not self.store.config.webhooks_synchronous:
            self._ensure_worker()

    def _ensure_worker(self) -> None:
        with self._cond:
            if self._worker is None or not self._worker.is_alive():
                self._stopping = False
                self._worker = threading.Thread(
                    target=self._run, name="woo-sim-webhooks", daemon=True
                )
                self._worker.start()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._stopping:
                    self._cond.wait(timeout=0.5)
                if self._stopping:
                    return
            # Taking the store lock first waits for the change in progress to finish, as
            # WooCommerce queues at PHP shutdown: one request's events coalesce into one job.
            with self.store.lock, self._cond:
                if not self._queue:
                    continue
                job = self._take()
            self._deliver_job(job)

    def _take(self) -> tuple[int, int, str]:
        job = self._queue.popleft()
        self._pending.discard(job)
        self._busy += 1
        return job

    def _deliver_job(self, job: tuple[int, int, str]) -> None:
        try:
            self.deliver(*job)
        finally:
            with self._cond:
                self._busy -= 1
                self._cond.notify_all()

    def run_pending(self) -> None:
        """Deliver everything queued, in this thread (synchronous mode, and tests)."""
        while True:
            with self._cond:
                if not self._queue:
                    return
                job = self._take()
            self._deliver_job(job)

    def flush(self, timeout: float = 30.0) -> bool:
        """Wait until the queue is empty and nothing is in flight; False on timeout."""
        if self.store.config.webhooks_synchronous:
            self.run_pending()
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._busy:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(timeout=min(remaining, 0.2))
        return True

    def pending(self) -> int:
        with self._cond:
            return len(self._queue) + self._busy

    def clear(self) -> None:
        with self._cond:
            self._queue.clear()
            self._pending.clear()
            self.deliveries = []

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()

    # -- delivery -------------------------------------------------------------------------

    def deliver(self, webhook_id: int, resource_id: int, topic: str) -> dict[str, Any] | None:
        """WC_Webhook::deliver: build the payload now, sign, POST, count the outcome."""
        with self.store.lock:
            webhook = self.store.webhooks.get(webhook_id)
            if webhook is None:
                return None  # deleted since the event; the async callback returns quietly
            body = php_json(self._payload(topic, resource_id)).strip().encode("utf-8")
            resource, _, event = topic.partition(".")
            site = self.store.site
            headers = {
                "User-Agent": self._user_agent(),
                "Content-Type": "application/json",
                "X-WC-Webhook-Source": site.url + "/",
                "X-WC-Webhook-Topic": topic,
                "X-WC-Webhook-Resource": resource,
                "X-WC-Webhook-Event": event,
                "X-WC-Webhook-Signature": signature(webhook["secret"], body),
                "X-WC-Webhook-ID": str(webhook_id),
                "X-WC-Webhook-Delivery-ID": _delivery_id(webhook_id),
            }
            url = webhook["delivery_url"]
            timeout = self.store.config.delivery_timeout_seconds
        status, error, response_body, took = self._post(
            url, body, headers, timeout=timeout, follow_redirects=False
        )
        ok = status is not None and 200 <= status <= 302
        record = self._record(
            "delivery",
            webhook_id,
            topic,
            resource_id,
            url,
            headers,
            body,
            status,
            ok,
            error,
            response_body,
            took,
        )
        with self.store.lock:
            webhook = self.store.webhooks.get(webhook_id)
            if webhook is not None:
                self.count_outcome(webhook, ok)
                # Saving an active webhook whose ping never got a 200 pings again.
                if webhook["status"] == "active" and webhook["pending_delivery"]:
                    ping_needed = True
                else:
                    ping_needed = False
            else:
                ping_needed = False
        if ping_needed:
            self.ping(webhook_id)
        return record

    def count_outcome(self, webhook: dict[str, Any], ok: bool) -> None:
        """What a delivery's outcome does to its webhook (saved each time, so date_modified
        moves: 110); the control API counts simulated failures through here."""
        webhook["date_modified"] = self.store.now()
        if ok:
            webhook["failure_count"] = 0
        elif webhook["failure_count"] > self.store.config.max_delivery_failures:
            webhook["status"] = "disabled"
        else:
            webhook["failure_count"] += 1

    def ping(self, webhook_id: int) -> dict[str, Any] | None:
        """WC_Webhook::deliver_ping: `webhook_id=N`, form-encoded, unsigned; 200 only."""
        with self.store.lock:
            webhook = self.store.webhooks.get(webhook_id)
            if webhook is None:
                return None
            url = webhook["delivery_url"]
            timeout = self.store.config.ping_timeout_seconds
        body = f"webhook_id={webhook_id}".encode()
        headers = {
            "User-Agent": self._user_agent(),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        status, error, response_body, took = self._post(
            url, body, headers, timeout=timeout, follow_redirects=True
        )
        ok = status == 200
        with self.store.lock:
            webhook = self.store.webhooks.get(webhook_id)
            if webhook is not None and ok:
                webhook["pending_delivery"] = False
        return self._record(
            "ping",
            webhook_id,
            None,
            None,
            url,
            headers,
            body,
            status,
            ok,
            error,
            response_body,
            took,
        )

    def _payload(self, topic: str, resource_id: int) -> Any:
        resource, _, event = topic.partition(".")
        if resource == "action":
            return {"action": event, "arg": resource_id}
        if event == "deleted":
            return {"id": resource_id}
        store, site = self.store, self.store.site
        if resource == "order":
            order = store.orders.get(resource_id)
            if order is None:
                return _missing("woocommerce_rest_shop_order_invalid_id")
            return order_json(order, store, site)
        if resource == "product":
            product = store.products.get(resource_id)
            if product is None:
                return _missing("woocommerce_rest_product_invalid_id")
            return product_json(product, store, site)
        return {"id": resource_id}

    def _post(
        self,
        url: str,
        body: bytes,
        headers: dict[str, str],
        *,
        timeout: float,
        follow_redirects: bool,
    ) -> tuple[int | None, str | None, str, float]:
        started = time.monotonic()
        if self.store.config.restrict_delivery_ports and not _port_is_safe(url):
            return None, "A valid URL was not provided.", "", 0.0
        try:
            response = requests.post(
                url, data=body, headers=headers, timeout=timeout, allow_redirects=follow_redirects
            )
        except requests.RequestException as exc:
            return None, f"{type(exc).__name__}: {exc}", "", time.monotonic() - started
        return response.status_code, None, response.text[:2000], time.monotonic() - started

    def _record(
        self,
        kind: str,
        webhook_id: int,
        topic: str | None,
        resource_id: int | None,
        url: str,
        headers: dict[str, str],
        body: bytes,
        status: int | None,
        ok: bool,
        error: str | None,
        response_body: str,
        took: float,
    ) -> dict[str, Any]:
        with self._cond:
            record = {
                "seq": len(self.deliveries) + 1,
                "kind": kind,
                "webhook_id": webhook_id,
                "topic": topic,
                "resource_id": resource_id,
                "delivery_url": url,
                "request_headers": dict(headers),
                "request_body": body.decode("utf-8"),
                "status_code": status,
                "ok": ok,
                "error": error,
                "response_body": response_body,
                "duration_ms": round(took * 1000, 1),
            }
            self.deliveries.append(record)
            return record

    def _user_agent(self) -> str:
        config = self.store.config
        return f"WooCommerce/{config.wc_version} Hookshot (WordPress/{config.wp_version})"


def _delivery_id(webhook_id: int) -> str:
    # wp_hash(webhook id . time()): 32 hex characters, equal for two deliveries in one second.
    return hmac.new(b"sim-wp-salt", f"{webhook_id}{int(time.time())}".encode(), "md5").hexdigest()


def _missing(code: str) -> dict[str, Any]:
    return {"code": code, "message": "Invalid ID.", "data": {"status": 404}}


def _port_is_safe(url: str) -> bool:
    parts = urlsplit(url)
    return parts.port is None or parts.port in SAFE_PORTS
