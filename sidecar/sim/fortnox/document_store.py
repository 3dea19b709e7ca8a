"""The documents' registers and lookups, and how a document is built from a request body
(header, rows, defaults from the customer and article), moves stock and gets its totals.

What may be done with each kind of document (the rules Fortnox enforces) is in `documents`.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from datetime import date
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sidecar.sim.fortnox import errors as codes
from sidecar.sim.fortnox.articles import SALES_ACCOUNT_BY_VAT
from sidecar.sim.fortnox.company import Company
from sidecar.sim.fortnox.document_kinds import COUNTRY_NAMES
from sidecar.sim.fortnox.document_kinds import HEADER_BOOLS
from sidecar.sim.fortnox.document_kinds import HEADER_DATES
from sidecar.sim.fortnox.document_kinds import HEADER_NUMBERS
from sidecar.sim.fortnox.document_kinds import INVOICE
from sidecar.sim.fortnox.document_kinds import ORDER
from sidecar.sim.fortnox.document_kinds import READ_ONLY
from sidecar.sim.fortnox.document_kinds import REGISTER_FIELDS
from sidecar.sim.fortnox.document_kinds import ROW_NUMBERS
from sidecar.sim.fortnox.document_kinds import ROW_READ_ONLY
from sidecar.sim.fortnox.document_kinds import VAT_CODES
from sidecar.sim.fortnox.document_kinds import ZERO
from sidecar.sim.fortnox.document_kinds import Kind
from sidecar.sim.fortnox.errors import invalid
from sidecar.sim.fortnox.errors import not_found
from sidecar.sim.fortnox.events import INVOICES
from sidecar.sim.fortnox.events import ORDERS
from sidecar.sim.fortnox.listing import MODIFIED
from sidecar.sim.fortnox.listing import swedish_date
from sidecar.sim.fortnox.money import RowInput
from sidecar.sim.fortnox.money import document_totals
from sidecar.sim.fortnox.money import round_ore
from sidecar.sim.fortnox.values import to_bool
from sidecar.sim.fortnox.values import to_date
from sidecar.sim.fortnox.values import to_decimal
from sidecar.sim.fortnox.values import to_text


def _ocr(number: str) -> str:
    """Number, length digit and Luhn check digit: the usual Swedish OCR reference."""
    digits = f"{number}{(len(number) + 2) % 10}"
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return f"{digits}{(10 - total % 10) % 10}"


class DocumentStore:
    """Orders, invoices and payments by number, on one company."""

    def __init__(self, state: Company) -> None:
        self.state = state
        self.orders: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        self.payments: dict[str, dict[str, Any]] = {}
        self.last_row_id = 0

    # Lookups -------------------------------------------------------------------------------

    def order(self, number: str) -> dict[str, Any]:
        if str(number) not in self.orders:
            raise not_found(codes.ORDER_NOT_FOUND, "Kan inte hitta ordern.")
        return self.orders[str(number)]

    def invoice(self, number: str, *, in_body: bool = False) -> dict[str, Any]:
        if str(number) not in self.invoices:
            if in_body:
                raise invalid(codes.INVOICE_NOT_FOUND, f"Kan inte hitta fakturan ({number})")
            raise not_found(codes.INVOICE_NOT_FOUND, "Kan inte hitta fakturan.")
        return self.invoices[str(number)]

    def payment(self, number: str) -> dict[str, Any]:
        if str(number) not in self.payments:
            raise not_found(codes.NOT_FOUND_GENERIC, "Kan inte hitta inbetalningen.")
        return self.payments[str(number)]

    # Building and saving documents -----------------------------------------------------------

    def _new_document(self, kind: Kind, store: dict[str, dict[str, Any]], body: dict[str, Any]
                      ) -> dict[str, Any]:
        customer_number = to_text(body.get("CustomerNumber"))
        if not customer_number:
            raise invalid(codes.REQUIRED_FIELD_MISSING, "Kundnummer måste anges")
        customer = self.state.customer(customer_number, in_body=True)
        number = to_text(body.get("DocumentNumber"))
        if number and (number in store or not number.isdigit()):
            raise invalid(codes.NUMBER_ALREADY_USED, f"Dokumentnummer {number} är upptaget")
        doc = copy.deepcopy(kind.header)
        if kind is ORDER:
            del doc["DeliveryState"]  # set after the body, from the company default
        doc.update({
            "DocumentNumber": number or self.state.next_number(set(store)),
            "_stock_moved": {}, "_stock_reserved": {}, "_paid": ZERO,
            kind.date_field: swedish_date(self.state.now()).isoformat(),
        })
        country = customer.get("CountryCode") or ""
        for doc_key, customer_key in (
            ("CustomerName", "Name"), ("Address1", "Address1"), ("Address2", "Address2"),
            ("ZipCode", "ZipCode"), ("City", "City"), ("Phone1", "Phone1"), ("Phone2", "Phone2"),
            ("OrganisationNumber", "OrganisationNumber"), ("DeliveryName", "DeliveryName"),
            ("DeliveryAddress1", "DeliveryAddress1"), ("DeliveryAddress2", "DeliveryAddress2"),
            ("DeliveryZipCode", "DeliveryZipCode"), ("DeliveryCity", "DeliveryCity"),
            ("Currency", "Currency"), ("PriceList", "PriceList"),
            ("TermsOfPayment", "TermsOfPayment"), ("TermsOfDelivery", "TermsOfDelivery"),
            ("WayOfDelivery", "WayOfDelivery"), ("YourReference", "YourReference"),
            ("OurReference", "OurReference"), ("VATIncluded", "ShowPriceVATIncluded"),
        ):
            if customer.get(customer_key) not in (None, ""):
                doc[doc_key] = customer[customer_key]
        doc["Country"] = COUNTRY_NAMES.get(country, country)
        return doc

    def _save(self, kind: Kind, store: dict[str, dict[str, Any]], doc: dict[str, Any],
              body: dict[str, Any]) -> dict[str, Any]:
        self._apply_header(kind, doc, body, creating=True)
        if doc["Currency"] != "SEK" and "CurrencyRate" not in body:
            currency = self.state.register_item("currencies", doc["Currency"])
            doc["CurrencyRate"] = currency["SellRate"]
            doc["CurrencyUnit"] = currency["Unit"]
        if kind is INVOICE:
            if not doc["DueDate"]:
                days = self.state.terms_days(doc["TermsOfPayment"] or "30")
                due = date.fromisoformat(doc["InvoiceDate"]) + timedelta(days=days)
                doc["DueDate"] = due.isoformat()
            doc["OCR"] = doc["OCR"] or _ocr(doc["DocumentNumber"])
        self._apply_rows(kind, doc, body.get(kind.rows_key, []), replacing=False)
        return self._commit(kind, store, doc)

    def _commit(self, kind: Kind, store: dict[str, dict[str, Any]], doc: dict[str, Any]
                ) -> dict[str, Any]:
        self._settle_stock(kind, doc)
        self._recompute(kind, doc)
        created = doc["DocumentNumber"] not in store
        store[doc["DocumentNumber"]] = doc
        self._changed(kind, doc, "created" if created else "updated")
        return doc

    def _changed(self, kind: Kind, doc: dict[str, Any], what: str) -> None:
        """Tell the change feed: `order-updated-v1`, `invoice-bookkeep-v1`, ..."""
        topic = ORDERS if kind is ORDER else INVOICES
        self.state.emit(topic, f"{kind.name.lower()}-{what}-v1", doc["DocumentNumber"])

    def _apply_header(self, kind: Kind, doc: dict[str, Any], body: dict[str, Any], *,
                      creating: bool) -> None:
        for key, value in body.items():
            if key == kind.rows_key or key in READ_ONLY or key.startswith("@"):
                continue
            if key == "CustomerNumber":
                doc[key] = self.state.customer(to_text(value), in_body=True)["CustomerNumber"]
            elif key in HEADER_BOOLS:
                doc[key] = to_bool(value, key)
            elif key in HEADER_NUMBERS:
                doc[key] = to_decimal(value, key)
            elif key in HEADER_DATES:
                doc[key] = to_date(value, key) if to_text(value) else None
            elif key in REGISTER_FIELDS:
                doc[key] = self.state.check_code(REGISTER_FIELDS[key], value) or (
                    "SEK" if key == "Currency" else "")
            elif key == "StockPointCode":
                code = to_text(value)
                if code and code not in self.state.warehouse.stock_points:
                    raise invalid(codes.INVALID_PARAMETER, f"Lagerstället finns inte ({code})")
                doc[key] = code or None
            elif key == "DeliveryState" and kind is INVOICE:
                continue  # invoices are always delivered
            elif isinstance(value, dict):
                doc[key] = {**(doc.get(key) or {}), **copy.deepcopy(value)}
            elif isinstance(value, list):
                doc[key] = copy.deepcopy(value)
            else:
                doc[key] = to_text(value)
        if kind is ORDER and creating and "DeliveryState" not in doc:
            doc["DeliveryState"] = self.state.config.default_order_delivery_state

    def _apply_rows(self, kind: Kind, doc: dict[str, Any], rows_body: Any, *, replacing: bool
                    ) -> None:
        if not isinstance(rows_body, list) or not all(isinstance(r, dict) for r in rows_body):
            raise invalid(codes.WRONG_DATA_STRUCTURE, "Felaktig datastruktur.")
        previous = {row["RowId"]: row for row in doc[kind.rows_key]} if replacing else {}
        by_row_id = any("RowId" in row for row in rows_body)
        new_rows = []
        for row_body in rows_body:
            earlier = None
            if by_row_id and "RowId" in row_body:
                earlier = previous.get(int(to_decimal(row_body["RowId"], "RowId")))
                if earlier is None:
                    raise invalid(codes.INVALID_PARAMETER,
                                  f"Raden finns inte ({row_body['RowId']})")
            new_rows.append(self._build_row(kind, doc, row_body, earlier))
        for row in new_rows:
            self.last_row_id += 1
            row["RowId"] = self.last_row_id
        doc[kind.rows_key] = new_rows

    def _build_row(self, kind: Kind, doc: dict[str, Any], body: dict[str, Any],
                   earlier: dict[str, Any] | None) -> dict[str, Any]:
        row = copy.deepcopy(earlier) if earlier else copy.deepcopy(kind.row)
        for key, value in body.items():
            if key in ROW_READ_ONLY:
                continue
            if key in ROW_NUMBERS:
                row[key] = to_decimal(value, key)
            elif key == "AccountNumber":
                row[key] = self.state.check_account(value) if to_text(value) else None
            elif key == "DiscountType":
                if value not in ("AMOUNT", "PERCENT"):
                    raise invalid(codes.INVALID_PARAMETER, f"Ogiltig rabattyp ({value})")
                row[key] = value
            elif key == "HouseWork":
                row[key] = to_bool(value, key)
            elif isinstance(value, dict | list):
                row[key] = copy.deepcopy(value)
            else:
                row[key] = to_text(value) if value is not None else None
        fresh = earlier is None
        article = self.state.article(row["ArticleNumber"], in_body=True) \
            if row["ArticleNumber"] else None
        if kind is ORDER and fresh:
            if "DeliveredQuantity" not in body:
                row["DeliveredQuantity"] = row["OrderedQuantity"]
            if "OrderedQuantity" not in body:
                row["OrderedQuantity"] = row["DeliveredQuantity"]
        for key in ("DeliveredQuantity", "OrderedQuantity", "Price", "Discount"):
            if key in row:
                row[key] = round_ore(row[key])
        customer = self.state.customers.get(doc["CustomerNumber"], {})
        if fresh and article is not None:
            if "Description" not in body:
                row["Description"] = article["Description"]
            if "Unit" not in body:
                row["Unit"] = article.get("Unit") or ""
            if "VAT" not in body:
                row["VAT"] = article["VAT"]
            if "Price" not in body:
                row["Price"] = self._list_price(doc, article, row["DeliveredQuantity"])
        if fresh and "VAT" not in body and customer.get("VATType") in ("EUREVERSEDVAT", "EXPORT"):
            row["VAT"] = ZERO
        if row["VAT"] not in VAT_CODES:
            raise invalid(codes.INVALID_PARAMETER, f"Kunde inte hämta/hitta moms ({row['VAT']})")
        row["VATCode"] = VAT_CODES[row["VAT"]]
        if row["AccountNumber"] is None and (article is not None or row["Price"] != ZERO):
            row["AccountNumber"] = self._default_account(customer, article, row["VAT"])
        return row

    def _list_price(self, doc: dict[str, Any], article: dict[str, Any], quantity: Decimal
                    ) -> Decimal:
        price = self.state.price_for_quantity(doc["PriceList"] or "A", article["ArticleNumber"],
                                              quantity)
        if price is None:
            return ZERO
        if doc["Currency"] != "SEK" and doc["CurrencyRate"]:
            return round_ore(price / doc["CurrencyRate"])  # price lists are in kronor
        return price

    @staticmethod
    def _default_account(customer: dict[str, Any], article: dict[str, Any] | None,
                         vat: Decimal) -> int:
        article = article or {}
        by_vat_type = {"EUREVERSEDVAT": ("EUAccount", 3108), "EUVAT": ("EUVATAccount", 3106),
                       "EXPORT": ("ExportAccount", 3105)}
        vat_type = customer.get("VATType") or "SEVAT"
        if vat_type in by_vat_type:
            field_name, fallback = by_vat_type[vat_type]
            return int(article.get(field_name) or fallback)
        return int(article.get("SalesAccount") or SALES_ACCOUNT_BY_VAT[vat])

    def _settle_stock(self, kind: Kind, doc: dict[str, Any]) -> None:
        """Move stock by the difference between what the document holds and what it should."""
        state, warehouse = self.state, self.state.warehouse
        mode = "delivery" if kind is INVOICE else doc.get("DeliveryState") or "delivery"
        if doc["Cancelled"]:
            mode = "none"
        old_moved: dict[tuple[str, str, str], Decimal] = doc["_stock_moved"]
        old_reserved: dict[tuple[str, str], Decimal] = doc["_stock_reserved"]
        moved: dict[tuple[str, str, str], Decimal] = defaultdict(lambda: ZERO)
        reserved: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
        for row in doc[kind.rows_key] if mode != "none" else []:
            article = state.articles.get(row["ArticleNumber"] or "")
            if article is None or not state.is_stock_article(article):
                continue
            point = state.stock_point_for(article, row.get("StockPointCode"),
                                          doc.get("StockPointCode"))
            key = (article["ArticleNumber"], point, state.default_location(article, point))
            if mode == "delivery":
                quantity = row["DeliveredQuantity"]
                if quantity > ZERO and not state.config.allow_negative_stock:
                    # Fortnox Lager saves what it cannot deliver as delivered quantity 0.
                    available = warehouse.balances[key] + old_moved.get(key, ZERO) - moved[key]
                    quantity = min(quantity, max(available, ZERO))
                    row["DeliveredQuantity"] = quantity
                moved[key] += quantity
            elif mode == "reservation":
                item_point = key[:2]
                available = (warehouse.in_stock(*item_point)
                             - warehouse.reserved_quantity(*item_point)
                             + old_reserved.get(item_point, ZERO) - reserved[item_point])
                quantity = max(ZERO, min(row["OrderedQuantity"], available))
                row["ReservedQuantity"] = quantity
                reserved[item_point] += quantity
        for key in set(old_moved) | set(moved):
            delta = moved.get(key, ZERO) - old_moved.get(key, ZERO)
            if delta:
                warehouse.move(*key, -delta)
                state.touch_article(key[0])
        for item_point in set(old_reserved) | set(reserved):
            delta = reserved.get(item_point, ZERO) - old_reserved.get(item_point, ZERO)
            if delta:
                warehouse.reserve(*item_point, delta)
                state.touch_article(item_point[0])
        doc["_stock_moved"] = {k: v for k, v in moved.items() if v}
        doc["_stock_reserved"] = {k: v for k, v in reserved.items() if v}

    def _recompute(self, kind: Kind, doc: dict[str, Any]) -> None:
        config = self.state.config
        rows = doc[kind.rows_key]
        totals = document_totals(
            [RowInput(price=row["Price"], quantity=row["DeliveredQuantity"], vat=row["VAT"],
                      discount=row["Discount"], discount_type=row["DiscountType"])
             for row in rows],
            vat_included=doc["VATIncluded"],
            freight=doc["Freight"],
            administration_fee=doc["AdministrationFee"],
            freight_vat_rate=config.freight_vat_rate,
            administration_fee_vat_rate=config.administration_fee_vat_rate,
            round_to_whole_kronor=config.round_totals_to_whole_kronor
            and doc["Currency"] == "SEK",
        )
        for row, amounts in zip(rows, totals.rows, strict=True):
            row["Total"] = amounts.total
            if kind is INVOICE:
                row["PriceExcludingVAT"] = amounts.price_excluding_vat
                row["TotalExcludingVAT"] = amounts.total_excluding_vat
        doc.update({
            "Net": totals.net, "Gross": totals.gross, "FreightVAT": totals.freight_vat,
            "AdministrationFeeVAT": totals.administration_fee_vat, "TotalVAT": totals.total_vat,
            "RoundOff": totals.round_off, "Total": totals.total, "TotalToPay": totals.total,
            MODIFIED: self.state.now(),
        })
        if kind is INVOICE and not doc["Cancelled"]:
            doc["Balance"] = totals.total - doc["_paid"]
