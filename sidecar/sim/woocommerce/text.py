"""What WordPress does to text on its way in and out: `wp_filter_post_kses` on product names
and descriptions, `sanitize_title` for slugs, `wpautop` on descriptions shown in view context.

Modelled on WordPress 6.4's kses.php and formatting.php; the captured exchanges in
tests/fixtures/woocommerce/rest (001, 013, 103, 104) are the yardstick:

- a bare `&` becomes `&amp;`; valid entities (`&amp;`, `&gt;`, `&#123;`, `&#x1F;`) stay, so the
  filter is idempotent; an unknown `&foo;` becomes `&amp;foo;`;
- every `<...>` chunk (up to the next `>`, or to the end) is kept only if it is an allowed post
  tag (`<b>`, `<p>`, `<a href>`...), rebuilt with its allowed attributes; anything else
  (`<Ä>`, `<script>`, `< 3`) is removed whole; a lone `>` becomes `&gt;`;
- quotes are left alone. Backslashes go through stripslashes (source, not captured).

Attribute filtering is simplified: the allowed attributes per element, values quoted again,
and `javascript:`-like protocols dropped.
"""

from __future__ import annotations

import re
import unicodedata
from html.entities import name2codepoint

_GLOBAL_ATTRIBUTES = {"class", "id", "style", "title", "role", "dir", "lang", "xml:lang"}
_ELEMENT_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "rel", "rev", "name", "target", "download", "referrerpolicy"},
    "img": {"alt", "align", "border", "height", "hspace", "loading", "longdesc", "vspace",
            "src", "usemap", "width", "decoding"},
    "td": {"abbr", "align", "axis", "bgcolor", "char", "charoff", "colspan", "headers",
           "height", "nowrap", "rowspan", "scope", "valign", "width"},
    "th": {"abbr", "align", "axis", "bgcolor", "char", "charoff", "colspan", "headers",
           "height", "nowrap", "rowspan", "scope", "valign", "width"},
    "table": {"align", "bgcolor", "border", "cellpadding", "cellspacing", "rules", "summary",
              "width"},
    "ol": {"start", "type", "reversed"},
    "li": {"align", "value"},
    "p": {"align"},
    "div": {"align"},
    "span": {"align"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "font": {"color", "face", "size"},
}
# WordPress's $allowedposttags, by element name.
_POST_TAGS = {
    "address", "a", "abbr", "acronym", "area", "article", "aside", "audio", "b", "bdo", "big",
    "blockquote", "br", "button", "caption", "cite", "code", "col", "colgroup", "del", "dd",
    "dfn", "details", "div", "dl", "dt", "em", "fieldset", "figure", "figcaption", "font",
    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "i", "img",
    "ins", "kbd", "label", "legend", "li", "main", "map", "mark", "menu", "nav", "object", "p",
    "pre", "q", "rb", "rp", "rt", "rtc", "ruby", "s", "samp", "span", "section", "small",
    "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "textarea", "tfoot",
    "th", "thead", "title", "tr", "track", "tt", "u", "ul", "ol", "var", "video",
}
_URI_ATTRIBUTES = {"href", "src", "cite", "longdesc", "usemap", "action"}
_BAD_PROTOCOL = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0B\x0C\x0E-\x1F]")
_CHUNK = re.compile(r"(<!--.*?(?:-->|$))|(<[^>]*(?:>|$)|>)", re.DOTALL)
_TAG = re.compile(r"^<\s*(/\s*)?([a-zA-Z0-9-]+)([^>]*)>?$", re.DOTALL)
_ATTRIBUTE = re.compile(
    r"""([-a-zA-Z0-9_:.]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""", re.DOTALL)
_BLOCK_TAG = re.compile(r"<(p|div|ul|ol|table|h[1-6]|blockquote|pre|figure|section)[\s>]",
                        re.IGNORECASE)


def kses_post(text: str) -> str:
    """wp_filter_post_kses as it lands in the database (the added slashes are removed again)."""
    text = _stripslashes(text)
    text = _CONTROL.sub("", text)
    text = _normalize_entities(text)
    return _CHUNK.sub(lambda m: _split2(m.group(0)), text)


def post_title(text: str) -> str:
    """A product name as stored: kses, then WordPress's `title_save_pre` trim."""
    return kses_post(text).strip()


def sanitize_title(title: str) -> str:
    """sanitize_title + sanitize_title_with_dashes: the slug WordPress makes from a title."""
    text = re.sub(r"<[^>]*>", "", _remove_accents(title)).lower()
    text = re.sub(r"&.+?;", "", text)
    text = text.replace(".", "-")
    text = re.sub(r"[^a-z0-9 _-]", "", text)
    text = re.sub(r"\s+", "-", text)
    text = re.sub(r"-+", "-", text)
    return text.strip("-")


def wpautop(text: str) -> str:
    """Descriptions in view context: paragraphs in <p>, single newlines as <br />."""
    if not text.strip():
        return ""
    if _BLOCK_TAG.search(text):
        return text.rstrip("\n") + "\n"
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join("<p>" + p.replace("\n", "<br />\n") + "</p>\n" for p in paragraphs)


def _stripslashes(text: str) -> str:
    return re.sub(r"\\(.?)", lambda m: "\0" if m.group(1) == "0" else m.group(1), text,
                  flags=re.DOTALL)


def _normalize_entities(text: str) -> str:
    text = text.replace("&", "&amp;")
    text = re.sub(r"&amp;([A-Za-z]{2,8}[0-9]{0,2});",
                  lambda m: f"&{m.group(1)};" if m.group(1) in name2codepoint else m.group(0),
                  text)
    text = re.sub(r"&amp;#(0*[0-9]{1,7});",
                  lambda m: f"&#{m.group(1)};" if _valid_codepoint(int(m.group(1))) else m.group(0),
                  text)
    return re.sub(
        r"&amp;#[Xx](0*[0-9A-Fa-f]{1,6});",
        lambda m: f"&#x{m.group(1)};" if _valid_codepoint(int(m.group(1), 16)) else m.group(0),
        text)


def _valid_codepoint(point: int) -> bool:
    return (point in (0x9, 0xA, 0xD) or 0x20 <= point <= 0xD7FF or 0xE000 <= point <= 0xFFFD
            or 0x10000 <= point <= 0x10FFFF)


def _split2(chunk: str) -> str:
    """wp_kses_split2: one tag-like chunk, kept (rebuilt), escaped or removed."""
    if not chunk.startswith("<"):
        return "&gt;"  # a lone >
    if chunk.startswith("<!--"):
        inner = kses_post(chunk.replace("<!--", "").replace("-->", ""))
        if not inner:
            return ""
        inner = re.sub(r"-$", "", re.sub(r"--+", "-", inner))
        return f"<!--{inner}-->"
    match = _TAG.match(chunk)
    if match is None:
        return ""
    slash, element, attributes = match.groups()
    if element.lower() not in _POST_TAGS:
        return ""
    if slash:
        return f"</{element}>"
    return _rebuild(element, attributes)


def _rebuild(element: str, attributes: str) -> str:
    allowed = _GLOBAL_ATTRIBUTES | _ELEMENT_ATTRIBUTES.get(element.lower(), set())
    kept = []
    for match in _ATTRIBUTE.finditer(attributes):
        name = match.group(1).lower()
        if name not in allowed and not name.startswith(("aria-", "data-")):
            continue
        value = next((v for v in match.groups()[1:] if v is not None), None)
        if value is None:
            kept.append(name)
            continue
        if name in _URI_ATTRIBUTES and _BAD_PROTOCOL.match(value):
            value = _BAD_PROTOCOL.sub("", value)
        kept.append(f'{name}="{value}"')
    closing = " /" if re.search(r"\s*/\s*$", attributes) else ""
    return f"<{element}{''.join(' ' + k for k in kept)}{closing}>"


def _remove_accents(text: str) -> str:
    special = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
                             "ß": "ss", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "þ": "th"})
    decomposed = unicodedata.normalize("NFKD", text.translate(special))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
