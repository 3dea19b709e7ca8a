"""/orders: every order the sidecar has seen, newest first: its number (linked to WooCommerce),
when it was placed (the shop's time), the customer, the amount, its state and its Fortnox
documents (linked to the document as Fortnox holds it). Search, a filter and pages."""

from __future__ import annotations

from flask import Blueprint
from flask import g
from flask import render_template
from flask import request
from flask.typing import ResponseReturnValue

from sidecar.web import labels
from sidecar.web.order_list_data import PROBLEM
from sidecar.web.order_list_data import STATES
from sidecar.web.order_list_data import OrderQuery
from sidecar.web.order_list_data import find_orders
from sidecar.web.reconcile_data import order_link

bp = Blueprint("order_list", __name__)
# Documents the reconciliation page can show as Fortnox holds them, by the kind it reads.
DOCUMENT_KIND = {"order": "order", "invoice": "invoice", "credit_invoice": "invoice"}


@bp.get("/orders")
def index() -> ResponseReturnValue:
    shop = g.signed_in.shop
    found = find_orders(shop, OrderQuery.from_args(request.args))
    return render_template("orders/list.html", found=found, states=STATES, problem=PROBLEM,
                           labels=labels, document_kind=DOCUMENT_KIND,
                           woo_link=lambda order_id: order_link(shop, order_id))
