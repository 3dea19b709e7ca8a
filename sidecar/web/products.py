"""/products: which SKUs exist in WooCommerce, in Fortnox, or both, how they differ, and
buttons that create the missing side (direct calls: one product is quick)."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from sidecar.fields import utcnow
from sidecar.fortnox import FortnoxError
from sidecar.sync.catalog import CreateRefused
from sidecar.sync.catalog import create_fortnox_article
from sidecar.sync.catalog import create_woo_product
from sidecar.web import labels
from sidecar.web import long_actions
from sidecar.web import products_data
from sidecar.woocommerce.errors import WooError

bp = Blueprint("products", __name__)

CREATE = {"woocommerce": create_woo_product, "fortnox": create_fortnox_article}


@bp.get("/products")
def index() -> ResponseReturnValue:
    shown = request.args.get("show", "all")
    if shown not in products_data.FILTERS:
        shown = "all"
    report, problem = products_data.report(g.signed_in.shop, _config())
    sync = long_actions.progress(g.signed_in.shop)[0]
    rows = products_data.filtered(report, shown)
    return render_template("products.html", report=report, problem=problem, shown=shown,
                           rows=rows, sync=sync, filters=products_data.FILTERS, labels=labels,
                           field_name=products_data.field_name,
                           not_taken=products_data.not_taken_reasons(rows))


@bp.post("/products/create")
def create() -> ResponseReturnValue:
    target, sku = request.form.get("target", ""), request.form.get("sku", "").strip()
    if target not in CREATE or not sku:
        abort(400)
    shop = g.signed_in.shop
    try:
        fortnox, woo, product_settings = products_data.clients(shop, _config())
        created = CREATE[target](shop, sku, fortnox=fortnox, woo=woo, now=utcnow(),
                                 settings=product_settings)
    except CreateRefused as exc:
        flash(_("Nothing was created: %(reason)s", reason=str(exc)), "error")
    except (FortnoxError, WooError) as exc:
        flash(products_data.explain(exc), "error")
    else:
        flash(_("Created in WooCommerce as a draft: product %(id)s (SKU %(sku)s). Add pictures "
                "and text, then publish it.", id=created.identifier, sku=created.sku)
              if created.system == "woocommerce" else
              _("Created in Fortnox: article %(id)s.", id=created.identifier), "success")
    return redirect(url_for("products.index", show=request.form.get("show", "all")))


@bp.post("/products/full-sync")
def full_sync() -> ResponseReturnValue:
    long_actions.start_full_product_sync(g.signed_in.shop)
    flash(_("The product sync has started. This page shows its progress."), "success")
    return redirect(url_for("products.index"))


def _config():  # type: ignore[no-untyped-def]
    return current_app.extensions["sidecar.config"]
