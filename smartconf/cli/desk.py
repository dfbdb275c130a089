"""`smartconf badges` and `smartconf checkin`: the badge and desk commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from zoneinfo import ZoneInfo

from smartconf.cli.base import actor, open_db, print_json, write_file
from smartconf.core.dto import CheckInResult
from smartconf.core.enums import CheckInMethod, Verdict
from smartconf.services import checkin as checkin_service
from smartconf.services.conferences import get_conference
from smartconf.store.session import unit_of_work


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
