"""Write patches to WooCommerce in batches, and say per SKU what happened.

Products go to `/products/batch`; a variation only through its parent's
`/products/{parent}/variations/batch` (WooCommerce re-parents a variation sent through another
parent), so variations cost one batch per parent that has changes. The client splits each
endpoint's items into requests of at most 100. Item errors come back per SKU; a request that
fails as a whole fails its items and is marked retryable.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from sidecar.woocommerce import BatchResult
from sidecar.woocommerce import WooClient
from sidecar.woocommerce import WooError


@dataclass(frozen=True)
class WooWrite:
    sku: str
    product_id: int
    parent_id: int | None  # set for a variation
    patch: Mapping[str, Any]


@dataclass
class WriteReport:
    written: dict[str, dict[str, Any]] = field(default_factory=dict)  # sku → Woo's answer
    errors: dict[str, str] = field(default_factory=dict)  # sku → why it was not written
    requests: int = 0
    retryable_failure: bool = False


def write_to_woo(woo: WooClient, writes: Sequence[WooWrite]) -> WriteReport:
    report = WriteReport()
    by_parent: dict[int | None, list[WooWrite]] = defaultdict(list)
    for write in writes:
        by_parent[write.parent_id].append(write)
    for parent_id in sorted(by_parent, key=lambda p: (p is not None, p or 0)):
        group = by_parent[parent_id]
        skus = {write.product_id: write.sku for write in group}
        items = [{"id": write.product_id, **write.patch} for write in group]
        try:
            result = (woo.batch_products(update=items) if parent_id is None
                      else woo.batch_variations(parent_id, update=items))
        except WooError as exc:
            report.requests += 1
            report.retryable_failure = report.retryable_failure or exc.retryable
            report.errors.update({write.sku: str(exc) for write in group})
            continue
        _read(result, skus, report)
    return report


def _read(result: BatchResult, skus: dict[int, str], report: WriteReport) -> None:
    report.requests += result.requests
    for product in result.updated:
        sku = skus.get(int(product.get("id") or 0))
        if sku is not None:
            report.written[sku] = product
    for error in result.errors:
        sku = skus.get(error.item_id or 0)
        if sku is not None:
            report.errors[sku] = f"{error.message} ({error.code})"
