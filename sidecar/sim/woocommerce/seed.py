"""The demo catalogue: the same shop the fixtures were captured from (SEK, Swedish VAT)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sidecar.sim.woocommerce.cart_types import Coupon
from sidecar.sim.woocommerce.store import WooStore

CATEGORY = {"id": 17, "name": "Testvaror", "slug": "testvaror"}
SIMPLE_PRODUCTS: tuple[dict[str, Any], ...] = (
    {
        "name": "Kaffekopp",
        "sku": "RW-MUG-001",
        "regular_price": "149.00",
        "tax_class": "",
        "manage_stock": True,
        "stock_quantity": 100,
        "weight": "0.4",
        "description": "<p>Standard 25 % moms.</p>\n",
    },
    {
        "name": "Kaffebönor 500 g",
        "sku": "RW-FOOD-001",
        "regular_price": "89.00",
        "sale_price": "79.00",
        "tax_class": "reduced-rate",
        "manage_stock": True,
        "stock_quantity": 50,
        "weight": "0.5",
    },
    {
        "name": "Kokbok",
        "sku": "RW-BOOK-001",
        "regular_price": "299.00",
        "tax_class": "super-reduced-rate",
        "manage_stock": True,
        "stock_quantity": 20,
        "weight": "0.9",
    },
    {
        "name": "Presentkort (digitalt)",
        "sku": "RW-GIFT-001",
        "regular_price": "500.00",
        "tax_class": "zero-rate",
        "virtual": True,
    },
)
TEE_SIZES = ("S", "M", "L")
TEE_COLOURS = (("Svart", "BLK"), ("Vit", "WHT"))
COUPONS = (
    Coupon("tio", "percent", Decimal(10)),
    Coupon("femtio", "fixed_cart", Decimal(50)),
)


def seed_demo_shop(store: WooStore) -> list[dict[str, Any]]:
    """Create the demo products (firing product.created like a real shop) and coupons."""
    created = []
    with store.lock:
        for data in SIMPLE_PRODUCTS:
            created.append(store.create_product({**data, "categories": [CATEGORY]}))
        tee = store.create_product(
            {
                "name": "T-shirt",
                "type": "variable",
                "sku": "RW-TEE",
                "categories": [CATEGORY],
                "attributes": [
                    {"name": "Storlek", "options": list(TEE_SIZES), "variation": True},
                    {"name": "Färg", "options": [c for c, _ in TEE_COLOURS], "variation": True},
                ],
                "default_attributes": [
                    {"id": 0, "name": "Storlek", "option": "M"},
                    {"id": 0, "name": "Färg", "option": "Svart"},
                ],
            }
        )
        created.append(tee)
        for size in TEE_SIZES:
            for colour, code in TEE_COLOURS:
                price = "269.00" if (size, code) == ("L", "WHT") else "249.00"
                created.append(
                    store.create_product(
                        {
                            "sku": f"RW-TEE-{code}-{size}",
                            "regular_price": price,
                            "manage_stock": True,
                            "stock_quantity": 10,
                            "attributes": [
                                {"name": "Storlek", "slug": "storlek", "option": size},
                                {"name": "Färg", "slug": "farg", "option": colour},
                            ],
                        },
                        parent_id=tee["id"],
                    )
                )
        for coupon in COUPONS:
            store.coupons[coupon.code] = coupon
    return created
