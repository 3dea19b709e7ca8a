"""Articles, prices and price lists."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from sidecar.fortnox.transport import FortnoxTransport
from sidecar.fortnox.transport import JsonObject
from sidecar.fortnox.transport import unwrap
from sidecar.fortnox.wire import format_lastmodified
from sidecar.fortnox.wire import segment

ARTICLES = "/3/articles"
PRICES = "/3/prices"
PRICE_LISTS = "/3/pricelists"


class CatalogOperations(FortnoxTransport):
    def get_article(self, article_number: str) -> JsonObject:
        return self._get_resource(f"{ARTICLES}/{segment(article_number)}", "Article")

    def iter_articles(self, *, modified_since: datetime | None = None) -> Iterator[JsonObject]:
        """Article list items (ArticleNumber, Description, SalesPrice, QuantityInStock, ...)."""
        params = {"lastmodified": format_lastmodified(modified_since)} if modified_since else {}
        return self._iter_pages(ARTICLES, "Articles", params)

    def create_article(self, article: JsonObject) -> JsonObject:
        """POST, not repeated. With an ArticleNumber given, a repeat would only be refused as
        a duplicate, so after an unknown outcome `get_article` tells what happened."""
        body = self._request("POST", ARTICLES, json={"Article": article}, idempotent=False)
        return unwrap(body, "Article")

    def update_article(self, article_number: str, fields: JsonObject) -> JsonObject:
        """PUT of the given fields. SalesPrice is read-only here: use `update_price`."""
        path = f"{ARTICLES}/{segment(article_number)}"
        body = self._request("PUT", path, json={"Article": fields}, idempotent=True)
        return unwrap(body, "Article")

    def get_price(
        self, price_list: str, article_number: str, from_quantity: Decimal | int | None = None
    ) -> JsonObject:
        return self._get_resource(_price_path(price_list, article_number, from_quantity), "Price")

    def update_price(
        self,
        price_list: str,
        article_number: str,
        price: Decimal,
        from_quantity: Decimal | int | None = None,
    ) -> JsonObject:
        """Set an existing price (ex. VAT); raises `FortnoxNotFound` when there is none yet."""
        body = {"Price": {"ArticleNumber": article_number, "PriceList": price_list, "Price": price}}
        path = _price_path(price_list, article_number, from_quantity)
        return unwrap(self._request("PUT", path, json=body, idempotent=True), "Price")

    def create_price(
        self,
        price_list: str,
        article_number: str,
        price: Decimal,
        from_quantity: Decimal | int = 0,
    ) -> JsonObject:
        # A repeat is refused as a duplicate rather than creating a second price: still, the
        # choke point's rule is that POSTs are never repeated blindly.
        body = {
            "Price": {
                "ArticleNumber": article_number,
                "PriceList": price_list,
                "FromQuantity": from_quantity,
                "Price": price,
            }
        }
        return unwrap(self._request("POST", PRICES, json=body, idempotent=False), "Price")

    def list_price_lists(self) -> list[JsonObject]:
        return list(self._iter_pages(PRICE_LISTS, "PriceLists"))


def _price_path(price_list: str, article_number: str, from_quantity: Decimal | int | None) -> str:
    path = f"{PRICES}/{segment(price_list)}/{segment(article_number)}"
    return path if from_quantity is None else f"{path}/{segment(from_quantity)}"
