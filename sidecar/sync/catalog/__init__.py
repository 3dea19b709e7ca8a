"""The catalog, Fortnox → WooCommerce: product data and stock, matched by SKU.

``refresh`` reads each side into ``snapshot``'s link book; ``product_patch`` says what a
Fortnox article should make of its WooCommerce product; ``product_sync`` and ``stock_sync``
write the differences through ``woo_writes``. ``products_report`` and ``product_create`` serve
the products page; ``product_links`` keeps the SKU map fresh from product webhooks.
"""

from sidecar.sync.catalog.changes import sync_catalog_changes
from sidecar.sync.catalog.product_create import CreateRefused
from sidecar.sync.catalog.product_create import create_fortnox_article
from sidecar.sync.catalog.product_create import create_woo_product
from sidecar.sync.catalog.product_links import remember_product
from sidecar.sync.catalog.product_sync import sync_products
from sidecar.sync.catalog.products_report import products_report
from sidecar.sync.catalog.settings import SETTINGS
from sidecar.sync.catalog.settings import ProductSettings
from sidecar.sync.catalog.settings import StockSettings
from sidecar.sync.catalog.stock_sync import sync_stock

__all__ = ["SETTINGS", "CreateRefused", "ProductSettings", "StockSettings",
           "create_fortnox_article", "create_woo_product", "products_report", "remember_product",
           "sync_catalog_changes", "sync_products", "sync_stock"]
