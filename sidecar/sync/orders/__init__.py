"""Order export, WooCommerce → Fortnox: one order gives at most one Fortnox order and invoice.

Follow one order: ``woo_order`` reads it, ``plan`` decides whether and which documents,
``mapping`` builds them (``customer_mapping``, ``lines``, ``rows``, ``rounding``, ``accounts``,
``vat``, ``shipping_patterns``, ``fortnox_text``, ``gift_cards``), ``export`` sends them
through ``customers`` and ``documents`` with every step in the ``ledger``, and ``followups``
handles a cancellation or refund of an order already exported: ``refunds`` books each refund
(``woo_refund`` reads it, ``credit_rows`` maps it, ``credits`` or ``order_corrections`` sends
it, ``refund_ledger`` records it). ``writeback`` puts Fortnox's numbers and documents
(``fortnox_documents``) on the Woo order.
"""

from sidecar.sync.orders.dry_run import as_json
from sidecar.sync.orders.dry_run import as_text
from sidecar.sync.orders.dry_run import dry_run
from sidecar.sync.orders.export import export_order
from sidecar.sync.orders.export_errors import ExportFailed
from sidecar.sync.orders.export_errors import record_activity
from sidecar.sync.orders.fortnox_facts import FortnoxFactsCache
from sidecar.sync.orders.resend import resend_order
from sidecar.sync.orders.settings import SETTINGS
from sidecar.sync.orders.settings import ExportSettings

__all__ = ["SETTINGS", "ExportFailed", "ExportSettings", "FortnoxFactsCache", "as_json",
           "as_text", "dry_run", "export_order", "record_activity", "resend_order"]
