"""Traffic for the demo: customers order in the shop; someone works in Fortnox.

Drives both simulators through their control APIs, as a shop's customers and its staff would,
never through the sidecar.
"""

from __future__ import annotations

import logging
import random
import threading
from decimal import Decimal
from typing import Any

import requests

log = logging.getLogger(__name__)

CUSTOMERS = (
    ("Anna", "Svensson", "anna.svensson@example.se", "Storgatan 12", "753 20", "Uppsala"),
    ("Erik", "Johansson", "erik.j@example.se", "Kungsgatan 3", "111 43", "Stockholm"),
    ("Maja", "Lindqvist", "maja@example.se", "Västra Hamngatan 8", "411 17", "Göteborg"),
    ("Oskar", "Nilsson", "oskar.nilsson@example.se", "Södra Förstadsgatan 40", "211 43", "Malmö"),
    ("Ebba", "Karlsson", "ebba.k@example.se", "Drottninggatan 5", "702 10", "Örebro"),
)
SHIPPING = (("flat_rate", "DHL-1", "49.00"), ("flat_rate", "PostNord Ombud", "39.00"),
            ("local_pickup", "Hämta i butiken", "0.00"))
PAYMENTS = (("klarna", "Klarna"), ("swish", "Swish"), ("bacs", "Banköverföring"))


class DemoTraffic:
    """A background thread: an order every `order_every` seconds, and now and then a change in
    Fortnox (an order completed or cancelled, a price or stock level changed)."""

    def __init__(self, store: Any, fortnox: Any, fortnox_url: str, rng: random.Random, *,
                 order_every: float, refund_share: float = 0.0) -> None:
        self.store = store
        self.fortnox = fortnox
        self.fortnox_url = fortnox_url
        self.rng = rng
        self.order_every = order_every
        self.refund_share = refund_share
        self.placed = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-traffic", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.wait(self.order_every * self.rng.uniform(0.6, 1.4)):
            try:
                self.place_order()
                if self.placed % 3 == 0:
                    self.work_in_fortnox()
                if self.rng.random() < self.refund_share:
                    self.refund_an_order()
            except Exception:
                log.exception("demo.traffic_failed")

    def place_order(self) -> dict[str, Any]:
        first, last, email, street, postcode, city = self.rng.choice(CUSTOMERS)
        buyable = [p for p in self.store.products.values()
                   if p.get("sku") and p.get("type") != "variable"
                   and p.get("status", "publish") == "publish"]
        lines = [{"product_id": p["id"], "quantity": self.rng.randint(1, 3)}
                 for p in self.rng.sample(buyable, k=min(len(buyable), self.rng.randint(1, 3)))]
        method_id, title, cost = self.rng.choice(SHIPPING)
        payment, payment_title = self.rng.choice(PAYMENTS)
        address = {"first_name": first, "last_name": last, "address_1": street,
                   "postcode": postcode, "city": city, "country": "SE"}
        order = self.store.place_order({
            "status": "processing", "line_items": lines, "payment_method": payment,
            "payment_method_title": payment_title, "set_paid": payment != "bacs",
            "billing": {**address, "email": email, "phone": "070-123 45 67"},
            "shipping": address if self.rng.random() < 0.8 else {**address, "first_name": ""},
            "shipping_lines": [{"method_id": method_id, "method_title": title, "total": cost}],
            "coupon_lines": [{"code": "tio"}] if self.rng.random() < 0.15 else [],
        }, created_via="checkout")
        self.placed += 1
        log.info("demo.order_placed order=%s lines=%d", order["id"], len(lines))
        return dict(order)

    def refund_an_order(self) -> None:
        """A customer returns something, as the shop's order screen makes refunds: a unit or
        two of a line (back in stock or not), now and then with the shipping; or an amount
        without lines; or everything that is left."""
        candidates = [o for o in self.store.orders.values()
                      if o["status"] in ("processing", "completed")
                      and self._left_to_refund(o) > 0]
        if not candidates:
            return
        order = self.rng.choice(candidates)
        left = self._left_to_refund(order)
        kind = self.rng.random()
        if kind < 0.6:
            line = self.rng.choice(order["line_items"])
            wanted = [{"id": line["id"], "quantity": self.rng.randint(1, int(line["quantity"]))}]
            if self.rng.random() < 0.25:
                wanted += [{"id": s["id"]} for s in order["shipping_lines"]]
            try:
                refund = self.store.refund_order(order["id"], line_items=wanted, prefill=True,
                                                 restock=self.rng.random() < 0.5,
                                                 reason="Returned by the customer")
            except Exception:  # noqa: BLE001 - more than is left of the order: no refund
                return
        elif kind < 0.8:
            amount = max(Decimal("1.00"), (left / 4).quantize(Decimal("0.01")))
            refund = self.store.refund_order(order["id"], amount=min(amount, left),
                                             reason="Compensation")
        else:
            refund = self.store.refund_order(order["id"], amount=left, reason="Undone")
        log.info("demo.refunded order=%s refund=%s amount=%s", order["id"], refund["id"],
                 refund["amount"])

    def _left_to_refund(self, order: dict[str, Any]) -> Decimal:
        refunded = sum((self.store.refunds[i]["amount"] for i in order["refund_ids"]),
                       Decimal(0))
        return Decimal(order["totals"]["total"]) - refunded

    def work_in_fortnox(self) -> None:
        """What the shop's staff do in Fortnox: finish or cancel an order, change the catalogue."""
        orders = [o for o in self.fortnox.documents.orders.values()
                  if not o.get("Cancelled") and str(o.get("InvoiceReference") or "0") == "0"]
        if orders:
            number = str(self.rng.choice(orders)["DocumentNumber"])
            # Finishing an order: marked done when it has left (what completes it in the shop),
            # then invoiced.
            actions = ("cancel",) if self.rng.random() < 0.15 else ("done", "invoice")
            for action in actions:
                self._control(f"/_sim/orders/{number}/{action}")
        articles = [a for a in self.fortnox.articles.values() if a.get("StockGoods")]
        if articles:
            article = self.rng.choice(articles)
            change: dict[str, Any] = {"QuantityInStock": self.rng.randint(0, 40),
                                      "StockPointCode": self.rng.choice(["MAIN", "STORE"])}
            if self.rng.random() < 0.3:
                change["Price"] = str(Decimal(self.rng.randint(40, 400)))
            self._control(f"/_sim/articles/{article['ArticleNumber']}", change)

    def _control(self, path: str, body: dict[str, Any] | None = None) -> None:
        response = requests.post(self.fortnox_url + path, json=body or {}, timeout=5)
        if response.status_code >= 400:
            log.info("demo.fortnox_refused path=%s status=%s", path, response.status_code)
