"""The change-feed listener: one connection to Fortnox's Topics API for every shop, kept open.

It runs as a thread in the process that runs the jobs (started beside the scheduler), and holds
the lease `change_feed` while connected, so one deployment keeps one connection whatever
`SIDECAR_WORKERS` is and however many containers share the database. Connected, it:

1. adds every connected shop's tenant with its current access token and the client secret;
2. adds the topics the shops' sync settings need (`feed_health.JOB_TOPICS`), each from the
   offset stored after the last event handled, so nothing is missed across restarts and
   outages (Fortnox replays about two weeks), and subscribes;
3. hands each batch of events to `feed_events` (duplicates dropped, offsets stored);
4. every few seconds renews its lease, gives a tenant whose token was refreshed (here or by
   another process) its new token, and pings when no event came for a while, which keeps the
   shops' feed state "on" and the polling jobs slow.

Token expiry: how Fortnox treats a subscription whose token expired is not documented. Either
way nothing is lost: a token is renewed `token_margin` before it expires (as for REST calls)
and given to the connection at once, and a connection Fortnox closes is opened again with
fresh tokens, from the stored offsets. A token Fortnox refuses (e.g. a service account's, if
the Topics API does not take those) is renewed and tried once more; still refused, the shop is
marked refused, its polling jobs keep the owner's pace, and it is tried again later.
On any failure: reconnect with exponential backoff (1 s to a minute, with jitter).
"""

from __future__ import annotations

import atexit
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta

from flask import Flask

from sidecar import settings
from sidecar.config import Config
from sidecar.db import database
from sidecar.fields import utcnow
from sidecar.fortnox import FortnoxError
from sidecar.fortnox_access.state import CLIENT_CREDENTIALS
from sidecar.fortnox_access.state import CONNECTED
from sidecar.fortnox_access.tokens import REFRESH_AHEAD
from sidecar.fortnox_access.tokens import StoredTokenProvider
from sidecar.fortnox_access.tokens import provider_for
from sidecar.fortnox_feed import FeedClosed
from sidecar.fortnox_feed import FeedRefused
from sidecar.fortnox_feed import TopicsSession
from sidecar.fortnox_feed import open_session
from sidecar.fortnox_feed.protocol import Event
from sidecar.jobs import feed_events
from sidecar.jobs import feed_health
from sidecar.jobs import lease
from sidecar.jobs.registry import JOBS
from sidecar.jobs.registry import is_paused
from sidecar.jobs.runner import process_holder
from sidecar.messages import msg
from sidecar.models import Shop
from sidecar.sync.catalog import StockSettings
from sidecar.sync.status import OrderStatusSettings

log = logging.getLogger(__name__)

LEASE = "change_feed"
EXTENSION = "sidecar.change_feed"


@dataclass(frozen=True)
class Timing:
    """How often the listener does what (tests shorten them)."""

    lease_ttl: timedelta = timedelta(seconds=60)
    check_every: float = 10.0  # lease, tokens, which shops and topics
    alive_every: float = 30.0  # a ping when no event came for this long
    standby: float = 15.0  # nothing to do, or another process holds the lease
    batch_window: float = 0.25  # events arriving this close together are handled together
    batch_max: int = 500
    backoff_first: float = 1.0
    backoff_max: float = 60.0
    refused_retry: timedelta = timedelta(minutes=30)
    token_margin: timedelta = REFRESH_AHEAD


@dataclass
class Tenant:
    shop_id: int
    token: str
    provider: StoredTokenProvider


@dataclass
class Wanted:
    """The shops the feed is for now, and the topics their settings need."""

    shops: dict[int, set[str]] = field(default_factory=dict)

    @property
    def topics(self) -> set[str]:
        return set().union(*self.shops.values()) if self.shops else set()


class ChangeFeed:
    def __init__(self, config: Config, *, wake: feed_events.Wake | None = None,
                 timing: Timing | None = None, clock: Callable[[], datetime] = utcnow) -> None:
        self.config = config
        self.url = config.fortnox_topics_url
        self.wake = wake
        self.timing = timing or Timing()
        self.clock = clock
        self.holder = process_holder()
        self.dedupe = feed_events.Deduper()
        self.connected = threading.Event()  # set while subscribed (tests wait on it)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._backoff = self.timing.backoff_first
        self._refused_until: dict[int, datetime] = {}
        self._holding = False

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="sidecar-change-feed",
                                        daemon=True)
        self._thread.start()
        log.info("feed.started url=%s", self.url)

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._holding:
            with database.connection_context():
                lease.release(LEASE, None, holder=self.holder, not_before=self.clock())

    def run(self) -> None:
        while not self._stop.is_set():
            wait = self.timing.standby
            try:
                with database.connection_context():
                    wait = self._round()
            except Exception:
                log.exception("feed.failed")
                wait = self._next_backoff()
            self._stop.wait(wait)

    # One connection, from open to close --------------------------------------------------------

    def _round(self) -> float:
        """Connect and serve until the connection ends; returns how long to wait after."""
        now = self.clock()
        if not self._take_lease(now):
            return self.timing.standby
        wanted = self.wanted(now)
        if not wanted.shops:
            return self.timing.standby
        try:
            subscribed = self._serve(wanted)
        except FeedClosed as exc:
            log.warning("feed.closed error=%s", exc)
            feed_health.mark_off(wanted.shops, self.clock(),
                                 msg("feed.connection_lost", error=str(exc)))
            return self._next_backoff()
        except FeedRefused as exc:
            log.warning("feed.refused error=%s", exc)
            feed_health.mark_off(wanted.shops, self.clock(),
                                 msg("feed.command_refused", error=str(exc)))
            return self._next_backoff()
        finally:
            self.connected.clear()
        if not subscribed:  # no tenant could be added: not straight back
            return self._next_backoff()
        return 0.0 if not self._stop.is_set() else self.timing.standby

    def _serve(self, wanted: Wanted) -> bool:
        """True once it subscribed (and then listened until the connection ended)."""
        with open_session(self.url) as session:
            tenants = self._add_tenants(session, wanted)
            if not tenants:
                return False
            shop_ids = {tenant.shop_id for tenant in tenants.values()}
            offsets = feed_events.replay_offsets(
                wanted.topics, feed_events.stored_offsets(shop_ids))
            tenant_of_shop = {t.shop_id: tenant_id for tenant_id, t in tenants.items()}
            for row in feed_events.stored_offsets(shop_ids):  # a replay starts with these
                self.dedupe.remember((tenant_of_shop[row.shop_id], row.topic, row.offset))
            reply = session.add_topics(offsets)
            topics = wanted.topics - set(reply.invalid_topics)
            if reply.invalid_topics:
                log.warning("feed.topics_refused topics=%s", ",".join(reply.invalid_topics))
            session.subscribe()
            now = self.clock()
            feed_health.mark_on(shop_ids, topics, now)
            log.info("feed.subscribed shops=%s topics=%s replay=%s", len(shop_ids),
                     ",".join(sorted(topics)), sum(1 for o in offsets.values() if o))
            self.connected.set()
            self._backoff = self.timing.backoff_first
            self._cover_gaps(shop_ids, offsets, topics)
            self._listen(session, wanted, tenants)
        return True

    def _cover_gaps(self, shop_ids: set[int], offsets: dict[str, str | None],
                    topics: set[str]) -> None:
        """A topic subscribed without an offset to replay from (none handled yet) may have
        missed changes before now: its polling jobs run once, at once."""
        blind = {topic for topic in topics if not offsets.get(topic)}
        if self.wake is None or not blind:
            return
        for job, job_topics in feed_health.JOB_TOPICS.items():
            if blind & set(job_topics):
                for shop_id in sorted(shop_ids):
                    self.wake(job, shop_id)

    def _listen(self, session: TopicsSession, wanted: Wanted, tenants: dict[int, Tenant]) -> None:
        last_check = last_heard = time.monotonic()
        while not self._stop.is_set():
            event = session.next_event(timeout=min(1.0, self.timing.check_every))
            if event is not None:
                self._handle([event, *self._more(session)], tenants)
                last_heard = time.monotonic()
            if time.monotonic() - last_check >= self.timing.check_every:
                last_check = time.monotonic()
                now = self.clock()
                if not lease.renew(LEASE, None, holder=self.holder, now=now,
                                   ttl=self.timing.lease_ttl):
                    self._holding = False
                    log.warning("feed.lease_lost")
                    return
                if self.wanted(now).shops != wanted.shops:
                    log.info("feed.shops_or_topics_changed")
                    return
                self._renew_tokens(session, tenants)
            if time.monotonic() - last_heard >= self.timing.alive_every:
                if not session.alive():
                    raise FeedClosed("Fortnox did not answer a ping")
                feed_health.mark_alive({t.shop_id for t in tenants.values()}, self.clock())
                last_heard = time.monotonic()

    def _more(self, session: TopicsSession) -> list[Event]:
        """The events that follow within the batch window."""
        batch: list[Event] = []
        deadline = time.monotonic() + self.timing.batch_window
        while len(batch) < self.timing.batch_max:
            event = session.next_event(timeout=max(deadline - time.monotonic(), 0.0))
            if event is None:
                break
            batch.append(event)
        return batch

    def _handle(self, events: list[Event], tenants: dict[int, Tenant]) -> None:
        shop_of_tenant = {tenant_id: t.shop_id for tenant_id, t in tenants.items()}
        per_shop = feed_events.group(events, shop_of_tenant, self.dedupe)
        now = self.clock()
        for shop_id, changes in per_shop.items():
            shop = Shop.get_or_none(Shop.id == shop_id)
            if shop is None:
                continue
            counts = feed_events.apply_changes(shop, changes, self.config, now=now,
                                               wake=self.wake)
            log.info("feed.applied shop=%s events=%d %s", shop_id,
                     sum(1 for e in events if shop_of_tenant.get(e.tenant_id) == shop_id),
                     counts)

    # Tenants and tokens -------------------------------------------------------------------------

    def _add_tenants(self, session: TopicsSession, wanted: Wanted) -> dict[int, Tenant]:
        tenants: dict[int, Tenant] = {}
        for shop_id in sorted(wanted.shops):
            tenant = self._add_tenant(session, shop_id)
            if tenant is not None:
                tenants[tenant[0]] = tenant[1]
        return tenants

    def _add_tenant(self, session: TopicsSession, shop_id: int) -> tuple[int, Tenant] | None:
        """Add the shop's tenant; a refused token is renewed and tried once more."""
        shop = Shop.get_by_id(shop_id)
        provider = provider_for(shop, self.config, refresh_ahead=self.timing.token_margin)
        for attempt in range(2):
            try:
                token = provider.access_token()
            except FortnoxError as exc:
                feed_health.mark_off([shop_id], self.clock(),
                                     msg("feed.no_token", error=str(exc)))
                return None
            reply = session.add_tenants(self.config.fortnox_client_secret, [token])
            tenant_id = reply.tenant_ids.get(token)
            if tenant_id is not None:
                self._refused_until.pop(shop_id, None)
                return tenant_id, Tenant(shop_id, token, provider)
            if attempt == 0:
                provider.invalidate(token)  # perhaps expired at Fortnox before here
        self._refuse(shop)
        return None

    def _renew_tokens(self, session: TopicsSession, tenants: dict[int, Tenant]) -> None:
        """Give each tenant its current token, renewed ahead of expiry."""
        for tenant_id, tenant in list(tenants.items()):
            try:
                token = tenant.provider.access_token()
            except FortnoxError as exc:
                log.warning("feed.token_unavailable shop=%s error=%s", tenant.shop_id, exc)
                continue
            if token == tenant.token:
                continue
            reply = session.add_tenants(self.config.fortnox_client_secret, [token])
            if reply.tenant_ids.get(token) == tenant_id:
                tenant.token = token
                log.info("feed.tenant_readded shop=%s", tenant.shop_id)
            else:
                session.remove_tenants([tenant_id])
                del tenants[tenant_id]
                self._refuse(Shop.get_by_id(tenant.shop_id))

    def _refuse(self, shop: Shop) -> None:
        now = self.clock()
        self._refused_until[shop.id] = now + self.timing.refused_retry
        service_account = shop.fortnox_auth_mode == CLIENT_CREDENTIALS
        feed_health.mark_refused([shop.id], now, msg(
            "feed.service_account_refused" if service_account else "feed.token_refused"))
        log.warning("feed.token_refused shop=%s service_account=%s", shop.id, service_account)

    # Which shops, which topics ------------------------------------------------------------------

    def wanted(self, now: datetime) -> Wanted:
        wanted = Wanted()
        for shop in Shop.select().where(Shop.fortnox_state == CONNECTED).order_by(Shop.id):
            if self._refused_until.get(shop.id, now) > now or not shop.woo_url:
                continue
            topics = topics_for(shop)
            if topics:
                wanted.shops[shop.id] = topics
        return wanted

    def _take_lease(self, now: datetime) -> bool:
        if self._holding and lease.renew(LEASE, None, holder=self.holder, now=now,
                                         ttl=self.timing.lease_ttl):
            return True
        self._holding = lease.acquire(LEASE, None, holder=self.holder, now=now,
                                      ttl=self.timing.lease_ttl, due_by=None)
        return self._holding

    def _next_backoff(self) -> float:
        wait = self._backoff * random.uniform(0.8, 1.2)
        self._backoff = min(self._backoff * 2, self.timing.backoff_max)
        return wait


def topics_for(shop: Shop) -> set[str]:
    """The topics the shop's sync settings need: none for a workflow that is paused or off."""
    values = settings.load(shop)
    topics: set[str] = set()
    status = OrderStatusSettings.from_values(values)
    if not is_paused(JOBS["order_status"], shop) and (status.may_complete
                                                       or status.cancel_orders):
        topics.update(feed_health.JOB_TOPICS["order_status"])
    if not is_paused(JOBS["product_sync"], shop):
        topics.update(feed_health.JOB_TOPICS["product_sync"])
    if not is_paused(JOBS["stock_sync"], shop) and StockSettings.from_values(values).sync:
        topics.update(feed_health.JOB_TOPICS["stock_sync"])
    return topics


def init_change_feed(app: Flask) -> ChangeFeed | None:
    """Start the listener beside the scheduler (unless the feed is switched off)."""
    config: Config = app.extensions["sidecar.config"]
    if not config.fortnox_topics_url:
        log.info("feed.off reason=configuration")
        return None
    service = app.extensions.get("sidecar.scheduler")
    feed = ChangeFeed(config, wake=service.wake if service is not None else None)
    app.extensions[EXTENSION] = feed
    feed.start()
    atexit.register(feed.stop)
    return feed
