"""The Security page: the security log (who, what, when, from where), the WordPress plugin's
pairing code, the shop's separate secrets, and which WordPress users may sign in as whom."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from sidecar.fields import utcnow
from sidecar.messages import Message
from sidecar.models import Owner
from sidecar.models import SecurityEvent
from sidecar.models import WordPressUser
from sidecar.security import audit
from sidecar.security import shop_keys
from sidecar.web import wordpress_link

bp = Blueprint("security", __name__)
PAIRING_FLAG = "show_pairing_code"  # the new code, shown once on the next page


def event_message(event: SecurityEvent) -> Message:
    params = dict(event.details or {})
    if event.action == "security.secret_rotated":
        params["secret"] = Message(f"security.secret.{params.get('secret', 'webhook')}")
    return Message(event.action, params)


@bp.get("/security")
def page() -> ResponseReturnValue:
    shop = g.signed_in.shop
    linked = list(WordPressUser.select(WordPressUser, Owner).join(Owner)
                  .where(WordPressUser.shop == shop).order_by(WordPressUser.wp_user))
    return render_template("security.html", events=audit.recent(shop),
                           event_message=event_message, linked=linked,
                           owners=list(Owner.select().where(Owner.shop == shop)),
                           pairing_code=session.pop(PAIRING_FLAG, None),
                           has_link_secret=bool(shop.link_secret),
                           has_plugin_secret=bool(shop.plugin_secret))


@bp.post("/security/pairing-code")
def pairing_code() -> ResponseReturnValue:
    shop = g.signed_in.shop
    session[PAIRING_FLAG] = shop_keys.new_pairing_code(shop, now=utcnow())
    audit.record(shop, g.signed_in.name, "security.pairing_code_made",
                 address=audit.client_address())
    return redirect(url_for("security.page") + "#pairing")


@bp.post("/security/secrets/<purpose>")
def rotate(purpose: str) -> ResponseReturnValue:
    if purpose not in ("link", "plugin"):  # the webhook secret is on the settings page
        abort(404)
    shop = g.signed_in.shop
    shop_keys.rotate(shop, purpose, now=utcnow())
    audit.record(shop, g.signed_in.name, "security.secret_rotated",
                 address=audit.client_address(), details={"secret": purpose})
    flash(_("A new secret was made. Pair the WordPress plugin again to give it the new one."),
          "success")
    return redirect(url_for("security.page") + "#secrets")


@bp.post("/security/wordpress-users")
def link_wordpress_user() -> ResponseReturnValue:
    shop = g.signed_in.shop
    given = request.form.get("wp_user", "").strip()
    owner = Owner.get_or_none(Owner.shop == shop,
                              Owner.id == _number(request.form.get("owner", "")))
    wp_user = _number(given)
    if owner is None or wp_user is None:
        flash(_("Enter the WordPress user's number (1 or more) and pick an owner account."),
              "error")
        return redirect(url_for("security.page") + "#wordpress-users")
    wordpress_link.link_user(shop, wp_user, owner)
    audit.record(shop, g.signed_in.name, "security.wordpress_user_linked",
                 address=audit.client_address(),
                 details={"wp_user": wp_user, "owner": owner.email})
    flash(_("WordPress user %(user)s may now sign in through the link in WordPress.",
            user=wp_user), "success")
    return redirect(url_for("security.page") + "#wordpress-users")


def _number(text: str) -> int | None:
    text = text.strip()
    if 0 < len(text) <= 12 and text.isascii() and text.isdigit() and int(text) > 0:
        return int(text)
    return None
