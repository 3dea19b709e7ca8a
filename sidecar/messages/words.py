"""Owner-visible texts in a chosen language, outside a web request: the reconciliation files and
e-mail (made by the daily job and the command line too) and the command line's own words. The
same catalog as the pages (`sidecar/translations`), read with Babel directly."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.dates import format_datetime
from babel.dates import get_timezone
from babel.numbers import format_currency
from babel.numbers import format_decimal
from babel.support import NullTranslations
from babel.support import Translations

from sidecar.messages import TEXTS
from sidecar.messages import Amount
from sidecar.messages import Message
from sidecar.messages import fill
from sidecar.messages import msg

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
LANGUAGES = ("sv", "en")
TIMEZONE = "Europe/Stockholm"


@cache
def _catalog(language: str) -> NullTranslations:
    if language == "en":
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS), [language])


class Words:
    """`Words("sv")`: messages, money and numbers as a Swedish (or English) reader expects."""

    def __init__(self, language: str) -> None:
        if language not in LANGUAGES:
            raise ValueError(f"no texts in {language!r}; one of {', '.join(LANGUAGES)}")
        self.language = language

    def say(self, message: Message) -> str:
        template = _catalog(self.language).gettext(TEXTS[message.code])
        return fill(template, {key: self._param(value) for key, value in message.params.items()})

    def __call__(self, code: str, **params: object) -> str:
        return self.say(msg(code, **params))

    def text(self, text: str, **params: object) -> str:
        """A text marked with `_` where it is written (the command line's), translated."""
        translated = _catalog(self.language).gettext(text)
        return fill(translated, params) if params else translated

    def _param(self, value: object) -> object:
        if isinstance(value, Message):
            return self.say(value)
        if isinstance(value, Amount):
            return self.money(value.value, value.currency)
        return value

    def money(self, value: Decimal, currency: str) -> str:
        return format_currency(value, currency, locale=self.language) if currency else \
            self.number(value)

    def number(self, value: Decimal) -> str:
        """Two decimals, grouped as the language groups them (1 234,50 or 1,234.50)."""
        return format_decimal(value, format="#,##0.00", locale=self.language)

    def plain_number(self, value: Decimal) -> str:
        """Two decimals, no grouping, the language's decimal sign: what Excel reads back."""
        text = f"{value:.2f}"
        return text.replace(".", ",") if self.language == "sv" else text

    def time(self, moment: datetime) -> str:
        return format_datetime(moment, "yyyy-MM-dd HH:mm", tzinfo=get_timezone(TIMEZONE),
                               locale=self.language)

    def kind(self, kind: str) -> str:
        return self(f"reconcile.kind.{kind}")

    def market(self, market: str) -> str:
        return self(f"reconcile.market.{market or 'other'}")

    def rate(self, rate: str) -> str:
        return self("reconcile.rate", rate=rate)

    def document(self, document: tuple[str, str] | None) -> str:
        if document is None:
            return ""
        return f"{self(f'document.{document[0]}')} {document[1]}"
