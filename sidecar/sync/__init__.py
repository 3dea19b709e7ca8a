"""The domain: pure mapping between WooCommerce and Fortnox, and the use cases that apply it.

One subpackage per workflow, each naming its entry points in its ``__init__``:

- ``orders``: a WooCommerce order into Fortnox, exactly once (parse, plan, map, rows, rounding,
  customers, accounts, VAT, documents, the ledger, cancellations and refunds after export);
- ``catalog``: Fortnox articles as WooCommerce products, and stock (snapshots, patches, the
  products report and creating the missing side);
- ``status``: Fortnox's order status back to the WooCommerce order;
- ``reconcile``: the sweep that finds what a missed webhook would have lost.

``cursors`` is shared: where an incremental read got to.
"""
