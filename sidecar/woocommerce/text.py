"""Product names as WooCommerce keeps them: what to send for a plain text, and how to read a
stored name back.

WooCommerce passes a product's name through WordPress's post filter (`wp_filter_post_kses`)
and keeps the result: a bare "&" becomes "&amp;", a lone ">" "&gt;", anything between "<" and
">" that is not an allowed HTML tag is dropped ("<Ä>"), a single backslash disappears, and the
ends are trimmed. Names come back in that stored form ("Tidskrift Kaffe &amp; Co"), while a
Fortnox description is plain text ("Tidskrift Kaffe & Co").

So a plain text is sent with "&", "<", ">" and "\\" written as entities, which the filter keeps
as they are: the shop stores it unchanged and shows it as written. A stored name is read as the
shopper reads it (tags left out, entities decoded), so "&amp;" and "&" are the same name.
"""

from __future__ import annotations

import html
import re

_DROPPED = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F]")  # wp_kses_no_null removes these
_TAG = re.compile(r"<[^>]*>")


def for_shop(text: str) -> str:
    """A plain text as a product name WooCommerce stores exactly, trimmed as it trims."""
    text = _DROPPED.sub("", text).strip()
    return html.escape(text, quote=False).replace("\\", "&#92;")


def as_read(name: str) -> str:
    """A name as WooCommerce stores it, as a shopper reads it: tags left out, entities
    decoded ("Kaffe &amp; Co <b>Extra</b>" reads "Kaffe & Co Extra")."""
    return html.unescape(_TAG.sub("", name))


def same_name(stored: str, wanted: str) -> bool:
    """Whether the shop's stored name already reads as `wanted` (either form)."""
    return as_read(stored).strip() == as_read(wanted).strip()
