"""Job leases: one holder at a time across processes, expiry of dead holders, shared schedule."""

from __future__ import annotations

import os
import subprocess
import threading
from datetime import UTC
from datetime import datetime
from datetime import timedelta

from peewee import Database

from sidecar.db import database as proxy
from sidecar.jobs import lease
from sidecar.models import JobLease
from sidecar.models import OrderLedger
from sidecar.models import Shop
from sidecar.sync.orders import ledger
from tests.polling import wait_for

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TTL = timedelta(minutes=10)


def test_it_gives_the_lease_to_one_holder_until_released(shop: Shop) -> None:
    assert lease.acquire("prune", shop, holder="a", now=T0, ttl=TTL, due_by=T0)
    assert not lease.acquire("prune", shop, holder="b", now=T0, ttl=TTL, due_by=None)

    lease.release("prune", shop, holder="a", not_before=T0 + timedelta(minutes=5))

    assert lease.acquire("prune", shop, holder="b", now=T0 + timedelta(seconds=1), ttl=TTL,
                         due_by=None)


def test_a_released_lease_waits_for_its_next_slot_unless_run_now(shop: Shop) -> None:
    lease.acquire("prune", shop, holder="a", now=T0, ttl=TTL, due_by=T0)
    lease.release("prune", shop, holder="a", not_before=T0 + timedelta(minutes=5))
    soon = T0 + timedelta(minutes=1)

    assert not lease.acquire("prune", shop, holder="b", now=soon, ttl=TTL, due_by=soon)
    assert lease.acquire("prune", shop, holder="b", now=soon, ttl=TTL, due_by=None)


def test_a_dead_holders_lease_expires(shop: Shop) -> None:
    lease.acquire("prune", shop, holder="dead", now=T0, ttl=TTL, due_by=T0)

    assert not lease.acquire("prune", shop, holder="b", now=T0 + TTL - timedelta(seconds=1),
                             ttl=TTL, due_by=None)
    assert lease.acquire("prune", shop, holder="b", now=T0 + TTL, ttl=TTL, due_by=None)
    assert not lease.renew("prune", shop, holder="dead", now=T0 + TTL, ttl=TTL)


def test_leases_are_per_shop(shop: Shop) -> None:
    other = Shop.create(name="Annan", slug="annan")

    assert lease.acquire("prune", shop, holder="a", now=T0, ttl=TTL, due_by=T0)
    assert lease.acquire("prune", other, holder="a", now=T0, ttl=TTL, due_by=T0)
    assert JobLease.select().count() == 2


def test_racing_threads_get_exactly_one_lease(database: Database, shop: Shop) -> None:
    winners: list[str] = []
    barrier = threading.Barrier(8)

    def contend(name: str) -> None:
        with proxy.connection_context():
            barrier.wait()
            won = lease.acquire("prune", shop, holder=name, now=T0, ttl=TTL, due_by=T0)
            if won:
                winners.append(name)

    threads = [threading.Thread(target=contend, args=(f"t{i}",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(winners) == 1
    assert JobLease.get(JobLease.name == lease.lease_name("prune", shop)).holder == winners[0]


def test_a_restarted_sidecar_frees_the_leases_of_its_dead_predecessors_on_this_host(
        shop: Shop) -> None:
    dead_pid = _pid_of_finished_child()
    holders = {
        "prune": f"web-1:{dead_pid}:aaaa",  # a process that died
        "process_inbox": f"web-1:{os.getpid()}:bbbb",  # our pid, an earlier process's token
        "sweep_orders": f"web-1:{os.getppid()}:cccc",  # alive: keeps its lease
        "stock_sync": "web-2:1:dddd",  # another host: left to expire
    }
    for job, holder in holders.items():
        assert lease.acquire(job, shop, holder=holder, now=T0, ttl=TTL, due_by=None)

    freed = lease.release_orphans(f"web-1:{os.getpid()}:mine", T0 + timedelta(seconds=5))

    assert sorted(freed) == [f"process_inbox:{shop.id}", f"prune:{shop.id}"]
    held = {row.job: row.holder for row in JobLease.select()}
    assert held == {"prune": None, "process_inbox": None,
                    "sweep_orders": holders["sweep_orders"], "stock_sync": "web-2:1:dddd"}
    assert lease.acquire("prune", shop, holder="web-1:new", now=T0 + timedelta(seconds=6),
                         ttl=TTL, due_by=None)


def _pid_of_finished_child() -> int:
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_process_that_exited_but_was_never_reaped_counts_as_gone(shop: Shop) -> None:
    child = subprocess.Popen(["true"])  # not waited for yet: a zombie once it exits
    try:
        assert wait_for(lambda: lease.is_zombie(child.pid), timeout=10)
        zombie = f"web-1:{child.pid}:zzzz"
        assert lease.acquire("prune", shop, holder=zombie, now=T0, ttl=TTL, due_by=None)

        freed = lease.release_orphans(f"web-1:{os.getpid()}:mine", T0 + timedelta(seconds=5))
    finally:
        child.wait()

    assert freed == [f"prune:{shop.id}"]



def test_orders_claimed_by_a_dead_process_on_this_host_are_free_at_once(shop: Shop) -> None:
    own = f"web-1:{os.getpid()}:mine"
    claimants = {1: f"web-1:{_pid_of_finished_child()}:dead/t7",  # gone: its claim ends now
                 2: f"web-1:{os.getppid()}:alive/t8",  # still runs: keeps its claim
                 3: "web-2:1:elsewhere/t9",  # another host: can't tell, left to lapse
                 4: f"{own}/t10"}  # this very process
    rows = {}
    for order_id, claimant in claimants.items():
        rows[order_id] = ledger.ledger_for(shop, order_id, f"wc-test-{order_id}")
        assert ledger.claim(rows[order_id], worker=claimant, now=T0)

    released = lease.release_claims_of_gone_processes(OrderLedger, own, T0 + timedelta(seconds=1))
    later = T0 + timedelta(seconds=2)

    assert released == 1
    assert [order_id for order_id, row in rows.items()
            if ledger.claim(row, worker=f"{own}/t11", now=later)] == [1]
