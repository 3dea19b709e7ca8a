"""Signing in and out: the e-mail and password form, the WordPress plugin's link, sign-out."""

from __future__ import annotations

import math
from datetime import timedelta

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
from sidecar.security import audit
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
    email = request.form.get("email", "")[:254]
    address = audit.client_address()
    outcome, owner, wait = accounts.authenticate(email, request.form.get("password", ""),
                                                 ip=address, now=utcnow())
    if outcome is accounts.SignIn.OK and owner is not None:
        sessions.start(owner.shop, owner=owner)
        audit.record(owner.shop, owner.email, "security.signed_in", address=address)
        return redirect(next_path)
    if outcome is accounts.SignIn.THROTTLED:
        audit.record(None, email, "security.sign_in_throttled", address=address,
                     details={"seconds": math.ceil(wait.total_seconds())})
        response = render_template("auth/sign_in.html", next_path=next_path, email=email,
                                   error=_wait_text(wait))
        return response, 429, {"Retry-After": str(math.ceil(wait.total_seconds()))}
    audit.record(None, email, "security.sign_in_failed", address=address)
    return render_template("auth/sign_in.html", next_path=next_path, email=email,
                           error=_("The e-mail address or the password is wrong.")), 401


def _wait_text(wait: timedelta) -> str:
    seconds = math.ceil(wait.total_seconds())
    if seconds < 90:
        return _("Too many failed attempts. Wait %(seconds)s seconds and try again.",
                 seconds=seconds)
    return _("Too many failed attempts. Wait %(minutes)s minutes and try again.",
             minutes=math.ceil(seconds / 60))


@bp.get("/auth/wordpress")
def wordpress() -> ResponseReturnValue:
    address = audit.client_address()
    try:
        link = wordpress_link.verify(request.args, now=utcnow())
    except wordpress_link.LinkRefused as exc:
        if exc.reason == "unlinked":
            audit.record(None, f"WordPress #{exc.wp_user}", "security.wordpress_link_refused",
                         address=address, details={"reason": exc.reason})
        return render_template("auth/link_refused.html", reason=exc.reason,
                               wp_user=exc.wp_user), 403
    sessions.start(link.shop, owner=link.owner, wp_user=link.wp_user)
    audit.record(link.shop, link.owner.email, "security.wordpress_sign_in", address=address,
                 details={"wp_user": link.wp_user})
    return redirect(url_for("dashboard.index"))  # also drops the signature from the address bar


@bp.post("/auth/sign-out")
def sign_out() -> ResponseReturnValue:
    signed_in = g.signed_in
    sessions.end()
    if signed_in is not None:
        audit.record(signed_in.shop, signed_in.name, "security.signed_out",
                     address=audit.client_address())
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.sign_in"))
