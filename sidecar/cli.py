"""The `sidecar` command: serve, migrate, check, jobs."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from collections.abc import Sequence
from pathlib import Path

from sidecar import __version__
from sidecar.cli_words import _
from sidecar.cli_words import spoken
from sidecar.config import Config
from sidecar.config import ConfigError
from sidecar.jobs.order_commands import add_order_commands

Command = Callable[[argparse.Namespace, Config], int]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "standalone", None):
        return int(args.standalone(args))
    try:
        config = Config.from_env()
    except ConfigError as exc:
        print(_("sidecar: configuration error: %(error)s", error=exc), file=sys.stderr)
        return 2
    from sidecar.app import register_settings

    register_settings()
    command: Command = args.command
    from sidecar.crypto import SecretUnreadable

    try:
        return command(args, config)
    except SecretUnreadable as exc:
        print(_("sidecar: %(error)s; restore the key they were saved with", error=exc),
              file=sys.stderr)
        return 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sidecar", description="WooCommerce ⇄ Fortnox sidecar")
    parser.add_argument("--version", action="version", version=f"sidecar {__version__}")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the app under gunicorn (with the jobs)")
    serve.set_defaults(command=cmd_serve)

    migrate = commands.add_parser("migrate", help="bring the database to the current schema")
    migrate.set_defaults(command=cmd_migrate)

    check = commands.add_parser("check", help="validate configuration and database")
    check.set_defaults(command=cmd_check)

    jobs = commands.add_parser("jobs", help="list background jobs, or run one now")
    jobs_commands = jobs.add_subparsers(required=True, metavar="ACTION")
    jobs_list = jobs_commands.add_parser("list", help="jobs per shop: interval, last and next run")
    jobs_list.set_defaults(command=cmd_jobs_list)
    jobs_run = jobs_commands.add_parser("run", help="run a job now (waits for it)")
    jobs_run.add_argument("name")
    jobs_run.add_argument("--shop", help="shop slug (default: every shop)")
    jobs_run.set_defaults(command=cmd_jobs_run)

    add_order_commands(commands, _open)

    admin = commands.add_parser("admin", help="owner accounts for the settings pages")
    admin_commands = admin.add_subparsers(required=True, metavar="ACTION")
    admin_create = admin_commands.add_parser(
        "create", help="create an owner account (asks for the password twice)")
    admin_create.add_argument("--email", required=True)
    admin_create.add_argument("--shop", help="shop slug (default: the first shop)")
    admin_create.add_argument("--password-file", type=Path,
                              help="read the password from this file instead of asking")
    admin_create.set_defaults(command=cmd_admin_create)

    from sidecar import security_cli

    security_cli.add_commands(commands, _open)

    demo = commands.add_parser("demo", help="run the sidecar with simulated Fortnox and "
                               "WooCommerce and live traffic (no config needed)")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--data-dir", default="data/demo", help="wiped at every start")
    demo.add_argument("--duration", type=float, help="stop after this many seconds")
    demo.set_defaults(standalone=cmd_demo)

    products = commands.add_parser("products", help="SKUs in Fortnox and WooCommerce")
    products_commands = products.add_subparsers(required=True, metavar="ACTION")
    products_report = products_commands.add_parser(
        "report", help="every SKU: in both, only Fortnox, only WooCommerce; fields that differ")
    products_report.add_argument("--shop", help="shop slug (default: the first shop)")
    products_report.add_argument("--json", action="store_true", help="print JSON")
    products_report.add_argument("--refresh", action="store_true",
                                 help="read both catalogs whole first (slow for large ones)")
    products_report.set_defaults(command=cmd_products_report)
    for action, system in (("create-in-woo", "WooCommerce product from the Fortnox article"),
                           ("create-in-fortnox", "Fortnox article from the WooCommerce product")):
        create = products_commands.add_parser(action, help=f"create a {system}")
        create.add_argument("sku")
        create.add_argument("--shop", help="shop slug (default: the first shop)")
        create.set_defaults(command=cmd_products_create, target=action)

    reconcile = commands.add_parser(
        "reconcile", help="compare WooCommerce's sales with Fortnox for a period, to the öre; "
        "exit 1 when there are problems")
    reconcile.add_argument("--from", dest="first", required=True, metavar="YYYY-MM-DD")
    reconcile.add_argument("--to", dest="last", required=True, metavar="YYYY-MM-DD")
    reconcile.add_argument("--csv", type=Path, help="write the report as CSV (for Excel)")
    reconcile.add_argument("--pdf", type=Path, help="write the report as PDF")
    reconcile.add_argument("--language", choices=("sv", "en"), default="sv",
                           help="language of the files (default sv)")
    reconcile.add_argument("--shop", help="shop slug (default: the first shop)")
    reconcile.set_defaults(command=cmd_reconcile)

    sim = commands.add_parser("sim", help="run a simulator of Fortnox or WooCommerce (no config)")
    sim_commands = sim.add_subparsers(required=True, metavar="SYSTEM")
    for name, runner in (("fortnox", cmd_sim_fortnox), ("woocommerce", cmd_sim_woocommerce)):
        one = sim_commands.add_parser(name, help=f"serve the {name} simulator")
        one.add_argument("--host", default="127.0.0.1")
        one.add_argument("--port", type=int, required=True)
        one.add_argument("--no-rate-limit", action="store_true",
                         help="fortnox: answer every request (no 25 per 5 s window)")
        one.add_argument("--topics-port", type=int,
                         help="fortnox: the Topics API's WebSocket port (default: --port + 1)")
        one.set_defaults(standalone=runner)
    return parser


def cmd_serve(args: argparse.Namespace, config: Config) -> int:
    from sidecar.app import SchemaOutdated
    from sidecar.app import create_app
    from sidecar.db import database
    from sidecar.serve import serve

    try:
        # Built once here to fail fast (schema, database) with one line, then per worker.
        create_app(_without_scheduler(config))
    except SchemaOutdated as exc:
        print(f"sidecar: {exc}", file=sys.stderr)
        return 2
    database.close_all()  # no pooled connection may cross gunicorn's fork
    serve(config)
    return 0


def cmd_migrate(args: argparse.Namespace, config: Config) -> int:
    from sidecar.migrate import upgrade
    from sidecar.shops import ensure_default_shop

    database = _open(config)
    with database.connection_context():
        applied = upgrade(database)
        shop = ensure_default_shop()
    print(_("applied: %(migrations)s", migrations=", ".join(applied)) if applied
          else _("database is up to date"))
    print(_("shop: %(shop)s", shop=shop.slug))
    return 0


def cmd_check(args: argparse.Namespace, config: Config) -> int:
    from peewee import PeeweeException

    from sidecar.db import describe
    from sidecar.fortnox_access.probe import probe_connection
    from sidecar.migrate import pending
    from sidecar.models import Shop

    print(_("config: ok (bind %(bind)s, data %(data)s)", bind=config.bind, data=config.data_dir))
    try:
        database = _open(config)
        with database.connection_context():
            missing = pending(database)
    except PeeweeException as exc:
        print(_("database: cannot connect to %(database)s: %(error)s",
                database=describe(config.database_url), error=exc), file=sys.stderr)
        return 1
    if missing:
        print(_("database: %(count)s migration(s) pending; run `sidecar migrate`",
                count=len(missing)), file=sys.stderr)
        return 1
    print(_("database: ok (%(database)s)", database=describe(config.database_url)))
    status = 0
    with database.connection_context():
        for shop in Shop.select().order_by(Shop.id):
            report = probe_connection(shop, config)
            print(f"fortnox ({shop.slug}): {report.text}",
                  file=sys.stdout if report.ok else sys.stderr)
            status = status or (0 if report.ok else 1)
    return status


def cmd_jobs_list(args: argparse.Namespace, config: Config) -> int:
    from sidecar.jobs.lease import lease_name
    from sidecar.jobs.order_commands import clock
    from sidecar.jobs.registry import JOBS
    from sidecar.jobs.registry import interval_for
    from sidecar.jobs.registry import is_paused
    from sidecar.models import JobLease
    from sidecar.models import JobRun
    from sidecar.models import Shop

    database = _open(config)
    with database.connection_context():
        print(_("Times are Swedish time."))
        print(f"{'shop':<12} {'job':<20} {'every':>10}  {'last run':<28} {'next due':<20}")
        for shop in Shop.select().order_by(Shop.id):
            for spec in JOBS.values():
                last = (JobRun.select().where(JobRun.job == spec.name, JobRun.shop == shop)
                        .order_by(JobRun.started_at.desc()).first())
                lease = JobLease.get_or_none(JobLease.name == lease_name(spec.name, shop))
                last_text = (f"{clock(last.started_at)} {last.outcome}" if last else _("never"))
                next_text = (_("paused") if is_paused(spec, shop) else
                             clock(lease.not_before) if lease else _("at start"))
                every = int(interval_for(spec, shop).total_seconds())
                print(f"{shop.slug:<12} {spec.name:<20} {every:>9}s  {last_text:<28} {next_text}")
    return 0


def cmd_jobs_run(args: argparse.Namespace, config: Config) -> int:
    from sidecar.jobs.registry import JOBS
    from sidecar.jobs.runner import JobLocked
    from sidecar.jobs.runner import run_job
    from sidecar.models import Shop

    spec = JOBS.get(args.name)
    if spec is None:
        print(_("sidecar: no job %(name)s; known: %(known)s", name=repr(args.name),
                known=", ".join(sorted(JOBS))), file=sys.stderr)
        return 2
    database = _open(config)
    status = 0
    with database.connection_context():
        shops = Shop.select().order_by(Shop.id)
        if args.shop:
            shops = shops.where(Shop.slug == args.shop)
        if not shops.exists():
            print(_("sidecar: no shop %(shop)s", shop=repr(args.shop)), file=sys.stderr)
            return 2
        for shop in shops:
            try:
                run = run_job(spec, shop, trigger="manual", config=config)
            except JobLocked as exc:
                print(f"{shop.slug}: {exc}", file=sys.stderr)
                status = 1
                continue
            print(f"{shop.slug}: {spec.name} {run.outcome} {run.counts or {}}"
                  + (f" error: {run.error}" if run.error else ""))
            status = status or (0 if run.outcome == "ok" else 1)
    return status


def cmd_admin_create(args: argparse.Namespace, config: Config) -> int:
    from sidecar.models import Shop
    from sidecar.security_cli import ask_password
    from sidecar.shops import ensure_default_shop
    from sidecar.web.accounts import AccountError
    from sidecar.web.accounts import create_owner

    password = ask_password(args.password_file, creating=True)
    if password is None:
        return 2
    database = _open(config)
    with database.connection_context():
        shop = (Shop.get_or_none(Shop.slug == args.shop) if args.shop
                else ensure_default_shop())
        if shop is None:
            print(_("sidecar: no shop %(shop)s", shop=repr(args.shop)), file=sys.stderr)
            return 2
        try:
            owner = create_owner(shop, args.email, password)
        except AccountError as exc:
            print(_("sidecar: %(error)s; nothing was created", error=exc), file=sys.stderr)
            return 1
    print(_("created owner %(email)s for shop %(shop)s", email=owner.email, shop=shop.slug))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from sidecar.demo import run_demo
    from sidecar.logs import configure_logging

    configure_logging("INFO", sys.stderr)
    return run_demo(Path(args.data_dir).resolve(), port=args.port, duration=args.duration)


def cmd_products_report(args: argparse.Namespace, config: Config) -> int:
    import json

    from sidecar import settings
    from sidecar.fields import utcnow
    from sidecar.sync.catalog import ProductSettings
    from sidecar.sync.catalog import products_report

    database = _open(config)
    with database.connection_context():
        shop = _shop_named(args.shop)
        if shop is None:
            return 2
        fortnox, woo = _catalog_clients(shop, config)
        report = products_report(shop, fortnox=fortnox, woo=woo, now=utcnow(),
                                 settings=ProductSettings.from_values(settings.load(shop)),
                                 refresh=args.refresh)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
        return 0
    print(" ".join(f"{name}: {count}" for name, count in report.counts().items()))
    for row in report.rows:
        differs = ", ".join(row.differs) if row.differs else (
            "same" if row.compared else "not compared yet" if row.where == "both" else "")
        refused = f" (WooCommerce won't take: {', '.join(row.not_taken)})" if row.not_taken \
            else ""
        print(f"{row.sku:<30} {row.where:<13} {differs}{refused}")
    return 0


def cmd_products_create(args: argparse.Namespace, config: Config) -> int:
    from sidecar import settings
    from sidecar.fields import utcnow
    from sidecar.fortnox import FortnoxError
    from sidecar.sync.catalog import CreateRefused
    from sidecar.sync.catalog import ProductSettings
    from sidecar.sync.catalog import create_fortnox_article
    from sidecar.sync.catalog import create_woo_product
    from sidecar.woocommerce import WooError

    create = create_woo_product if args.target == "create-in-woo" else create_fortnox_article
    database = _open(config)
    with database.connection_context():
        shop = _shop_named(args.shop)
        if shop is None:
            return 2
        fortnox, woo = _catalog_clients(shop, config)
        try:
            created = create(shop, args.sku, fortnox=fortnox, woo=woo, now=utcnow(),
                             settings=ProductSettings.from_values(settings.load(shop)))
        except (CreateRefused, FortnoxError, WooError) as exc:
            print(f"sidecar: {exc}", file=sys.stderr)
            return 1
    print(_("created in %(system)s: %(identifier)s (SKU %(sku)s)", system=created.system,
            identifier=created.identifier, sku=created.sku))
    return 0


def cmd_reconcile(args: argparse.Namespace, config: Config) -> int:
    from sidecar.jobs import reconcile_report

    with _open(config).connection_context():
        shop = _shop_named(args.shop)
        if shop is None:
            return 2
        try:
            report = reconcile_report.command(shop, args.first, args.last, config=config,
                                              csv_path=args.csv, pdf_path=args.pdf,
                                              language=args.language)
        except reconcile_report.CommandFailed as exc:
            print(f"sidecar: {exc}", file=sys.stderr)
            return 2
    print(_("%(first)s – %(last)s: %(orders)s orders, %(matched)s matched, %(problems)s problems",
            first=report.first, last=report.last, orders=report.orders, matched=report.matched,
            problems=len(report.problems)))
    for problem in report.problems:
        print(f"{problem.kind}: {spoken(problem.reason)}")
    return 1 if report.problems else 0


def _shop_named(slug: str | None):  # type: ignore[no-untyped-def]
    from sidecar.models import Shop

    shop = (Shop.get_or_none(Shop.slug == slug) if slug
            else Shop.select().order_by(Shop.id).first())
    if shop is None:
        print(_("sidecar: no shop %(shop)s", shop=repr(slug)) if slug
              else _("sidecar: no shop yet; run `sidecar migrate`"), file=sys.stderr)
    return shop


def _catalog_clients(shop, config: Config):  # type: ignore[no-untyped-def]
    from sidecar.fortnox_access import fortnox_client_for
    from sidecar.woo_access import woo_client_for

    return fortnox_client_for(shop, config), woo_client_for(shop)


def cmd_sim_fortnox(args: argparse.Namespace) -> int:
    import dataclasses

    from sidecar.sim.fortnox import FortnoxSimConfig
    from sidecar.sim.fortnox import run

    config = FortnoxSimConfig()
    if args.no_rate_limit:
        config = dataclasses.replace(
            config, knobs=dataclasses.replace(config.knobs, rate_limit_enabled=False))
    topics_port = args.topics_port or args.port + 1
    print(f"Fortnox simulator on http://{args.host}:{args.port}, Topics API on "
          f"ws://{args.host}:{topics_port}/topics-v1 "
          f"(client id {config.client_id!r}, secret {config.client_secret!r})", flush=True)
    run(args.host, args.port, config, topics_port)
    return 0


def cmd_sim_woocommerce(args: argparse.Namespace) -> int:
    from sidecar.sim.woocommerce import WooSimConfig
    from sidecar.sim.woocommerce import run

    config = WooSimConfig(seed=True)
    print(f"WooCommerce simulator on http://{args.host}:{args.port} "
          f"(key {config.consumer_key!r}, secret {config.consumer_secret!r})", flush=True)
    run(args.host, args.port, config)
    return 0


def _open(config: Config):  # type: ignore[no-untyped-def]
    from sidecar import crypto
    from sidecar.db import bind_database
    from sidecar.logs import configure_logging

    configure_logging(config.log_level, sys.stderr)  # standard output is the command's answer
    crypto.configure(config.secret_key)
    return bind_database(config.database_url)


def _without_scheduler(config: Config) -> Config:
    import dataclasses

    return dataclasses.replace(config, scheduler_enabled=False)


if __name__ == "__main__":
    raise SystemExit(main())
