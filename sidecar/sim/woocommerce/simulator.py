"""What a running WooCommerce simulator is: the shop, its webhook sender, the OAuth nonces seen,
and the request log and counters (`app.extensions["woocommerce_sim"]`).
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from typing import Any

from sidecar.sim.woocommerce.auth import ApiKey
from sidecar.sim.woocommerce.auth import NonceBook
from sidecar.sim.woocommerce.config import WooSimConfig
from sidecar.sim.woocommerce.seed import seed_demo_shop
from sidecar.sim.woocommerce.store import WooStore
from sidecar.sim.woocommerce.webhook_delivery import WebhookSender


class WooSim:
    """What app.extensions["woocommerce_sim"] holds: the store, the sender and the logs."""

    def __init__(self, config: WooSimConfig) -> None:
        self.config = config
        self.store = WooStore(config)
        self.sender = WebhookSender(self.store)
        self.nonces = NonceBook()
        self.request_log: list[dict[str, Any]] = []
        self.counters: Counter[str] = Counter()
        self.log_lock = threading.Lock()
        self.random = random.Random()
        if config.seed:
            seed_demo_shop(self.store)

    def keys(self) -> dict[str, ApiKey]:
        config = self.config
        return {
            config.consumer_key: ApiKey(
                config.consumer_key, config.consumer_secret, config.key_permissions
            )
        }

    def reset(self) -> None:
        self.sender.clear()
        self.store.reset()
        with self.log_lock:
            self.request_log.clear()
            self.counters.clear()
