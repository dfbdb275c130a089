"""`smartconf badges`, `smartconf checkin` and `smartconf desk status|replay|pin`: the badge and
desk commands."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from smartconf.cli.base import (
    UsageError,
    actor,
    open_db,
    paths,
    print_json,
    subparsers,
    write_file,
)
from smartconf.config import resolve_database_url
from smartconf.core.dto import CheckInResult
from smartconf.core.enums import CheckInMethod, Verdict
from smartconf.core.errors import DatabaseUnreachable
from smartconf.services import checkin as checkin_service
from smartconf.services.conferences import get_conference
from smartconf.store.session import unit_of_work

if TYPE_CHECKING:
    from smartconf.services.desk import ReviewItem


def register(commands, common: argparse.ArgumentParser) -> None:
    badges = commands.add_parser("badges", parents=[common], help="badge PDF for a conference")
    badges.add_argument("--conference", required=True, metavar="CODE")
    badges.add_argument("--layout", default="a6-4up", metavar="NAME",
                        help="a6-4up (default), a6-single, badge-54x90 or id1")
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
    _register_desk(commands, common)


def _register_desk(commands, common: argparse.ArgumentParser) -> None:
    desk = commands.add_parser(
        "desk", parents=[common], help="a check-in desk's offline journal and the PIN",
        description="A desk that lost the server keeps its admissions in a journal in the data "
                    "folder's desk/ directory until they are replayed.")
    actions = subparsers(desk, "action")
    status = actions.add_parser("status", parents=[common],
                                help="offline admissions waiting, and those to review "
                                     "(reads the desk's files; no server needed)")
    replay = actions.add_parser("replay", parents=[common],
                                help="send a desk's offline admissions to the server now")
    for action, handler in ((status, cmd_desk_status), (replay, cmd_desk_replay)):
        action.add_argument("--conference", required=True, metavar="CODE")
        action.add_argument("--desk", required=True, metavar="NAME")
        action.add_argument("--json", action="store_true", help="print one JSON object")
        action.set_defaults(handler=handler)
    pin = actions.add_parser(
        "pin", parents=[common], help="set the coordinator PIN that leaves desk mode",
        description="Reads the PIN (4 to 12 digits) twice from the terminal, or once from "
                    "standard input. Only its salted hash is stored.")
    pin.set_defaults(handler=cmd_desk_pin)


def cmd_badges(args: argparse.Namespace) -> int:
    from smartconf.services.badges import render_conference_badges  # ReportLab: load lazily

    who = actor(args)
    with unit_of_work(open_db(args).sessions, who) as session:
        conference = get_conference(session, args.conference)
        pdf = render_conference_badges(session, conference, actor=who, layout=args.layout,
                                       person_id=args.person)
        write_file(args.output, pdf)
    print(f"Badges written to {args.output}")
    return 0


def cmd_checkin(args: argparse.Namespace) -> int:
    who = actor(args)
    with unit_of_work(open_db(args).sessions, who) as session:
        conference = get_conference(session, args.conference)
        result = checkin_service.check_in(session, conference, args.code, desk=args.desk,
                                          actor=who, method=CheckInMethod.SCAN)
        timezone = conference.timezone
    if args.json:
        print_json(result.as_json())
    else:
        print(describe_verdict(result, timezone))
    return 0


def describe_verdict(result: CheckInResult, timezone: str) -> str:
    """One line for people: "ADMITTED Arta Gashi (Ministry...), Speaker"."""
    who = f"{result.name} ({result.organisation}), {result.role}" if result.name else ""
    if result.verdict is Verdict.ADMITTED:
        return f"ADMITTED {who}"
    if result.verdict is Verdict.ALREADY_CHECKED_IN and result.previous:
        local = result.previous.checked_in_at.astimezone(ZoneInfo(timezone))
        return f"ALREADY CHECKED IN at {local:%H:%M}, desk {result.previous.desk}: {who}"
    return f"REJECTED: {result.reason}" + (f" ({who})" if who else "")


def cmd_desk_status(args: argparse.Namespace) -> int:
    from smartconf.services.desk import desk_status

    status = desk_status(paths(args).journal_dir, args.conference, args.desk)
    if args.json:
        print_json(status.as_json())
        return 0
    refreshed = status.snapshot_refreshed_at
    print(f"Desk {status.desk} at {status.conference_code}: snapshot "
          f"{f'refreshed {refreshed:%Y-%m-%d %H:%M} UTC' if refreshed else 'not taken yet'}, "
          f"{status.pending} offline admission(s) waiting for the server, "
          f"{len(status.review)} to review.")
    for item in status.review:
        print(f"  {describe_review(item, status.timezone)}")
    return 0


def cmd_desk_replay(args: argparse.Namespace) -> int:
    from smartconf.services.desk import Desk

    chosen = paths(args)
    url = resolve_database_url(args.db, chosen)
    with Desk(url, args.conference, args.desk, actor(args),
              journal_dir=chosen.journal_dir) as desk:
        if not desk.online:
            raise DatabaseUnreachable(
                f"{desk.pending} offline admission(s) stay in the journal: "
                f"{desk.last_error}", hint="Replay again when the server answers.")
        report = desk.last_replay or desk.replay()  # opening a desk replays what waits
        timezone = desk.timezone
    if args.json:
        print_json(report.as_json())
        return 0
    print(f"Replayed {report.replayed} offline admission(s); {report.unchanged} were on the "
          f"server already; {len(report.duplicates) + len(report.rejected)} to review.")
    for item in (*report.duplicates, *report.rejected):
        print(f"  {describe_review(item, timezone)}")
    return 0


def describe_review(item: ReviewItem, timezone: str) -> str:
    """One line about an offline admission the server did not take."""
    zone = ZoneInfo(timezone)
    offline = f"admitted offline at {item.offline_at.astimezone(zone):%H:%M} at {item.desk}"
    if item.previous is not None:
        first = item.previous.checked_in_at.astimezone(zone)
        return (f"{item.name or item.participant_id}: {offline}, but already checked in at "
                f"{first:%H:%M} at {item.previous.desk}")
    return f"{item.name or item.participant_id}: {offline}, refused on replay: {item.reason}"


def cmd_desk_pin(args: argparse.Namespace) -> int:
    from smartconf.services.desk_pin import set_desk_pin

    pin = _read_pin()
    who = actor(args)
    with unit_of_work(open_db(args).sessions, who) as session:
        set_desk_pin(session, pin, actor=who)
    print("Coordinator PIN set; desks take it with their next snapshot refresh.")
    return 0


def _read_pin() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().strip()
    pin = getpass.getpass("New coordinator PIN: ")
    if getpass.getpass("Again: ") != pin:
        raise UsageError("the two PINs differ; nothing was changed")
    return pin
