"""Check-in at the desk: badge code in, verdict out. The database decides admission."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from smartconf.core.badge_code import BadgeCodeError, normalise_badge_code
from smartconf.core.dto import CheckInResult, PreviousCheckIn
from smartconf.core.enums import (
    ADMISSIBLE,
    CheckInMethod,
    InteractionKind,
    ParticipantStatus,
    Verdict,
)
from smartconf.models import CheckIn, Conference, Interaction, Participant, RevokedBadge
from smartconf.models.base import utcnow
from smartconf.models.checkin import session_scope_key
from smartconf.services.labels import organisation_label, role_label
from smartconf.store.session import act_as


def check_in(session: Session, conference: Conference, raw_code: str, *, desk: str,
             actor: str, method: CheckInMethod = CheckInMethod.SCAN,
             nonce: str | None = None, at: datetime | None = None,
             agenda_session_id: int | None = None) -> CheckInResult:
    """Admit the badge ``raw_code`` to ``conference`` (or to one of its agenda sessions).

    Admits once: a second scan, from any desk, answers ALREADY_CHECKED_IN with the first
    admission's time and desk. A replay of the same ``nonce`` (offline journal) changes nothing.
    """
    act_as(session, actor)
    try:
        code = normalise_badge_code(raw_code)
    except BadgeCodeError as exc:
        return CheckInResult(Verdict.REJECTED, reason=f"not a valid badge code: {exc}")
    participant = session.scalar(select(Participant).where(Participant.badge_code == code))
    if participant is None:
        return _rejected_unknown(session, code)
    if participant.conference_id != conference.id:
        other = session.get(Conference, participant.conference_id)
        return _result(participant, Verdict.REJECTED,
                       reason=f"badge for another conference ({other.code if other else '?'})")
    return check_in_participant(session, participant, desk=desk, actor=actor, method=method,
                                nonce=nonce, at=at, agenda_session_id=agenda_session_id)


def check_in_participant(session: Session, participant: Participant, *, desk: str, actor: str,
                         method: CheckInMethod, nonce: str | None = None,
                         at: datetime | None = None,
                         agenda_session_id: int | None = None) -> CheckInResult:
    """Admit a participant found another way than by badge (search, paper, walk-in).

    The same rules as a scan: only admissible statuses, once per scope, decided by the
    database.
    """
    act_as(session, actor)
    if participant.status not in ADMISSIBLE:
        return _result(participant, Verdict.REJECTED,
                       reason=f"participation {participant.status.value}")
    return _admit(session, participant, desk=desk, operator=actor, method=method,
                  nonce=nonce or secrets.token_hex(16), at=at or utcnow(),
                  agenda_session_id=agenda_session_id)


def _rejected_unknown(session: Session, code: str) -> CheckInResult:
    revoked = session.scalar(select(RevokedBadge).where(RevokedBadge.code == code))
    if revoked is None:
        return CheckInResult(Verdict.REJECTED, reason="unknown badge")
    return _result(revoked.participant, Verdict.REJECTED,
                   reason=f"badge revoked ({revoked.reason})")


def _admit(session: Session, participant: Participant, *, desk: str, operator: str,
           method: CheckInMethod, nonce: str, at: datetime,
           agenda_session_id: int | None) -> CheckInResult:
    replay = session.scalar(select(CheckIn).where(CheckIn.nonce == nonce))
    if replay is not None:
        return _result(participant, Verdict.ADMITTED)
    scope = session_scope_key(agenda_session_id)
    row = CheckIn(participant_id=participant.id, agenda_session_id=agenda_session_id,
                  scope=scope, checked_in_at=at, desk=desk, operator=operator, method=method,
                  nonce=nonce)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        first = _valid_check_in(session, participant.id, scope)
        if first is None:  # voided between our insert and this read: try once more
            raise
        return _result(participant, Verdict.ALREADY_CHECKED_IN,
                       previous=PreviousCheckIn(first.checked_in_at, first.desk))
    if agenda_session_id is None:
        _record_attendance(session, participant, at)
    return _result(participant, Verdict.ADMITTED)


def _valid_check_in(session: Session, participant_id: int, scope: str) -> CheckIn | None:
    return session.scalar(select(CheckIn).where(
        CheckIn.participant_id == participant_id, CheckIn.scope == scope,
        CheckIn.voided_at.is_(None)))


def _record_attendance(session: Session, participant: Participant, at: datetime) -> None:
    if participant.status is not ParticipantStatus.ATTENDED:
        participant.status = ParticipantStatus.ATTENDED
        participant.status_changed_at = at
    session.add(Interaction(kind=InteractionKind.CONFERENCE_ATTENDANCE, occurred_at=at,
                            summary=f"Attended {participant.conference.code}",
                            created_by=session.info.get("actor"),
                            conference_id=participant.conference_id,
                            persons=[participant.person]))


def _result(participant: Participant, verdict: Verdict, *, reason: str | None = None,
            previous: PreviousCheckIn | None = None) -> CheckInResult:
    person = participant.person
    return CheckInResult(
        verdict, reason=reason, participant_id=participant.id, name=person.full_name,
        organisation=organisation_label(person), role=role_label(participant.role),
        note=participant.desk_note, previous=previous)


def void_check_in(session: Session, check_in_id: int, *, reason: str, actor: str) -> CheckIn:
    """Undo an admission: the row stays, marked void with who and why."""
    act_as(session, actor)
    row = session.get(CheckIn, check_in_id)
    if row is None:
        raise LookupError(f"no check-in {check_in_id}")
    if row.voided_at is None:
        row.voided_at = utcnow()
        row.voided_by = actor
        row.void_reason = reason
    return row
