"""What the invitation screens read (Qt-free, one short session each): a conference's
participants with their consent, badge and last message, and the outbox's failed messages.

Built on the services' own views (``overview.conference_participants``,
``invitations.funnel``); only the columns those do not carry are read here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartconf.core.enums import (
    ConferenceStatus,
    ConsentPurpose,
    OutboxKind,
    OutboxState,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.core.text import fold
from smartconf.models import Conference, Consent, OutboxMessage, Participant, PersonEmail
from smartconf.services.invitations import Funnel, funnel
from smartconf.services.overview import conference_participants
from smartconf.services.person_search import load_filter, search_person_ids

CONSENT_GIVEN, CONSENT_NONE, CONSENT_WITHDRAWN = "given", "none", "withdrawn"


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One participant as the participants panel lists it."""

    id: int
    person_id: int
    name: str
    organisation: str
    role: ParticipantRole
    status: ParticipantStatus
    consent: str  # given | none | withdrawn (event invitations)
    consent_decision: str | None  # why invited without consent, who, when
    has_email: bool
    badge: bool
    invite_sequence: int
    message_kind: OutboxKind | None  # the participant's latest outbox message
    message_state: OutboxState | None
    message_error: str | None
    search_text: str  # folded name and organisation, for the text filter

    @property
    def flagged(self) -> bool:
        """No active consent to event invitations."""
        return self.consent != CONSENT_GIVEN

    @property
    def needs_decision(self) -> bool:
        """Flagged, and nobody recorded a decision to invite anyway."""
        return self.flagged and self.consent_decision is None


@dataclass(frozen=True, slots=True)
class Roster:
    """A conference's participants, its funnel, and what the panel says about it."""

    conference_id: int
    code: str
    title: str
    status: ConferenceStatus
    funnel: Funnel
    rows: tuple[RosterRow, ...]


@dataclass(frozen=True, slots=True)
class FailedMessage:
    """A message the server refused for good, or that failed too often."""

    id: int
    recipient: str
    subject: str
    attempts: int
    error: str


def participant_roster(session: Session, conference_id: int) -> Roster | None:
    """The conference's participants by name with everything the panel shows (None if the
    conference does not exist)."""
    conference = session.get(Conference, conference_id)
    if conference is None:
        return None
    base = conference_participants(session, conference_id)
    extra = _participation_columns(session, conference_id)
    consent = _consent_states(session, conference_id)
    emails = _with_email(session, conference_id)
    messages = _latest_messages(session, conference_id)
    rows = []
    for row in base:
        decision, badge, sequence = extra[row.id]
        kind, state, error = messages.get(row.id, (None, None, None))
        rows.append(RosterRow(
            row.id, row.person_id, row.name, row.organisation, row.role, row.status,
            consent.get(row.person_id, CONSENT_NONE), decision, row.person_id in emails,
            badge, sequence, kind, state, error, fold(f"{row.name} {row.organisation}")))
    return Roster(conference.id, conference.code, conference.title, conference.status,
                  funnel(session, conference), tuple(rows))


def _participation_columns(session: Session, conference_id: int
                           ) -> dict[int, tuple[str | None, bool, int]]:
    rows = session.execute(
        select(Participant.id, Participant.consent_override,
               Participant.badge_code.is_not(None), Participant.invite_sequence)
        .where(Participant.conference_id == conference_id))
    return {pid: (decision, bool(badge), sequence) for pid, decision, badge, sequence in rows}


def _consent_states(session: Session, conference_id: int) -> dict[int, str]:
    """Person id -> given (an active consent) or withdrawn (only withdrawn ones)."""
    rows = session.execute(
        select(Consent.person_id, func.count(Consent.id).filter(Consent.withdrawn_at.is_(None)))
        .join(Participant, Participant.person_id == Consent.person_id)
        .where(Participant.conference_id == conference_id,
               Consent.purpose == ConsentPurpose.EVENT_INVITATIONS)
        .group_by(Consent.person_id))
    return {pid: CONSENT_GIVEN if active else CONSENT_WITHDRAWN for pid, active in rows}


def _with_email(session: Session, conference_id: int) -> set[int]:
    return set(session.scalars(
        select(PersonEmail.person_id).distinct()
        .join(Participant, Participant.person_id == PersonEmail.person_id)
        .where(Participant.conference_id == conference_id)))


def _latest_messages(session: Session, conference_id: int
                     ) -> dict[int, tuple[OutboxKind, OutboxState, str | None]]:
    """Participant id -> kind, state and error of their newest outbox message."""
    newest = (select(func.max(OutboxMessage.id))
              .where(OutboxMessage.conference_id == conference_id,
                     OutboxMessage.participant_id.is_not(None))
              .group_by(OutboxMessage.participant_id))
    rows = session.execute(
        select(OutboxMessage.participant_id, OutboxMessage.kind, OutboxMessage.state,
               OutboxMessage.last_error)
        .where(OutboxMessage.id.in_(newest)))
    return {pid: (kind, state, error) for pid, kind, state, error in rows}


def failed_messages(session: Session, conference_id: int, *,
                    limit: int = 500) -> list[FailedMessage]:
    """The conference's failed messages, newest first, with their errors."""
    rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.recipient, OutboxMessage.subject,
               OutboxMessage.attempts, OutboxMessage.last_error)
        .where(OutboxMessage.conference_id == conference_id,
               OutboxMessage.state == OutboxState.FAILED)
        .order_by(OutboxMessage.id.desc()).limit(limit))
    return [FailedMessage(mid, recipient, subject, attempts, error or "")
            for mid, recipient, subject, attempts, error in rows]


@dataclass(frozen=True, slots=True)
class FilterPreview:
    """What adding a saved filter's persons would do."""

    name: str
    matching: int
    new: int  # not on the list yet


def filter_preview(session: Session, conference_id: int, name: str) -> FilterPreview:
    """How many persons the saved filter ``name`` finds, and how many are not listed yet."""
    ids = search_person_ids(session, load_filter(session, name))
    listed = set(session.scalars(select(Participant.person_id)
                                 .where(Participant.conference_id == conference_id)))
    return FilterPreview(name, len(ids), sum(1 for pid in ids if pid not in listed))


def matching(rows: Sequence[RosterRow], *, text: str = "",
             status: ParticipantStatus | None = None,
             flagged_only: bool = False) -> list[RosterRow]:
    """The rows whose name or organisation holds every word of ``text`` (script, case and
    diacritics ignored), in ``status``, and only the flagged ones if asked."""
    words = fold(text).split()
    return [row for row in rows
            if (status is None or row.status is status)
            and (not flagged_only or row.flagged)
            and all(word in row.search_text for word in words)]
