"""Signing in and out: the e-mail and password form, the WordPress plugin's link, sign-out."""

from __future__ import annotations

from flask import Blueprint
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from sidecar.fields import utcnow
from sidecar.web import accounts
from sidecar.web import sessions
from sidecar.web import wordpress_link
from sidecar.web.i18n import safe_next

bp = Blueprint("auth", __name__)


@bp.route("/auth/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    next_path = safe_next(request.values.get("next"))
    if request.method == "GET":
        if g.signed_in is not None:
            return redirect(next_path)
        return render_template("auth/sign_in.html", next_path=next_path, email="")
    email = request.form.get("email", "")
    outcome, owner = accounts.authenticate(email, request.form.get("password", ""),
                                           ip=request.remote_addr or "", now=utcnow())
    if outcome is accounts.SignIn.OK and owner is not None:
        sessions.start(owner.shop, owner=owner)
        return redirect(next_path)
    if outcome is accounts.SignIn.LOCKED:
        error, status = _("Too many failed attempts. Wait 15 minutes and try again."), 429
    else:
        error, status = _("The e-mail address or the password is wrong."), 401
    return render_template("auth/sign_in.html", next_path=next_path, email=email,
                           error=error), status


@bp.get("/auth/wordpress")
def wordpress() -> ResponseReturnValue:
    try:
        link = wordpress_link.verify(request.args, now=utcnow())
    except wordpress_link.LinkRefused as exc:
        return render_template("auth/link_refused.html", reason=exc.reason), 403
    sessions.start(link.shop, wp_user=link.wp_user)
    return redirect(url_for("dashboard.index"))  # also drops the signature from the address bar


@bp.post("/auth/sign-out")
def sign_out() -> ResponseReturnValue:
    sessions.end()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.sign_in"))
