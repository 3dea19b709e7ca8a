"""Reconciliation: what a missed or disabled webhook would have lost, found again (``sweep``),
and the report of WooCommerce's sales against what Fortnox holds, to the öre (``run_report``:
``reader`` reads, ``report`` compares, ``credits`` pairs refunds with credit invoices,
``outcome`` is what it found).
"""

from sidecar.sync.reconcile.outcome import PROBLEM_KINDS
from sidecar.sync.reconcile.outcome import Report
from sidecar.sync.reconcile.run import ReportFailed
from sidecar.sync.reconcile.run import build_report
from sidecar.sync.reconcile.run import period_text
from sidecar.sync.reconcile.run import record_problems
from sidecar.sync.reconcile.run import run_report
from sidecar.sync.reconcile.run import start
from sidecar.sync.reconcile.run import stored_report
from sidecar.sync.reconcile.settings import SETTINGS
from sidecar.sync.reconcile.settings import ReportSettings
from sidecar.sync.reconcile.sweep import check_webhooks
from sidecar.sync.reconcile.sweep import sweep_orders

__all__ = ["PROBLEM_KINDS", "SETTINGS", "Report", "ReportFailed", "ReportSettings",
           "build_report", "check_webhooks", "period_text", "record_problems", "run_report",
           "start", "stored_report", "sweep_orders"]
