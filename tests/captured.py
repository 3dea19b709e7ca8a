"""Webhook deliveries captured from a real WooCommerce 8.4 store (tests/fixtures/woocommerce)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "woocommerce"
CAPTURED_SECRET = json.loads((FIXTURES / "index.json").read_text())["secret"]
# Headers a replay must not copy: the transport sets its own.
HOP_HEADERS = {"host", "content-length", "connection", "accept-encoding"}


@dataclass(frozen=True)
class CapturedDelivery:
    name: str
    headers: dict[str, str]
    body: bytes

    @property
    def topic(self) -> str:
        return self.headers.get("X-WC-Webhook-Topic", "")

    @property
    def is_ping(self) -> bool:
        return not self.topic


def captured_deliveries() -> list[CapturedDelivery]:
    deliveries = []
    for headers_file in sorted(FIXTURES.glob("*.headers.json")):
        name = headers_file.name.removesuffix(".headers.json")
        pairs = json.loads(headers_file.read_text())["headers"]
        headers = {k: v for k, v in pairs if k.lower() not in HOP_HEADERS}
        deliveries.append(CapturedDelivery(name, headers, (FIXTURES / f"{name}.body").read_bytes()))
    return deliveries
