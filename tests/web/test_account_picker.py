"""Account fields on the settings page offer Fortnox's whole chart of accounts, searchable in
the browser's list (a datalist), and an account outside the chart is refused beside its field.
The chart here is what choices.py read from Fortnox (put in its cache, as after a read)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from sidecar import settings
from sidecar.models import Shop
from sidecar.web import choices
from tests.web.conftest import post_form

CHART = (choices.Choice("1930", "1930 Företagskonto"), choices.Choice("2421",
         "2421 Ej inlösta presentkort"), choices.Choice("3001", "3001 Försäljning 25 %"),
         choices.Choice("3740", "3740 Öres- och kronutjämning"))


@pytest.fixture(name="chart")
def _chart(web_shop: Shop) -> Iterator[None]:
    """Fortnox connected, its lists read: a chart with a liability account."""
    Shop.update(fortnox_state="connected").where(Shop.id == web_shop.id).execute()
    choices._cache[("fortnox", web_shop.id)] = (time.monotonic(), choices.FortnoxLists(
        True, accounts=CHART))
    yield
    choices.forget(web_shop)


def test_account_fields_search_the_whole_chart(signed_in: FlaskClient, chart: None) -> None:
    page = signed_in.get("/settings/accounts").text

    assert '<option value="2421">2421 Ej inlösta presentkort</option>' in page
    assert '<option value="1930">1930 Företagskonto</option>' in page
    assert 'list="fortnox-accounts"' in page and 'name="export.gift_cards.account"' in page
    assert page.count('<datalist id="fortnox-accounts">') == 1


def test_a_liability_account_is_chosen_for_gift_cards_and_one_outside_the_chart_refused(
        signed_in: FlaskClient, web_shop: Shop, chart: None) -> None:
    form = {"export.rounding_account": "3740", "export.gift_cards.account": "2421",
            "export.gift_cards.skus": "PRESENTKORT-500, PRESENTKORT-200",
            "export.accounts_by_sku.name": ["MUG"], "export.accounts_by_sku.cell": ["*"],
            "export.accounts_by_sku.account": ["1930"]}

    saved = post_form(signed_in, "/settings/sync/accounts", form)
    refused = post_form(signed_in, "/settings/sync/accounts",
                        {**form, "export.gift_cards.account": "2423"})

    assert saved.status_code == 302
    assert settings.get(web_shop, "export.gift_cards.account") == 2421
    assert settings.get(web_shop, "export.gift_cards.skus") == ["PRESENTKORT-500",
                                                                 "PRESENTKORT-200"]
    assert refused.status_code == 422
    assert "Account 2423 is not in Fortnox&#39;s chart of accounts." in refused.text
