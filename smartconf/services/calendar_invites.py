"""Calendar invitations: which messages each participant needs, queued in the outbox.

``sync_invitations`` compares the current state (participants, statuses, the conference's and
its sessions' times and places) with what the outbox already holds for each participant and
event, and enqueues only the difference, so running it twice enqueues nothing new:

- an invitee (invited, accepted, tentative, attended) without the current version of the event
  gets a REQUEST: an invitation the first time, an update when the event's calendar_sequence
  was raised (a change of time or place);
- a withdrawn participation (cancelled, waitlisted, shortlisted again), a cancelled conference,
  a person taken off a panel or a deleted session send a CANCEL to whoever received a REQUEST;
- participants who declined (or did not show) get nothing more;
- everyone with a role in an agenda session (moderator, speaker, rapporteur) also gets one
  REQUEST per such session, with the session's own UID and SEQUENCE.

Sequences per recipient: a REQUEST carries ``calendar_sequence + 2 * c`` and a CANCEL
``calendar_sequence + 2 * c + 1``, where ``c`` counts the CANCELs already queued for that
recipient and event. Each recipient's SEQUENCE therefore rises with every message and with
every change of the event, and a re-invitation after a CANCEL always outranks it.

A queued message that is no longer right (pending, or failed) is withdrawn (state cancelled,
"superseded") before its replacement is queued, with a conditional update: a message that a
sender took meanwhile counts as delivered.

Outbox keys: ``conf:{conference}:p:{participant}:seq:{n}:{request|cancel}`` for the conference
and ``conf:{conference}:s:{session}:p:{participant}:seq:{n}:{method}`` for an agenda session.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import Enum

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from smartconf.core.enums import (
    AuditAction,
    ConferenceStatus,
    ConsentPurpose,
    OutboxKind,
    OutboxState,
    ParticipantStatus,
)
from smartconf.core.errors import ValidationError
from smartconf.exports.calendar import (
    CalendarEvent,
    CalendarUser,
    Method,
    build_cancel,
    build_feed,
    build_request,
    is_calendar_address,
    parse_event,
)
from smartconf.models import (
    AgendaSession,
    AgendaSessionPerson,
    Conference,
    Consent,
    OutboxMessage,
    Participant,
    Person,
    PersonEmail,
)
from smartconf.models.base import utcnow
from smartconf.services.invite_text import (
    CancelReason,
    InviteContent,
    MailPurpose,
    ProgrammeLine,
    render_message,
)
from smartconf.store.audit import record_event
from smartconf.store.session import act_as

MESSAGE_DOMAIN = "smartconf.kcss"
SUPERSEDED = "superseded by a newer message"

ACTIVE = frozenset({ParticipantStatus.INVITED, ParticipantStatus.ACCEPTED,
                    ParticipantStatus.TENTATIVE, ParticipantStatus.ATTENDED})
WITHDRAWN = frozenset({ParticipantStatus.CANCELLED, ParticipantStatus.WAITLISTED,
                       ParticipantStatus.SHORTLISTED})
# Declined and no-show: the invitee answered (or it is over); they get nothing more.

_KEY = re.compile(r"^conf:(\d+):(?:s:(\d+):)?p:(\d+):seq:(\d+):(request|cancel)$")
_DELIVERED = frozenset({OutboxState.SENT, OutboxState.SENDING})  # sending: may have left
_QUEUED = frozenset({OutboxState.PENDING, OutboxState.FAILED})


class Want(Enum):
    """What a participant's calendar should show for one event."""

    ACTIVE = "active"  # the current version of the event
    WITHDRAWN = "withdrawn"  # nothing, and say so if it was sent
    QUIET = "quiet"  # whatever it shows now; send nothing more


# -- results --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueuedMessage:
    """One message enqueued by a sync."""

    id: int
    key: str
    kind: OutboxKind
    participant_id: int
    recipient: str
    uid: str
    sequence: int

    def as_json(self) -> dict:
        return {"id": self.id, "key": self.key, "kind": self.kind.value,
                "participant_id": self.participant_id, "recipient": self.recipient,
                "uid": self.uid, "sequence": self.sequence}


@dataclass(frozen=True, slots=True)
class SkippedRecipient:
    """A participant who was due a message that could not be made."""

    participant_id: int
    name: str
    reason: str

    def as_json(self) -> dict:
        return {"participant_id": self.participant_id, "name": self.name,
                "reason": self.reason}


@dataclass
class SyncReport:
    """What ``sync_invitations`` did."""

    conference: str
    queued: list[QueuedMessage] = field(default_factory=list)
    superseded: int = 0
    skipped: list[SkippedRecipient] = field(default_factory=list)

    def count(self, kind: OutboxKind) -> int:
        return sum(1 for message in self.queued if message.kind is kind)

    def as_json(self) -> dict:
        return {"conference": self.conference, "enqueued": len(self.queued),
                "invitations": self.count(OutboxKind.INVITE),
                "updates": self.count(OutboxKind.UPDATE),
                "cancellations": self.count(OutboxKind.CANCELLATION),
                "superseded": self.superseded,
                "skipped": [s.as_json() for s in self.skipped]}


# -- deciding -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sent:
    """A message already in the outbox for one participant and event."""

    id: int
    sequence: int
    method: Method
    state: OutboxState


@dataclass(frozen=True, slots=True)
class Decision:
    """Queued messages to withdraw, and the message to enqueue (if any)."""

    supersede: tuple[int, ...] = ()
    method: Method | None = None
    sequence: int = 0
    kind: OutboxKind | None = None


def decide(history: Sequence[Sent], want: Want, event_sequence: int) -> Decision:
    """The next step for one participant and event, from the messages so far (oldest first)."""
    live = [m for m in history if m.state is not OutboxState.CANCELLED]
    latest = live[-1] if live else None
    cancels = sum(1 for m in history if m.method is Method.CANCEL)
    delivered = [m for m in history if m.state in _DELIVERED]
    holds_event = bool(delivered) and delivered[-1].method is Method.REQUEST
    if want is Want.ACTIVE:
        target = event_sequence + 2 * cancels
        if latest and latest.method is Method.REQUEST and latest.sequence == target:
            return Decision()
        return Decision(_queued(live), Method.REQUEST, target,
                        OutboxKind.UPDATE if holds_event else OutboxKind.INVITE)
    if want is Want.WITHDRAWN:
        if latest is None or latest.method is Method.CANCEL:
            return Decision()
        if holds_event:
            return Decision(_queued(live), Method.CANCEL, event_sequence + 2 * cancels + 1,
                            OutboxKind.CANCELLATION)
        return Decision(_queued(live))
    return Decision(_queued(live, Method.REQUEST))


def _queued(live: Sequence[Sent], method: Method | None = None) -> tuple[int, ...]:
    return tuple(m.id for m in live
                 if m.state in _QUEUED and (method is None or m.method is method))


def want_for(status: ParticipantStatus, conference_status: ConferenceStatus) -> Want:
    """What a participant in ``status`` should have of the conference's events."""
    if status in ACTIVE:
        return Want.WITHDRAWN if conference_status is ConferenceStatus.CANCELLED else Want.ACTIVE
    return Want.WITHDRAWN if status in WITHDRAWN else Want.QUIET


def message_key(conference_id: int, participant_id: int, sequence: int, method: Method,
                session_id: int | None = None) -> str:
    """The outbox key of one message (unique: enqueueing twice is impossible)."""
    scope = f"s:{session_id}:" if session_id is not None else ""
    return (f"conf:{conference_id}:{scope}p:{participant_id}:seq:{sequence}:"
            f"{method.value.lower()}")


# -- the sync -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Recipient:
    participant: Participant
    email: str | None
    consent: bool  # active consent to event invitations, or a recorded decision

    @property
    def name(self) -> str:
        return display_name(self.participant.person)


@dataclass(slots=True)
class _Pair:
    """One participant and one event (the conference: session_id None)."""

    recipient: _Recipient
    session_id: int | None
    want: Want
    history: list[Sent] = field(default_factory=list)


def sync_invitations(session: Session, conference: Conference, *, actor: str,
                     agenda_url: str | None = None, now: datetime | None = None) -> SyncReport:
    """Enqueue the REQUESTs and CANCELs the conference's participants need (see the module).

    ``agenda_url``, when given, is linked from new messages instead of listing the programme.
    Events that are over get nothing. Raises ValidationError when the conference has no
    organiser e-mail (every invitation names one).
    """
    act_as(session, actor)
    if not is_calendar_address(conference.organiser_email or ""):
        raise ValidationError(f"{conference.code} has no usable organiser e-mail",
                              field="organiser_email",
                              hint="Set the organiser's name and e-mail on the conference.")
    session.flush()
    sync = _Sync(session, conference, agenda_url, now or utcnow())
    return sync.run()


class _Sync:
    """One run of sync_invitations: load, decide, supersede, enqueue."""

    def __init__(self, session: Session, conference: Conference, agenda_url: str | None,
                 now: datetime) -> None:
        self.session = session
        self.conference = conference
        self.agenda_url = agenda_url
        self.now = now
        self.sessions = {s.id: s for s in conference.agenda_sessions}
        self.roles = self._roles()
        self.report = SyncReport(conference.code)
        self.organizer = CalendarUser(conference.organiser_email.strip(),
                                      conference.organiser_name)

    def run(self) -> SyncReport:
        pairs = self._pairs()
        plans = {key: self._decide(pair) for key, pair in pairs.items()}
        withdrawn = self._supersede({i for plan, _ in plans.values() for i in plan.supersede})
        queued: list[tuple[OutboxMessage, str, int]] = []
        for key, pair in pairs.items():
            decision, reason = plans[key]
            if decision.supersede:  # decide again with the states as they are now
                pair.history = [_after_supersede(m, withdrawn) for m in pair.history]
                decision, again = self._decide(pair)
                reason = reason or again
            if reason is not None:
                self._skip(pair.recipient, reason)
            if decision.method is not None:
                queued.append(self._message(pair, decision))
        self.session.add_all(message for message, _, _ in queued)
        self.session.flush()
        self.report.queued = [
            QueuedMessage(m.id, m.key, m.kind, m.participant_id, m.recipient, uid, sequence)
            for m, uid, sequence in queued]
        return self.report

    # -- loading

    def _pairs(self) -> dict[tuple[int, int | None], _Pair]:
        recipients = self._recipients()
        roles = self.roles
        pairs: dict[tuple[int, int | None], _Pair] = {}
        for recipient in recipients.values():
            participant = recipient.participant
            want = want_for(participant.status, self.conference.status)
            for session_id in [None, *roles.get(participant.person_id, ())]:
                pairs[participant.id, session_id] = _Pair(recipient, session_id, want)
        for (participant_id, session_id), history in self._history().items():
            recipient = recipients.get(participant_id)
            if recipient is None:
                continue  # the participation was deleted: nobody to write to
            if (participant_id, session_id) not in pairs:  # off the panel, or session deleted
                want = want_for(recipient.participant.status, self.conference.status)
                pairs[participant_id, session_id] = _Pair(
                    recipient, session_id, Want.QUIET if want is Want.QUIET else Want.WITHDRAWN)
            pairs[participant_id, session_id].history = history
        return {key: pair for key, pair in pairs.items() if not self._is_over(pair)}

    def _recipients(self) -> dict[int, _Recipient]:
        conference_id = self.conference.id
        participants = self.session.scalars(
            select(Participant).join(Person, Person.id == Participant.person_id)
            .where(Participant.conference_id == conference_id)
            .options(selectinload(Participant.person))
            .order_by(Person.sort_name, Participant.id)).all()
        emails: dict[int, str] = {}
        for person_id, address in self.session.execute(
                select(PersonEmail.person_id, PersonEmail.address)
                .join(Participant, Participant.person_id == PersonEmail.person_id)
                .where(Participant.conference_id == conference_id)
                .order_by(PersonEmail.is_primary.desc(), PersonEmail.id)):
            emails.setdefault(person_id, address)
        consenting = set(self.session.scalars(
            select(Consent.person_id)
            .join(Participant, Participant.person_id == Consent.person_id)
            .where(Participant.conference_id == conference_id,
                   Consent.purpose == ConsentPurpose.EVENT_INVITATIONS,
                   Consent.withdrawn_at.is_(None))))
        return {p.id: _Recipient(p, None if p.person.erased_at else emails.get(p.person_id),
                                 p.person_id in consenting or bool(p.consent_override))
                for p in participants}

    def _roles(self) -> dict[int, list[int]]:
        """Person id -> ids of the agenda sessions where the person has a role."""
        roles: dict[int, list[int]] = defaultdict(list)
        rows = self.session.execute(
            select(AgendaSessionPerson.person_id, AgendaSessionPerson.agenda_session_id)
            .join(AgendaSession, AgendaSession.id == AgendaSessionPerson.agenda_session_id)
            .where(AgendaSession.conference_id == self.conference.id)
            .order_by(AgendaSession.starts_at, AgendaSession.id)).all()
        for person_id, session_id in rows:
            if session_id not in roles[person_id]:
                roles[person_id].append(session_id)
        return roles

    def _history(self) -> dict[tuple[int, int | None], list[Sent]]:
        history: dict[tuple[int, int | None], list[Sent]] = defaultdict(list)
        prefix = f"conf:{self.conference.id}:"
        rows = self.session.execute(
            select(OutboxMessage.id, OutboxMessage.key, OutboxMessage.state)
            .where(OutboxMessage.conference_id == self.conference.id,
                   OutboxMessage.key.startswith(prefix))
            .order_by(OutboxMessage.id)).all()
        for message_id, key, state in rows:
            match = _KEY.match(key)
            if match is None:
                continue
            _, session_id, participant_id, sequence, method = match.groups()
            history[int(participant_id), int(session_id) if session_id else None].append(
                Sent(message_id, int(sequence), Method(method.upper()), state))
        return history

    def _is_over(self, pair: _Pair) -> bool:
        if pair.session_id is None:
            return self.conference.ends_at <= self.now
        agenda_session = self.sessions.get(pair.session_id)
        if agenda_session is None:
            stored = self._stored_event(pair)
            return stored is None or stored.ends_at <= self.now
        return agenda_session.ends_at <= self.now

    # -- deciding

    def _decide(self, pair: _Pair) -> tuple[Decision, str | None]:
        sequence = self._event_sequence(pair)
        decision = decide(pair.history, pair.want, sequence)
        method = decision.method
        if method is None and pair.want is Want.ACTIVE and _queued(
                [m for m in pair.history if m.state is not OutboxState.CANCELLED],
                Method.REQUEST):
            method = Method.REQUEST  # a queued REQUEST must still be allowed to go
        reason = _blocked(pair.recipient, method) if method else None
        if reason is None:
            return decision, None
        return decide(pair.history, Want.QUIET, sequence), reason

    def _event_sequence(self, pair: _Pair) -> int:
        if pair.session_id is None:
            return self.conference.calendar_sequence
        agenda_session = self.sessions.get(pair.session_id)
        if agenda_session is None:
            return max((m.sequence for m in pair.history), default=0)
        return agenda_session.calendar_sequence

    def _supersede(self, ids: set[int]) -> set[int]:
        """Withdraw queued messages; returns those withdrawn (a sender may have taken some)."""
        if not ids:
            return set()
        withdrawn = set(self.session.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(sorted(ids)), OutboxMessage.state.in_(_QUEUED))
            .values(state=OutboxState.CANCELLED, last_error=SUPERSEDED, updated_at=utcnow())
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)))
        if withdrawn:
            record_event(self.session, AuditAction.UPDATE, "outbox_message", None,
                         f"{len(withdrawn)} queued message(s) of {self.conference.code} "
                         f"superseded", {"superseded": sorted(withdrawn)})
        self.report.superseded += len(withdrawn)
        return withdrawn

    def _skip(self, recipient: _Recipient, reason: str) -> None:
        entry = SkippedRecipient(recipient.participant.id, recipient.name, reason)
        if entry not in self.report.skipped:
            self.report.skipped.append(entry)

    # -- writing

    def _message(self, pair: _Pair, decision: Decision) -> tuple[OutboxMessage, str, int]:
        """The outbox message, with the UID and SEQUENCE of its calendar part."""
        participant = pair.recipient.participant
        event = self._event(pair, decision.sequence)
        attendee = CalendarUser(pair.recipient.email, pair.recipient.name)
        build = build_cancel if decision.method is Method.CANCEL else build_request
        ics = build(event, organizer=self.organizer, attendee=attendee, stamp=self.now)
        text = render_message(self._content(pair, decision, event))
        if pair.session_id is None:
            participant.invite_sequence = decision.sequence
        message = OutboxMessage(
            key=message_key(self.conference.id, participant.id, decision.sequence,
                            decision.method, pair.session_id),
            kind=decision.kind, conference_id=self.conference.id,
            participant_id=participant.id, recipient=pair.recipient.email,
            subject=text.subject, body_text=text.text, body_html=text.html,
            ics=ics.decode("utf-8"), message_id=new_message_id(), state=OutboxState.PENDING)
        return message, event.uid, decision.sequence

    def _event(self, pair: _Pair, sequence: int) -> CalendarEvent:
        conference = self.conference
        if pair.session_id is None:
            return CalendarEvent(
                uid=conference.calendar_uid, sequence=sequence,
                starts_at=conference.starts_at, ends_at=conference.ends_at,
                summary=conference.title, location=conference_place(conference),
                description=conference.description or "", timezone=conference.timezone,
                url=self.agenda_url)
        agenda_session = self.sessions.get(pair.session_id)
        if agenda_session is None:
            return replace(self._stored_event(pair), sequence=sequence)
        return session_event(conference, agenda_session, sequence)

    def _stored_event(self, pair: _Pair) -> CalendarEvent | None:
        """The event of a deleted session, as its last REQUEST described it."""
        request = next((m for m in reversed(pair.history) if m.method is Method.REQUEST), None)
        if request is None:
            return None
        ics = self.session.scalar(select(OutboxMessage.ics).where(OutboxMessage.id == request.id))
        return parse_event(ics)

    def _content(self, pair: _Pair, decision: Decision, event: CalendarEvent) -> InviteContent:
        conference = self.conference
        person = pair.recipient.participant.person
        purpose = {Method.CANCEL: MailPurpose.CANCEL}.get(
            decision.method,
            MailPurpose.UPDATE if decision.kind is OutboxKind.UPDATE else MailPurpose.INVITE)
        own = () if pair.session_id is not None else self._own_sessions(person.id)
        return InviteContent(
            language=person.preferred_language, purpose=purpose,
            recipient_name=pair.recipient.name, conference_title=conference.title,
            starts_at=event.starts_at, ends_at=event.ends_at, timezone=conference.timezone,
            where=event.location, organiser_name=conference.organiser_name,
            organiser_email=self.organizer.email,
            session_title=event.summary if pair.session_id is not None else None,
            own_sessions=own, programme=() if own else self._programme(),
            agenda_url=self.agenda_url,
            cancel_reason=CancelReason.CONFERENCE_CANCELLED
            if conference.status is ConferenceStatus.CANCELLED
            else CancelReason.PARTICIPATION_WITHDRAWN)

    def _own_sessions(self, person_id: int) -> tuple[ProgrammeLine, ...]:
        return tuple(_line(self.sessions[i]) for i in self.roles.get(person_id, ()))

    def _programme(self) -> tuple[ProgrammeLine, ...]:
        return tuple(_line(s) for s in self.conference.agenda_sessions)


def _after_supersede(message: Sent, withdrawn: set[int]) -> Sent:
    """A message's state after the supersede step: withdrawn, or taken by a sender."""
    if message.state not in _QUEUED:
        return message
    state = OutboxState.CANCELLED if message.id in withdrawn else OutboxState.SENDING
    return Sent(message.id, message.sequence, message.method, state)


def _blocked(recipient: _Recipient, method: Method) -> str | None:
    if recipient.participant.person.erased_at is not None:
        return "personal data erased"
    if not recipient.email:
        return "no e-mail address"
    if not is_calendar_address(recipient.email):
        return f"the e-mail address {recipient.email!r} cannot be used in an invitation"
    if method is Method.REQUEST and not recipient.consent:
        return "no consent to event invitations (and no recorded decision)"
    return None


def _line(agenda_session: AgendaSession) -> ProgrammeLine:
    return ProgrammeLine(agenda_session.starts_at, agenda_session.ends_at, agenda_session.title,
                         agenda_session.room.name if agenda_session.room else "")


# -- shared pieces --------------------------------------------------------------------------


def latin_name(person: Person) -> str:
    """Given and family name in Latin script (as written when no Latin form is recorded)."""
    given = person.given_name_latin or person.given_name
    family = person.family_name_latin or person.family_name
    return " ".join(part for part in (given, family) if part)


def display_name(person: Person) -> str:
    """Honorific and name in Latin script, as invitations address the person."""
    return " ".join(part for part in (person.honorific, latin_name(person)) if part)


def conference_place(conference: Conference) -> str:
    """"Venue, address" of the conference."""
    return ", ".join(part for part in (conference.venue, conference.address) if part)


def session_event(conference: Conference, agenda_session: AgendaSession,
                  sequence: int | None = None) -> CalendarEvent:
    """An agenda session as a calendar event (room, venue and address as its location)."""
    room = agenda_session.room.name if agenda_session.room else ""
    description = "\n\n".join(part for part in (conference.title, agenda_session.description)
                              if part)
    return CalendarEvent(
        uid=agenda_session.calendar_uid,
        sequence=agenda_session.calendar_sequence if sequence is None else sequence,
        starts_at=agenda_session.starts_at, ends_at=agenda_session.ends_at,
        summary=agenda_session.title,
        location=", ".join(part for part in (room, conference_place(conference)) if part),
        description=description, timezone=conference.timezone)


def new_message_id() -> str:
    """An RFC 5322 Message-ID for a new outbox message."""
    return f"<{uuid.uuid4()}@{MESSAGE_DOMAIN}>"


def agenda_feed(conference: Conference, *, stamp: datetime | None = None) -> bytes:
    """The agenda as a METHOD:PUBLISH calendar (for a website): every session, no attendees."""
    if not conference.agenda_sessions:
        raise ValidationError(f"{conference.code} has no agenda sessions yet",
                              field="agenda_sessions")
    organizer = CalendarUser((conference.organiser_email or "").strip(),
                             conference.organiser_name)
    if not is_calendar_address(organizer.email):
        raise ValidationError(f"{conference.code} has no usable organiser e-mail",
                              field="organiser_email")
    events = [session_event(conference, s) for s in conference.agenda_sessions]
    return build_feed(events, organizer=organizer, name=conference.title,
                      cancelled=conference.status is ConferenceStatus.CANCELLED,
                      stamp=stamp or datetime.now(UTC))
