"""/settings: what the owner may change. Plain forms, POST-redirect-GET, errors beside fields.

The settings are in sections, each its own page (``settings_sections.py``): the connections
(Fortnox, WooCommerce, the shared secret) at /settings, then /settings/<section> for the export,
the accounts, shipping and delivery, what comes from Fortnox (``settings_sync.py`` saves
those) and the schedules (generic). Each part's template is ``templates/settings/_*.html``;
everything a section shows is gathered by ``settings_render.py``.
"""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import request
from flask import session
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from sidecar import settings
from sidecar.security import audit
from sidecar.web import settings_connections
from sidecar.web import settings_form
from sidecar.web import settings_sections
from sidecar.web import settings_sync
from sidecar.web import shop_connection
from sidecar.web.settings_render import REVEAL_FLAG
from sidecar.web.settings_render import render_settings

bp = Blueprint("settings", __name__)
# Their endpoints are settings.sync.* and settings.connections.*.
bp.register_blueprint(settings_sync.bp)
bp.register_blueprint(settings_connections.bp)
_page = render_settings


@bp.get("/settings", defaults={"section": settings_sections.CONNECTIONS})
@bp.get("/settings/<section>")
def page(section: str) -> ResponseReturnValue:
    if settings_sections.section_named(section) is None:
        abort(404)
    return _page(section=section)


@bp.post("/settings")
def save() -> ResponseReturnValue:
    """The schedules (and any other setting declared without a form of its own)."""
    changes = settings_form.parse(request.form)
    clean, errors = settings_form.validate(changes)
    if errors:
        flash(_("Nothing was saved. Correct the fields marked below."), "error")
        return _page(422, values=changes, errors=errors, section=settings_sections.SCHEDULES)
    settings.save(g.signed_in.shop, clean)
    flash(_("Settings saved."), "success")
    return redirect(url_for("settings.page", section=settings_sections.SCHEDULES))


@bp.post("/settings/woocommerce")
def save_woocommerce() -> ResponseReturnValue:
    form = shop_connection.WooForm(
        store_url=request.form.get("store_url", "").strip(),
        consumer_key=request.form.get("consumer_key", "").strip(),
        consumer_secret=request.form.get("consumer_secret", "").strip(),
    )
    before = (g.signed_in.shop.woo_url, g.signed_in.shop.woo_consumer_key)
    errors = shop_connection.save_woo(g.signed_in.shop, form)
    if errors:
        flash(_("Nothing was saved. Correct the fields marked below."), "error")
        return _page(422, woo=form, woo_errors=errors)
    audit.woo_connection_saved(g.signed_in, before, address=audit.client_address())
    flash(_("WooCommerce connection saved."), "success")
    return redirect(url_for("settings.page") + "#woocommerce")


@bp.post("/settings/webhook-secret")
def regenerate_secret() -> ResponseReturnValue:
    shop_connection.regenerate_webhook_secret(g.signed_in.shop)
    audit.record(g.signed_in.shop, g.signed_in.name, "security.secret_rotated",
                 address=audit.client_address(), details={"secret": "webhook"})
    session[REVEAL_FLAG] = True
    return redirect(url_for("settings.page") + "#webhook-secret")
