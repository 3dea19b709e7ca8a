"""GET /fortnox/connect and /fortnox/callback: the owner's consent in Fortnox (OAuth code flow).

`state` is random, kept in the owner's (signed) session together with the shop, and used once:
a callback whose state does not match is refused before anything is stored. Every outcome
ends on a page of the site with a message in the owner's language: a refusal or a stale answer
on the settings' Fortnox part, a connection on the dashboard, naming the company.
"""

from __future__ import annotations

import hmac
import logging

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import request
from flask import session
from flask import url_for
from flask.typing import ResponseReturnValue

from sidecar.config import Config
from sidecar.fortnox_access.connect import ConnectFailed
from sidecar.fortnox_access.connect import begin_authorization
from sidecar.fortnox_access.connect import complete_authorization
from sidecar.messages import Message
from sidecar.messages import msg
from sidecar.models import Shop
from sidecar.web import dashboard_actions
from sidecar.web.i18n import say

bp = Blueprint("fortnox_connect", __name__, url_prefix="/fortnox")
log = logging.getLogger(__name__)

SESSION_KEY = "fortnox_connect"


@bp.get("/connect")
def connect() -> ResponseReturnValue:
    try:
        url, state = begin_authorization(_config())
    except ConnectFailed as exc:
        return _back_to_settings(exc.message)
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
        return _back_to_settings(msg("connect.stale"))
    if "error" in request.args or not request.args.get("code"):
        # Fortnox's own words (its error code or description), shown as they are.
        reason = request.args.get("error_description") or request.args.get("error") or "no code"
        log.info("fortnox.callback_refused reason=denied error=%s", request.args.get("error"))
        return _back_to_settings(msg("connect.refused", reason=reason[:200]))
    shop = Shop.get_or_none(Shop.id == pending.get("shop"))
    if shop is None:
        return _back_to_settings(msg("connect.stale"))
    try:
        complete_authorization(shop, _config(), request.args["code"])
    except ConnectFailed as exc:
        return _back_to_settings(exc.message)
    # The settings checked against the company, Lager asked, both catalogs read: at once.
    dashboard_actions.run_now(current_app._get_current_object(),  # type: ignore[attr-defined]
                              "check_fortnox", shop)
    shop = Shop.get_by_id(shop.id)
    flash(say(msg("connect.done", company=shop.fortnox_company_name or "Fortnox")), "success")
    return redirect(url_for("dashboard.index"))


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


def _back_to_settings(message: Message) -> ResponseReturnValue:
    flash(say(message), "error")
    return redirect(url_for("settings.page") + "#fortnox")
