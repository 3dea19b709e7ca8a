"""Order status, Fortnox → WooCommerce: completed or cancelled in Fortnox, so in the shop too.

``rules`` says, purely, when a Fortnox order means the shop's order is done or cancelled;
``order_status`` reads what changed in Fortnox and applies it.
"""

from sidecar.sync.status.changes import sync_order_status_changes
from sidecar.sync.status.order_status import sync_order_status
from sidecar.sync.status.settings import SETTINGS
from sidecar.sync.status.settings import OrderStatusSettings

__all__ = ["SETTINGS", "OrderStatusSettings", "sync_order_status",
           "sync_order_status_changes"]
