"""`sidecar orders dry-run | export ORDER_ID`: one order, from the command line.

The answer goes to standard output (with `--json`, only JSON); an expected failure (no such
order, the order being exported right now, WooCommerce or Fortnox not reachable) is one line
on standard error and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sidecar.cli_words import _
from sidecar.cli_words import spoken
from sidecar.config import Config

Opener = Callable[[Config], Any]
SHOP_TIMEZONE = ZoneInfo("Europe/Stockholm")  # the pages show Swedish time too


def add_order_commands(commands: Any, opener: Opener) -> None:
    """The `orders` group, on the `sidecar` parser's sub-commands."""
    orders = commands.add_parser("orders", help="order export: dry run or export one order now")
    actions = orders.add_subparsers(required=True, metavar="ACTION")
    dry_run = actions.add_parser(
        "dry-run", help="show the Fortnox payloads and row decisions for an order, sending nothing")
    export = actions.add_parser("export", help="export one order to Fortnox now")
    for one, runner in ((dry_run, cmd_orders_dry_run), (export, cmd_orders_export)):
        one.add_argument("order_id", type=int, metavar="ORDER_ID")
        one.add_argument("--shop", help="shop slug (default: the first shop)")
        one.add_argument("--json", action="store_true",
                         help="print JSON instead of text (logs go to standard error)")
        one.set_defaults(command=runner, opener=opener)


def cmd_orders_dry_run(args: argparse.Namespace, config: Config) -> int:
    from sidecar.jobs import order_export
    from sidecar.sync.orders import as_json
    from sidecar.sync.orders import as_text

    return _one_order(args, config, order_export.dry_run_order,
                      lambda result: as_json(result) if args.json else as_text(result))


def cmd_orders_export(args: argparse.Namespace, config: Config) -> int:
    from sidecar.jobs import order_export

    return _one_order(args, config, order_export.export_now, lambda note: json.dumps(
        {"order": args.order_id, "result": note}) if args.json else note)


def _one_order(args: argparse.Namespace, config: Config,
               action: Callable[[str | None, int, Config], Any],
               shown: Callable[[Any], str]) -> int:
    """Run `action` for the order; print what `shown` makes of its answer, or one line."""
    with args.opener(config).connection_context():
        try:
            answer = action(args.shop, args.order_id, config)
        except Exception as exc:  # noqa: BLE001 (expected ones are one line; others raised)
            return _failed(_expected(exc, args.order_id))
    print(shown(answer))
    return 0


def _expected(error: Exception, order_id: int) -> str:
    """An expected failure in words; anything else (a bug) is raised again, with its details."""
    from sidecar.fortnox import FortnoxError
    from sidecar.jobs.order_export import CommandError
    from sidecar.sync.orders.ledger import OrderBusy
    from sidecar.sync.orders.woo_order import OrderNotMappable
    from sidecar.woocommerce.errors import WooError
    from sidecar.woocommerce.errors import WooNotFound

    if isinstance(error, CommandError):
        return str(error)
    if isinstance(error, WooNotFound):
        return _("WooCommerce has no order %(order)s", order=order_id)
    if isinstance(error, OrderBusy):
        return _("order %(order)s is being exported right now by another worker; try again in "
                 "a moment", order=order_id)
    if isinstance(error, OrderNotMappable):
        return _("order %(order)s cannot be sent as it is: %(reason)s", order=order_id,
                 reason=spoken(error.message))
    if isinstance(error, WooError):
        return f"WooCommerce: {error}"
    if isinstance(error, FortnoxError):
        return f"Fortnox: {error}"
    raise error


def clock(value: datetime) -> str:
    """A UTC time in Swedish time, for columns under a heading that says so."""
    return f"{value.astimezone(SHOP_TIMEZONE):%Y-%m-%d %H:%M:%S}"


def _failed(reason: str) -> int:
    print(f"sidecar: {' '.join(reason.split())}", file=sys.stderr)
    return 1
