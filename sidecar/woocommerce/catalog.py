"""Products, variations and tax classes.

A variation is found through `/products?sku=` like any product, but it can only be written
through its parent: `/products/{parent}/variations/{id}` (WooCommerce answers 404 to a PUT on
`/products/{variation id}`), and batches go to `/products/{parent}/variations/batch`.

The parent must be right. A single PUT through another product is refused with 403
`woocommerce_rest_cannot_edit` (`WooWrongParent` here, not an authentication failure); a
variations batch is not checked at all and moves what it is sent under its parent, so check
first with `variation_ids`. Names come back HTML-escaped (see `sidecar.woocommerce.text`), and a
variation's name is WooCommerce's own: its attribute values under its parent's `/variations`,
"<parent> - <values>" under `/products`.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sidecar.woocommerce.base import PER_PAGE
from sidecar.woocommerce.base import WooBase
from sidecar.woocommerce.batch import BatchResult
from sidecar.woocommerce.batch import chunked
from sidecar.woocommerce.batch import read_batch_response
from sidecar.woocommerce.errors import WooAuthError
from sidecar.woocommerce.errors import WooError
from sidecar.woocommerce.errors import WooWrongParent
from sidecar.woocommerce.types import CheckoutMethod
from sidecar.woocommerce.types import ProductRef
from sidecar.woocommerce.types import TaxClass
from sidecar.woocommerce.types import format_wc_datetime
from sidecar.woocommerce.types import product_endpoint


class Catalog(WooBase):
    """Product operations of `WooClient`."""

    def iter_products(self, *, modified_after: datetime | None = None) -> Iterator[dict[str, Any]]:
        """Every product (any status), or those changed after an aware datetime.

        Variations are not in this list; read them with `iter_variations(parent_id)`.
        """
        for page in self._pages("products", _listing(modified_after)):
            yield from page

    def iter_variations(
        self, parent_id: int, *, modified_after: datetime | None = None
    ) -> Iterator[dict[str, Any]]:
        for page in self._pages(f"products/{int(parent_id)}/variations", _listing(modified_after)):
            yield from page

    def get_product(self, product_id: int) -> dict[str, Any]:
        return self._get(f"products/{int(product_id)}")

    def products_by_id(self, product_ids: Sequence[int]) -> list[dict[str, Any]]:
        """The products (not variations) with these ids, in one request per hundred."""
        ids = sorted({int(i) for i in product_ids if i})
        found: list[dict[str, Any]] = []
        for start in range(0, len(ids), PER_PAGE):
            chunk = ",".join(str(i) for i in ids[start : start + PER_PAGE])
            found.extend(self._get_list("products", {"include": chunk, "per_page": PER_PAGE}))
        return found

    def get_variation(self, parent_id: int, variation_id: int) -> dict[str, Any]:
        try:
            return self._get(f"products/{int(parent_id)}/variations/{int(variation_id)}")
        except WooAuthError as error:
            raise self._wrong_parent(error, variation_id, parent_id) from None

    def variation_ids(self, parent_id: int, ids: Sequence[int]) -> set[int]:
        """Which of `ids` WooCommerce lists as variations of `parent_id` now."""
        found: set[int] = set()
        wanted = sorted({int(i) for i in ids})
        for start in range(0, len(wanted), PER_PAGE):
            chunk = wanted[start : start + PER_PAGE]
            listed = self._get_list(f"products/{int(parent_id)}/variations",
                                    {"include": ",".join(map(str, chunk)), "per_page": PER_PAGE})
            found.update(int(v["id"]) for v in listed if isinstance(v, Mapping) and "id" in v)
        return found & set(wanted)

    def create_product(self, product: Mapping[str, Any]) -> dict[str, Any]:
        """Money fields as strings or Decimal (sent as strings), never float."""
        return self._post("products", dict(product))

    def update_product(
        self, product_id: int, patch: Mapping[str, Any], *, parent_id: int | None = None
    ) -> dict[str, Any]:
        """Patch a product, or a variation when `parent_id` is given (see `ProductRef`)."""
        try:
            return self._put(product_endpoint(product_id, parent_id=parent_id), dict(patch))
        except WooAuthError as error:
            raise self._wrong_parent(error, product_id, parent_id) from None

    def _wrong_parent(self, error: WooAuthError, product_id: int,
                      parent_id: int | None) -> WooError:
        """A 403 `woocommerce_rest_cannot_edit` on a variation route is either a parent that
        does not match or a missing capability: the product's own parent_id tells."""
        if parent_id is None or error.status != 403 or error.code != "woocommerce_rest_cannot_edit":
            return error
        actual = self.get_product(product_id)
        real_parent = int(actual.get("parent_id") or 0)
        if real_parent in (0, int(parent_id)):
            return error  # WooCommerce only checks the parent of a product that has one
        return WooWrongParent(
            f"Product {int(product_id)} is not a variation of product {int(parent_id)}; "
            f"WooCommerce has it under product {real_parent}",
            parent_id=ProductRef.from_json(actual).parent_id, status=error.status,
            code=error.code)

    def find_by_sku(self, sku: str) -> ProductRef | None:
        """The product or variation whose SKU is exactly `sku`, or None.

        WooCommerce splits the `sku` parameter on commas, so a SKU holding a comma is not
        found; we keep only exact matches of what it returns.
        """
        if not sku:
            raise ValueError("an empty SKU matches nothing")
        matches = [
            item
            for item in self._get_list("products", {"sku": sku, "per_page": 10})
            if isinstance(item, Mapping) and item.get("sku") == sku
        ]
        return ProductRef.from_json(matches[0]) if matches else None

    def batch_products(
        self,
        *,
        create: Sequence[Mapping[str, Any]] = (),
        update: Sequence[Mapping[str, Any]] = (),
        delete: Sequence[int] = (),
    ) -> BatchResult:
        """Create/update/delete products in requests of at most 100 objects.

        Items WooCommerce refused are in `result.errors`. If a whole request fails, its
        error is raised and earlier requests stay applied: send updates that set absolute
        values (a price, a stock quantity), so the same batch can simply be sent again.
        """
        return self._batch("products/batch", create, update, delete)

    def batch_variations(
        self,
        parent_id: int,
        *,
        create: Sequence[Mapping[str, Any]] = (),
        update: Sequence[Mapping[str, Any]] = (),
        delete: Sequence[int] = (),
    ) -> BatchResult:
        """As `batch_products`, for the variations of one parent product."""
        return self._batch(f"products/{int(parent_id)}/variations/batch", create, update, delete)

    def payment_gateways(self) -> list[CheckoutMethod]:
        """The enabled payment gateways (their id is an order's `payment_method`)."""
        return [CheckoutMethod(str(item["id"]), str(item.get("title") or item["id"]))
                for item in self._get_list("payment_gateways")
                if isinstance(item, dict) and item.get("id") and item.get("enabled")]

    def shipping_methods(self) -> list[CheckoutMethod]:
        """The enabled shipping methods of every zone, with the title customers see."""
        found = []
        for zone in self._get_list("shipping/zones"):
            if not isinstance(zone, dict) or not isinstance(zone.get("id"), int):
                continue
            for item in self._get_list(f"shipping/zones/{zone['id']}/methods"):
                if isinstance(item, dict) and item.get("enabled") and item.get("method_id"):
                    found.append(CheckoutMethod(str(item["method_id"]),
                                                str(item.get("title") or item["method_id"]),
                                                zone=str(zone.get("name") or "")))
        return found

    def tax_classes(self) -> list[TaxClass]:
        """Valid `tax_class` slugs; WooCommerce stores an unknown slug silently as standard."""
        return [
            TaxClass(slug=str(item["slug"]), name=str(item.get("name") or item["slug"]))
            for item in self._get_list("taxes/classes")
        ]

    def _batch(
        self,
        endpoint: str,
        create: Sequence[Mapping[str, Any]],
        update: Sequence[Mapping[str, Any]],
        delete: Sequence[int],
    ) -> BatchResult:
        result = BatchResult()
        for body in chunked(create=create, update=update, delete=delete):
            result += read_batch_response(body, self._post(endpoint, body))
        return result


def _listing(modified_after: datetime | None) -> dict[str, Any]:
    # Ordered by id, so pages stay stable while the shop edits products during the walk.
    params: dict[str, Any] = {"orderby": "id", "order": "asc"}
    if modified_after is not None:
        params["modified_after"] = format_wc_datetime(modified_after)
        params["dates_are_gmt"] = "true"
    return params
