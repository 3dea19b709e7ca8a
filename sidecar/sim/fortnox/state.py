"""The simulated Fortnox company: registers, customers, articles, prices, and the runtime knobs.

Moto-style: this module holds state and business rules and knows nothing of HTTP. Orders,
invoices and payments live in `fortnox_documents`, stock in `fortnox_warehouse`. Every public
method expects the caller to hold `state.lock` (the HTTP layer takes it once per request).
"""

from __future__ import annotations

import copy
import re
import secrets
import threading
from collections import Counter
from collections import deque
from datetime import datetime
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sidecar.sim.fortnox import errors as codes
from sidecar.sim.fortnox import seed as seed
from sidecar.sim.fortnox.config import FortnoxSimConfig
from sidecar.sim.fortnox.errors import invalid
from sidecar.sim.fortnox.errors import not_found
from sidecar.sim.fortnox.listing import MODIFIED
from sidecar.sim.fortnox.money import round_ore
from sidecar.sim.fortnox.oauth import SlidingWindowLimiter
from sidecar.sim.fortnox.oauth import TokenIssuer
from sidecar.sim.fortnox.spec import SpecChecker
from sidecar.sim.fortnox.values import BLANK
from sidecar.sim.fortnox.values import to_bool
from sidecar.sim.fortnox.values import to_decimal
from sidecar.sim.fortnox.values import to_text
from sidecar.sim.fortnox.warehouse import Warehouse

ZERO = Decimal("0")
VAT_RATES = (Decimal("25"), Decimal("12"), Decimal("6"), Decimal("0"))
SALES_ACCOUNT_BY_VAT = {Decimal("25"): 3001, Decimal("12"): 3002, Decimal("6"): 3003, ZERO: 3004}
ARTICLE_NUMBER = re.compile(r"^[0-9A-Za-zÅÄÖåäö_+/.\-–]+$")

# register name -> (code field, not-found code); the HTTP layer maps names to wrappers.
REGISTER_KEYS: dict[str, tuple[str, int]] = {
    "wayofdeliveries": ("Code", codes.NOT_FOUND_GENERIC),
    "termsofdeliveries": ("Code", codes.TERMS_OF_DELIVERY_NOT_FOUND),
    "termsofpayments": ("Code", codes.TERMS_OF_PAYMENT_NOT_FOUND),
    "modesofpayments": ("Code", codes.NOT_FOUND_GENERIC),
    "currencies": ("Code", codes.CURRENCY_NOT_FOUND),
    "units": ("Code", codes.NOT_FOUND_GENERIC),
    "accounts": ("Number", codes.ACCOUNT_NOT_FOUND),
    "pricelists": ("Code", codes.PRICE_LIST_NOT_FOUND),
}

CUSTOMER_DEFAULTS: dict[str, Any] = {
    "Active": True, "Address1": "", "Address2": "", "City": "", "Comments": "", "CostCenter": "",
    "Country": "", "CountryCode": "", "Currency": "SEK", "DeliveryAddress1": "",
    "DeliveryAddress2": "", "DeliveryCity": "", "DeliveryCountry": "", "DeliveryCountryCode": "",
    "DeliveryName": "", "DeliveryPhone1": "", "DeliveryZipCode": "", "Email": "",
    "EmailInvoice": "", "EmailOrder": "", "EmailOffer": "", "ExternalReference": "", "GLN": "",
    "GLNDelivery": "", "OrganisationNumber": "", "OurReference": "", "Phone1": "", "Phone2": "",
    "PriceList": "A", "Project": "", "SalesAccount": None, "ShowPriceVATIncluded": False,
    "TermsOfDelivery": "", "TermsOfPayment": "", "Type": "COMPANY", "VATNumber": "",
    "VATType": "SEVAT", "WayOfDelivery": "", "YourReference": "", "ZipCode": "",
}
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


class FortnoxState:
    """One Fortnox company, its OAuth clients and the simulator's runtime counters."""

    def __init__(self, config: FortnoxSimConfig) -> None:
        self.config = config
        self.lock = threading.RLock()
        self.spec = SpecChecker.load(config.spec_path,
                                     reject_unknown_fields=config.reject_unknown_fields)
        self.tokens = TokenIssuer(client_id=config.client_id, client_secret=config.client_secret,
                                  signing_key=secrets.token_bytes(32))
        self.limiter = SlidingWindowLimiter()
        self.clock_offset = timedelta(0)
        self.reset()

    # Time and housekeeping ----------------------------------------------------------------

    def now(self) -> datetime:
        """Current UTC time; `clock_offset` lets tests travel forward (`POST /_sim/clock`)."""
        return self.config.clock() + self.clock_offset

    def reset(self) -> None:
        """Back to a freshly seeded company; OAuth tokens survive so connected clients stay so."""
        from sidecar.sim.fortnox.documents import Documents  # the documents need a state

        self.knobs = copy.deepcopy(self.config.knobs)
        self.limiter.clear()
        self.request_log: deque[dict[str, Any]] = deque(maxlen=self.config.request_log_size)
        self.counters: Counter[tuple[str, int]] = Counter()
        self.customers: dict[str, dict[str, Any]] = {}
        self.used_customer_numbers: set[str] = set()
        self.articles: dict[str, dict[str, Any]] = {}
        self.prices: dict[tuple[str, str, Decimal], dict[str, Any]] = {}
        self.registers: dict[str, dict[str, dict[str, Any]]] = {}
        self.warehouse = Warehouse()
        self.documents = Documents(self)
        self._seed_company()

    def _seed_company(self) -> None:
        now = self.now()
        for name, items in seed.REGISTERS.items():
            code_field = REGISTER_KEYS[name][0]
            self.registers[name] = {
                str(item[code_field]): {**copy.deepcopy(item), MODIFIED: now} for item in items
            }
        self.registers["pricelists"] = {
            pl["Code"]: {**pl, MODIFIED: now} for pl in seed.PRICE_LISTS
        }
        for point in seed.STOCK_POINTS:
            self.warehouse.add_stock_point(point)
        if self.config.seed_demo_data:
            for customer in seed.DEMO_CUSTOMERS:
                self.create_customer(dict(customer))
            for number, text, price, vat, stock in seed.DEMO_ARTICLES:
                self.create_article({"ArticleNumber": number, "Description": text, "VAT": vat,
                                     "StockGoods": number != "GIFTWRAP",
                                     "QuantityInStock": stock, "WebshopArticle": True})
                self.set_price("A", number, ZERO, Decimal(price))

    # Registers (ways/terms of delivery, terms/modes of payment, currencies, accounts, ...) --

    def register(self, name: str) -> dict[str, dict[str, Any]]:
        return self.registers[name]

    def register_item(self, name: str, code: str, *, in_body: bool = False) -> dict[str, Any]:
        item = self.registers[name].get(str(code))
        if item is None:
            not_found_code = REGISTER_KEYS[name][1]
            message = f"Kan inte hitta {name} ({code})"
            raise invalid(not_found_code, message) if in_body else not_found(not_found_code,
                                                                               message)
        return item

    def check_code(self, name: str, code: Any) -> str:
        """Validate a reference to a register; empty means "none", as Fortnox accepts ""."""
        text = to_text(code)
        if text:
            self.register_item(name, text, in_body=True)
        return text

    def save_register_item(self, name: str, body: dict[str, Any], code: str | None = None
                           ) -> dict[str, Any]:
        code_field = REGISTER_KEYS[name][0]
        items = self.registers[name]
        if code is None:
            new_code = to_text(body.get(code_field))
            if not new_code:
                raise invalid(codes.REQUIRED_FIELD_MISSING, f"{code_field} måste anges")
            if new_code in items:
                raise invalid(codes.NUMBER_ALREADY_USED, f"{code_field} {new_code} används redan")
            item: dict[str, Any] = {code_field: int(new_code) if name == "accounts" else new_code}
            items[new_code] = item
        else:
            item = self.register_item(name, code)
        for key, value in body.items():
            if key != code_field and not key.startswith("@"):
                item[key] = "" if value == BLANK else value
        item[MODIFIED] = self.now()
        return item

    def terms_days(self, code: str) -> int:
        for term_code, _, days in seed.TERMS_OF_PAYMENT:
            if term_code == code:
                return days
        digits = re.sub(r"\D", "", code)
        return int(digits) if digits else 30

    def check_account(self, number: Any) -> int:
        account = int(to_decimal(number, "AccountNumber"))
        if str(account) not in self.registers["accounts"]:
            raise invalid(codes.ACCOUNT_IN_REQUEST_NOT_FOUND, f"Kunde inte hitta konto {account}")
        return account

    # Customers -------------------------------------------------------------------------------

    def customer(self, number: str, *, in_body: bool = False) -> dict[str, Any]:
        customer = self.customers.get(str(number))
        if customer is None:
            if in_body:
                raise invalid(codes.CUSTOMER_NOT_FOUND, f"Kan inte hitta kunden ({number})")
            raise not_found(codes.CUSTOMER_NOT_FOUND, "Kan inte hitta kunden.")
        return customer

    def create_customer(self, body: dict[str, Any]) -> dict[str, Any]:
        if not to_text(body.get("Name")).strip():
            raise invalid(codes.REQUIRED_FIELD_MISSING, "Kundens namn måste anges")
        number = to_text(body.get("CustomerNumber"))
        if number:
            if number in self.used_customer_numbers:
                raise invalid(codes.CUSTOMER_NUMBER_USED,
                              f"Kundnummer {number} används redan. Kundnumret har redan använts "
                              "men blivit raderat.")
        else:
            number = self._next_number(self.used_customer_numbers)
        customer = {**copy.deepcopy(CUSTOMER_DEFAULTS), "CustomerNumber": number}
        self._apply_customer_fields(customer, body)
        self.customers[number] = customer
        self.used_customer_numbers.add(number)
        return customer

    def update_customer(self, number: str, body: dict[str, Any]) -> dict[str, Any]:
        customer = self.customer(number)
        self._apply_customer_fields(customer, {k: v for k, v in body.items()
                                               if k != "CustomerNumber"})
        return customer

    def _apply_customer_fields(self, customer: dict[str, Any], body: dict[str, Any]) -> None:
        for key, value in body.items():
            if key.startswith("@"):
                continue
            if key in ("Active", "ShowPriceVATIncluded"):
                customer[key] = to_bool(value, key)
            elif key in ("PriceList", "TermsOfPayment", "TermsOfDelivery", "WayOfDelivery",
                         "Currency"):
                register = {"PriceList": "pricelists", "TermsOfPayment": "termsofpayments",
                            "TermsOfDelivery": "termsofdeliveries",
                            "WayOfDelivery": "wayofdeliveries", "Currency": "currencies"}[key]
                customer[key] = self.check_code(register, value)
            elif key == "SalesAccount":
                customer[key] = str(self.check_account(value)) if to_text(value) else None
            elif isinstance(value, dict | list):
                customer[key] = copy.deepcopy(value)
            else:
                customer[key] = to_text(value)
        customer[MODIFIED] = self.now()

    # Articles, prices, stock ----------------------------------------------------------------

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
            number = self._next_number(set(self.articles))
        article = {**copy.deepcopy(ARTICLE_DEFAULTS), "ArticleNumber": number}
        self.articles[number] = article
        try:
            self._apply_article_fields(article, body)
        except Exception:
            del self.articles[number]
            raise
        return article

    def update_article(self, number: str, body: dict[str, Any]) -> dict[str, Any]:
        article = self.article(number)
        self._apply_article_fields(article, {k: v for k, v in body.items()
                                             if k != "ArticleNumber"})
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
        return self.prices[key]

    def price_for_quantity(self, price_list: str, article: str, quantity: Decimal
                           ) -> Decimal | None:
        """The price list's price for a row: the highest quantity break at or below quantity."""
        breaks = [(fq, p["Price"]) for (pl, art, fq), p in self.prices.items()
                  if pl == price_list and art == article and fq <= abs(quantity)]
        return max(breaks)[1] if breaks else None

    @staticmethod
    def _next_number(used: set[str]) -> str:
        numeric = [int(n) for n in used if n.isdigit()]
        return str(max(numeric, default=0) + 1)
