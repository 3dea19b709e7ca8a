"""The change feed in the real sidecar under gunicorn: one connection whatever the number of
workers or processes, a change in Fortnox in the shop within seconds, and after a SIGKILL the
restarted sidecar resumes from its stored offsets (what changed while it was down is replayed)."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from sidecar import settings
from sidecar.models import FeedOffset
from sidecar.models import FeedStatus
from sidecar.models import Shop
from sidecar.sim.fortnox.topics_server import TopicsServer
from sidecar.sim.fortnox.topics_server import serve_topics
from sidecar.sim.process import SidecarProcess
from sidecar.sim.process import sidecar_database
from sidecar.sim.process import start_sidecar
from tests.e2e.test_fortnox_to_woo import OURS
from tests.e2e.test_fortnox_to_woo import connected_sidecar
from tests.polling import wait_for
from tests.sync.two_sims import Sims
from tests.sync.two_sims import sim_servers_fixture  # noqa: F401 - fixture
from tests.sync.two_sims import sims_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.slow
HOUR = 3600


@pytest.fixture(name="topics")
def _topics(sims: Sims) -> Iterator[TopicsServer]:
    server = serve_topics(sims.fortnox_state)
    yield server
    server.stop()


def feed_env(tmp_path: Path, sims: Sims, topics: TopicsServer) -> dict[str, str]:
    """A sidecar connected to both simulators, with the change feed; the Fortnox → Woo jobs
    hourly, so that within a test only the feed brings changes over."""
    env = connected_sidecar(tmp_path, sims, SIDECAR_FORTNOX_TOPICS_URL=topics.url)
    with sidecar_database(env):
        settings.save(Shop.get(), {settings.job_interval_key(name): HOUR for name in OURS})
    return env


def kill(sidecar: SidecarProcess) -> None:
    """SIGKILL the workers and the master: no clean-up at all."""
    pid = sidecar.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for child in children.read_text().split() if children.exists() else []:
        os.kill(int(child), signal.SIGKILL)
    sidecar.stop(signal.SIGKILL)


def stored_offset(env: dict[str, str], topic: str) -> str | None:
    with sidecar_database(env):
        row = FeedOffset.get_or_none(FeedOffset.topic == topic)
        return row.offset if row else None


def test_one_connection_brings_changes_over_and_a_restart_after_sigkill_resumes_from_the_offset(
    tmp_path: Path, sims: Sims, topics: TopicsServer
) -> None:
    sims.article("MUG", "Kaffemugg", price="100.00", stock="6")
    sims.woo_product("MUG", "Kaffemugg", regular_price="125.00", manage_stock=True,
                     stock_quantity=6)
    env = feed_env(tmp_path, sims, topics)
    first = start_sidecar(env, tmp_path / "first.log")
    second = None
    try:
        first.wait_healthy()
        assert wait_for(lambda: topics.open_connections == 1, 20), first.log()
        second = start_sidecar(env, tmp_path / "second.log")  # another container, same data
        second.wait_healthy()
        sims.fortnox_gui("articles/MUG", {"QuantityInStock": "4"})
        assert wait_for(lambda: sims.woo_state("MUG")["stock_quantity"] == 4, 10), first.log()
        assert topics.connections == 1 and topics.open_connections == 1  # 2 × 2 workers
        second.stop()
        assert wait_for(lambda: stored_offset(env, "warehouse-stockbalances") is not None, 5)
        before = stored_offset(env, "warehouse-stockbalances")

        kill(first)
        sims.fortnox_gui("articles/MUG", {"QuantityInStock": "2", "Price": "80.00"})
        changed_offsets = {e.offset for e in sims.fortnox_state.events.logs[
            "warehouse-stockbalances"][-1:]}
        restarted = start_sidecar(env, tmp_path / "restarted.log")
        try:
            restarted.wait_healthy()
            assert wait_for(lambda: sims.woo_state("MUG")["stock_quantity"] == 2
                            and sims.woo_state("MUG")["regular_price"] == "100.00", 20), \
                restarted.log()
            replay = [c for c in topics.commands if c[1].get("command") == "add-topics-v1"][-1]
            sent = {t["topic"]: t.get("offset") for t in replay[1]["topics"]}
            assert sent["warehouse-stockbalances"] == before
            delivered = {e["offset"] for n, e in topics.delivered if n == replay[0]}
            assert changed_offsets <= delivered  # replayed on the new connection
            with sidecar_database(env):
                assert FeedStatus.get().state == "on"
            assert "Traceback" not in restarted.log()
        finally:
            restarted.stop()
    finally:
        if second is not None:
            second.stop()
        first.stop()
