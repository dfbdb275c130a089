"""Command line over the services (Qt-free). ``smartconf --help`` lists the commands.

Exit codes: 0 success (for ``checkin``: a verdict was given, whatever it is), 1 the command
could not be carried out (one line on stderr says why and what to do), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from smartconf import __version__
from smartconf.config import ENV_DB, ENV_HOME, Paths, resolve_database_url, resolve_paths
from smartconf.core.dto import CheckInResult
from smartconf.core.enums import CheckInMethod, Verdict
from smartconf.core.errors import SmartconfError
from smartconf.services import checkin as checkin_service
from smartconf.services.conferences import get_conference, list_conferences
from smartconf.store.database import Database, open_database
from smartconf.store.session import read_session, unit_of_work

ENV_USER = "SMARTCONF_USER"


class UsageError(SmartconfError):
    """The command line itself is wrong."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, exit 2
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--db", metavar="URL_OR_PATH", default=default,
                        help=f"database URL or SQLite file (env {ENV_DB}; default: "
                             "smartconf.db in the data folder)")
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help=f"data folder (env {ENV_HOME}; default: the platform's)")
    parser.add_argument("--user", metavar="NAME", default=default,
                        help=f"who is acting, for the audit trail (env {ENV_USER}; "
                             "default: your login name)")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; with no command, smartconf starts the GUI."""
    parser = _Parser(prog="smartconf", description="KCSS SMART Balkans: stakeholders, "
                     "conferences, badges and check-in. Without a command, opens the window.")
    parser.add_argument("--version", action="version", version=f"smartconf {__version__}")
    _global_options(parser, suppress=False)
    common = _Parser(add_help=False)
    _global_options(common, suppress=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    demo = commands.add_parser("demo", parents=[common], help="fill the database with demo data")
    demo_mode = demo.add_mutually_exclusive_group()
    demo_mode.add_argument("--reset", action="store_true", help="replace all existing data")
    demo_mode.add_argument("--if-empty", action="store_true",
                           help="load only into an empty database, else do nothing")
    demo.set_defaults(handler=cmd_demo)

    db = commands.add_parser("db", parents=[common], help="database maintenance")
    db_actions = db.add_subparsers(dest="action", metavar="ACTION", required=True,
                                   parser_class=_Parser)
    for name, handler, text in (
            ("upgrade", cmd_db_upgrade, "migrate to this version (backs SQLite up first)"),
            ("status", cmd_db_status, "show the database and its migration state"),
            ("backup", cmd_db_backup, "online backup of the SQLite database")):
        action = db_actions.add_parser(name, parents=[common], help=text)
        action.add_argument("--json", action="store_true", help="print JSON")
        action.set_defaults(handler=handler)

    conferences = commands.add_parser("conferences", parents=[common], help="conferences")
    conf_actions = conferences.add_subparsers(dest="action", metavar="ACTION", required=True,
                                              parser_class=_Parser)
    conf_list = conf_actions.add_parser("list", parents=[common], help="list the conferences")
    conf_list.add_argument("--json", action="store_true", help="print a JSON list")
    conf_list.set_defaults(handler=cmd_conferences_list)

    badges = commands.add_parser("badges", parents=[common], help="badge PDF for a conference")
    badges.add_argument("--conference", required=True, metavar="CODE")
    badges.add_argument("--layout", default="a6-4up", metavar="NAME",
                        help="a6-4up (default) or another layout the badge module offers")
    badges.add_argument("--person", type=int, metavar="ID", help="only this person's badge")
    badges.add_argument("-o", "--output", required=True, metavar="FILE.pdf", type=Path)
    badges.set_defaults(handler=cmd_badges)

    checkin = commands.add_parser(
        "checkin", parents=[common], help="check a badge in at a desk",
        description="Admit a badge code. Exit code 0 whenever a verdict was given.")
    checkin.add_argument("--conference", required=True, metavar="CODE")
    checkin.add_argument("--desk", required=True, metavar="NAME")
    checkin.add_argument("--json", action="store_true",
                         help="print one JSON object: verdict, reason, name, organisation, "
                              "role, previous")
    checkin.add_argument("code", metavar="BADGE-CODE")
    checkin.set_defaults(handler=cmd_checkin)
    return parser


# -- plumbing -------------------------------------------------------------------------------

def _actor(args: argparse.Namespace) -> str:
    return args.user or os.environ.get(ENV_USER) or getpass.getuser() or "smartconf"


def _paths(args: argparse.Namespace) -> Paths:
    return resolve_paths(args.data_dir)


def _open(args: argparse.Namespace, *, upgrade: bool = True) -> Database:
    paths = _paths(args)
    url = resolve_database_url(args.db, paths)
    return open_database(url, backups_dir=paths.backups_dir, upgrade=upgrade)


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


# -- commands -------------------------------------------------------------------------------

def cmd_demo(args: argparse.Namespace) -> int:
    from smartconf.services.demo import has_data, load_demo

    database = _open(args)
    with unit_of_work(database.sessions, _actor(args)) as session:
        if args.if_empty and has_data(session):
            print(f"{database.description} already holds data; left as it is.")
            return 0
        summary = load_demo(session, actor=_actor(args), reset=args.reset)
    print(f"Demo data loaded into {database.description}: {summary.conferences} conferences, "
          f"{summary.organisations} organisations, {summary.persons} persons, "
          f"{summary.participants} participants.")
    return 0


def cmd_db_upgrade(args: argparse.Namespace) -> int:
    database = _open(args, upgrade=False)
    ran = database.upgrade()
    status = database.status()
    if args.json:
        _print_json({"database": status.description, "revision": status.current,
                     "upgraded": ran})
    else:
        print(f"{status.description} is at revision {status.current}"
              f"{' (upgraded)' if ran else ' (already up to date)'}.")
    return 0


def cmd_db_status(args: argparse.Namespace) -> int:
    status = _open(args, upgrade=False).status()
    if args.json:
        _print_json({"database": status.description, "revision": status.current,
                     "head": status.head, "up_to_date": status.up_to_date})
    else:
        state = "up to date" if status.up_to_date else (
            "empty, not created yet" if status.current is None else "needs `smartconf db upgrade`")
        print(f"{status.description}: revision {status.current or '-'} "
              f"(this smartconf: {status.head}), {state}.")
    return 0


def cmd_db_backup(args: argparse.Namespace) -> int:
    target = _open(args).backup()
    if args.json:
        _print_json({"backup": str(target)})
    else:
        print(f"Backup written to {target}")
    return 0


def cmd_conferences_list(args: argparse.Namespace) -> int:
    with read_session(_open(args).sessions) as session:
        rows = list_conferences(session)
    if args.json:
        _print_json([row.as_json() for row in rows])
        return 0
    if not rows:
        print("No conferences yet (try `smartconf demo`).")
    for row in rows:
        print(f"{row.code:<14} {row.starts_at:%Y-%m-%d}  {row.title}  ({row.venue}; "
              f"{row.participants} participants)")
    return 0


def cmd_badges(args: argparse.Namespace) -> int:
    from smartconf.services.badges import render_conference_badges

    actor = _actor(args)
    with unit_of_work(_open(args).sessions, actor) as session:
        conference = get_conference(session, args.conference)
        pdf = render_conference_badges(session, conference, actor=actor, layout=args.layout,
                                       person_id=args.person)
        _write_file(args.output, pdf)
    print(f"Badges written to {args.output}")
    return 0


def _write_file(path: Path, data: bytes) -> None:
    """Write atomically: a half-written file never replaces a good one."""
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SmartconfError(f"Cannot write {path} ({exc.strerror or exc}).",
                             hint="Choose another file or folder.") from exc


def cmd_checkin(args: argparse.Namespace) -> int:
    actor = _actor(args)
    with unit_of_work(_open(args).sessions, actor) as session:
        conference = get_conference(session, args.conference)
        result = checkin_service.check_in(session, conference, args.code, desk=args.desk,
                                          actor=actor, method=CheckInMethod.SCAN)
        tz = conference.timezone
    if args.json:
        _print_json(result.as_json())
    else:
        print(describe_verdict(result, tz))
    return 0


def describe_verdict(result: CheckInResult, timezone: str) -> str:
    """One line for people: "ADMITTED Arta Gashi (Ministry...), Speaker"."""
    from zoneinfo import ZoneInfo

    who = f"{result.name} ({result.organisation}), {result.role}" if result.name else ""
    if result.verdict is Verdict.ADMITTED:
        return f"ADMITTED {who}"
    if result.verdict is Verdict.ALREADY_CHECKED_IN and result.previous:
        local = result.previous.checked_in_at.astimezone(ZoneInfo(timezone))
        return (f"ALREADY CHECKED IN at {local:%H:%M}, desk {result.previous.desk}: {who}")
    return f"REJECTED: {result.reason}" + (f" ({who})" if who else "")


def run(args: argparse.Namespace) -> int:
    """Run a parsed command; SmartconfErrors become one line on stderr and exit 1."""
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except SmartconfError as exc:
        print(f"smartconf: {exc}", file=sys.stderr)
        return 1


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line; raises UsageError on bad usage."""
    return build_parser().parse_args(argv)

