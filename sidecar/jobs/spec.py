"""What a job is: a plain function ``run(shop, ctx) -> counts``, its frequency and pause switch.

Each job's frequency and pause switch are operator settings (``jobs.<name>.interval_seconds`` /
``jobs.<name>.paused``), so the owner can change them at runtime; `settings_of` declares them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any

from sidecar import settings
from sidecar.config import Config
from sidecar.models import Shop
from sidecar.settings import SettingSpec

# Owner-settable frequencies stay within these bounds (a second up to a week).
MIN_INTERVAL_SECONDS = 1
MAX_INTERVAL_SECONDS = 7 * 24 * 3600


@dataclass
class JobContext:
    """What a running job may use besides its shop: the time it started, a lease renewer, and
    the deploy-time configuration the process was started with (None only in unit tests that
    call a job directly)."""

    now: datetime
    renew: Callable[[], None]
    config: Config | None = None

    def require_config(self) -> Config:
        if self.config is None:
            raise RuntimeError("this job needs the deploy-time configuration; run it through "
                               "the runner with config=")
        return self.config


JobFunc = Callable[[Shop, JobContext], dict[str, Any] | None]


@dataclass(frozen=True)
class JobSpec:
    name: str
    func: JobFunc
    default_interval: timedelta
    description: str
    # How long a run may hold its lease before another process may assume the holder died.
    max_runtime: timedelta = timedelta(minutes=10)
    # For wake-ups: a cheap read saying whether a run would find anything to do. A wake-up
    # that would not is dropped before the lease and the run record are written.
    has_work: Callable[[Shop, datetime], bool] | None = None
    # A job that looks every so often whether anything is due: its runs that did nothing are
    # not recorded, so the owner's list of runs shows the ones that did something.
    quiet: bool = False
    # Runs at every start of the sidecar, whenever it last ran: what it catches up on (orders
    # whose webhooks came while the sidecar was down) must not wait for its interval.
    catch_up: bool = False
    # A job that queues work for another (counts["queued"]) wakes it at once.
    wakes: str | None = None


def settings_of(spec: JobSpec) -> dict[str, SettingSpec]:
    """The job's frequency and pause switch, as operator settings."""
    return settings.declared(settings.section({
        settings.job_interval_key(spec.name): settings.whole_number(
            MIN_INTERVAL_SECONDS, MAX_INTERVAL_SECONDS, int(spec.default_interval.total_seconds())),
        settings.job_paused_key(spec.name): settings.yes_no(False),
    }))


def interval_for(spec: JobSpec, shop: Shop) -> timedelta:
    return timedelta(seconds=settings.get(shop, settings.job_interval_key(spec.name)))


def is_paused(spec: JobSpec, shop: Shop) -> bool:
    return bool(settings.get(shop, settings.job_paused_key(spec.name)))
