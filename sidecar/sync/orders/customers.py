"""Find or create the order's Fortnox customer, spending as few Fortnox requests as possible.

`CustomerLink` maps a match key ("email:anna@example.se", "org:5566778899") to a Fortnox customer
number and the hash of the fields we last sent. A returning customer whose details are unchanged
costs no request at all; changed details cost one PUT. A customer we have not seen is looked up
in a local index of Fortnox's customer register, refreshed incrementally (`lastmodified`) at most
once a minute, so a burst of new customers costs one list request instead of one search each;
only a customer missing there is created. The shared guest customer costs nothing.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from datetime import timedelta

from sidecar.fortnox import FortnoxClient
from sidecar.fortnox import FortnoxError
from sidecar.fortnox import FortnoxOutcomeUnknown
from sidecar.fortnox.customers import customer_keys
from sidecar.models import CustomerLink
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.models import SyncCursor
from sidecar.sync.orders import ledger as steps
from sidecar.sync.orders.customer_mapping import MappedCustomer

log = logging.getLogger(__name__)

INDEX_CURSOR = "fortnox.customers.lastmodified"
TRIES_PER_RUN = 5
_CUSTOMER_LOCK = threading.RLock()
INDEX_FRESH_FOR = timedelta(seconds=60)
# Fortnox's lastmodified has minute precision and Swedish local time: look back generously.
INDEX_OVERLAP = timedelta(minutes=5)


def match_keys(mapped: MappedCustomer) -> list[str]:
    """The order's keys, most trusted first (the owner's choice of e-mail or org number)."""
    values = {"email": mapped.match.email, "organisation_number": mapped.match.organisation_number}
    prefixes = {"email": "email", "organisation_number": "org"}
    return [f"{prefixes[name]}:{values[name]}" for name in mapped.match.order_of_keys
            if values[name]][:2]


def ensure_customer(shop: Shop, ledger: OrderLedger, mapped: MappedCustomer, *,
                    fortnox: FortnoxClient, now: datetime) -> str:
    """The Fortnox customer number for this order's buyer, created or updated as needed."""
    if mapped.match.shared_customer_number:
        return mapped.match.shared_customer_number
    known = _first_link(shop, match_keys(mapped))
    if known is not None:  # a returning buyer: no lock, at most one update
        return _update_if_changed(shop, known, ledger, mapped, fortnox=fortnox, now=now)
    # Two orders of one new buyer exported side by side must not create two cards; the inbox
    # job runs in one process at a time (its lease), so a lock in the process is enough.
    with _CUSTOMER_LOCK:
        return _ensure(shop, ledger, mapped, fortnox=fortnox, now=now)


def _ensure(shop: Shop, ledger: OrderLedger, mapped: MappedCustomer, *,
            fortnox: FortnoxClient, now: datetime) -> str:
    keys = match_keys(mapped)
    link = _first_link(shop, keys)
    lost: FortnoxOutcomeUnknown | None = None
    for _ in range(TRIES_PER_RUN):
        if link is not None:
            break
        if keys:
            # After a create whose answer was lost, the index shows whether it was made.
            refresh_index(shop, fortnox=fortnox, now=now,
                          force=steps.outcome_unknown(ledger, steps.CUSTOMER))
            link = _first_link(shop, keys)
            if link is not None:
                break
        try:
            number = _create(ledger, mapped, fortnox=fortnox, now=now)
        except FortnoxOutcomeUnknown as exc:
            lost = exc
            if not keys:
                raise  # nothing to find it by: let the inbox retry later
            continue
        _link(shop, keys, number, mapped.fields_hash, now)
        return number
    if link is None:
        assert lost is not None
        raise lost
    return _update_if_changed(shop, link, ledger, mapped, fortnox=fortnox, now=now)


def _update_if_changed(shop: Shop, link: CustomerLink, ledger: OrderLedger,
                       mapped: MappedCustomer, *, fortnox: FortnoxClient, now: datetime) -> str:
    keys = match_keys(mapped)
    if link.data_hash != mapped.fields_hash:
        step = steps.begin(ledger, steps.CUSTOMER, now, {"update": link.fortnox_customer_number})
        fortnox.update_customer(link.fortnox_customer_number, mapped.payload)
        steps.finish(step, "done", now, number=link.fortnox_customer_number)
        (CustomerLink.update(data_hash=mapped.fields_hash, updated_at=now)
         .where(CustomerLink.id == link.id).execute())
    _link(shop, keys, str(link.fortnox_customer_number), mapped.fields_hash, now)
    return str(link.fortnox_customer_number)


def _create(ledger: OrderLedger, mapped: MappedCustomer, *, fortnox: FortnoxClient,
            now: datetime) -> str:
    step = steps.begin(ledger, steps.CUSTOMER, now, {"create": mapped.payload.get("Name")})
    try:
        created = fortnox.create_customer(mapped.payload)
    except FortnoxOutcomeUnknown as exc:
        steps.finish(step, "unknown", now, error=str(exc))
        raise
    number = customer_keys(created).number
    if not number:
        raise FortnoxError("Fortnox's answer has no CustomerNumber for the customer created",
                           retryable=False)
    steps.finish(step, "done", now, number=number)
    log.info("customer.created ledger=%s customer=%s", ledger.id, number)
    return number


def refresh_index(shop: Shop, *, fortnox: FortnoxClient, now: datetime,
                  force: bool = False) -> int:
    """Learn Fortnox customers changed since the last look; returns how many were new to us.

    A key already linked keeps its link: the customer we created or chose stays ours."""
    cursor = SyncCursor.get_or_none((SyncCursor.shop == shop) & (SyncCursor.name == INDEX_CURSOR))
    last = datetime.fromisoformat(cursor.value) if cursor is not None else None
    if last is not None and not force and now - last < INDEX_FRESH_FOR:
        return 0
    since = last - INDEX_OVERLAP if last is not None else None
    learned = 0
    for customer in fortnox.iter_customers(modified_since=since):
        found = customer_keys(customer)
        keys = ([f"email:{found.email}"] if found.email else []) + (
            [f"org:{found.organisation_number}"] if found.organisation_number else [])
        learned += _link(shop, keys, found.number, "", now)
    if cursor is None:
        SyncCursor.insert(shop=shop, name=INDEX_CURSOR, value=now.isoformat(),
                          updated_at=now).on_conflict_ignore().execute()
    else:
        (SyncCursor.update(value=now.isoformat(), updated_at=now)
         .where(SyncCursor.id == cursor.id).execute())
    return learned


def _first_link(shop: Shop, keys: list[str]) -> CustomerLink | None:
    if not keys:
        return None
    links = {link.match_key: link for link in CustomerLink.select().where(
        (CustomerLink.shop == shop) & CustomerLink.match_key.in_(keys))}
    return next((links[key] for key in keys if key in links), None)


def _link(shop: Shop, keys: list[str], number: str, data_hash: str, now: datetime) -> int:
    """Link keys not linked yet; a key already leading to a customer keeps it."""
    known = {link.match_key for link in CustomerLink.select(CustomerLink.match_key).where(
        (CustomerLink.shop == shop) & CustomerLink.match_key.in_(keys))} if keys else set()
    new = [key[:255] for key in keys if key not in known]
    for key in new:
        CustomerLink.insert(shop=shop, match_key=key, fortnox_customer_number=number,
                            data_hash=data_hash, updated_at=now).on_conflict_ignore().execute()
    return len(new)
