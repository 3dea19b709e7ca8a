"""`sidecar security ...`: the WordPress plugin's pairing code, the shop's secrets and the
WordPress users who may sign in, from the command line (the Security log page does the same)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sidecar.cli_words import _
from sidecar.config import Config


def add_commands(commands: Any, open_database: Callable[[Config], Any]) -> None:
    """The `security` commands; `open_database` binds the configured database and key."""
    security = commands.add_parser("security", help="pair the WordPress plugin, rotate secrets, "
                                   "link WordPress users")
    actions = security.add_subparsers(required=True, metavar="ACTION")
    pairing = actions.add_parser("pairing-code", help="a one-time code for the WordPress "
                                 "plugin (valid 15 minutes)")
    pairing.set_defaults(command=cmd_pairing_code)
    rotate = actions.add_parser("rotate", help="a new secret for one purpose")
    rotate.add_argument("purpose", choices=("webhook", "link", "plugin"))
    rotate.set_defaults(command=cmd_rotate)
    link = actions.add_parser("link-wordpress-user", help="let a WordPress user sign in "
                              "through the plugin's link as an owner account")
    link.add_argument("wp_user", type=int)
    link.add_argument("email")
    link.set_defaults(command=cmd_link_wordpress_user)
    password = actions.add_parser("set-password", help="a new password for an owner account; "
                                  "every session of the account ends")
    password.add_argument("email")
    password.add_argument("--password-file", type=Path,
                          help="read the password from this file instead of asking")
    password.set_defaults(command=cmd_set_password)
    for parser in (pairing, rotate, link, password):
        parser.add_argument("--shop", help="shop slug (default: the first shop)")
        parser.set_defaults(open_database=open_database)


def _shop(args: argparse.Namespace) -> Any:
    from sidecar.models import Shop
    from sidecar.shops import ensure_default_shop

    shop = Shop.get_or_none(Shop.slug == args.shop) if args.shop else ensure_default_shop()
    if shop is None:
        print(_("sidecar: no shop %(shop)s", shop=repr(args.shop)), file=sys.stderr)
    return shop


def cmd_pairing_code(args: argparse.Namespace, config: Config) -> int:
    from sidecar.fields import utcnow
    from sidecar.security import audit
    from sidecar.security import shop_keys

    with args.open_database(config).connection_context():
        shop = _shop(args)
        if shop is None:
            return 2
        code = shop_keys.new_pairing_code(shop, now=utcnow())
        audit.record(shop, "cli", "security.pairing_code_made")
    print(_("pairing code for shop %(shop)s: %(code)s (valid 15 minutes, works once)",
            shop=shop.slug, code=code))
    return 0


def cmd_rotate(args: argparse.Namespace, config: Config) -> int:
    from sidecar.fields import utcnow
    from sidecar.security import audit
    from sidecar.security import shop_keys

    with args.open_database(config).connection_context():
        shop = _shop(args)
        if shop is None:
            return 2
        shop_keys.rotate(shop, args.purpose, now=utcnow())
        audit.record(shop, "cli", "security.secret_rotated", details={"secret": args.purpose})
    print(_("new %(purpose)s secret for shop %(shop)s; pair the WordPress plugin again",
            purpose=args.purpose, shop=shop.slug))
    return 0


def cmd_link_wordpress_user(args: argparse.Namespace, config: Config) -> int:
    from sidecar.models import Owner
    from sidecar.security import audit
    from sidecar.web.wordpress_link import link_user

    with args.open_database(config).connection_context():
        shop = _shop(args)
        if shop is None:
            return 2
        owner = Owner.get_or_none(Owner.email == args.email.strip().lower(), Owner.shop == shop)
        if owner is None or args.wp_user <= 0:
            print(_("sidecar: give a WordPress user number of 1 or more and the e-mail of an "
                    "owner account of the shop"), file=sys.stderr)
            return 2
        link_user(shop, args.wp_user, owner)
        audit.record(shop, "cli", "security.wordpress_user_linked",
                     details={"wp_user": args.wp_user, "owner": owner.email})
    print(_("WordPress user %(user)s signs in as %(email)s", user=args.wp_user, email=owner.email))
    return 0


def cmd_set_password(args: argparse.Namespace, config: Config) -> int:
    from sidecar.models import Owner
    from sidecar.security import audit
    from sidecar.web.accounts import AccountError
    from sidecar.web.accounts import set_password

    password = ask_password(args.password_file, creating=False)
    if password is None:
        return 2
    with args.open_database(config).connection_context():
        shop = _shop(args)
        owner = shop and Owner.get_or_none(Owner.email == args.email.strip().lower(),
                                           Owner.shop == shop)
        if not owner:
            print(_("sidecar: no owner account %(email)s", email=repr(args.email)), file=sys.stderr)
            return 2
        try:
            set_password(owner, password)
        except AccountError as exc:
            print(_("sidecar: %(error)s; nothing was changed", error=exc), file=sys.stderr)
            return 1
        audit.record(shop, "cli", "security.password_changed", details={"owner": owner.email})
    print(_("new password for %(email)s; every session of the account ended", email=owner.email))
    return 0


def ask_password(password_file: Path | None, *, creating: bool) -> str | None:
    """The password in `password_file`, or asked twice on the terminal; None, said in one line
    on standard error, when there is none to be had."""
    from getpass import getpass

    nothing = _("nothing was created") if creating else _("nothing was changed")
    if password_file is not None:
        try:
            return password_file.read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as exc:
            return _refused(_("sidecar: cannot read %(file)s: %(error)s; %(nothing)s",
                              file=password_file, error=exc.strerror, nothing=nothing))
    if not sys.stdin.isatty():
        return _refused(_("sidecar: no terminal to ask for the password on; give it with "
                          "--password-file FILE; %(nothing)s", nothing=nothing))
    try:
        password = getpass(_("Password: "))
        again = getpass(_("Password again: "))
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        return _refused(_("sidecar: no password given; %(nothing)s", nothing=nothing))
    if again != password:
        return _refused(_("sidecar: the passwords differ; %(nothing)s", nothing=nothing))
    return password


def _refused(line: str) -> None:
    print(line, file=sys.stderr)
    return None
