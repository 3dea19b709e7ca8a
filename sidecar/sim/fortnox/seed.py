"""What a fresh Fortnox company has (chart of accounts, terms, currencies) plus a little demo data.

The BAS accounts are general Swedish bookkeeping knowledge, not read from Fortnox; VAT codes
follow what a recorded real order shows (`MP1` on a 25 % sales row) and the SKV box numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

ACCOUNTS: list[tuple[int, str, str]] = [
    (1510, "Kundfordringar", ""),
    (1580, "Fordringar för kontokort och kuponger", ""),
    (1910, "Kassa", ""),
    (1920, "PlusGiro", ""),
    (1930, "Företagskonto / checkkonto / affärskonto", ""),
    (2420, "Förskott från kunder", ""),
    (2421, "Ej inlösta presentkort", ""),  # BAS since 2020 (FAR: "Presentkort")
    (2611, "Utgående moms på försäljning inom Sverige, 25 %", "10"),
    (2621, "Utgående moms på försäljning inom Sverige, 12 %", "11"),
    (2631, "Utgående moms på försäljning inom Sverige, 6 %", "12"),
    (2614, "Utgående moms omvänd skattskyldighet, 25 %", "30"),
    (3001, "Försäljning inom Sverige, 25 % moms", "MP1"),
    (3002, "Försäljning inom Sverige, 12 % moms", "MP2"),
    (3003, "Försäljning inom Sverige, 6 % moms", "MP3"),
    (3004, "Försäljning inom Sverige, momsfri", "MF"),
    (3041, "Försäljning tjänster inom Sverige, 25 % moms", "MP1"),
    (3042, "Försäljning tjänster inom Sverige, 12 % moms", "MP2"),
    (3043, "Försäljning tjänster inom Sverige, 6 % moms", "MP3"),
    (3044, "Försäljning tjänster inom Sverige, momsfri", "MF"),
    (3105, "Försäljning varor till land utanför EU", "36"),
    (3106, "Försäljning varor till annat EU-land, momspliktig", "MP1"),
    (3108, "Försäljning varor till annat EU-land, momsfri", "35"),
    (3305, "Försäljning tjänster till land utanför EU", "40"),
    (3308, "Försäljning tjänster till annat EU-land", "39"),
    (3520, "Fakturerade frakter", "MP1"),
    (3521, "Fakturerade frakter, EU-land", "MP1"),
    (3522, "Fakturerade frakter, export", "36"),
    (3540, "Faktureringsavgifter", "MP1"),
    (3541, "Faktureringsavgifter, EU-land", "MP1"),
    (3542, "Faktureringsavgifter, export", "36"),
    (3740, "Öres- och kronutjämning", ""),
    (4000, "Inköp av varor från Sverige", ""),
]

# (code, description, days to pay)
TERMS_OF_PAYMENT: list[tuple[str, str, int]] = [
    ("0", "Kontant", 0),
    ("10", "10 dagar netto", 10),
    ("15", "15 dagar netto", 15),
    ("20", "20 dagar netto", 20),
    ("30", "30 dagar netto", 30),
    ("K", "Kortbetalning", 0),
]

REGISTERS: dict[str, list[dict[str, Any]]] = {
    "wayofdeliveries": [
        {"Code": "P", "Description": "Postpaket", "DescriptionEnglish": "Parcel"},
        {"Code": "DHL", "Description": "DHL", "DescriptionEnglish": "DHL"},
        {"Code": "BUD", "Description": "Bud", "DescriptionEnglish": "Courier"},
        {"Code": "HÄMT", "Description": "Hämtas", "DescriptionEnglish": "Pick-up"},
    ],
    "termsofdeliveries": [
        {"Code": "FVL", "Description": "Fritt vårt lager", "DescriptionEnglish": "Ex works"},
        {"Code": "FK", "Description": "Fritt kund", "DescriptionEnglish": "Free delivered"},
    ],
    "termsofpayments": [
        {"Code": code, "Description": text} for code, text, _ in TERMS_OF_PAYMENT
    ],
    "modesofpayments": [
        {"Code": "BG", "Description": "Bankgiro", "AccountNumber": "1930"},
        {"Code": "PG", "Description": "PlusGiro", "AccountNumber": "1920"},
        {"Code": "KONT", "Description": "Kontant", "AccountNumber": "1910"},
        {"Code": "KORT", "Description": "Kortbetalning", "AccountNumber": "1580"},
        {"Code": "SWISH", "Description": "Swish", "AccountNumber": "1930"},
    ],
    "currencies": [
        {"Code": "SEK", "Description": "Svenska kronor", "BuyRate": Decimal("1"),
         "SellRate": Decimal("1"), "Unit": Decimal("1"), "IsAutomatic": False},
        {"Code": "EUR", "Description": "Euro", "BuyRate": Decimal("11.45"),
         "SellRate": Decimal("11.55"), "Unit": Decimal("1"), "IsAutomatic": True},
        {"Code": "USD", "Description": "US-dollar", "BuyRate": Decimal("10.45"),
         "SellRate": Decimal("10.55"), "Unit": Decimal("1"), "IsAutomatic": True},
        {"Code": "NOK", "Description": "Norska kronor", "BuyRate": Decimal("0.98"),
         "SellRate": Decimal("0.99"), "Unit": Decimal("1"), "IsAutomatic": True},
        {"Code": "DKK", "Description": "Danska kronor", "BuyRate": Decimal("1.53"),
         "SellRate": Decimal("1.55"), "Unit": Decimal("1"), "IsAutomatic": True},
    ],
    "units": [
        {"Code": "st", "Description": "Styck"},
        {"Code": "h", "Description": "Timme"},
        {"Code": "kg", "Description": "Kilogram"},
    ],
    "accounts": [
        {"Number": number, "Description": text, "Active": True, "VATCode": vat_code,
         "SRU": None, "Year": None}
        for number, text, vat_code in ACCOUNTS
    ],
}

PRICE_LISTS = [
    {"Code": "A", "Description": "Grundprislista", "Comments": "", "PreSelected": True},
    {"Code": "B", "Description": "Återförsäljare", "Comments": "", "PreSelected": False},
]

STOCK_POINTS = [
    {"code": "MAIN", "name": "Huvudlager",
     "stockLocations": [{"code": "A1", "name": "Hylla A1"}, {"code": "B1", "name": "Hylla B1"}]},
    {"code": "STORE", "name": "Butiken", "stockLocations": []},
]

DEMO_CUSTOMERS = [
    {"Name": "Anna Andersson", "Email": "anna@example.se", "Type": "PRIVATE",
     "Address1": "Storgatan 1", "ZipCode": "11122", "City": "Stockholm", "CountryCode": "SE"},
    {"Name": "Byggbolaget AB", "Email": "info@byggbolaget.example", "Type": "COMPANY",
     "OrganisationNumber": "556677-8899", "Address1": "Industrivägen 4", "ZipCode": "41100",
     "City": "Göteborg", "CountryCode": "SE"},
]

# (article number, description, price in list A excl. VAT, VAT, stock in MAIN)
DEMO_ARTICLES: list[tuple[str, str, str, str, str]] = [
    ("TSHIRT-S", "T-shirt, small", "159.20", "25", "40"),
    ("MUG", "Kaffemugg", "79.20", "25", "12"),
    ("BOOK-1", "Kokbok", "224.53", "6", "5"),
    ("GIFTWRAP", "Presentinslagning", "20.00", "25", "0"),
]
