"""Without WooCommerce the plugin stays active and says, on every admin screen, what is missing."""

from __future__ import annotations

import re

import pytest
import requests

from tests.wordpress.site import WordPressSite

pytestmark = pytest.mark.slow

NOTICE = ("Fortnox Sidecar Connector needs WooCommerce. Install and activate WooCommerce; until "
          "then no orders or products are sent to Fortnox.")


@pytest.mark.parametrize("screen", ["/wp-admin/", "/wp-admin/plugins.php"])
def test_an_administrator_is_told_that_woocommerce_is_missing(
        wordpress: WordPressSite, admin: requests.Session, screen: str) -> None:
    page = admin.get(wordpress.url + screen, timeout=30)

    assert page.status_code == 200
    notices = re.findall(r'<div class="notice notice-error fortnox-sidecar-woocommerce-missing">'
                         r"<p>(.*?)</p></div>", page.text)
    assert notices == [NOTICE]


def test_the_plugin_is_active_without_woocommerce(
        wordpress: WordPressSite, admin: requests.Session) -> None:
    page = admin.get(wordpress.url + "/wp-admin/plugins.php", timeout=30)

    row = re.search(r'<tr class="([^"]*)" data-slug="[^"]*" '
                    r'data-plugin="fortnox-sidecar/fortnox-sidecar.php"', page.text)
    assert row is not None, page.text[:3000]
    assert "active" in row.group(1).split()


def test_users_who_cannot_activate_plugins_are_not_told(wordpress: WordPressSite) -> None:
    with wordpress.log_in("shop_manager") as http:
        page = http.get(wordpress.url + "/wp-admin/", timeout=30)

    assert page.status_code == 200
    assert "Dashboard" in page.text
    assert "needs WooCommerce" not in page.text
