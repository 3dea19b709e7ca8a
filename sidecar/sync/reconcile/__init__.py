"""Reconciliation: what a missed or disabled webhook would have lost, found again (``sweep``)."""

from sidecar.sync.reconcile.sweep import check_webhooks
from sidecar.sync.reconcile.sweep import sweep_orders

__all__ = ["check_webhooks", "sweep_orders"]
