"""Swedish and English: the browser's preference, unless the owner picked one (a cookie).

English source strings are marked with ``_()`` in templates and ``lazy_gettext`` in Python; the
Swedish catalog is ``sidecar/translations/sv/LC_MESSAGES/messages.po``, compiled to the ``.mo``
beside it (both are committed; see ``sidecar/translations/README.md``). Times are shown in
Swedish time whatever the language.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint
from flask import Flask
from flask import current_app
from flask import redirect
from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import Babel
from flask_babel import format_currency
from flask_babel import format_datetime
from flask_babel import get_translations

from sidecar.activity import stored_message
from sidecar.messages import TEXTS
from sidecar.messages import Amount
from sidecar.messages import Message
from sidecar.messages import fill

LANGUAGES = ("en", "sv")
DEFAULT_LANGUAGE = "en"
COOKIE = "sidecar_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600
TIMEZONE = "Europe/Stockholm"
TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"

bp = Blueprint("language", __name__)


def select_language() -> str:
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def local_time(value: datetime | None, pattern: str = "yyyy-MM-dd HH:mm") -> str:
    """A UTC time as the owner reads it: Swedish time, same pattern in both languages."""
    return "" if value is None else format_datetime(value, pattern)


def say(message: Message | None, fallback: str = "") -> str:
    """A stored message in the reader's language; `fallback` (English text kept by an older
    version) when there is no message."""
    if message is None:
        return fallback
    template = get_translations().gettext(TEXTS[message.code])
    return fill(template, {key: _param(value) for key, value in message.params.items()})


def _param(value: object) -> object:
    if isinstance(value, Message):
        return say(value)
    if isinstance(value, Amount):
        return format_currency(value.value, value.currency) if value.currency else \
            str(value.value)
    return value


def words(value: object) -> str:
    """A reason that is a `Message` in the reader's language; plain text (Fortnox's own
    words, a number) as it is."""
    return say(value) if isinstance(value, Message) else ("" if value is None else str(value))


def money(value: object, currency: str = "SEK") -> str:
    """An amount as the reader's language writes it: `1 044,75 kr`, `SEK 1,044.75`."""
    try:
        return format_currency(Decimal(str(value)), currency or "SEK")
    except (ArithmeticError, ValueError):
        return "" if value is None else str(value)


def activity_text(entry: object, part: str) -> str:
    """An activity entry's `subject`, `message` or `hint`, in the reader's language."""
    return say(stored_message(getattr(entry, "texts", None), part), getattr(entry, part, ""))


def ledger_text(ledger: object, part: str) -> str:
    """An order's last problem (`message` or `hint`), in the reader's language."""
    fallback = {"message": "last_error", "hint": "last_hint"}[part]
    return say(stored_message(getattr(ledger, "last_problem", None), part),
               getattr(ledger, fallback, None) or "")


def safe_next(target: str | None, default: str = "/") -> str:
    """A path on this site to go back to; anything else (another host, //host) is ignored."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if len(target) > 2000 or not target.isprintable():  # no CR/LF for a Location header
        return default
    return target if not urlsplit(target).netloc else default


@bp.post("/language")
def choose() -> ResponseReturnValue:
    language = request.form.get("lang", "")
    response = redirect(safe_next(request.form.get("next")))
    if language in LANGUAGES:
        response.set_cookie(COOKIE, language, max_age=COOKIE_MAX_AGE, httponly=True,
                            samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def init_i18n(app: Flask) -> None:
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS)
    Babel(app, locale_selector=select_language, default_locale=DEFAULT_LANGUAGE,
          default_timezone=TIMEZONE)
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["activity_text"] = activity_text
    app.jinja_env.filters["ledger_text"] = ledger_text
    app.jinja_env.filters["say"] = say
    app.jinja_env.filters["words"] = words
    app.jinja_env.filters["money"] = money
    app.register_blueprint(bp)
