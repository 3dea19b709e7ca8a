"""GET /fortnox/connect and /fortnox/callback: the owner's consent in Fortnox (OAuth code flow).

`state` is random, kept in the owner's (signed) session together with the shop, and used once:
a callback whose state does not match is refused before anything is stored.
"""

from __future__ import annotations

import hmac
import logging

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import g
from flask import redirect
from flask import request
from flask import session
from flask.typing import ResponseReturnValue

from sidecar.config import Config
from sidecar.fortnox_access.connect import ConnectFailed
from sidecar.fortnox_access.connect import begin_authorization
from sidecar.fortnox_access.connect import complete_authorization
from sidecar.models import Shop
from sidecar.web import dashboard_actions

bp = Blueprint("fortnox_connect", __name__, url_prefix="/fortnox")
log = logging.getLogger(__name__)

SESSION_KEY = "fortnox_connect"
STALE = ("The answer from Fortnox does not belong to this browser's connect attempt (it is "
         "stale, or was opened elsewhere). Nothing was saved. Start again from the settings page.")


@bp.get("/connect")
def connect() -> ResponseReturnValue:
    try:
        url, state = begin_authorization(_config())
    except ConnectFailed as exc:
        return _plain(str(exc), 503)
    session[SESSION_KEY] = {"state": state, "shop": _current_shop().id}
    return redirect(url)


@bp.get("/callback")
def callback() -> ResponseReturnValue:
    pending = session.pop(SESSION_KEY, None)  # one use, whatever the outcome
    given = request.args.get("state", "")
    if not isinstance(pending, dict) or not hmac.compare_digest(
        str(pending.get("state", "")).encode(), given.encode()
    ):
        log.warning("fortnox.callback_refused reason=state")
        return _plain(STALE, 400)
    if "error" in request.args or not request.args.get("code"):
        reason = request.args.get("error_description") or request.args.get("error") or "no code"
        return _plain(f"Fortnox did not grant access ({reason}). Nothing was saved.", 400)
    shop = Shop.get_or_none(Shop.id == pending.get("shop"))
    if shop is None:
        return _plain(STALE, 400)
    try:
        complete_authorization(shop, _config(), request.args["code"])
    except ConnectFailed as exc:
        return _plain(str(exc), 502)
    # The settings checked against the company, Lager asked, both catalogs read: at once.
    dashboard_actions.run_now(current_app._get_current_object(),  # type: ignore[attr-defined]
                              "check_fortnox", shop)
    return redirect("/")


def _config() -> Config:
    return current_app.extensions["sidecar.config"]  # type: ignore[no-any-return]


def _current_shop() -> Shop:
    """The signed-in owner's shop; before sign-in exists, the install's only shop."""
    signed_in = g.get("signed_in")
    if signed_in is not None:
        return signed_in.shop  # type: ignore[no-any-return]
    shop = Shop.select().order_by(Shop.id).first()
    if shop is None:
        raise LookupError("no shop: run `sidecar migrate` first")
    return shop


def _plain(message: str, status: int) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")
