"""The change-feed listener in this process, against both simulators over real sockets.

The simulators run for the session (`tests.sync.two_sims`), the Topics API beside the Fortnox
one. Each test gets a shop connected to simulated Fortnox by a service account, its catalog
linked by one run of the polling syncs, and a listener with short timings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from peewee import Database

from sidecar import settings
from sidecar.config import Config
from sidecar.fields import utcnow
from sidecar.fortnox_access.connect import configure_service_account
from sidecar.jobs.change_feed import ChangeFeed
from sidecar.jobs.change_feed import Timing
from sidecar.jobs.fortnox_to_woo import clients_for
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sim.fortnox import FortnoxSimConfig
from sidecar.sim.fortnox import Knobs
from sidecar.sim.fortnox.topics_server import TopicsServer
from sidecar.sim.fortnox.topics_server import serve_topics
from sidecar.sync.catalog import ProductSettings
from sidecar.sync.catalog import StockSettings
from sidecar.sync.catalog import sync_products
from sidecar.sync.catalog import sync_stock
from tests.polling import wait_for
from tests.sync.two_sims import TENANT
from tests.sync.two_sims import Sims

FAST = Timing(check_every=0.2, alive_every=1.0, standby=0.2, batch_window=0.1,
              backoff_first=0.1, backoff_max=0.5)


@dataclass
class FeedRig:
    sims: Sims
    topics: TopicsServer
    shop: Shop
    config: Config
    feeds: list[ChangeFeed] = dataclasses.field(default_factory=list)
    woken: list[tuple[str, int]] = dataclasses.field(default_factory=list)

    def start(self, timing: Timing = FAST, *, wait: bool = True) -> ChangeFeed:
        feed = ChangeFeed(self.config, timing=timing,
                          wake=lambda job, shop_id: self.woken.append((job, shop_id)))
        feed.holder = f"{feed.holder}/{len(self.feeds)}"  # another process, for the lease
        self.feeds.append(feed)
        feed.start()
        if wait:
            assert feed.connected.wait(10), "the listener did not subscribe"
        return feed

    def stop(self) -> None:
        for feed in self.feeds:
            feed.stop()

    def knobs(self, **changes: Any) -> None:
        state = self.sims.fortnox_state
        with state.lock:
            state.knobs.update(changes)

    def commands(self, name: str | None = None) -> list[dict[str, Any]]:
        return [{"connection": n, **c} for n, c in list(self.topics.commands)
                if name is None or c.get("command") == name]

    def link_catalog(self) -> None:
        """One run of the polling syncs: the shop's SKUs linked, snapshots stored."""
        clients = clients_for(Shop.get_by_id(self.shop.id), self.config)
        assert clients is not None
        fortnox, woo = clients
        values = settings.load(self.shop)
        sync_products(self.shop, fortnox=fortnox, woo=woo, now=utcnow(),
                      settings=ProductSettings.from_values(values))
        sync_stock(self.shop, fortnox=fortnox, woo=woo, now=utcnow(),
                   settings=StockSettings.from_values(values))

    def exported(self, sku: str = "MUG") -> tuple[int, str]:
        """A Woo order and its Fortnox order, in the ledger as exported."""
        woo_id, number = self.sims.place_order(sku)
        OrderLedger.create(shop=self.shop, woo_order_id=woo_id, external_key=f"wc-{woo_id}",
                           state="done", fortnox_order_number=number)
        return woo_id, number

    def fortnox_calls(self, part: str = "") -> int:
        state = self.sims.fortnox_state
        with state.lock:
            return sum(1 for e in state.request_log
                       if e["path"].startswith(("/3/", "/api/")) and part in e["path"])

    def clear_calls(self) -> None:
        state = self.sims.fortnox_state
        with state.lock:
            state.request_log.clear()
            state.counters.clear()

    def wait(self, condition: Any, timeout: float = 10.0) -> bool:
        return wait_for(condition, timeout, every=0.05)


@pytest.fixture(scope="session", name="topics_server")
def topics_server_fixture(sim_servers: Sims) -> Iterator[TopicsServer]:
    server = serve_topics(sim_servers.fortnox_state)
    yield server
    server.stop()


@pytest.fixture(name="feed_rig")
def feed_rig_fixture(sqlite_database: Database, sims: Sims, topics_server: TopicsServer,
                     config: Config) -> Iterator[FeedRig]:
    sim = FortnoxSimConfig()
    config = dataclasses.replace(
        config, fortnox_api_url=sims.fortnox_url, fortnox_auth_url=f"{sims.fortnox_url}/oauth-v1",
        fortnox_client_id=sim.client_id, fortnox_client_secret=sim.client_secret,
        fortnox_topics_url=topics_server.url)
    with sims.fortnox_state.lock:
        sims.fortnox_state.knobs = Knobs(rate_limit_enabled=False)
    woo = sims.woo_sim.config
    shop = Shop.create(name="Butiken", slug="butiken", woo_url=sims.woo_url,
                       woo_consumer_key=woo.consumer_key,
                       woo_consumer_secret=woo.consumer_secret, woo_state="connected")
    configure_service_account(shop, config, TENANT)
    # Invoicing a Fortnox order completes the shop's order in these tests; the default rule
    # waits for the order to be marked done, which the status tests cover.
    settings.save(shop, {"order_status.completed_when": "invoice_created"})
    rig = FeedRig(sims, topics_server, Shop.get_by_id(shop.id), config)
    topics_server.commands.clear()
    yield rig
    rig.stop()
    topics_server.drop_connections()
