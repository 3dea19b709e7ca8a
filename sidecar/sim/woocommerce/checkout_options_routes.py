"""`/payment_gateways` and `/shipping/zones[/<id>/methods]`: the payment and shipping methods
the shop offers at checkout, as a fresh WooCommerce with bank transfer, cheque and cash on
delivery enabled, and a Swedish zone with three methods (the recorded exchanges 071–075).
Only the fields an integration reads are given; WooCommerce adds every setting's form."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask import Response

from sidecar.sim.woocommerce.errors import WooError
from sidecar.sim.woocommerce.rest import API
from sidecar.sim.woocommerce.rest import authorize
from sidecar.sim.woocommerce.rest import respond
from sidecar.sim.woocommerce.simulator import WooSim

GATEWAYS = (
    ("bacs", "Direct bank transfer"),
    ("cheque", "Check payments"),
    ("cod", "Cash on delivery"),
)
ZONES: dict[int, tuple[str, tuple[tuple[int, str, str, str], ...]]] = {
    # zone id: (name, methods as (instance id, title, method id, method title))
    0: ("Locations not covered by your other zones", ()),
    1: ("Sverige", ((1, "Fast frakt", "flat_rate", "Flat rate"),
                    (2, "Fri frakt", "free_shipping", "Free shipping"),
                    (3, "Hämta i butik", "local_pickup", "Local pickup"))),
}


def register(app: Flask, sim: WooSim) -> None:
    """Add the payment gateway and shipping zone routes to `app`."""
    site = sim.store.site

    @app.get(f"{API}/payment_gateways")
    def payment_gateways() -> Response:
        authorize("list")
        return respond([_gateway(gateway_id, title, site) for gateway_id, title in GATEWAYS])

    @app.get(f"{API}/shipping/zones")
    def shipping_zones() -> Response:
        authorize("list")
        return respond([{"id": zone_id, "name": name, "order": zone_id,
                         "_links": {"self": [{"href": site.api(f"shipping/zones/{zone_id}")}]}}
                        for zone_id, (name, _methods) in ZONES.items()])

    @app.get(f"{API}/shipping/zones/<int:zone_id>/methods")
    def shipping_zone_methods(zone_id: int) -> Response:
        authorize("list")
        if zone_id not in ZONES:
            raise WooError("woocommerce_rest_shipping_zone_invalid", "Resource does not exist.",
                           404)
        return respond([{"id": instance, "instance_id": instance, "title": title,
                         "order": instance, "enabled": True, "method_id": method_id,
                         "method_title": method_title}
                        for instance, title, method_id, method_title in ZONES[zone_id][1]])


def _gateway(gateway_id: str, title: str, site: Any) -> dict[str, Any]:
    return {"id": gateway_id, "title": title, "description": "", "order": "", "enabled": True,
            "method_title": title, "method_description": "", "method_supports": ["products"],
            "_links": {"self": [{"href": site.api(f"payment_gateways/{gateway_id}")}]}}
