"""`smartconf config get|set|unset|list|set-password|check-smtp`: the shared settings."""

from __future__ import annotations

import argparse
import getpass
import sys

from smartconf.cli.base import actor, open_db, print_json, subparsers
from smartconf.core.errors import SmartconfError
from smartconf.services.settings import (
    ENV_SMTP_PASSWORD,
    SETTINGS,
    get_setting,
    list_settings,
    set_setting,
    set_smtp_password,
    smtp_config,
    unset_setting,
)
from smartconf.store.session import read_session, unit_of_work


def register(commands, common: argparse.ArgumentParser) -> None:
    config = commands.add_parser(
        "config", parents=[common], help="settings shared by everyone using the database",
        description="Settings stored in the database (SMTP server, sender...). Known keys: "
                    f"{', '.join(SETTINGS)}. The SMTP password is kept in the OS keyring, "
                    "never in the database.")
    actions = subparsers(config, "action")
    get = actions.add_parser("get", parents=[common], help="show one setting")
    get.add_argument("key", metavar="KEY")
    get.add_argument("--json", action="store_true", help="print JSON")
    get.set_defaults(handler=cmd_config_get)

    set_ = actions.add_parser("set", parents=[common], help="change one setting")
    set_.add_argument("key", metavar="KEY")
    set_.add_argument("value", metavar="VALUE")
    set_.set_defaults(handler=cmd_config_set)

    unset = actions.add_parser("unset", parents=[common], help="back to the default value")
    unset.add_argument("key", metavar="KEY")
    unset.set_defaults(handler=cmd_config_unset)

    listing = actions.add_parser("list", parents=[common], help="show every setting")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.set_defaults(handler=cmd_config_list)

    password = actions.add_parser(
        "set-password", parents=[common], help="store the SMTP password in the OS keyring",
        description="Asks for the password of smtp.user without echoing it and stores it in "
                    f"the OS keyring. Without a keyring, set {ENV_SMTP_PASSWORD} in the "
                    "environment of the sending process instead.")
    password.add_argument("--stdin", action="store_true",
                          help="read the password from the first line of standard input")
    password.set_defaults(handler=cmd_config_set_password)

    check = actions.add_parser("check-smtp", parents=[common],
                               help="connect and log in to the SMTP server, send nothing")
    check.set_defaults(handler=cmd_config_check_smtp)


def cmd_config_get(args: argparse.Namespace) -> int:
    with read_session(open_db(args).sessions) as session:
        item = next((s for s in list_settings(session) if s.key == args.key), None)
        if item is None:
            get_setting(session, args.key)  # raises the error that names the known keys
    if args.json:
        print_json(item.as_json())
    elif item.value is not None:
        print(item.value)
    else:
        print(f"(not set; default: {item.default})" if item.default else "(not set)")
    return 0


def cmd_config_set(args: argparse.Namespace) -> int:
    with unit_of_work(open_db(args).sessions, actor(args)) as session:
        value = set_setting(session, args.key, args.value, actor=actor(args))
    print(f"{args.key} = {value}")
    return 0


def cmd_config_unset(args: argparse.Namespace) -> int:
    with unit_of_work(open_db(args).sessions, actor(args)) as session:
        removed = unset_setting(session, args.key, actor=actor(args))
    print(f"{args.key} {'unset' if removed else 'was not set'}.")
    return 0


def cmd_config_list(args: argparse.Namespace) -> int:
    with read_session(open_db(args).sessions) as session:
        items = list_settings(session)
    if args.json:
        print_json([item.as_json() for item in items])
        return 0
    for item in items:
        shown = item.value if item.value is not None else (
            f"(default {item.default})" if item.default else "(not set)")
        print(f"{item.key:<22} {shown:<28} {item.description}")
    return 0


def _read_password(from_stdin: bool, user: str) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise SmartconfError("Not on a terminal: cannot ask for the password.",
                             hint="Pipe it in with --stdin.")
    first = getpass.getpass(f"SMTP password for {user}: ")
    if getpass.getpass("Again, to confirm: ") != first:
        raise SmartconfError("The two passwords differ; nothing was stored.")
    return first


def cmd_config_set_password(args: argparse.Namespace) -> int:
    with read_session(open_db(args).sessions) as session:
        user = get_setting(session, "smtp.user")
    if not user:
        raise SmartconfError("smtp.user is not set.",
                             hint="Run `smartconf config set smtp.user LOGIN` first.")
    password = _read_password(args.stdin, user)
    if not password:
        raise SmartconfError("Empty password; nothing was stored.")
    set_smtp_password(user, password)
    print(f"SMTP password for {user} stored in the OS keyring.")
    return 0


def cmd_config_check_smtp(args: argparse.Namespace) -> int:
    from smartconf.services.outbox import check_smtp

    with read_session(open_db(args).sessions) as session:
        config = smtp_config(session)
    check_smtp(config)
    print(f"SMTP server {config.description} accepted the connection"
          f"{f' and the login of {config.user}' if config.user else ''}.")
    return 0
