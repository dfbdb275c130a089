"""Replies to invitations (iTIP REPLY) read back into participants' statuses.

A reply comes as an ``.ics`` file or as an e-mail (``.eml``) carrying one in a
``text/calendar`` part or an ``.ics`` attachment (base64 or quoted-printable). Each answer is
matched strictly, never guessed:

- its UID must be the calendar UID of one of our conferences or agenda sessions;
- its ORGANIZER must be that conference's organiser;
- its ATTENDEE must be the e-mail address of a participant of that conference;
- its PARTSTAT must be ACCEPTED, TENTATIVE or DECLINED;
- it must not be older (SEQUENCE, then DTSTAMP) than a reply already applied for the same
  participant and UID.

A matching answer to the conference sets the participant's status through
``invitations.set_status`` (so capacity, the waitlist and badges follow its rules: accepting a
full conference lands on the waitlist, a decline promotes the waitlist). An answer to an agenda
session invitation accepts the conference too while the participant is still only invited;
declining a session leaves the participation as it is. Every applied answer is recorded in the
audit trail (entity ``participant``, summary ``RSVP ...``); anything else is listed with its
reason.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartconf.core.enums import AuditAction, ParticipantStatus
from smartconf.core.errors import ValidationError
from smartconf.exports.calendar import CalendarFormatError, PartStat, Reply, parse_replies
from smartconf.models import (
    AgendaSession,
    AuditEvent,
    Conference,
    Participant,
    PersonEmail,
)
from smartconf.services.calendar_invites import display_name
from smartconf.services.invitations import set_status
from smartconf.store.audit import record_event
from smartconf.store.session import act_as

RSVP_PREFIX = "RSVP "
_ANSWERS = {PartStat.ACCEPTED: ParticipantStatus.ACCEPTED,
            PartStat.TENTATIVE: ParticipantStatus.TENTATIVE,
            PartStat.DECLINED: ParticipantStatus.DECLINED}
_CALENDAR_TYPES = ("text/calendar", "application/ics", "text/x-vcalendar")


@dataclass(frozen=True, slots=True)
class AppliedReply:
    """An answer that matched: the participant's status before and after."""

    file: str
    participant_id: int
    name: str
    conference: str
    event: str  # the conference's or the session's title
    answer: str  # ACCEPTED, TENTATIVE, DECLINED
    old_status: ParticipantStatus
    new_status: ParticipantStatus
    note: str = ""

    @property
    def changed(self) -> bool:
        return self.old_status is not self.new_status

    def as_json(self) -> dict:
        return {"file": self.file, "participant_id": self.participant_id, "name": self.name,
                "conference": self.conference, "event": self.event, "answer": self.answer,
                "old_status": self.old_status.value, "new_status": self.new_status.value,
                "changed": self.changed, "note": self.note}


@dataclass(frozen=True, slots=True)
class UnmatchedReply:
    """A file or answer that was not applied, and why."""

    file: str
    reason: str
    uid: str | None = None
    attendee: str | None = None

    def as_json(self) -> dict:
        return {"file": self.file, "reason": self.reason, "uid": self.uid,
                "attendee": self.attendee}


@dataclass
class RsvpReport:
    """What ``import_replies`` did, file by file."""

    applied: list[AppliedReply] = field(default_factory=list)
    unmatched: list[UnmatchedReply] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"applied": [a.as_json() for a in self.applied],
                "unmatched": [u.as_json() for u in self.unmatched]}


# -- reading files --------------------------------------------------------------------------


def calendar_payloads(data: bytes) -> list[bytes]:
    """The iCalendar objects in a file: the file itself (``.ics``) or the calendar parts of an
    e-mail (``.eml``), decoded, duplicates dropped. CalendarFormatError when there are none."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").upper().startswith(b"BEGIN:VCALENDAR"):
        return [data]
    message = email.message_from_bytes(data, policy=email.policy.default)
    found: list[bytes] = []
    for part in message.walk():
        if part.is_multipart() or not _is_calendar(part):
            continue
        try:
            content = part.get_content()
        except (LookupError, ValueError) as exc:
            raise CalendarFormatError(f"unreadable calendar part ({exc})") from exc
        payload = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        payload = re.sub(rb"\r?\n", b"\r\n", payload)  # text parts come back with \n
        if payload not in found:
            found.append(payload)
    if not found:
        raise CalendarFormatError("neither an iCalendar file nor an e-mail with a calendar")
    return found


def _is_calendar(part) -> bool:
    filename = (part.get_filename() or "").lower()
    return part.get_content_type() in _CALENDAR_TYPES or filename.endswith(".ics")


# -- applying -------------------------------------------------------------------------------


def import_replies(session: Session, files: Iterable[tuple[str, bytes]], *,
                   actor: str) -> RsvpReport:
    """Apply the answers found in ``files`` (name, content), in order; see the module."""
    act_as(session, actor)
    report = RsvpReport()
    for name, data in files:
        try:
            replies = [r for payload in calendar_payloads(data) for r in parse_replies(payload)]
        except CalendarFormatError as exc:
            report.unmatched.append(UnmatchedReply(name, exc.message))
            continue
        for reply in replies:
            _apply(session, name, reply, report, actor)
    return report


def _apply(session: Session, name: str, reply: Reply, report: RsvpReport, actor: str) -> None:
    match = _match(session, reply)
    if isinstance(match, str):
        report.unmatched.append(UnmatchedReply(name, match, reply.uid, reply.attendee))
        return
    conference, agenda_session, participant = match
    try:
        applied = _set(session, conference, agenda_session, participant, reply, name, actor)
    except ValidationError as exc:  # a transition the lifecycle refuses
        report.unmatched.append(UnmatchedReply(name, exc.detail, reply.uid, reply.attendee))
        return
    _record(session, participant, reply, name)
    report.applied.append(applied)


def _match(session: Session, reply: Reply
           ) -> tuple[Conference, AgendaSession | None, Participant] | str:
    """The event and participant the reply answers for, or why it matches nothing of ours."""
    conference, agenda_session = _event(session, reply.uid)
    if conference is None:
        return "unknown UID: no conference or agenda session has it"
    ours = (conference.organiser_email or "").strip().lower()
    if reply.organizer is None:
        return "the reply names no ORGANIZER"
    if reply.organizer != ours:
        return f"organised by {reply.organizer}, not by {ours or 'us'}"
    if reply.partstat not in _ANSWERS:
        return f"PARTSTAT {reply.partstat} is not an answer"
    participant = _participant(session, conference, reply.attendee)
    if participant is None:
        return f"{reply.attendee} is not a participant of {conference.code}"
    newer = _newer_applied(session, participant, reply)
    if newer is None:
        return conference, agenda_session, participant
    if newer != reply.sequence:
        return f"older than a reply already applied (SEQUENCE {reply.sequence} < {newer})"
    return "older than a reply already applied (same SEQUENCE, earlier DTSTAMP)"


def _event(session: Session, uid: str) -> tuple[Conference | None, AgendaSession | None]:
    conference = session.scalar(select(Conference).where(Conference.calendar_uid == uid))
    if conference is not None:
        return conference, None
    agenda_session = session.scalar(select(AgendaSession).where(AgendaSession.calendar_uid == uid))
    if agenda_session is None:
        return None, None
    return agenda_session.conference, agenda_session


def _participant(session: Session, conference: Conference, address: str) -> Participant | None:
    return session.scalar(
        select(Participant)
        .join(PersonEmail, PersonEmail.person_id == Participant.person_id)
        .where(Participant.conference_id == conference.id,
               func.lower(PersonEmail.address) == address.strip().lower()))


def _newer_applied(session: Session, participant: Participant, reply: Reply) -> int | None:
    """The SEQUENCE of an applied reply that outranks ``reply`` (None if there is none)."""
    rows = session.scalars(select(AuditEvent.changes).where(
        AuditEvent.entity == "participant", AuditEvent.entity_id == str(participant.id),
        AuditEvent.summary.startswith(RSVP_PREFIX)))
    mine = (reply.sequence, reply.stamp.isoformat() if reply.stamp else "")
    for changes in rows:
        seen = (changes or {}).get("rsvp") or {}
        if seen.get("uid") != reply.uid:
            continue
        theirs = (int(seen.get("sequence", 0)), seen.get("stamp") or "")
        if theirs > mine:
            return theirs[0]
    return None


def _set(session: Session, conference: Conference, agenda_session: AgendaSession | None,
         participant: Participant, reply: Reply, name: str, actor: str) -> AppliedReply:
    old = participant.status
    wanted, note = _wanted(agenda_session, old, _ANSWERS[PartStat(reply.partstat)])
    if old is not wanted:
        outcome = set_status(session, conference, [participant.id], wanted, actor=actor)
        if outcome.waitlisted:
            note = "no seat left: put on the waitlist"
        elif outcome.promoted:
            note = f"{len(outcome.promoted)} moved up from the waitlist"
    return AppliedReply(
        file=name, participant_id=participant.id, name=display_name(participant.person),
        conference=conference.code,
        event=agenda_session.title if agenda_session is not None else conference.title,
        answer=reply.partstat, old_status=old, new_status=participant.status, note=note)


def _wanted(agenda_session: AgendaSession | None, old: ParticipantStatus,
            answer: ParticipantStatus) -> tuple[ParticipantStatus, str]:
    """The participation status an answer asks for, and a note on how it was read."""
    if agenda_session is None:
        return answer, ""
    if answer is not ParticipantStatus.DECLINED and old is ParticipantStatus.INVITED:
        return answer, "answer to a session of the conference: it answers the conference too"
    return old, "answer to a session only: the participation is unchanged"


def _record(session: Session, participant: Participant, reply: Reply, name: str) -> None:
    stamp: datetime | None = reply.stamp
    record_event(session, AuditAction.UPDATE, "participant", str(participant.id),
                 f"{RSVP_PREFIX}{reply.partstat} from {reply.attendee} for {reply.uid} "
                 f"(SEQUENCE {reply.sequence})",
                 {"rsvp": {"uid": reply.uid, "sequence": reply.sequence,
                           "stamp": stamp.isoformat() if stamp else None,
                           "partstat": reply.partstat, "file": name}})
    session.flush()
