"""Small registers and company data the settings page offers as choices."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sidecar.fortnox.schemas import ACCOUNT
from sidecar.fortnox.schemas import Account
from sidecar.fortnox.schemas import read
from sidecar.fortnox.transport import FortnoxTransport
from sidecar.fortnox.transport import JsonObject
from sidecar.fortnox.wire import format_lastmodified


class RegisterOperations(FortnoxTransport):
    def list_ways_of_delivery(self) -> list[JsonObject]:
        return list(self._iter_pages("/3/wayofdeliveries", "WayOfDeliveries"))

    def list_terms_of_delivery(self) -> list[JsonObject]:
        return list(self._iter_pages("/3/termsofdeliveries", "TermsOfDeliveries"))

    def list_terms_of_payment(self) -> list[JsonObject]:
        return list(self._iter_pages("/3/termsofpayments", "TermsOfPayments"))

    def list_modes_of_payment(self) -> list[JsonObject]:
        return list(self._iter_pages("/3/modesofpayments", "ModesOfPayments"))

    def list_currencies(self) -> list[JsonObject]:
        return list(self._iter_pages("/3/currencies", "Currencies"))

    def iter_accounts(
        self, *, financial_year: int | None = None, modified_since: datetime | None = None
    ) -> Iterator[Account]:
        """The chart of accounts of one financial year (Fortnox's id; default: the current)."""
        params: dict[str, Any] = {}
        if financial_year is not None:
            params["financialyear"] = financial_year
        if modified_since is not None:
            params["lastmodified"] = format_lastmodified(modified_since)
        for row in self._iter_pages("/3/accounts", "Accounts", params):
            yield read(ACCOUNT, row, "account")

    def get_company_information(self) -> JsonObject:
        """Scope companyinformation: CompanyName, OrganizationNumber, DatabaseNumber (tenant)."""
        return self._get_resource("/3/companyinformation", "CompanyInformation")

    def get_company_settings(self) -> JsonObject:
        """Scope settings: the company's name, numbers, addresses and DatabaseNumber."""
        return self._get_resource("/3/settings/company", "CompanySettings")
