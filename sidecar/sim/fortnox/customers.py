"""The company's customers. State only; the views are in `customers_routes`."""

from __future__ import annotations

import copy
from typing import Any

from sidecar.sim.fortnox import errors as codes
from sidecar.sim.fortnox.errors import invalid
from sidecar.sim.fortnox.errors import not_found
from sidecar.sim.fortnox.listing import MODIFIED
from sidecar.sim.fortnox.registers import RegistersMixin
from sidecar.sim.fortnox.values import to_bool
from sidecar.sim.fortnox.values import to_text

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


class CustomersMixin(RegistersMixin):
    """Customers: lookup, create, update (their register references checked)."""

    customers: dict[str, dict[str, Any]]
    used_customer_numbers: set[str]

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
            number = self.next_number(self.used_customer_numbers)
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
