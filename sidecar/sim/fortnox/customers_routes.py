"""`/3/customers`: list, get, create, update."""

from __future__ import annotations

from flask import Blueprint
from flask import Response

from sidecar.sim.fortnox.listing import ListRules
from sidecar.sim.fortnox.rest import body_of
from sidecar.sim.fortnox.rest import locked
from sidecar.sim.fortnox.rest import many
from sidecar.sim.fortnox.rest import one
from sidecar.sim.fortnox.rest import sim
from sidecar.sim.fortnox.rest import url_for_item

bp = Blueprint("fortnox_customers", __name__)

# List item fields, from the spec's CustomerListItem schema.
CUSTOMER_LIST_KEYS = ("Address1", "Address2", "City", "CustomerNumber", "Email", "Name",
                      "OrganisationNumber", "Phone", "ZipCode")
CUSTOMER_RULES = ListRules(
    search={"email": "Email", "organisationnumber": "OrganisationNumber", "name": "Name",
            "customernumber": "CustomerNumber", "zipcode": "ZipCode", "city": "City",
            "phone": "Phone1", "gln": "GLN", "glndelivery": "GLNDelivery"},
    filters={"active": lambda c: c["Active"], "inactive": lambda c: not c["Active"]},
    sort={"customernumber": "CustomerNumber", "name": "Name"},
    default_sort="CustomerNumber",
)


@bp.get("/3/customers")
@locked
def list_customers() -> Response:
    items = [{**c, "Phone": c.get("Phone1", "")} for c in sim().customers.values()]
    return many("Customers", items, CUSTOMER_RULES, CUSTOMER_LIST_KEYS,
                lambda c: url_for_item("customers", c["CustomerNumber"]))


@bp.get("/3/customers/<number>")
@locked
def get_customer(number: str) -> Response:
    return one("Customer", sim().customer(number), url_for_item("customers", number))


@bp.post("/3/customers")
@locked
def create_customer() -> Response:
    customer = sim().create_customer(body_of("Customer", "fortnox_Customer"))
    return one("Customer", customer, url_for_item("customers", customer["CustomerNumber"]), 201)


@bp.put("/3/customers/<number>")
@locked
def update_customer(number: str) -> Response:
    customer = sim().update_customer(number, body_of("Customer", "fortnox_Customer"))
    return one("Customer", customer, url_for_item("customers", number))

