"""Webhook intake over real HTTP, under gunicorn: nothing acknowledged is ever lost."""

from __future__ import annotations

import json
import re
import signal
import threading
import time
from pathlib import Path

import pytest
import requests

from sidecar.models import InboxEntry
from sidecar.models import ProductLink
from sidecar.sim.process import migrated_sidecar
from sidecar.sim.process import sidecar_database
from sidecar.sim.process import start_sidecar
from sidecar.sim.server import serve_in_thread
from sidecar.sim.woocommerce import WooSimConfig
from sidecar.sim.woocommerce import create_app as create_woo_sim
from sidecar.webhooks.signature import sign
from tests.captured import CAPTURED_SECRET
from tests.captured import captured_deliveries
from tests.polling import wait_for

pytestmark = pytest.mark.slow
SECRET = "e2e-webhook-secret-0123456789abcdef"


def test_the_captured_deliveries_replay_over_http(tmp_path: Path) -> None:
    env = migrated_sidecar(tmp_path, webhook_secret=CAPTURED_SECRET)
    sidecar = start_sidecar(env, tmp_path / "sidecar.log")
    try:
        sidecar.wait_healthy()
        with requests.Session() as http:
            statuses = [http.post(f"{sidecar.url}/webhooks/woocommerce", data=d.body,
                                  headers=d.headers, timeout=10).status_code
                        for d in captured_deliveries()]
            forged = http.post(f"{sidecar.url}/webhooks/woocommerce",
                               data=b'{"id":99,"date_modified_gmt":"x"}',
                               headers={"X-WC-Webhook-Topic": "order.updated",
                                        "X-WC-Webhook-Signature": "forged"}, timeout=10)
            # No Content-Length: the body comes chunked and gunicorn marks its end.
            chunked_body = (b'{"id":98,"status":"processing",'
                            b'"date_modified_gmt":"2026-11-23T10:00:00"}')
            chunked = http.post(f"{sidecar.url}/webhooks/woocommerce",
                                data=iter([chunked_body[:20], chunked_body[20:]]),
                                headers={"X-WC-Webhook-Topic": "order.updated",
                                         "X-WC-Webhook-Signature": sign(chunked_body,
                                                                        CAPTURED_SECRET)},
                                timeout=10)

        def products_processed() -> bool:
            with sidecar_database(env):
                return not InboxEntry.select().where(InboxEntry.topic.startswith("product"),
                                                     InboxEntry.status != "done").exists()

        mapped = wait_for(products_processed)
    finally:
        sidecar.stop()

    assert set(statuses) == {200}
    assert forged.status_code == 401
    assert (chunked.status_code, chunked.text) == (200, "stored")
    assert mapped, sidecar.log()
    with sidecar_database(env):
        assert InboxEntry.select().where(InboxEntry.resource_id == 99).count() == 0
        assert InboxEntry.get(InboxEntry.resource_id == 98).body == chunked_body
        assert ProductLink.select().count() >= 5
        assert InboxEntry.select().where(InboxEntry.topic == "order.deleted").count() == 1
    # One line per accepted delivery (the app's event), an access line only for the refusal.
    log = sidecar.log()
    assert "webhook.stored shop=" in log
    access = re.findall(r'path="/webhooks/woocommerce" status=(\d+)', log)
    assert access == ["401"], access
    assert 'path="/healthz" status=200' in log


def test_the_woocommerce_simulator_delivers_to_the_sidecar(tmp_path: Path) -> None:
    env = migrated_sidecar(tmp_path, webhook_secret=SECRET)
    sidecar = start_sidecar(env, tmp_path / "sidecar.log")
    woo = serve_in_thread(create_woo_sim(WooSimConfig(seed=True)))
    store = woo.server.app.extensions["woocommerce_sim"].store
    sender = woo.server.app.extensions["woocommerce_sim"].sender
    try:
        sidecar.wait_healthy()
        for topic in ("order.created", "order.updated", "product.updated"):
            store.create_webhook({"name": topic, "topic": topic, "secret": SECRET,
                                  "delivery_url": f"{sidecar.url}/webhooks/woocommerce"})
        product = next(p for p in store.products.values() if p.get("sku"))
        order = store.place_order({"line_items": [{"product_id": product["id"], "quantity": 2}],
                                   "status": "processing"}, created_via="checkout")
        assert sender.flush(timeout=20)
    finally:
        sidecar.stop()
        woo.stop()

    delivered = sender.deliveries
    assert delivered, "the simulator sent nothing"
    assert {d["status_code"] for d in delivered} == {200}, delivered
    assert {d["kind"] for d in delivered} >= {"ping", "delivery"}
    with sidecar_database(env):
        rows = list(InboxEntry.select().where(InboxEntry.resource_id == order["id"]))
    # order.created and order.updated of the same version are one row
    assert len({r.dedupe_key for r in rows}) == len(rows) >= 1
    assert json.loads(rows[0].body)["id"] == order["id"]


def test_every_acknowledged_delivery_survives_a_sigkill(tmp_path: Path) -> None:
    env = migrated_sidecar(tmp_path, webhook_secret=SECRET)
    sidecar = start_sidecar(env, tmp_path / "first.log")
    sidecar.wait_healthy()
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def send(sender: int) -> None:
        with requests.Session() as http:
            for n in range(10_000):
                if stop.is_set():
                    return
                sku = f"SKU-{sender}-{n}"
                body = json.dumps({"id": sender * 100_000 + n + 1, "sku": sku, "type": "simple",
                                   "date_modified_gmt": "2026-11-23T10:00:00"}).encode()
                try:
                    response = http.post(
                        f"{sidecar.url}/webhooks/woocommerce", data=body, timeout=5,
                        headers={"X-WC-Webhook-Topic": "product.updated",
                                 "X-WC-Webhook-Signature": sign(body, SECRET)})
                except requests.RequestException:
                    continue  # the sidecar is down: WooCommerce would count a failure
                if 200 <= response.status_code < 300:
                    with lock:
                        acknowledged.append(sku)

    senders = [threading.Thread(target=send, args=(i,)) for i in range(8)]
    for thread in senders:
        thread.start()
    time.sleep(2.0)
    sidecar.stop(signal.SIGKILL)
    time.sleep(0.5)
    stop.set()
    for thread in senders:
        thread.join()

    restarted = start_sidecar(env, tmp_path / "second.log")
    try:
        restarted.wait_healthy()

        def all_processed() -> bool:
            with sidecar_database(env):
                return not InboxEntry.select().where(InboxEntry.status != "done").exists()

        drained = wait_for(all_processed, timeout=60)
    finally:
        restarted.stop()

    assert len(acknowledged) > 50, "too few deliveries before the kill to prove anything"
    assert drained, restarted.log()
    with sidecar_database(env):
        stored = {e.dedupe_key for e in InboxEntry.select()}
        mapped = {link.sku for link in ProductLink.select()}
    missing = set(acknowledged) - mapped
    assert not missing, f"{len(missing)} acknowledged deliveries lost, e.g. {sorted(missing)[:5]}"
    assert len(stored) >= len(acknowledged)
