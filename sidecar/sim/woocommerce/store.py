"""The simulated shop's state and rules: products, orders, notes, refunds, webhooks.

Everything here runs under one lock (`store.lock`, re-entrant) and knows nothing of HTTP. Each
change that WooCommerce would announce through a webhook hook calls `store.emit(resource, event,
resource_id)`; the sender in `webhook_delivery` listens and delivers. `WooStore` is composed of a
class per resource family: `products`, `orders` (with notes), `checkout`, `refunds`, `webhooks`,
on the common `base`.
"""

from __future__ import annotations

import threading
from datetime import timedelta

from sidecar.sim.woocommerce.checkout import CheckoutMixin
from sidecar.sim.woocommerce.config import WooSimConfig
from sidecar.sim.woocommerce.refunds import RefundsMixin
from sidecar.sim.woocommerce.taxes import SWEDISH_TAX_CLASSES
from sidecar.sim.woocommerce.taxes import SWEDISH_TAX_RATES
from sidecar.sim.woocommerce.webhooks import WebhooksMixin


class WooStore(CheckoutMixin, RefundsMixin, WebhooksMixin):
    """In-memory shop. Public methods take and return plain dicts, raising WooError."""

    def __init__(self, config: WooSimConfig) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.listeners = []
        self.reset()

    # -- housekeeping -------------------------------------------------------------------

    def reset(self) -> None:
        with self.lock:
            self.products = {}
            self.orders = {}
            self.refunds = {}
            self.notes = {}
            self.webhooks = {}
            self.coupons = {}
            self.tax_classes = list(SWEDISH_TAX_CLASSES)
            self.tax_rates = list(SWEDISH_TAX_RATES)
            self.clock_offset = timedelta(0)
            self.frozen_at = None
            self.detected_url = None
            # WordPress posts share one id sequence: products, orders and refunds interleave.
            self._next_post_id = 10
            self._next_item_id = 1
            self._next_meta_id = 1
            self._next_item_meta_id = 1
            self._next_note_id = 1
            self._next_webhook_id = 1
