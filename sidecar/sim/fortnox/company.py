"""One Fortnox company: its registers, customers, articles, prices and stock.

The documents (orders, invoices, payments) are kept apart, in `documents`; they work on a
`Company`, and `FortnoxState` (in `state`) holds both.
"""

from __future__ import annotations

import copy
from decimal import Decimal

from sidecar.sim.fortnox import seed
from sidecar.sim.fortnox.articles import ZERO
from sidecar.sim.fortnox.articles import ArticlesMixin
from sidecar.sim.fortnox.customers import CustomersMixin
from sidecar.sim.fortnox.events import STOCK_BALANCES
from sidecar.sim.fortnox.listing import MODIFIED
from sidecar.sim.fortnox.registers import REGISTER_KEYS
from sidecar.sim.fortnox.warehouse import Warehouse


class Company(CustomersMixin, ArticlesMixin):
    """The company's master data, emptied and seeded again on every reset."""

    def _clear_company(self) -> None:
        self.customers = {}
        self.used_customer_numbers = set()
        self.articles = {}
        self.prices = {}
        self.registers = {}
        self.warehouse = Warehouse(on_change=self._stock_changed)

    def _stock_changed(self, item_id: str) -> None:
        self.emit(STOCK_BALANCES, "warehouse-stockbalance-changed-v1", item_id)

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
