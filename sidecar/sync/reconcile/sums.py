"""The report's sums, WooCommerce against Fortnox: VAT per rate and totals per market (each per
currency, as amounts in different currencies do not add up), and refunds against credits."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from sidecar.sync.reconcile.facts import ZERO
from sidecar.sync.reconcile.facts import Figures
from sidecar.sync.reconcile.facts import Sale
from sidecar.sync.reconcile.outcome import Report
from sidecar.sync.reconcile.outcome import Sum

OTHER_MARKET = ""  # documents that name no order of the period


class Sums:
    def __init__(self) -> None:
        zero = lambda: [ZERO, ZERO]  # noqa: E731 - [WooCommerce, Fortnox]
        self.vat: dict[tuple[str, Decimal], list[Decimal]] = defaultdict(zero)
        self.markets: dict[tuple[str, str], list[Decimal]] = defaultdict(zero)
        self.refunds: dict[tuple[str, str], list[Decimal]] = defaultdict(zero)

    def add_sale(self, sale: Sale, fortnox: Figures | None) -> None:
        self.markets[(sale.currency, sale.market)][0] += sale.total
        for rate, amount in sale.vat:
            self.vat[(sale.currency, rate)][0] += amount
        if fortnox is not None:
            self.add_document(sale.currency, sale.market, fortnox)

    def add_document(self, currency: str, market: str, held: Figures) -> None:
        self.markets[(currency, market)][1] += held.total
        for rate, amount in held.vat:
            self.vat[(currency, rate)][1] += amount

    def add_refund(self, currency: str, refunded: Decimal | None,
                   credited: Decimal | None) -> None:
        self.refunds[(currency, "")][0] += refunded or ZERO
        self.refunds[(currency, "")][1] += credited or ZERO

    def fill(self, report: Report) -> None:
        report.vat = [Sum(currency, f"{rate.normalize():f}", woo, fortnox)
                      for (currency, rate), (woo, fortnox) in sorted(
                          self.vat.items(), key=lambda item: (item[0][0], -item[0][1]))]
        report.markets = [Sum(currency, market, woo, fortnox)
                          for (currency, market), (woo, fortnox) in sorted(self.markets.items())]
        report.refunds = [Sum(currency, what, woo, fortnox)
                          for (currency, what), (woo, fortnox) in sorted(self.refunds.items())]
