"""`smartconf invites`, `smartconf rsvp import` and `smartconf agenda-feed`: calendar invites."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smartconf.cli.base import actor, open_db, print_json, subparsers, write_file
from smartconf.core.progress import Progress, run_job
from smartconf.services.calendar_invites import SyncReport, agenda_feed, sync_invitations
from smartconf.services.conferences import get_conference
from smartconf.services.invite_files import export_pending
from smartconf.services.rsvp import RsvpReport, import_replies
from smartconf.store.database import Database
from smartconf.store.session import read_session, unit_of_work


def register(commands, common: argparse.ArgumentParser) -> None:
    invites = commands.add_parser(
        "invites", parents=[common], help="calendar invitations of a conference",
        description="Queue the invitations, updates and cancellations the conference's "
                    "participants need (nothing twice), then send what has not been sent "
                    "(--send) or write each pending message as .eml and .ics files (--out). "
                    "Exported messages count as sent: a second run does not write them "
                    "again.")
    invites.add_argument("--conference", required=True, metavar="CODE")
    how = invites.add_mutually_exclusive_group(required=True)
    how.add_argument("--send", action="store_true", help="send over SMTP (see smartconf config)")
    how.add_argument("--out", type=Path, metavar="DIR",
                     help="write NNNN-name-method.eml and .ics files into DIR")
    invites.add_argument("--agenda-url", metavar="URL",
                         help="link new invitations to this agenda page instead of listing "
                              "the programme")
    invites.add_argument("--json", action="store_true", help="print one JSON object")
    invites.set_defaults(handler=cmd_invites)

    rsvp = commands.add_parser("rsvp", parents=[common], help="replies to invitations")
    actions = subparsers(rsvp, "action")
    importing = actions.add_parser(
        "import", parents=[common], help="read iTIP replies (.ics or .eml) into statuses",
        description="Set participants' statuses from Accept/Tentative/Decline replies. "
                    "Replies that do not match one of our events, organisers and "
                    "participants are listed with the reason, never guessed.")
    importing.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importing.add_argument("--json", action="store_true",
                           help='print {"applied": [...], "unmatched": [...]}')
    importing.set_defaults(handler=cmd_rsvp_import)

    feed = commands.add_parser(
        "agenda-feed", parents=[common], help="the agenda as a PUBLISH .ics for a website",
        description="Write every agenda session of the conference as one iCalendar file "
                    "(METHOD:PUBLISH, no attendees).")
    feed.add_argument("--conference", required=True, metavar="CODE")
    feed.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.ics")
    feed.set_defaults(handler=cmd_agenda_feed)


def cmd_invites(args: argparse.Namespace) -> int:
    who = actor(args)
    database = open_db(args)
    try:
        result = _invites(args, database, who)
    finally:
        database.dispose()
    if args.json:
        print_json(result)
    else:
        _print_summary(result, args.out)
    return 0


def _invites(args: argparse.Namespace, database: Database, who: str) -> dict:
    """Sync (committed), then export to files or send; the JSON result."""
    with unit_of_work(database.sessions, who) as session:
        conference = get_conference(session, args.conference)
        report = sync_invitations(session, conference, actor=who, agenda_url=args.agenda_url)
        conference_id = conference.id
    result = _sync_json(report)
    show = None if args.json else _show_progress
    if args.out is not None:
        exported = run_job(export_pending(database.sessions, conference_id, args.out,
                                          actor=who), show)
        return result | {"written": len(exported.written), "failed": len(exported.failed),
                         "failures": exported.failed}
    from smartconf.services.outbox import send_pending  # smtplib, ssl: load lazily

    sent = run_job(send_pending(database.sessions, actor=who, conference_id=conference_id),
                   show)
    return result | {"sent": sent.sent, "failed": sent.failed, "retried": sent.retried,
                     "uncertain": sent.uncertain}


def _sync_json(report: SyncReport) -> dict:
    data = report.as_json()
    return {"enqueued": data["enqueued"], "invitations": data["invitations"],
            "updates": data["updates"], "cancellations": data["cancellations"],
            "superseded": data["superseded"], "skipped": data["skipped"]}


def _show_progress(progress: Progress) -> None:
    """One line on stderr, rewritten in place; a new line when the job is done."""
    end = "\n" if progress.total and progress.done >= progress.total else ""
    print(f"\r{progress.done}/{progress.total} {progress.message}", end=end, file=sys.stderr,
          flush=True)


def _print_summary(result: dict, out: Path | None) -> None:
    print(f"Queued {result['enqueued']} message(s): {result['invitations']} invitation(s), "
          f"{result['updates']} update(s), {result['cancellations']} cancellation(s).")
    for skipped in result["skipped"]:
        print(f"  skipped {skipped['name']} (participant {skipped['participant_id']}): "
              f"{skipped['reason']}")
    if out is not None:
        print(f"Wrote {result['written']} message(s) to {out} (.eml and .ics); "
              f"{result['failed']} could not be written.")
        for failure in result["failures"]:
            print(f"  not written: {failure['recipient']}: {failure['error']}")
    else:
        print(f"Sent {result['sent']}, failed {result['failed']}, to retry later "
              f"{result['retried']}, uncertain {result['uncertain']}.")


def cmd_rsvp_import(args: argparse.Namespace) -> int:
    files = []
    unreadable = []
    for path in args.files:
        try:
            files.append((str(path), path.read_bytes()))
        except OSError as exc:
            unreadable.append({"file": str(path), "reason": f"cannot read ({exc.strerror})",
                               "uid": None, "attendee": None})
    who = actor(args)
    database = open_db(args)
    try:
        with unit_of_work(database.sessions, who) as session:
            report = import_replies(session, files, actor=who)
            result = report.as_json()
    finally:
        database.dispose()
    result["unmatched"] = unreadable + result["unmatched"]
    if args.json:
        print_json(result)
    else:
        _print_rsvp(report, unreadable)
    return 0


def _print_rsvp(report: RsvpReport, unreadable: list[dict]) -> None:
    for applied in report.applied:
        change = (f"{applied.old_status.value} -> {applied.new_status.value}" if applied.changed
                  else f"stays {applied.new_status.value}")
        note = f" ({applied.note})" if applied.note else ""
        print(f"{applied.file}: {applied.name} {applied.answer.lower()} "
              f"{applied.conference}: {change}{note}")
    for item in unreadable + [u.as_json() for u in report.unmatched]:
        print(f"{item['file']}: NOT APPLIED: {item['reason']}")
    print(f"{len(report.applied)} applied, "
          f"{len(report.unmatched) + len(unreadable)} not applied.")


def cmd_agenda_feed(args: argparse.Namespace) -> int:
    database = open_db(args)
    try:
        with read_session(database.sessions) as session:
            data = agenda_feed(get_conference(session, args.conference))
    finally:
        database.dispose()
    write_file(args.output, data)
    print(f"Agenda written to {args.output}")
    return 0
