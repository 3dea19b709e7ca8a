"""The company's articles, their prices in the price lists, and where their stock is kept.

State only; the views are in `articles_routes`, the stock balances in `warehouse`.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from typing import Any

from sidecar.sim.fortnox import errors as codes
from sidecar.sim.fortnox.errors import invalid
from sidecar.sim.fortnox.errors import not_found
from sidecar.sim.fortnox.events import ARTICLES
from sidecar.sim.fortnox.listing import MODIFIED
from sidecar.sim.fortnox.money import round_ore
from sidecar.sim.fortnox.registers import RegistersMixin
from sidecar.sim.fortnox.values import to_bool
from sidecar.sim.fortnox.values import to_decimal
from sidecar.sim.fortnox.values import to_text
from sidecar.sim.fortnox.warehouse import Warehouse

ZERO = Decimal("0")
VAT_RATES = (Decimal("25"), Decimal("12"), Decimal("6"), Decimal("0"))
SALES_ACCOUNT_BY_VAT = {Decimal("25"): 3001, Decimal("12"): 3002, Decimal("6"): 3003, ZERO: 3004}
ARTICLE_NUMBER = re.compile(r"^[0-9A-Za-zÅÄÖåäö_+/.\-–]+$")
ARTICLE_DEFAULTS: dict[str, Any] = {
    "Active": True, "Bulky": False, "ConstructionAccount": None, "DefaultStockLocation": None,
    "DefaultStockPoint": None, "Depth": None, "EAN": "", "EUAccount": None, "EUVATAccount": None,
    "Expired": False, "ExportAccount": None, "Height": None, "Housework": False,
    "Manufacturer": "", "ManufacturerArticleNumber": "", "Note": "", "PurchaseAccount": 4000,
    "PurchasePrice": ZERO, "SalesAccount": None, "StockGoods": False, "StockPlace": "",
    "StockWarning": ZERO, "SupplierNumber": "", "Type": "STOCK", "Unit": "", "VAT": Decimal("25"),
    "WebshopArticle": False, "Weight": None, "Width": None,
}
ARTICLE_COMPUTED = ("QuantityInStock", "ReservedQuantity", "DisposableQuantity", "StockValue",
                    "SalesPrice")
ARTICLE_BOOLS = ("Active", "Bulky", "Expired", "Housework", "StockGoods", "WebshopArticle")
ARTICLE_NUMBERS = ("PurchasePrice", "VAT", "StockWarning", "DirectCost", "FreightCost",
                   "OtherCost")
ARTICLE_INTS = ("SalesAccount", "EUAccount", "EUVATAccount", "ExportAccount", "PurchaseAccount",
                "ConstructionAccount", "StockAccount", "StockChangeAccount", "Weight", "Width",
                "Height", "Depth")


class ArticlesMixin(RegistersMixin):
    """Articles (with their stock placement and computed stock fields) and prices."""

    articles: dict[str, dict[str, Any]]
    prices: dict[tuple[str, str, Decimal], dict[str, Any]]
    warehouse: Warehouse

    def article(self, number: str, *, in_body: bool = False) -> dict[str, Any]:
        article = self.articles.get(str(number))
        if article is None:
            if in_body:
                raise invalid(codes.ARTICLE_NOT_FOUND, f"Kan inte hitta artikeln ({number})")
            raise not_found(codes.ARTICLE_NOT_FOUND, "Kan inte hitta artikeln.")
        return article

    def is_stock_article(self, article: dict[str, Any]) -> bool:
        return bool(article.get("StockGoods")) and article.get("Type") != "SERVICE"

    def create_article(self, body: dict[str, Any]) -> dict[str, Any]:
        if not to_text(body.get("Description")).strip():
            raise invalid(codes.REQUIRED_FIELD_MISSING, "Benämning måste anges")
        number = to_text(body.get("ArticleNumber"))
        if number:
            if not ARTICLE_NUMBER.match(number):
                raise invalid(codes.VALUE_NOT_ALPHANUMERIC,
                              f"Värdet måste vara alfanumeriskt ({number})")
            if number in self.articles:
                raise invalid(codes.NUMBER_ALREADY_USED, f"Artikelnummer {number} används redan")
        else:
            number = self.next_number(set(self.articles))
        article = {**copy.deepcopy(ARTICLE_DEFAULTS), "ArticleNumber": number}
        self.articles[number] = article
        try:
            self._apply_article_fields(article, body)
        except Exception:
            del self.articles[number]
            raise
        self.emit(ARTICLES, "article-created-v1", number)
        return article

    def update_article(self, number: str, body: dict[str, Any]) -> dict[str, Any]:
        article = self.article(number)
        self._apply_article_fields(article, {k: v for k, v in body.items()
                                             if k != "ArticleNumber"})
        self.emit(ARTICLES, "article-updated-v1", number)
        return article

    def _apply_article_fields(self, article: dict[str, Any], body: dict[str, Any]) -> None:
        for key, value in body.items():
            if key.startswith("@") or key in ARTICLE_COMPUTED:
                continue  # read-only; SalesPrice is written through /3/prices
            if key in ARTICLE_BOOLS:
                article[key] = to_bool(value, key)
            elif key in ARTICLE_NUMBERS:
                article[key] = to_decimal(value, key)
            elif key in ARTICLE_INTS:
                article[key] = int(to_decimal(value, key)) if to_text(value) else None
            elif key == "Unit":
                article[key] = self.check_code("units", value)
            elif key == "DefaultStockPoint":
                text = to_text(value)
                if text and text not in self.warehouse.stock_points:
                    raise invalid(codes.INVALID_PARAMETER, f"Lagerstället finns inte ({text})")
                article[key] = text or None
            else:
                article[key] = to_text(value)
        if article["VAT"] not in VAT_RATES:
            raise invalid(codes.INVALID_PARAMETER, "Kunde inte hämta/hitta moms")
        if "QuantityInStock" in body and self.is_stock_article(article):
            self.set_stock(article["ArticleNumber"], to_decimal(body["QuantityInStock"],
                                                               "QuantityInStock"))
        article[MODIFIED] = self.now()

    def default_location(self, article: dict[str, Any], stock_point: str) -> str:
        location = article.get("DefaultStockLocation") or ""
        return location if location in self.warehouse.location_codes(stock_point) else ""

    def stock_point_for(self, article: dict[str, Any], *codes_in_order: Any) -> str:
        for code in (*codes_in_order, article.get("DefaultStockPoint"),
                     self.config.default_stock_point):
            if code:
                if str(code) not in self.warehouse.stock_points:
                    raise invalid(codes.INVALID_PARAMETER, f"Lagerstället finns inte ({code})")
                return str(code)
        raise invalid(codes.INVALID_PARAMETER, "Lagerställe saknas")

    def set_stock(self, number: str, quantity: Decimal, stock_point: str | None = None,
                  location: str | None = None) -> None:
        """Set a balance outright, as a stock-taking in the Fortnox GUI would."""
        article = self.article(number)
        point = self.stock_point_for(article, stock_point)
        place = self.default_location(article, point) if location is None else location
        self.warehouse.set_balance(number, point, place, round_ore(quantity))
        self.touch_article(number)

    def touch_article(self, number: str) -> None:
        if number in self.articles:
            self.articles[number][MODIFIED] = self.now()

    def article_view(self, article: dict[str, Any]) -> dict[str, Any]:
        number = article["ArticleNumber"]
        in_stock = self.warehouse.in_stock(number)
        reserved = self.warehouse.reserved_quantity(number)
        base_price = self.prices.get((self._default_price_list(), number, ZERO))
        return {
            **article,
            "QuantityInStock": in_stock,
            "ReservedQuantity": reserved,
            "DisposableQuantity": in_stock - reserved,
            "StockValue": round_ore(in_stock * article["PurchasePrice"]),
            "SalesPrice": base_price["Price"] if base_price else ZERO,
        }

    def _default_price_list(self) -> str:
        for code, price_list in self.registers["pricelists"].items():
            if price_list.get("PreSelected"):
                return code
        return "A"

    def price(self, price_list: str, article: str, from_quantity: Decimal) -> dict[str, Any]:
        found = self.prices.get((price_list, article, from_quantity))
        if found is None:
            raise not_found(codes.PRICE_NOT_FOUND, "Kan inte hitta priset.")
        return found

    def set_price(self, price_list: str, article: str, from_quantity: Decimal, amount: Decimal,
                  *, create: bool = True) -> dict[str, Any]:
        self.register_item("pricelists", price_list, in_body=True)
        self.article(article, in_body=True)
        key = (price_list, article, from_quantity)
        if key not in self.prices and not create:
            raise not_found(codes.PRICE_NOT_FOUND, "Kan inte hitta priset.")
        if key in self.prices and create:
            raise invalid(codes.NUMBER_ALREADY_USED, "Priset finns redan")
        self.prices[key] = {
            "ArticleNumber": article,
            "PriceList": price_list,
            "FromQuantity": from_quantity,
            "Price": round_ore(amount),
            "Percent": ZERO,
            "Date": self.now().strftime("%Y-%m-%d %H:%M"),
            MODIFIED: self.now(),
        }
        if price_list == self._default_price_list():
            self.touch_article(article)
            self.emit(ARTICLES, "article-updated-v1", article)
        return self.prices[key]

    def price_for_quantity(self, price_list: str, article: str, quantity: Decimal
                           ) -> Decimal | None:
        """The price list's price for a row: the highest quantity break at or below quantity."""
        breaks = [(fq, p["Price"]) for (pl, art, fq), p in self.prices.items()
                  if pl == price_list and art == article and fq <= abs(quantity)]
        return max(breaks)[1] if breaks else None
