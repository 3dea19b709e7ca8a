"""`/taxes`, `/taxes/classes` and `/settings/<group>[/<id>]`: what the shop is set up with."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask import Response

from sidecar.sim.woocommerce.errors import WooError
from sidecar.sim.woocommerce.listing import paginate
from sidecar.sim.woocommerce.rest import API
from sidecar.sim.woocommerce.rest import authorize
from sidecar.sim.woocommerce.rest import respond
from sidecar.sim.woocommerce.settings import setting_groups
from sidecar.sim.woocommerce.simulator import WooSim
from sidecar.sim.woocommerce.site import Site
from sidecar.sim.woocommerce.taxes import TaxRate


def register(app: Flask, sim: WooSim) -> None:
    """Add the tax class and settings routes to `app`."""
    store = sim.store

    @app.get(f"{API}/taxes/classes")
    def tax_classes() -> Response:
        authorize("list")
        body = [
            {
                "slug": slug,
                "name": name,
                "_links": {"collection": [{"href": store.site.api("taxes/classes")}]},
            }
            for slug, name in store.tax_classes
        ]
        return respond(body)

    @app.get(f"{API}/taxes")
    def tax_rates() -> Response:
        authorize("list")
        rates = [_rate_json(rate, order, store.site)
                 for order, rate in enumerate(store.tax_rates)]
        page, headers = paginate(rates)
        return respond(page, headers=headers)

    @app.get(f"{API}/taxes/<int:rate_id>")
    def tax_rate(rate_id: int) -> Response:
        authorize("view")
        for order, rate in enumerate(store.tax_rates):
            if rate.id == rate_id:
                return respond(_rate_json(rate, order, store.site))
        raise WooError("woocommerce_rest_invalid_id", "Invalid resource ID.", 404)

    @app.get(f"{API}/settings/<group>")
    def settings_group(group: str) -> Response:
        authorize("list")
        groups = setting_groups(sim.config, store.site)
        if group not in groups:
            raise WooError("rest_setting_setting_group_invalid", "Invalid setting group.", 404)
        return respond(groups[group])

    @app.get(f"{API}/settings/<group>/<setting_id>")
    def setting(group: str, setting_id: str) -> Response:
        authorize("view")
        groups = setting_groups(sim.config, store.site)
        found = [s for s in groups.get(group, []) if s["id"] == setting_id]
        if not found:
            raise WooError("rest_setting_setting_invalid", "Invalid setting.", 404)
        return respond(found[0])


def _rate_json(rate: TaxRate, order: int, site: Site) -> dict[str, Any]:
    return {
        "id": rate.id, "country": rate.country, "state": "", "postcode": "", "city": "",
        "rate": f"{rate.percent:.4f}", "name": rate.label, "priority": 1, "compound": False,
        "shipping": True, "order": order, "class": rate.tax_class or "standard",
        "postcodes": [], "cities": [],
        "_links": site.links(f"taxes/{rate.id}", "taxes"),
    }
