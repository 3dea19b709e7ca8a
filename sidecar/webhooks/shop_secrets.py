"""Which shop signed a request: one kind of shop secret (the webhooks', or the plugin API's),
decrypted once and kept for a short while.

Reading and decrypting every shop's secret on each delivery costs more than storing it. The
cache is reloaded when it is older than ``MAX_AGE`` and whenever no cached secret matches, so a
regenerated secret works at once; an old secret keeps working for at most ``MAX_AGE``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from sidecar.models import Shop
from sidecar.webhooks import signature

MAX_AGE = 30.0


class ShopSecrets:
    EXTENSION = "sidecar.shop_secrets"  # webhooks; one per app, made by the app factory
    PLUGIN_EXTENSION = "sidecar.plugin_secrets"  # the plugin's API calls

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 field: str = "webhook_secret") -> None:
        self._clock = clock
        self._field = getattr(Shop, field)
        self._name = field
        self._lock = threading.Lock()
        self._secrets: list[tuple[int, str, str]] = []  # (shop id, slug, secret)
        self._loaded_at = float("-inf")

    def shop_signing(self, raw: bytes, header: str | None, slug: str | None) -> int | None:
        """The id of the shop (named by ``slug``, or any) whose secret signed ``raw``."""
        fresh = self._clock() - self._loaded_at > MAX_AGE
        for reload in ((True,) if fresh else (False, True)):
            for shop_id, shop_slug, secret in self._load(reload):
                if slug in (None, shop_slug) and signature.is_valid(raw, header, secret):
                    return shop_id
        return None

    def _load(self, reload: bool) -> list[tuple[int, str, str]]:
        if reload:
            rows = Shop.select(Shop.id, Shop.slug, self._field).where(
                self._field.is_null(False))
            secrets = [(shop.id, shop.slug, getattr(shop, self._name)) for shop in rows]
            with self._lock:
                self._secrets, self._loaded_at = secrets, self._clock()
        return self._secrets
