"""`smartconf agenda` (the agenda PDF) and `smartconf participants list|add|set-status`."""

from __future__ import annotations

import argparse
from pathlib import Path

from smartconf.cli.base import actor, open_db, print_json, subparsers, write_file
from smartconf.core.enums import ParticipantRole, ParticipantStatus
from smartconf.services import invitations
from smartconf.services.conferences import get_conference
from smartconf.services.overview import conference_participants
from smartconf.store.session import read_session, unit_of_work

_STATUSES = [s.value for s in ParticipantStatus]


def register(commands, common: argparse.ArgumentParser) -> None:
    agenda = commands.add_parser("agenda", parents=[common], help="agenda PDF of a conference")
    agenda.add_argument("--conference", required=True, metavar="CODE")
    agenda.add_argument("--languages", default="en", metavar="LANGS",
                        help="headings in these languages, comma-separated, first one leading "
                             "(sq, sr, en; default: en)")
    agenda.add_argument("-o", "--output", required=True, metavar="FILE.pdf", type=Path)
    agenda.set_defaults(handler=cmd_agenda)

    participants = commands.add_parser("participants", parents=[common],
                                       help="who is invited to a conference, and their status")
    actions = subparsers(participants, "action")
    listing = actions.add_parser("list", parents=[common], help="list the participants")
    listing.add_argument("--conference", required=True, metavar="CODE")
    listing.add_argument("--status", choices=_STATUSES, help="only this status")
    listing.add_argument("--json", action="store_true", help="print a JSON list")
    listing.set_defaults(handler=cmd_participants_list)

    add = actions.add_parser("add", parents=[common],
                             help="shortlist persons: a saved filter and/or person ids")
    add.add_argument("--conference", required=True, metavar="CODE")
    add.add_argument("--filter", metavar="NAME", help="a saved CRM filter")
    add.add_argument("--role", choices=[r.value for r in ParticipantRole],
                     default=ParticipantRole.PARTICIPANT.value)
    add.add_argument("person_ids", nargs="*", type=int, metavar="PERSON_ID")
    add.set_defaults(handler=cmd_participants_add)

    status = actions.add_parser(
        "set-status", parents=[common], help="move participants to another status",
        description="All or nothing: if one participant cannot move, nobody moves.")
    status.add_argument("--conference", required=True, metavar="CODE")
    status.add_argument("--status", required=True, choices=_STATUSES)
    status.add_argument("--json", action="store_true", help="print what changed as JSON")
    status.add_argument("person_ids", nargs="+", type=int, metavar="PERSON_ID")
    status.set_defaults(handler=cmd_participants_set_status)


def cmd_agenda(args: argparse.Namespace) -> int:
    from smartconf.services.planning import render_agenda_pdf  # ReportLab: load lazily

    languages = [lang for lang in args.languages.split(",") if lang.strip()]
    with read_session(open_db(args).sessions) as session:
        conference = get_conference(session, args.conference)
        pdf = render_agenda_pdf(session, conference, languages=languages)
    write_file(args.output, pdf)
    print(f"Agenda written to {args.output}")
    return 0


def cmd_participants_list(args: argparse.Namespace) -> int:
    with read_session(open_db(args).sessions) as session:
        conference = get_conference(session, args.conference)
        rows = [row for row in conference_participants(session, conference.id)
                if args.status is None or row.status.value == args.status]
    if args.json:
        print_json([{"participant_id": r.id, "person_id": r.person_id, "name": r.name,
                     "organisation": r.organisation, "role": r.role.value,
                     "status": r.status.value} for r in rows])
        return 0
    for r in rows:
        print(f"{r.person_id:>6}  {r.status.value:<11} {r.role.value:<11} {r.name}"
              + (f" ({r.organisation})" if r.organisation else ""))
    print(f"{len(rows)} participant(s)")
    return 0


def cmd_participants_add(args: argparse.Namespace) -> int:
    who = actor(args)
    with unit_of_work(open_db(args).sessions, who) as session:
        conference = get_conference(session, args.conference)
        result = invitations.add_participants(
            session, conference, actor=who, person_ids=args.person_ids,
            filter_name=args.filter, role=ParticipantRole(args.role))
        added = len(result.added)
    print(f"{added} person(s) shortlisted for {args.conference}; "
          f"{len(result.already_listed)} already on the list")
    return 0


def cmd_participants_set_status(args: argparse.Namespace) -> int:
    who = actor(args)
    with unit_of_work(open_db(args).sessions, who) as session:
        conference = get_conference(session, args.conference)
        ids = invitations.participant_ids_for_persons(session, conference, args.person_ids)
        report = invitations.set_status(session, conference, ids,
                                        ParticipantStatus(args.status), actor=who)
    if args.json:
        print_json(report.as_json())
        return 0
    for line in report.messages():
        print(line)
    if report.unchanged:
        print(f"{len(report.unchanged)} already {args.status}")
    return 0
