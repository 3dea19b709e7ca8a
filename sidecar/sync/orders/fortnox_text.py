"""Text as Fortnox accepts it: only its allowed characters, and never longer than the field allows.

Fortnox rejects characters outside its list with error 2000359 and over-long values with 2000107
(fortnox-api.md §3, §8.4, §8.5). The allowed set (Fortnox "Formats and encoding"): letters, digits,
space, newline, backtick, acute accent, right single quote, no-break space and
`– : . , ; ^ ¤ # % § £ $ € ¢ ¥ © ™ ° & / ( ) = + - * _ ! ? ² ³ ® ½ @`. ASCII quotes,
`< > [ ] { } | ~` and emoji are not in it.

Truncation works on characters (code points) after NFC normalisation, so it can never split a
UTF-8 sequence; it also never leaves a base letter without the combining mark that followed it,
and trims what would dangle at the cut (spaces, separators).
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass

from sidecar.messages import Message
from sidecar.messages import msg

ALLOWED_SYMBOLS = frozenset(" \n`´’\u00a0–:.,;^¤#%§£$€¢¥©™°&/()=+-*_!?²³®½@")
# Characters with an allowed look-alike: keep the meaning rather than drop the character.
REPLACEMENTS = {"'": "’", "‘": "’", '"': "", "“": "", "”": "", "«": "", "»": "", "\t": " ",
                "\r": "", "—": "–", "…": "...", "<": "(", ">": ")", "[": "(", "]": ")",
                "{": "(", "}": ")", "|": "/", "~": "-"}
DANGLING = " \n\u00a0,;:–-/&(+"

# Maximum lengths. From Fortnox's OpenAPI spec where it states one; the rest from Fortnox's
# documentation as collected in fortnox-api.md §5.1-5.3 and §8.5 (1024 for names and addresses).
CUSTOMER_LIMITS = {
    "Name": 1024, "Address1": 1024, "Address2": 1024, "City": 1024, "ZipCode": 10,
    "DeliveryName": 1024, "DeliveryAddress1": 1024, "DeliveryAddress2": 1024,
    "DeliveryCity": 1024, "DeliveryZipCode": 10, "Email": 1024, "EmailInvoice": 1024,
    "EmailOrder": 1024, "Phone1": 1024, "YourReference": 50, "OurReference": 50,
    "OrganisationNumber": 30, "VATNumber": 30,
}
DOCUMENT_LIMITS = {
    "CustomerName": 1024, "Address1": 1024, "Address2": 1024, "City": 1024, "ZipCode": 1024,
    "DeliveryName": 1024, "DeliveryAddress1": 1024, "DeliveryAddress2": 1024,
    "DeliveryCity": 1024, "DeliveryZipCode": 1024, "Phone1": 1024, "YourReference": 50,
    "OurReference": 50, "Remarks": 1024, "Comments": 1024, "ExternalInvoiceReference1": 80,
    "ExternalInvoiceReference2": 80,
    # The spec allows 75; the Ruby SDK documents 30, so the stricter value is used (§5.2).
    "YourOrderNumber": 30,
}
ROW_DESCRIPTION_LIMIT = 255
ARTICLE_DESCRIPTION_LIMIT = 200
ARTICLE_NUMBER_LIMIT = 50


@dataclass(frozen=True)
class Fitted:
    """A value made fit for Fortnox, and what had to change to get there."""

    value: str
    cleaned: bool = False
    truncated: bool = False


def clean(text: str) -> tuple[str, bool]:
    """Decode HTML entities, normalise, and keep only characters Fortnox accepts."""
    source = unicodedata.normalize("NFC", html.unescape(text or ""))
    kept: list[str] = []
    for char in source:
        if char in REPLACEMENTS:
            kept.append(REPLACEMENTS[char])
        elif char.isalnum() or char in ALLOWED_SYMBOLS:
            kept.append(char)
        elif unicodedata.category(char) == "Mn" and kept:
            kept.append(char)  # a combining mark NFC could not compose stays with its letter
    lines = (" ".join(line.split()) for line in "".join(kept).split("\n"))
    result = "\n".join(lines).strip()
    return result, result != source.strip()


def truncate(text: str, limit: int) -> str:
    """At most `limit` characters, cut where no letter loses its accent and nothing dangles."""
    if len(text) <= limit:
        return text
    end = limit
    while end > 0 and unicodedata.combining(text[end]):
        end -= 1  # the character after the cut belongs to the one before it
    cut = text[:end].rstrip(DANGLING)
    return cut or text[:end]


def fit(text: str, limit: int) -> Fitted:
    cleaned, changed = clean(text)
    short = truncate(cleaned, limit)
    return Fitted(short, cleaned=changed, truncated=short != cleaned)


def fit_fields(values: dict[str, str], limits: dict[str, int], where: str
               ) -> tuple[dict[str, str], list[Message]]:
    """Fit every non-empty value; returns the fitted values and a warning per truncation."""
    fitted: dict[str, str] = {}
    warnings: list[Message] = []
    for name, raw in values.items():
        result = fit(raw, limits.get(name, 1024))
        if not result.value:
            continue
        fitted[name] = result.value
        if result.truncated:
            warnings.append(msg(f"mapping.{where}_field_shortened", field=name,
                                length=len(result.value), limit=limits.get(name, 1024)))
    return fitted, warnings


def fit_zip_code(raw: str, limit: int) -> tuple[str, str | None]:
    """A postcode is useless cut short: drop spaces if that makes it fit, else leave it out.
    Gives (the postcode to send, the postcode left out for being too long)."""
    value, _ = clean(raw)
    if len(value) <= limit:
        return value, None
    compact = value.replace(" ", "")
    if len(compact) <= limit:
        return compact, None
    return "", value
