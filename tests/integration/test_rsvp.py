"""Replies (iTIP REPLY) read back into participants' statuses, on SQLite and PostgreSQL.

The replies are made the way a calendar client makes them: from the invitation smartconf sent
(same UID and SEQUENCE), METHOD:REPLY and the attendee's PARTSTAT, as a bare .ics or inside
an e-mail (base64 or quoted-printable)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from icalendar import Calendar, vCalAddress
from sqlalchemy import select

from smartconf.__main__ import main
from smartconf.core.enums import ParticipantStatus
from smartconf.models import AuditEvent, OutboxMessage, Participant
from smartconf.services.conferences import get_conference
from smartconf.services.rsvp import RsvpReport, calendar_payloads, import_replies
from smartconf.store.database import Database
from smartconf.store.session import read_session, unit_of_work
from tests.integration.test_calendar_invites import (
    ACTOR,
    CODE,
    CONFERENCE_UID,
    ORGANISER,
    Ids,
    outbox,
    seed,
    sync,
)

S = ParticipantStatus
STAMP = datetime(2027, 5, 4, 8, 0, tzinfo=UTC)


@pytest.fixture
def ids(database: Database) -> Ids:
    """The seeded conference with its invitations queued."""
    ids = seed(database)
    sync(database)
    return ids


def invitation(database: Database, participant_id: int, uid: str = CONFERENCE_UID
               ) -> OutboxMessage:
    return next(m for m in outbox(database)
                if m.participant_id == participant_id and f"UID:{uid}" in m.ics)


def reply_to(message: OutboxMessage, partstat: str, *, stamp: datetime = STAMP,
             sequence: int | None = None, organizer: str | None = None,
             attendee: str | None = None, uid: str | None = None) -> bytes:
    """What a calendar client sends back when its user answers ``message``'s invitation."""
    calendar = Calendar.from_ical(message.ics)
    calendar["method"] = "REPLY"
    (event,) = calendar.walk("VEVENT")
    answer = vCalAddress(f"MAILTO:{attendee or message.recipient.upper()}")
    answer.params["PARTSTAT"] = partstat
    answer.params["CN"] = event["attendee"].params["CN"]
    event["attendee"] = answer
    event.pop("dtstamp")
    event.add("dtstamp", stamp)
    if sequence is not None:
        event["sequence"] = sequence
    if organizer is not None:
        event["organizer"] = vCalAddress(f"mailto:{organizer}")
    if uid is not None:
        event["uid"] = uid
    return calendar.to_ical()


def as_email(ics: bytes, *, cte: str) -> bytes:
    """An e-mail answer carrying the reply as its text/calendar part."""
    mail = EmailMessage()
    mail["From"] = "someone@example.org"
    mail["To"] = ORGANISER
    mail["Subject"] = "Accepted: Building the Cyber Security Agency"
    mail.set_content("Pranoj ftesën. Faleminderit!", cte="quoted-printable")
    mail.add_alternative(ics.decode(), subtype="calendar", cte=cte,
                         params={"method": "REPLY"})
    return mail.as_bytes()


def apply(database: Database, *files: tuple[str, bytes]) -> RsvpReport:
    with unit_of_work(database.sessions, ACTOR) as session:
        return import_replies(session, files, actor=ACTOR)


def status(database: Database, participant_id: int) -> ParticipantStatus:
    with read_session(database.sessions) as session:
        return session.get(Participant, participant_id).status


def set_capacity(database: Database, capacity: int) -> None:
    with unit_of_work(database.sessions, ACTOR) as session:
        get_conference(session, CODE).capacity = capacity


# -- answers that apply --------------------------------------------------------------------


@pytest.mark.parametrize(("answer", "expected"), [("ACCEPTED", S.ACCEPTED),
                                                  ("TENTATIVE", S.TENTATIVE),
                                                  ("DECLINED", S.DECLINED)])
def test_answer_sets_the_status(database: Database, ids: Ids, answer: str,
                                expected: ParticipantStatus) -> None:
    arta = ids.participants["arta"]
    report = apply(database, ("arta.ics", reply_to(invitation(database, arta), answer)))
    assert report.unmatched == []
    (applied,) = report.applied
    assert (applied.participant_id, applied.old_status, applied.new_status) == (
        arta, S.INVITED, expected)
    assert applied.name == "Dr. Arta Gashi" and applied.conference == CODE
    assert status(database, arta) is expected
    with read_session(database.sessions) as session:
        trail = [(e.summary, e.changes) for e in session.scalars(select(AuditEvent).where(
            AuditEvent.entity == "participant", AuditEvent.entity_id == str(arta)))]
    assert any(summary and summary.startswith(f"RSVP {answer} from arta.gashi@") and
               changes["rsvp"]["uid"] == CONFERENCE_UID for summary, changes in trail)
    assert any(changes and changes.get("status") == ["invited", expected.value]
               for _, changes in trail)  # the change itself, recorded by the audit listener


def test_decline_promotes_the_waitlist(database: Database, ids: Ids) -> None:
    set_capacity(database, 2)  # Đorđe (accepted) and Rachel (tentative) hold both seats
    rachel = ids.participants["rachel"]
    report = apply(database, ("r.ics", reply_to(invitation(database, rachel), "DECLINED")))
    (applied,) = report.applied
    assert applied.new_status is S.DECLINED and applied.note == "1 moved up from the waitlist"
    assert status(database, ids.participants["besa"]) is S.ACCEPTED


def test_accepting_a_full_conference_lands_on_the_waitlist(database: Database,
                                                          ids: Ids) -> None:
    set_capacity(database, 2)
    arta = ids.participants["arta"]
    (applied,) = apply(database, ("a.ics", reply_to(invitation(database, arta),
                                                    "ACCEPTED"))).applied
    assert applied.new_status is S.WAITLISTED
    assert applied.note == "no seat left: put on the waitlist"


@pytest.mark.parametrize("cte", ["base64", "quoted-printable"])
def test_reply_inside_an_email(database: Database, ids: Ids, cte: str) -> None:
    dorde = ids.participants["dorde"]
    mail = as_email(reply_to(invitation(database, dorde), "TENTATIVE"), cte=cte)
    assert f"Content-Transfer-Encoding: {cte}".encode() in mail
    (applied,) = apply(database, ("reply.eml", mail)).applied
    assert applied.new_status is S.TENTATIVE and applied.file == "reply.eml"


def test_outlook_style_email_with_calendar_twice_counts_once() -> None:
    ics = (b"BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:x\r\n"
           b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    mail = EmailMessage()
    mail.set_content("Accepted")
    mail.add_alternative(ics.decode(), subtype="calendar", cte="base64")
    mail.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    assert calendar_payloads(mail.as_bytes()) == [ics]


def test_session_answers(database: Database, ids: Ids) -> None:
    arta, dorde = ids.participants["arta"], ids.participants["dorde"]
    opening = invitation(database, arta, "opening@smartconf.kcss")
    panel = invitation(database, dorde, "panel@smartconf.kcss")
    report = apply(database, ("opening.ics", reply_to(opening, "ACCEPTED")),
                   ("panel.ics", reply_to(panel, "DECLINED")))
    accepted, declined = report.applied
    assert (accepted.event, accepted.old_status, accepted.new_status) == (
        "Opening remarks", S.INVITED, S.ACCEPTED)  # speaking means coming
    assert "answers the conference too" in accepted.note
    assert (declined.old_status, declined.new_status) == (S.ACCEPTED, S.ACCEPTED)
    assert "session only" in declined.note


def test_the_same_reply_twice_changes_nothing_more(database: Database, ids: Ids) -> None:
    arta = ids.participants["arta"]
    data = reply_to(invitation(database, arta), "ACCEPTED")
    apply(database, ("a.ics", data))
    (again,) = apply(database, ("a.ics", data)).applied
    assert not again.changed and again.new_status is S.ACCEPTED


# -- answers that are refused, with their reason -------------------------------------------


def test_foreign_and_broken_replies_are_listed_not_guessed(database: Database,
                                                           ids: Ids) -> None:
    arta = invitation(database, ids.participants["arta"])
    files = [
        ("unknown.ics", reply_to(arta, "ACCEPTED", uid="someone-else@calendar.example")),
        ("organiser.ics", reply_to(arta, "ACCEPTED", organizer="events@other.example")),
        ("stranger.ics", reply_to(arta, "ACCEPTED", attendee="stranger@example.org")),
        ("undecided.ics", reply_to(arta, "NEEDS-ACTION")),
        ("request.ics", arta.ics.encode()),
        ("garbage.ics", bytes(range(256)) * 4),
        ("empty.eml", b"From: a@b.c\r\nSubject: hi\r\n\r\nno calendar here\r\n"),
    ]
    report = apply(database, *files)
    assert report.applied == []
    reasons = {u.file: u.reason for u in report.unmatched}
    assert reasons == {
        "unknown.ics": "unknown UID: no conference or agenda session has it",
        "organiser.ics": f"organised by events@other.example, not by {ORGANISER}",
        "stranger.ics": f"stranger@example.org is not a participant of {CODE}",
        "undecided.ics": "PARTSTAT NEEDS-ACTION is not an answer",
        "request.ics": "METHOD is REQUEST, not REPLY",
        "garbage.ics": "neither an iCalendar file nor an e-mail with a calendar",
        "empty.eml": "neither an iCalendar file nor an e-mail with a calendar",
    }
    assert status(database, ids.participants["arta"]) is S.INVITED


def test_an_older_reply_does_not_undo_a_newer_one(database: Database, ids: Ids) -> None:
    rachel = ids.participants["rachel"]
    message = invitation(database, rachel)
    newer = reply_to(message, "DECLINED", sequence=1)
    older = reply_to(message, "ACCEPTED", sequence=0)
    earlier_same = reply_to(message, "ACCEPTED", sequence=1, stamp=STAMP - timedelta(hours=1))
    report = apply(database, ("newer.ics", newer), ("older.ics", older),
                   ("earlier.ics", earlier_same))
    assert [a.file for a in report.applied] == ["newer.ics"]
    assert {u.file: u.reason for u in report.unmatched} == {
        "older.ics": "older than a reply already applied (SEQUENCE 0 < 1)",
        "earlier.ics": "older than a reply already applied (same SEQUENCE, earlier DTSTAMP)"}
    assert status(database, rachel) is S.DECLINED


def test_a_cancelled_participation_is_not_revived(database: Database, ids: Ids) -> None:
    arta = ids.participants["arta"]
    data = reply_to(invitation(database, arta), "ACCEPTED")
    with unit_of_work(database.sessions, ACTOR) as session:
        session.get(Participant, arta).status = S.CANCELLED
    report = apply(database, ("late.ics", data))
    (refused,) = report.unmatched
    assert "cannot go from cancelled to accepted" in refused.reason
    assert status(database, arta) is S.CANCELLED


# -- the command line -------------------------------------------------------------------------


def test_rsvp_import_command(capsys, database: Database, ids: Ids, tmp_path: Path) -> None:
    rachel = invitation(database, ids.participants["rachel"])
    (tmp_path / "yes.eml").write_bytes(as_email(reply_to(rachel, "ACCEPTED"), cte="base64"))
    (tmp_path / "junk.ics").write_bytes(b"\x89PNG\r\n\x1a\n")
    url = database.engine.url.render_as_string(hide_password=False)
    code = main(["--db", url, "rsvp", "import", str(tmp_path / "yes.eml"),
                 str(tmp_path / "junk.ics"), str(tmp_path / "missing.ics"), "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0
    (applied,) = result["applied"]
    assert applied["name"] == "Ms Rachel Goldberg" and applied["old_status"] == "tentative"
    assert applied["new_status"] == "accepted" and applied["changed"] is True
    assert [(u["file"].rsplit("/", 1)[1], u["reason"].split(" (")[0])
            for u in result["unmatched"]] == [
        ("missing.ics", "cannot read"),
        ("junk.ics", "neither an iCalendar file nor an e-mail with a calendar")]
    assert status(database, ids.participants["rachel"]) is S.ACCEPTED
