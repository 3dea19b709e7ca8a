"""Write patches to WooCommerce in batches, and say per SKU what happened.

Products go to `/products/batch`; a variation only through its parent's
`/products/{parent}/variations/batch`, so variations cost one batch per parent that has
changes. The client splits each endpoint's items into requests of at most 100. Item errors come
back per SKU; a request that fails as a whole fails its items and is marked retryable.

A variations batch does not check that an item is a variation of that parent: WooCommerce moves
whatever it is sent under the batch's parent (a variation of another product, even a simple
product). So a variation is sent to a parent only when WooCommerce said so in this run: read
under that parent, or by id. Otherwise the parent is asked first, one read for its unchecked
variations; one that is not there any more is looked up by id and written where it now is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from typing import Any

from sidecar.woocommerce import BatchResult
from sidecar.woocommerce import ProductRef
from sidecar.woocommerce import WooClient
from sidecar.woocommerce import WooError
from sidecar.woocommerce import WooNotFound


@dataclass(frozen=True)
class WooWrite:
    sku: str
    product_id: int
    parent_id: int | None  # set for a variation
    patch: Mapping[str, Any]
    parent_verified: bool = False  # WooCommerce said in this run that this is the parent


@dataclass
class WriteReport:
    written: dict[str, dict[str, Any]] = field(default_factory=dict)  # sku → Woo's answer
    errors: dict[str, str] = field(default_factory=dict)  # sku → why it was not written
    moved: dict[str, int | None] = field(default_factory=dict)  # sku → parent found instead
    requests: int = 0
    retryable_failure: bool = False


def write_to_woo(woo: WooClient, writes: Sequence[WooWrite]) -> WriteReport:
    report = WriteReport()
    by_parent = _verified_groups(woo, writes, report)
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


def _verified_groups(woo: WooClient, writes: Sequence[WooWrite],
                     report: WriteReport) -> dict[int | None, list[WooWrite]]:
    """The writes by the endpoint they may go to; variations whose parent is unknown in this
    run are checked with their parent, and found by id when they are not under it."""
    groups: dict[int | None, list[WooWrite]] = defaultdict(list)
    unchecked: dict[int, list[WooWrite]] = defaultdict(list)
    for write in writes:
        if write.parent_id is None or write.parent_verified:
            groups[write.parent_id].append(write)
        else:
            unchecked[write.parent_id].append(write)
    for parent_id, group in sorted(unchecked.items()):
        try:
            present = woo.variation_ids(parent_id, [write.product_id for write in group])
        except WooNotFound:
            present = set()
        except WooError as exc:
            report.retryable_failure = report.retryable_failure or exc.retryable
            report.errors.update({write.sku: str(exc) for write in group})
            continue
        for write in group:
            if write.product_id in present:
                groups[parent_id].append(write)
            else:
                found = _locate(woo, write, report)
                if found is not None:
                    groups[found.parent_id].append(found)
    return groups


def _locate(woo: WooClient, write: WooWrite, report: WriteReport) -> WooWrite | None:
    """Where a product not under its recorded parent is now, read by its id."""
    try:
        ref = ProductRef.from_json(woo.get_product(write.product_id))
    except WooNotFound:
        report.errors[write.sku] = "WooCommerce no longer has this product"
        return None
    except WooError as exc:
        report.retryable_failure = report.retryable_failure or exc.retryable
        report.errors[write.sku] = str(exc)
        return None
    report.moved[write.sku] = ref.parent_id
    return replace(write, parent_id=ref.parent_id, parent_verified=True)


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
