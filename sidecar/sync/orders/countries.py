"""Country names for Fortnox documents.

Customers carry `CountryCode` (ISO-2), but order and invoice headers carry `Country` as a *name*
"of an existing country" (fortnox-api.md §5.2, §8.7). What Fortnox accepts, from the record:
- Swedish or English names both work, and "Sverige" is accepted (accodeing/fortnox-api#153, a
  maintainer's answer from Fortnox support);
- "Sweden" is rejected with "Ogiltigt land: Sweden", so Sweden must be "Sverige", and Czechia must
  be "Czech Republic"; every other EU country tested works with its English name
  (softwerkab/fortnox-csharp-api-sdk#242);
- the Ruby SDK maps SE → "Sverige" and everything else to the English name
  (accodeing/fortnox-api `lib/fortnox/api/mappers/value/country_string.rb`).
So: "Sverige" for SE, English short names otherwise, in their long-standing forms (no "Czechia",
"Türkiye"). A code not in this table gets no `Country` at all (Fortnox then shows the customer
card's country) rather than a guess it might reject.
"""

from __future__ import annotations

COUNTRY_NAMES: dict[str, str] = {
    "SE": "Sverige",
    # EU
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "CY": "Cyprus", "CZ": "Czech Republic",
    "DE": "Germany", "DK": "Denmark", "EE": "Estonia", "ES": "Spain", "FI": "Finland",
    "FR": "France", "GR": "Greece", "HR": "Croatia", "HU": "Hungary", "IE": "Ireland",
    "IT": "Italy", "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "MT": "Malta",
    "NL": "Netherlands", "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SI": "Slovenia",
    "SK": "Slovakia",
    # Rest of Europe
    "AD": "Andorra", "AL": "Albania", "AX": "Åland", "BA": "Bosnia and Herzegovina",
    "BY": "Belarus", "CH": "Switzerland", "FO": "Faroe Islands", "GB": "United Kingdom",
    "GG": "Guernsey", "GI": "Gibraltar", "GL": "Greenland", "IM": "Isle of Man", "IS": "Iceland",
    "JE": "Jersey", "LI": "Liechtenstein", "MC": "Monaco", "MD": "Moldova", "ME": "Montenegro",
    "MK": "North Macedonia", "NO": "Norway", "RS": "Serbia", "SM": "San Marino",
    "TR": "Turkey", "UA": "Ukraine", "VA": "Vatican",
    # Elsewhere, the shops' most common destinations
    "AE": "United Arab Emirates", "AR": "Argentina", "AU": "Australia", "BR": "Brazil",
    "CA": "Canada", "CL": "Chile", "CN": "China", "EG": "Egypt", "HK": "Hong Kong",
    "ID": "Indonesia", "IL": "Israel", "IN": "India", "JP": "Japan", "KR": "South Korea",
    "MA": "Morocco", "MX": "Mexico", "MY": "Malaysia", "NZ": "New Zealand", "PH": "Philippines",
    "QA": "Qatar", "SA": "Saudi Arabia", "SG": "Singapore", "TH": "Thailand", "TW": "Taiwan",
    "US": "United States", "VN": "Vietnam", "ZA": "South Africa",
}


def country_name(code: str) -> str | None:
    """The name to put in a document's Country field, or None when we do not know it."""
    return COUNTRY_NAMES.get((code or "").upper())
