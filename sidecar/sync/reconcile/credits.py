"""Which Fortnox credit invoice answers which WooCommerce refund: the one place that knows how a
refund and its credit are tied together.

Today the ties are: the ledger's step `credit:<refund id>` names the credit's number; a partial
refund's credit carries `refund-<id>` in ExternalInvoiceReference2 (and the order's key plus
`/refund-<id>` in ExternalInvoiceReference1); a whole-invoice credit (Fortnox's `/credit`)
carries the order's key and the negated total. When the way credits are made changes, this
function changes, and nothing else in the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass

from sidecar.sync.reconcile.facts import REFUND_MARKER
from sidecar.sync.reconcile.facts import Document
from sidecar.sync.reconcile.facts import Refund
from sidecar.sync.reconcile.facts import shown_totals


@dataclass(frozen=True)
class RefundPairs:
    paired: tuple[tuple[Refund, Document], ...]
    refunds_alone: tuple[Refund, ...]
    credits_alone: tuple[Document, ...]


def pair_refunds(refunds: Sequence[Refund], credits: Sequence[Document],
                 recorded: Mapping[int, str]) -> RefundPairs:
    """Pair each refund with its credit: first by the credit number the ledger recorded for the
    refund, then by the refund marker on the credit, then by amount. `credits` are the live
    (not cancelled) credit invoices that name the order."""
    left = list(credits)
    paired: list[tuple[Refund, Document]] = []
    alone: list[Refund] = []
    rules = (
        lambda refund, credit: recorded.get(refund.id) == credit.number,
        lambda refund, credit: credit.marker == f"{REFUND_MARKER}{refund.id}",
        lambda refund, credit: not credit.marker.startswith(REFUND_MARKER)
        and -credit.total in shown_totals(refund.amount, credit.currency),
    )
    waiting = sorted(refunds, key=lambda r: r.id)
    for rule in rules:
        still: list[Refund] = []
        for refund in waiting:
            found = next((c for c in left if rule(refund, c)), None)
            if found is None:
                still.append(refund)
            else:
                left.remove(found)
                paired.append((refund, found))
        waiting = still
    alone.extend(waiting)
    return RefundPairs(tuple(paired), tuple(alone), tuple(left))
