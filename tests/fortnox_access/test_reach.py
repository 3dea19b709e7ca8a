"""Whether Fortnox answers: every request's outcome reaches the client's observer, and the
database learns only the changes (unreachable since when, refused, answering again)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import requests_mock as rm

from sidecar import checks
from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxError
from sidecar.fortnox import FortnoxTransient
from sidecar.fortnox import FortnoxValidationError
from sidecar.fortnox_access import reach
from sidecar.fortnox_access.tokens import FortnoxNotConnected
from sidecar.models import Shop
from sidecar.models import ShopCheck
from tests.fortnox.test_client import BASE
from tests.fortnox.test_client import ORDER
from tests.fortnox.test_client import FakeTokens


@pytest.fixture(autouse=True)
def _nothing_written() -> Iterator[None]:
    """Each test starts with this process having written nothing."""
    reach.forget()
    yield
    reach.forget()


@pytest.mark.not_fortnox_contract
def test_the_client_tells_its_observer_how_each_request_ended() -> None:
    seen: list[FortnoxError | None] = []
    client = FortnoxClient(BASE, FakeTokens(), observer=seen.append, sleep=lambda s: None)
    with rm.Mocker() as mock:
        mock.get(f"{BASE}/3/orders/1", json=ORDER)
        mock.get(f"{BASE}/3/orders/2", status_code=400,
                 json={"ErrorInformation": {"error": 1, "message": "Nej", "code": 2000359}})
        mock.get(f"{BASE}/3/orders/3", status_code=503, text="down")
        client.get_order("1")
        for number in ("2", "3"):
            with pytest.raises(FortnoxError):
                client.get_order(number)

    assert seen[0] is None
    assert isinstance(seen[1], FortnoxValidationError)  # an answer, if a "no"
    assert isinstance(seen[2], FortnoxTransient)
    assert len(seen) == 3  # the 503's retries inside the client are one request


def test_only_changes_are_written_and_an_outage_keeps_when_it_began(sqlite_database) -> None:
    shop = Shop.create(name="A", slug="a")
    reach.observe(shop.id, FortnoxTransient("down", status=503))
    began = checks.get(shop, checks.REACH).since
    ShopCheck.update(since=began - timedelta(minutes=6)).execute()  # it began long ago

    reach.observe(shop.id, FortnoxTransient("still down", status=503))  # written already
    reach.observe(shop.id, FortnoxNotConnected("not connected"))  # says nothing of Fortnox
    still = checks.get(shop, checks.REACH)
    reach.observe(shop.id, None)

    assert still.state == checks.FAILING and still.since == began - timedelta(minutes=6)
    assert checks.failure_message(still)[1] == "fortnox.no_proper_answer"
    assert checks.get(shop, checks.REACH).state == checks.OK
