"""Registers (`/3/wayofdeliveries`, `/3/termsofpayments`, `/3/currencies`, `/3/accounts`, ...)
and the company's information and settings.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import Response
from flask import jsonify

from sidecar.sim.fortnox.listing import ListRules
from sidecar.sim.fortnox.rest import body_of
from sidecar.sim.fortnox.rest import locked
from sidecar.sim.fortnox.rest import many
from sidecar.sim.fortnox.rest import one
from sidecar.sim.fortnox.rest import sim
from sidecar.sim.fortnox.rest import url_for_item

bp = Blueprint("fortnox_registers", __name__)

# register path -> (list wrapper, item wrapper, spec schema of the request object)
REGISTERS = {
    "wayofdeliveries": ("WayOfDeliveries", "WayOfDelivery", "fortnox_WayOfDelivery"),
    "termsofdeliveries": ("TermsOfDeliveries", "TermsOfDelivery", "fortnox_TermsOfDelivery"),
    "termsofpayments": ("TermsOfPayments", "TermsOfPayment", "fortnox_TermsOfPayment"),
    "modesofpayments": ("ModesOfPayments", "ModeOfPayment", "fortnox_ModeOfPayment"),
    "currencies": ("Currencies", "Currency", "fortnox_Currency"),
    "units": ("Units", "Unit", "fortnox_Unit"),
    "accounts": ("Accounts", "Account", "fortnox_AccountPayload"),
    "pricelists": ("PriceLists", "PriceList", "fortnox_PriceList"),
}



def _register_views(name: str) -> None:
    list_wrapper, item_wrapper, schema = REGISTERS[name]
    code_field = "Number" if name == "accounts" else "Code"

    def item_url(item: dict[str, Any]) -> str:
        return url_for_item(name, str(item[code_field]))

    @locked
    def list_items() -> Response:
        rules = ListRules(sort={code_field.lower(): code_field}, default_sort=code_field)
        return many(list_wrapper, list(sim().register(name).values()), rules, None, item_url)

    @locked
    def get_item(code: str) -> Response:
        item = sim().register_item(name, code)
        return one(item_wrapper, item, item_url(item))

    @locked
    def create_item() -> Response:
        item = sim().save_register_item(name, body_of(item_wrapper, schema))
        return one(item_wrapper, item, item_url(item), 201)

    @locked
    def update_item(code: str) -> Response:
        item = sim().save_register_item(name, body_of(item_wrapper, schema), code)
        return one(item_wrapper, item, item_url(item))

    bp.add_url_rule(f"/3/{name}", f"list_{name}", list_items, methods=["GET"])
    bp.add_url_rule(f"/3/{name}", f"create_{name}", create_item, methods=["POST"])
    bp.add_url_rule(f"/3/{name}/<code>", f"get_{name}", get_item, methods=["GET"])
    bp.add_url_rule(f"/3/{name}/<code>", f"update_{name}", update_item, methods=["PUT"])


for _name in REGISTERS:
    _register_views(_name)


@bp.get("/3/companyinformation")
@locked
def company_information() -> Response:
    config = sim().config
    return jsonify({"CompanyInformation": {
        "Address": "Simulatorgatan 1", "City": "Stockholm", "CountryCode": "SE",
        "DatabaseNumber": config.tenant_id, "CompanyName": config.company_name,
        "OrganizationNumber": config.organisation_number, "VisitAddress": "Simulatorgatan 1",
        "VisitCity": "Stockholm", "VisitCountryCode": "SE", "VisitZipCode": "11122",
        "ZipCode": "11122",
    }})


@bp.get("/3/settings/company")
@locked
def company_settings() -> Response:
    config = sim().config
    return jsonify({"CompanySettings": {
        "Address": "Simulatorgatan 1", "BG": "123-4567", "BIC": "", "BranchCode": "",
        "City": "Stockholm", "ContactFirstName": "Sim", "ContactLastName": "Ulator",
        "Country": "Sverige", "CountryCode": "SE", "DatabaseNumber": str(config.tenant_id),
        "Domicile": "Stockholm", "Email": "info@sim.example", "Fax": "", "IBAN": "",
        "Name": config.company_name, "OrganizationNumber": config.organisation_number,
        "PG": "", "Phone1": "08-123 45 67", "Phone2": "", "TaxEnabled": True,
        "VATNumber": "SE" + config.organisation_number.replace("-", "") + "01",
        "VisitAddress": "", "VisitCity": "", "VisitCountry": "", "VisitCountryCode": "",
        "VisitName": "", "VisitZipCode": "", "WWW": "", "ZipCode": "11122",
    }})

