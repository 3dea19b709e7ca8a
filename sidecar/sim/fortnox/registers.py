"""The company's registers: ways and terms of delivery, terms and modes of payment, currencies,
units, accounts and price lists. State only; the views are in `registers_routes`.
"""

from __future__ import annotations

import re
from typing import Any

from sidecar.sim.fortnox import errors as codes
from sidecar.sim.fortnox import seed
from sidecar.sim.fortnox.base import CompanyBase
from sidecar.sim.fortnox.errors import invalid
from sidecar.sim.fortnox.errors import not_found
from sidecar.sim.fortnox.listing import MODIFIED
from sidecar.sim.fortnox.values import BLANK
from sidecar.sim.fortnox.values import to_decimal
from sidecar.sim.fortnox.values import to_text

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


class RegistersMixin(CompanyBase):
    """Lookups and checks of register codes, and saving register items."""

    registers: dict[str, dict[str, dict[str, Any]]]

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
