"""The connection buttons of the settings page: a Fortnox service account, testing the
WooCommerce connection, repairing our webhooks, and reading Fortnox's lists again.

Connecting by consent is /fortnox/connect (fortnox_connect.py); this is the other way in.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import request
from flask import session
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from sidecar.fortnox_access.connect import ConnectFailed
from sidecar.fortnox_access.connect import configure_service_account
from sidecar.web import choices
from sidecar.web import dashboard_actions
from sidecar.web import settings_sections
from sidecar.web import woo_check
from sidecar.web.i18n import say
from sidecar.web.settings_render import WOO_TEST_KEY
from sidecar.web.settings_render import config
from sidecar.web.settings_render import render_settings

bp = Blueprint("connections", __name__)


@bp.post("/settings/fortnox/service-account")
def service_account() -> ResponseReturnValue:
    shop = g.signed_in.shop
    try:
        configure_service_account(shop, config(), request.form.get("tenant_id", ""))
    except ConnectFailed as exc:
        flash(_("Fortnox was not connected."), "error")
        return render_settings(422, fortnox_error=say(exc.message))
    choices.forget(shop)
    dashboard_actions.run_now(current_app._get_current_object(),  # type: ignore[attr-defined]
                              "check_fortnox", shop)  # the settings, Lager, both catalogs
    flash(_("Fortnox is connected."), "success")
    return redirect(url_for("settings.page") + "#fortnox")


@bp.post("/settings/fortnox/lists")
def refresh_lists() -> ResponseReturnValue:
    choices.forget(g.signed_in.shop)
    flash(_("The lists were read again from Fortnox and WooCommerce."), "success")
    back = request.form.get("section", "")  # the section the button was on
    return redirect(url_for("settings.page", section=back)
                    if settings_sections.section_named(back) else url_for("settings.page"))


@bp.post("/settings/woocommerce/test")
def test_woocommerce() -> ResponseReturnValue:
    session[WOO_TEST_KEY] = asdict(woo_check.test_connection(g.signed_in.shop))
    return redirect(url_for("settings.page") + "#woocommerce")


@bp.post("/settings/woocommerce/webhooks/repair")
def repair_webhooks() -> ResponseReturnValue:
    ok, message = woo_check.repair_webhooks(g.signed_in.shop)
    flash(message, "success" if ok else "error")
    return redirect(url_for("settings.page") + "#webhooks")
