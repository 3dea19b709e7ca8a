"""The local SKU → WooCommerce id map, kept fresh from product webhooks."""

from __future__ import annotations

from typing import Any

from sidecar.fields import utcnow
from sidecar.models import InboxEntry
from sidecar.models import ProductLink
from sidecar.models import Shop
from sidecar.sync.catalog.snapshot import digest
from sidecar.sync.catalog.snapshot import to_json
from sidecar.sync.catalog.snapshot import woo_values_from_json
from sidecar.woocommerce.schemas import read_product


def remember_product(shop: Shop, entry: InboxEntry, product: dict[str, Any]) -> str:
    """A product or variation delivery: record where its SKU lives in WooCommerce."""
    read_ = read_product(product)
    if not read_["sku"].strip() or "id" not in product or product.get("type") is None:
        return "no sku"  # deletions and SKU-less products have nothing to map
    sku = read_["sku"].strip()[:100]
    parent = read_["parent_id"] if read_["type"] == "variation" else None
    # The values too: the product and stock sync compare against them (catalog_snapshot).
    snapshot = to_json(woo_values_from_json(product))
    fields = {"woo_product_id": read_["id"], "woo_parent_id": parent or None,
              "woo_snapshot": snapshot, "woo_hash": digest(snapshot), "updated_at": utcnow()}
    updated = (ProductLink.update(**fields)
               .where(ProductLink.shop == shop, ProductLink.sku == sku).execute())
    if not updated:
        ProductLink.insert(shop=shop, sku=sku, **fields).on_conflict_ignore().execute()
    return f"sku {sku}"
