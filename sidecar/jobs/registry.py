"""Every background job, declared once. The scheduler and `sidecar jobs` read only this.

A job is a plain function ``run(shop, ctx) -> counts`` that can be called directly in tests; the
runner around it takes the lease and records the run. Each job's frequency and pause switch are
operator settings (``jobs.<name>.interval_seconds`` / ``jobs.<name>.paused``), so the owner can
change them at runtime; `job_settings` hands them to the app factory.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sidecar import housekeeping
from sidecar import settings
from sidecar.jobs import fortnox_to_woo
from sidecar.jobs import reconcile_report
from sidecar.jobs.fortnox_checks import check_fortnox_job
from sidecar.jobs.inbox_worker import has_ready_rows
from sidecar.jobs.inbox_worker import process_inbox
from sidecar.jobs.order_export import run_sweep
from sidecar.jobs.spec import MAX_INTERVAL_SECONDS
from sidecar.jobs.spec import MIN_INTERVAL_SECONDS
from sidecar.jobs.spec import JobContext
from sidecar.jobs.spec import JobFunc
from sidecar.jobs.spec import JobSpec
from sidecar.jobs.spec import interval_for
from sidecar.jobs.spec import is_paused
from sidecar.jobs.spec import settings_of
from sidecar.models import Shop
from sidecar.settings import SettingSpec

__all__ = ["JOBS", "MAX_INTERVAL_SECONDS", "MIN_INTERVAL_SECONDS", "JobContext", "JobFunc",
           "JobSpec", "interval_for", "is_paused", "job_settings", "register"]


def _prune(shop: Shop, ctx: JobContext) -> dict[str, Any]:
    return housekeeping.prune(shop, now=ctx.now)


JOBS: dict[str, JobSpec] = {spec.name: spec for spec in (
    JobSpec(
        name="process_inbox",
        func=process_inbox,
        # Deliveries wake the worker at once; the interval is the safety net.
        default_interval=timedelta(seconds=30),
        description="Work off stored webhook deliveries",
        max_runtime=timedelta(minutes=2),
        has_work=has_ready_rows,
    ),
    JobSpec(
        name="sweep_orders",
        func=run_sweep,
        default_interval=timedelta(minutes=10),
        description="Queue orders a missed webhook would have lost; keep our webhooks active",
        catch_up=True,
        wakes="process_inbox",
    ),
    JobSpec(
        name="prune",
        func=_prune,
        default_interval=timedelta(hours=24),
        description="Delete finished inbox rows, job runs and resolved activity past retention",
    ),
    # Fortnox → WooCommerce (sidecar.jobs.fortnox_to_woo). A first full catalog read of a large
    # shop takes a while at Fortnox's 25 requests per 5 s; the runs renew their lease as they go.
    JobSpec(
        name="order_status",
        func=fortnox_to_woo.order_status_job,
        default_interval=timedelta(minutes=15),
        description="Set Woo orders completed or cancelled as they are in Fortnox",
    ),
    JobSpec(
        name="check_fortnox",
        func=check_fortnox_job,
        # Looks every minute; reads Fortnox only for what is due (sidecar.jobs.fortnox_checks).
        default_interval=timedelta(minutes=1),
        description="Check the settings against Fortnox, and that Fortnox answers",
        quiet=True,
    ),
    JobSpec(
        name="product_sync",
        func=fortnox_to_woo.product_sync_job,
        default_interval=timedelta(hours=1),
        description="Update names, prices, weights and tax classes in WooCommerce from Fortnox",
        max_runtime=timedelta(minutes=30),
    ),
    JobSpec(
        name="stock_sync",
        func=fortnox_to_woo.stock_sync_job,
        default_interval=timedelta(minutes=15),
        description="Update stock quantities in WooCommerce from Fortnox",
        max_runtime=timedelta(minutes=30),
    ),
    JobSpec(
        name="reconcile_daily",
        func=reconcile_report.daily_job,
        # Looks every hour; reports the previous day once, after midnight Swedish time.
        default_interval=timedelta(hours=1),
        description="Reconcile the previous day's WooCommerce sales with Fortnox",
        max_runtime=timedelta(minutes=30),
    ),
)}


def job_settings() -> dict[str, SettingSpec]:
    """Every job's frequency and pause switch, for the app factory to register."""
    return {key: spec for job in JOBS.values() for key, spec in settings_of(job).items()}


def register(spec: JobSpec) -> JobSpec:
    """Add a job at runtime (tests do), with its settings."""
    if spec.name in JOBS:
        raise ValueError(f"job {spec.name!r} is registered twice")
    JOBS[spec.name] = spec
    settings.register(settings_of(spec))
    return spec
