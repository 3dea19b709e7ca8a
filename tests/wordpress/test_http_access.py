"""WordPress's safe HTTP functions, as WooCommerce delivers webhooks with them, reach the
sidecar on its loopback port because of the plugin, and nothing else on loopback."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from sidecar.sim.process import SidecarProcess
from tests.wordpress.site import WordPressSite

pytestmark = pytest.mark.slow

REFUSED = {"error_code": "http_request_failed", "error_message": "A valid URL was not provided."}


def post_from_wordpress(site: WordPressSite, http: requests.Session, url: str, *,
                        safe: bool) -> dict[str, Any]:
    """A ping POSTed by WordPress itself: wp_safe_remote_post (safe) or wp_remote_post."""
    params = {"action": "fortnox_test_post", "url": url, "safe": "1" if safe else "0"}
    answer = http.get(f"{site.url}/wp-admin/admin-ajax.php", params=params, timeout=60)
    answer.raise_for_status()
    return dict(answer.json())


def test_a_safe_post_reaches_the_sidecar_on_its_loopback_port(
        wordpress: WordPressSite, connected: SidecarProcess, admin: requests.Session) -> None:
    answer = post_from_wordpress(wordpress, admin, f"{connected.url}/webhooks/woocommerce",
                                 safe=True)

    assert answer == {"status": 200, "body": "pong"}


def test_a_safe_post_to_another_loopback_port_stays_refused(
        wordpress: WordPressSite, connected: SidecarProcess, admin: requests.Session) -> None:
    # WordPress itself listens there, so only WordPress's URL check can refuse the request.
    other = f"http://127.0.0.1:{urlsplit(wordpress.url).port}/wp-login.php"
    assert urlsplit(other).port != urlsplit(connected.url).port

    unchecked = post_from_wordpress(wordpress, admin, other, safe=False)
    refused = post_from_wordpress(wordpress, admin, other, safe=True)

    assert unchecked.get("status") == 200, unchecked
    assert refused == REFUSED


def test_without_the_plugins_settings_the_sidecar_is_refused_too(
        wordpress: WordPressSite, sidecar: SidecarProcess, admin: requests.Session) -> None:
    wordpress.set_option("fortnox_sidecar_url", "")

    refused = post_from_wordpress(wordpress, admin, f"{sidecar.url}/webhooks/woocommerce",
                                  safe=True)

    assert refused == REFUSED
