"""WooCommerce REST v3 client: no Flask and no database inside."""

from sidecar.woocommerce.batch import BatchResult
from sidecar.woocommerce.batch import ItemError
from sidecar.woocommerce.client import WooClient
from sidecar.woocommerce.errors import WooAuthError
from sidecar.woocommerce.errors import WooError
from sidecar.woocommerce.errors import WooInvalidResponse
from sidecar.woocommerce.errors import WooNotFound
from sidecar.woocommerce.errors import WooRateLimited
from sidecar.woocommerce.errors import WooTransient
from sidecar.woocommerce.errors import WooValidationError
from sidecar.woocommerce.errors import WooWrongParent
from sidecar.woocommerce.types import ProductRef
from sidecar.woocommerce.types import ShopSettings
from sidecar.woocommerce.types import TaxClass
from sidecar.woocommerce.types import Webhook
from sidecar.woocommerce.types import parse_money

__all__ = [
    "BatchResult",
    "ItemError",
    "ProductRef",
    "ShopSettings",
    "TaxClass",
    "Webhook",
    "WooAuthError",
    "WooClient",
    "WooError",
    "WooInvalidResponse",
    "WooNotFound",
    "WooRateLimited",
    "WooTransient",
    "WooValidationError",
    "WooWrongParent",
    "parse_money",
]
