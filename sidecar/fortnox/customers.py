"""Customers: exact-match lookups on top of Fortnox's substring search, create, update."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from marshmallow import post_load

from sidecar.fortnox.schemas import Reading
from sidecar.fortnox.schemas import Text
from sidecar.fortnox.schemas import read
from sidecar.fortnox.transport import FortnoxTransport
from sidecar.fortnox.transport import JsonObject
from sidecar.fortnox.transport import unwrap
from sidecar.fortnox.wire import format_lastmodified
from sidecar.fortnox.wire import segment

CUSTOMERS = "/3/customers"


class CustomerOperations(FortnoxTransport):
    def get_customer(self, customer_number: str) -> JsonObject:
        return self._get_resource(f"{CUSTOMERS}/{segment(customer_number)}", "Customer")

    def create_customer(self, customer: JsonObject) -> JsonObject:
        """POST: not repeated on failure. A retry after an unknown outcome may duplicate the
        customer, which is harmless next to a duplicate order, but look it up by e-mail first."""
        body = self._request("POST", CUSTOMERS, json={"Customer": customer}, idempotent=False)
        return unwrap(body, "Customer")

    def update_customer(self, customer_number: str, fields: JsonObject) -> JsonObject:
        """PUT of the given fields only; sending the same fields twice gives the same card."""
        path = f"{CUSTOMERS}/{segment(customer_number)}"
        body = self._request("PUT", path, json={"Customer": fields}, idempotent=True)
        return unwrap(body, "Customer")

    def iter_customers(self, *, modified_since: datetime | None = None) -> Iterator[JsonObject]:
        params = {"lastmodified": format_lastmodified(modified_since)} if modified_since else {}
        return self._iter_pages(CUSTOMERS, "Customers", params)

    def find_customers_by_email(self, email: str) -> list[JsonObject]:
        """Customers whose e-mail is exactly `email`, ignoring case (Fortnox matches substrings)."""
        wanted = normalise_email(email)
        if not wanted:
            return []
        found = self._iter_pages(CUSTOMERS, "Customers", {"email": email.strip()})
        return [c for c in found if customer_keys(c).email == wanted]

    def find_customers_by_organisation_number(self, number: str) -> list[JsonObject]:
        """Customers with this organisation/personal number, however it is punctuated."""
        wanted = normalise_organisation_number(number)
        if not wanted:
            return []
        # Fortnox may store "556677-8899", "5566778899" or "16556677-8899"; a substring search
        # for the first six digits finds all of them, the exact comparison below picks ours.
        query = wanted[:6]
        found = self._iter_pages(CUSTOMERS, "Customers", {"organisationnumber": query})
        return [c for c in found if customer_keys(c).organisation_number == wanted]


@dataclass(frozen=True)
class CustomerKeys:
    """What a customer is matched by: its number, e-mail and organisation number, normalised."""

    number: str
    email: str
    organisation_number: str


class CustomerKeysSchema(Reading):
    CustomerNumber = Text()
    Email = Text()
    OrganisationNumber = Text()

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> CustomerKeys:
        return CustomerKeys(data["CustomerNumber"], normalise_email(data["Email"]),
                            normalise_organisation_number(data["OrganisationNumber"]))


CUSTOMER_KEYS = CustomerKeysSchema()


def customer_keys(customer: JsonObject) -> CustomerKeys:
    return read(CUSTOMER_KEYS, customer, "customer")  # type: ignore[no-any-return]


def normalise_email(value: str | None) -> str:
    return (value or "").strip().casefold()


def normalise_organisation_number(value: str | None) -> str:
    """Digits without dashes or spaces; a 12-digit form loses its century ("19"/"20"/"16")."""
    compact = re.sub(r"[\s\-‐-―]", "", value or "")
    if len(compact) == 12 and compact.isdigit():
        return compact[2:]
    return compact.upper()
