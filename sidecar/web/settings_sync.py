"""POST /settings/sync/<part>: one part of the export and Fortnox → WooCommerce settings.

Parse the part's fields, check them with the features' own validators, save all or nothing,
then back to the part (POST-redirect-GET); a refusal shows the page again, errors inline.
"""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from sidecar import settings
from sidecar.fields import utcnow
from sidecar.web import choices
from sidecar.web import dashboard_actions
from sidecar.web import settings_sections
from sidecar.web import sync_fields
from sidecar.web import sync_form
from sidecar.web.settings_render import config
from sidecar.web.settings_render import render_settings

bp = Blueprint("sync", __name__)


@bp.post("/settings/sync/<part>")
def save_part(part: str) -> ResponseReturnValue:
    if part not in sync_fields.PARTS:
        abort(404)
    changes = sync_form.parse(part, request.form)
    lists = choices.fortnox_lists(g.signed_in.shop, config())
    chart = frozenset(int(c.value) for c in lists.accounts) if lists.available else None
    clean, errors = sync_form.validate(changes, chart)
    if errors:
        flash(_("Nothing was saved. Correct the fields marked below."), "error")
        return render_settings(422, values=changes, errors=errors, part=part,
                               section=settings_sections.OF_SYNC_PART[part])
    settings.save(g.signed_in.shop, clean)
    # What the settings name is checked against Fortnox again at once; saving the stock
    # settings also asks Fortnox Lager again (orders wait for its answer).
    dashboard_actions.check_settings_now(current_app._get_current_object(),  # type: ignore
                                         g.signed_in.shop, now=utcnow(),
                                         lager=part == "export")
    flash(_("Settings saved."), "success")
    return redirect(url_for("settings.page", section=settings_sections.OF_SYNC_PART[part])
                    + f"#part-{part}")


@bp.post("/settings/shipping-preview")
def preview_shipping() -> ResponseReturnValue:
    """Read-only; a POST only because every form on the page carries the CSRF token."""
    return render_settings(preview_name=request.form.get("shipping_name", ""),
                           section=settings_sections.OF_SYNC_PART["shipping"])
