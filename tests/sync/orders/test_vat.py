"""VAT type per country and VAT number; country names Fortnox accepts on documents."""

from __future__ import annotations

import pytest

from sidecar.sync.orders.countries import country_name
from sidecar.sync.orders.vat import vat_type
from sidecar.sync.orders.vat import vat_type_for_order


@pytest.mark.parametrize(("country", "vat_number", "state", "expected"), [
    ("SE", "", "", "SEVAT"),
    ("SE", "SE556000000101", "", "SEVAT"),
    ("DE", "DE123456789", "", "EUREVERSEDVAT"),
    ("DE", "", "", "EUVAT"),
    ("GR", "EL123456789", "", "EUREVERSEDVAT"),
    ("NO", "NO123456789MVA", "", "EXPORT"),
    ("GB", "GB123456789", "", "EXPORT"),
    ("AX", "", "", "EXPORT"),  # Åland is outside the EU VAT area
    ("ES", "", "TF", "EXPORT"),  # Canary Islands too
    ("ES", "", "M", "EUVAT"),
    ("", "", "", "SEVAT"),
])
def test_vat_type_follows_country_and_vat_number(country, vat_number, state, expected) -> None:
    assert vat_type(country, vat_number, state).vat_type == expected


def test_vat_charged_to_an_eu_business_is_booked_with_vat_and_warned() -> None:
    decision = vat_type_for_order("DE", "DE123456789", "", charged_vat=True)
    assert decision.vat_type == "EUVAT" and decision.market == "eu"
    assert decision.warning is not None


def test_vat_charged_outside_the_eu_is_a_swedish_sale() -> None:
    decision = vat_type_for_order("US", "", "", charged_vat=True)
    assert decision.vat_type == "SEVAT" and decision.warning is not None


@pytest.mark.parametrize(("code", "name"), [
    ("SE", "Sverige"), ("se", "Sverige"), ("CZ", "Czech Republic"), ("DE", "Germany"),
    ("US", "United States"), ("XK", None),
])
def test_documents_carry_country_names_fortnox_accepts(code: str, name: str | None) -> None:
    assert country_name(code) == name
