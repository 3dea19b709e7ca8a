"""WooCommerce billing/shipping details → a Fortnox customer card, how to find it, and its hash.

Matching keys (the use case looks the customer up with them, exact-matching Fortnox's substring
search): the e-mail in lower case, or the organisation number read from an order meta key the
owner names. Guests can share one customer card when the owner wants (a "webbkund"); registered
customers always get their own. A card is a company when there is a company name, an
organisation number or a VAT number; companies see prices without VAT, consumers with VAT (the
rule Fortnox Hub uses, fortnox-api.md §5.1). The hash covers exactly the fields we send, so an
unchanged card costs no PUT.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sidecar.fortnox.customers import normalise_email
from sidecar.fortnox.customers import normalise_organisation_number
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.sync.orders.fortnox_text import CUSTOMER_LIMITS
from sidecar.sync.orders.fortnox_text import fit
from sidecar.sync.orders.fortnox_text import fit_fields
from sidecar.sync.orders.fortnox_text import fit_zip_code
from sidecar.sync.orders.settings import ExportSettings
from sidecar.sync.orders.vat import VatDecision
from sidecar.sync.orders.vat import normalise_vat_number
from sidecar.sync.orders.vat import vat_type_for_order
from sidecar.sync.orders.woo_order import Address
from sidecar.sync.orders.woo_order import WooOrder


@dataclass(frozen=True)
class CustomerMatch:
    """How to find the order's customer in Fortnox: the first non-empty key in `order_of_keys`."""

    email: str
    organisation_number: str
    shared_customer_number: str  # set when this guest goes to the owner's shared card
    order_of_keys: tuple[str, ...]


@dataclass(frozen=True)
class MappedCustomer:
    payload: dict[str, Any]
    match: CustomerMatch
    fields_hash: str
    vat: VatDecision
    is_company: bool
    warnings: tuple[str | Message, ...]


def first_meta(order: WooOrder, keys: tuple[str, ...]) -> str:
    for key in keys:
        value = order.meta.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def delivery_address(order: WooOrder) -> Address:
    """The shipping address; its name from billing when empty, all of billing when it has no
    street (virtual orders)."""
    ship, bill = order.shipping, order.billing
    if not ship.has_street:
        return bill
    if ship.has_name:
        return ship
    return Address(**{**vars(ship), "first_name": bill.first_name, "last_name": bill.last_name,
                      "company": bill.company})


def display_name(address: Address) -> str:
    company, person = address.company.strip(), address.person
    if company and person:
        return f"{company}, {person}"
    return company or person


def fields_hash(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def map_customer(order: WooOrder, settings: ExportSettings) -> MappedCustomer:
    bill = order.billing
    org_number = normalise_organisation_number(
        first_meta(order, (settings.organisation_number_meta_key,)))
    vat_number = normalise_vat_number(first_meta(order, settings.vat_number_meta_keys))
    vat = vat_type_for_order(bill.country, vat_number, bill.state,
                             charged_vat=order.charged_vat and not order.is_vat_exempt)
    is_company = bool(bill.company.strip() or org_number or vat_number)
    warnings: list[str | Message] = [vat.warning] if vat.warning else []
    email = normalise_email(bill.email)
    name = bill.company.strip() if bill.company.strip() else bill.person
    if not fit(name, CUSTOMER_LIMITS["Name"]).value:
        # Fortnox requires a name; one of only spaces or unprintable characters is none.
        name = next(candidate for candidate in (
            email, f"WooCommerce customer {order.customer_id or order.id}")
            if fit(candidate, CUSTOMER_LIMITS["Name"]).value)
        warnings.append(msg("mapping.no_billing_name", name=repr(name)))
    texts = {
        "Name": name, "Address1": bill.address_1, "Address2": bill.address_2,
        "City": bill.city, "Phone1": bill.phone,
        "YourReference": bill.person if bill.company.strip() else "",
    }
    delivery = delivery_address(order)
    texts.update({
        "DeliveryName": display_name(delivery), "DeliveryAddress1": delivery.address_1,
        "DeliveryAddress2": delivery.address_2, "DeliveryCity": delivery.city,
    })
    fitted, truncated = fit_fields(texts, CUSTOMER_LIMITS, "customer")
    payload: dict[str, Any] = dict(fitted)
    warnings.extend(truncated)
    for field_name, raw in (("ZipCode", bill.postcode), ("DeliveryZipCode", delivery.postcode)):
        value, too_long = fit_zip_code(raw, CUSTOMER_LIMITS[field_name])
        if value:
            payload[field_name] = value
        if too_long:
            warnings.append(msg("mapping.postcode_left_out", field=field_name,
                                postcode=repr(too_long), limit=CUSTOMER_LIMITS[field_name]))
    payload.update({
        "Type": "COMPANY" if is_company else "PRIVATE",
        "VATType": vat.vat_type,
        "ShowPriceVATIncluded": not is_company,
        "CountryCode": (bill.country or "SE").upper(),
        "Currency": order.currency,
    })
    if delivery.country:
        payload["DeliveryCountryCode"] = delivery.country.upper()
    if email and len(email) <= CUSTOMER_LIMITS["Email"]:
        payload.update({"Email": email, "EmailInvoice": email, "EmailOrder": email})
    if org_number:
        payload["OrganisationNumber"] = org_number[: CUSTOMER_LIMITS["OrganisationNumber"]]
    if vat_number:
        payload["VATNumber"] = vat_number[: CUSTOMER_LIMITS["VATNumber"]]
    shared = ""
    if order.customer_id == 0 and settings.guests == "shared":
        shared = settings.shared_guest_customer_number
        if not shared:
            warnings.append(msg("mapping.no_shared_guest_customer"))
    keys = ("organisation_number", "email") if settings.match_by == "organisation_number" \
        else ("email", "organisation_number")
    match = CustomerMatch(email=email, organisation_number=org_number,
                          shared_customer_number=shared, order_of_keys=keys)
    return MappedCustomer(payload=payload, match=match, fields_hash=fields_hash(payload),
                          vat=vat, is_company=is_company, warnings=tuple(warnings))
