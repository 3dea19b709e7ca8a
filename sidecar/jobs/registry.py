"""Every background job, declared once. The scheduler and `sidecar jobs` read only this.

A job is a plain function ``run(shop, ctx) -> counts`` that can be called directly in tests; the
runner around it takes the lease and records the run. Each job's frequency and pause switch are
operator settings (``jobs.<name>.interval_seconds`` / ``jobs.<name>.paused``), so the owner can
change them at runtime.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import Any

from sidecar import housekeeping
from sidecar import settings
from sidecar.config import Config
from sidecar.models import Shop


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


JOBS: dict[str, JobSpec] = {}

# Owner-settable frequencies stay within these bounds (a second up to a week).
MIN_INTERVAL_SECONDS = 1
MAX_INTERVAL_SECONDS = 7 * 24 * 3600


def register(spec: JobSpec) -> JobSpec:
    if spec.name in JOBS:
        raise ValueError(f"job {spec.name!r} is registered twice")
    JOBS[spec.name] = spec
    settings.declare(
        settings.job_interval_key(spec.name),
        int(spec.default_interval.total_seconds()),
        settings.whole_number(MIN_INTERVAL_SECONDS, MAX_INTERVAL_SECONDS),
    )
    settings.declare(settings.job_paused_key(spec.name), False, settings.yes_no)
    return spec


def interval_for(spec: JobSpec, shop: Shop) -> timedelta:
    return timedelta(seconds=settings.get(shop, settings.job_interval_key(spec.name)))


def is_paused(spec: JobSpec, shop: Shop) -> bool:
    return bool(settings.get(shop, settings.job_paused_key(spec.name)))


def _prune(shop: Shop, ctx: JobContext) -> dict[str, Any]:
    return housekeeping.prune(shop, now=ctx.now)


def _process_inbox(shop: Shop, ctx: JobContext) -> dict[str, Any]:
    from sidecar.jobs.inbox_worker import process_inbox  # the worker imports this module

    return process_inbox(shop, ctx)


def _inbox_has_work(shop: Shop, now: datetime) -> bool:
    from sidecar.jobs.inbox_worker import has_ready_rows  # the worker imports this module

    return has_ready_rows(shop, now)


register(
    JobSpec(
        name="process_inbox",
        func=_process_inbox,
        # Deliveries wake the worker at once; the interval is the safety net.
        default_interval=timedelta(seconds=30),
        description="Work off stored webhook deliveries",
        max_runtime=timedelta(minutes=2),
        has_work=_inbox_has_work,
    )
)
def _sweep_orders(shop: Shop, ctx: JobContext) -> dict[str, Any]:
    from sidecar.jobs.order_export import run_sweep  # it imports this module

    return run_sweep(shop, ctx)


register(
    JobSpec(
        name="sweep_orders",
        func=_sweep_orders,
        default_interval=timedelta(minutes=10),
        description="Queue orders a missed webhook would have lost; keep our webhooks active",
    )
)
register(
    JobSpec(
        name="prune",
        func=_prune,
        default_interval=timedelta(hours=24),
        description="Delete finished inbox rows, job runs and resolved activity past retention",
    )
)


def _fortnox_to_woo(name: str) -> JobFunc:
    def run(shop: Shop, ctx: JobContext) -> dict[str, Any]:
        from sidecar.jobs.fortnox_to_woo import JOBS as FORTNOX_TO_WOO  # imports sync code

        return FORTNOX_TO_WOO[name](shop, ctx)

    return run


# Fortnox → WooCommerce (sidecar.jobs.fortnox_to_woo). A first full catalog read of a large
# shop takes a while at Fortnox's 25 requests per 5 s; the runs renew their lease as they go.
for _name, _every, _runtime, _text in (
    ("order_status", timedelta(minutes=15), timedelta(minutes=10),
     "Set Woo orders completed or cancelled as they are in Fortnox"),
    ("product_sync", timedelta(hours=1), timedelta(minutes=30),
     "Update names, prices, weights and tax classes in WooCommerce from Fortnox"),
    ("stock_sync", timedelta(minutes=15), timedelta(minutes=30),
     "Update stock quantities in WooCommerce from Fortnox"),
):
    register(JobSpec(name=_name, func=_fortnox_to_woo(_name), default_interval=_every,
                     description=_text, max_runtime=_runtime))
