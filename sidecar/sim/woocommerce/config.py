"""Configuration of the WooCommerce simulator; most of it can be changed at runtime."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field


@dataclass
class WooSimConfig:
    """Knobs of the simulated shop. Most can also be changed at runtime through /_sim/config."""

    consumer_key: str = "ck_sim_0000000000000000000000000000000000000000"
    consumer_secret: str = "cs_sim_0000000000000000000000000000000000000000"  # noqa: S105
    key_permissions: str = "read_write"
    # Real WooCommerce accepts Basic auth only over HTTPS; the sim is HTTP on loopback.
    allow_basic_auth: bool = True
    # The shop's home URL (OAuth base string, links, X-WC-Webhook-Source); None = as reached.
    site_url: str | None = None
    timezone: str = "Europe/Stockholm"
    currency: str = "SEK"
    prices_include_tax: bool = True
    weight_unit: str = "kg"
    wc_version: str = "8.4.0"
    wp_version: str = "6.4.2"
    latency_ms: int = 0
    # Injected failures on /wp-json routes: {status code: probability}, e.g. {503: 0.1}.
    error_rates: dict[int, float] = field(default_factory=dict)
    # Deliver webhooks inside the request that caused them instead of on a background queue.
    webhooks_synchronous: bool = False
    delivery_timeout_seconds: float = 60.0
    ping_timeout_seconds: float = 5.0
    # woocommerce_max_webhook_delivery_failures.
    max_delivery_failures: int = 5
    # WordPress's wp_safe_remote_post only allows ports 80, 443 and 8080.
    restrict_delivery_ports: bool = False
    seed: bool = False
