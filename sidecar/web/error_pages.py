"""Error pages in the site's layout and the reader's language (404, 405, 413, …), with a way
back. Machine callers (webhooks, the plugin's API, JSON clients) get Flask's own answers."""

from __future__ import annotations

from flask import Flask
from flask import g
from flask import render_template
from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from werkzeug.exceptions import HTTPException

from sidecar.web import sessions
from sidecar.web.guard import wants_json

MACHINE_PATHS = ("/webhooks/", "/api/", "/healthz")
TITLES: dict[int, LazyString] = {
    400: _l("The request could not be read"),
    403: _l("Not allowed"),
    404: _l("There is no such page"),
    405: _l("That cannot be done here"),
    413: _l("What was sent is too large"),
    429: _l("Too many attempts"),
}
EXPLANATIONS: dict[int, LazyString] = {
    404: _l("The address may be mistyped, or the page has moved. Nothing has changed."),
    405: _l("This page cannot be used that way. Nothing has changed."),
    413: _l("Nothing was saved. Send less at a time."),
    429: _l("Wait a moment and try again."),
}
DEFAULT_TITLE = _l("Something went wrong")
DEFAULT_EXPLANATION = _l("Nothing has changed. Go back and try again.")


def http_error(error: HTTPException) -> ResponseReturnValue:
    if request.path.startswith(MACHINE_PATHS) or wants_json():
        return error
    code = error.code or 500
    if "signed_in" not in g:  # no route matched, so the guard did not run: who is reading?
        g.signed_in = sessions.current()
    return render_template(
        "errors/http.html", code=code, title=TITLES.get(code, DEFAULT_TITLE),
        explanation=EXPLANATIONS.get(code, DEFAULT_EXPLANATION)), code


def init_error_pages(app: Flask) -> None:
    app.register_error_handler(HTTPException, http_error)
