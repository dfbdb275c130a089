"""Invitations: who is on a conference's list, and each participant's status lifecycle.

The lifecycle of DESIGN.md §3 is the table ``TRANSITIONS`` (setting the status a participant
already has is never an error, and changes nothing):

    shortlisted -> invited, cancelled
    invited     -> accepted, tentative, declined, waitlisted, cancelled, attended
    accepted    -> tentative, declined, waitlisted, cancelled, attended, no_show
    tentative   -> accepted, declined, waitlisted, cancelled, attended, no_show
    declined    -> invited, accepted, tentative, cancelled       (asked again, changed mind)
    waitlisted  -> accepted, tentative, declined, cancelled
    cancelled   -> shortlisted, invited                          (reinstated)
    attended    -> accepted, no_show                             (corrections)
    no_show     -> attended                                      (correction)

Seats: the statuses of ``COUNTS_AGAINST_CAPACITY`` (accepted, tentative, attended) take one.
Accepting (or answering "tentative") when the conference is full puts the participant on the
waitlist instead, and the report says so. Whenever seats free up (a decline, a cancellation, a
larger capacity) the waitlist moves up automatically, oldest first (``status_changed_at``),
unless the conference is closed or cancelled. Without a capacity nobody is waitlisted
automatically, and those put on the waitlist by hand stay there until ``promote_waitlist``.

Consent: inviting needs an active consent for event invitations, or a decision recorded on the
participation (``override_consent``: why, who, when).

Badges: a participant whose new status admits at the desk gets a badge code if they have none;
a cancelled participation revokes its badge ("participation cancelled").

Every bulk operation is all-or-nothing: it checks every participant before changing any.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, selectinload

from smartconf.core.enums import (
    COUNTS_AGAINST_CAPACITY,
    ConferenceStatus,
    ConsentPurpose,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.core.errors import NotFoundError, ValidationError
from smartconf.models import Conference, Consent, Participant, Person
from smartconf.models.base import utcnow
from smartconf.services.badges import BADGE_STATUSES, FIRST_ISSUE, issue_badge, revoke_badge
from smartconf.services.person_search import PersonFilter, load_filter, search_person_ids
from smartconf.store.session import act_as

S = ParticipantStatus
TRANSITIONS: dict[ParticipantStatus, frozenset[ParticipantStatus]] = {
    S.SHORTLISTED: frozenset({S.INVITED, S.CANCELLED}),
    S.INVITED: frozenset({S.ACCEPTED, S.TENTATIVE, S.DECLINED, S.WAITLISTED, S.CANCELLED,
                          S.ATTENDED}),
    S.ACCEPTED: frozenset({S.TENTATIVE, S.DECLINED, S.WAITLISTED, S.CANCELLED, S.ATTENDED,
                           S.NO_SHOW}),
    S.TENTATIVE: frozenset({S.ACCEPTED, S.DECLINED, S.WAITLISTED, S.CANCELLED, S.ATTENDED,
                            S.NO_SHOW}),
    S.DECLINED: frozenset({S.INVITED, S.ACCEPTED, S.TENTATIVE, S.CANCELLED}),
    S.WAITLISTED: frozenset({S.ACCEPTED, S.TENTATIVE, S.DECLINED, S.CANCELLED}),
    S.CANCELLED: frozenset({S.SHORTLISTED, S.INVITED}),
    S.ATTENDED: frozenset({S.ACCEPTED, S.NO_SHOW}),
    S.NO_SHOW: frozenset({S.ATTENDED}),
}
# Asking for one of these without a free seat lands on the waitlist.
SEAT_REQUESTS = frozenset({S.ACCEPTED, S.TENTATIVE})
CANCELLED_BADGE_REASON = "participation cancelled"
# No one moves up from the waitlist of a conference that is over or called off.
_NO_PROMOTION = frozenset({ConferenceStatus.CLOSED, ConferenceStatus.CANCELLED})
REASON_MAX = 1000


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AddResult:
    """What ``add_participants`` did: new participants, and persons already on the list."""

    added: tuple[Participant, ...]
    already_listed: tuple[int, ...]  # person ids, left as they were


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One participant's status before and after."""

    participant_id: int
    name: str
    old: ParticipantStatus
    new: ParticipantStatus

    def as_json(self) -> dict:
        return {"participant_id": self.participant_id, "name": self.name,
                "old": self.old.value, "new": self.new.value}


@dataclass(frozen=True, slots=True)
class StatusReport:
    """What a status change did.

    ``changed``: every participant whose status changed as asked (or to waitlisted, see
    ``waitlisted``); ``unchanged``: participant ids already in that status; ``waitlisted``:
    those who asked for a seat and got the waitlist; ``promoted``: others who moved up from the
    waitlist to accepted because seats freed up.
    """

    changed: tuple[StatusChange, ...] = ()
    unchanged: tuple[int, ...] = ()
    waitlisted: tuple[StatusChange, ...] = ()
    promoted: tuple[StatusChange, ...] = ()

    def as_json(self) -> dict:
        return {"changed": [c.as_json() for c in self.changed],
                "unchanged": list(self.unchanged),
                "waitlisted": [c.as_json() for c in self.waitlisted],
                "promoted": [c.as_json() for c in self.promoted]}

    def messages(self) -> list[str]:
        """One line per participant for people (CLI output, GUI status bar)."""
        full = {c.participant_id for c in self.waitlisted}
        lines = [f"{c.name}: {c.old.value} -> {c.new.value}" for c in self.changed
                 if c.participant_id not in full]
        lines += [f"{c.name}: no seat left, put on the waitlist" for c in self.waitlisted]
        lines += [f"{c.name}: moved up from the waitlist to accepted" for c in self.promoted]
        return lines


@dataclass(frozen=True, slots=True)
class ConsentFlag:
    """A participant whose person has no active consent to event invitations."""

    participant_id: int
    person_id: int
    name: str
    status: ParticipantStatus
    consent: str  # "none" (never recorded) or "withdrawn"
    override: str | None  # the decision recorded to invite anyway, if any

    @property
    def needs_decision(self) -> bool:
        return self.override is None


@dataclass(frozen=True, slots=True)
class Funnel:
    """A conference's participants by status, with its capacity and the seats taken."""

    shortlisted: int
    invited: int
    accepted: int
    tentative: int
    declined: int
    waitlisted: int
    cancelled: int
    attended: int
    no_show: int
    capacity: int | None
    seats_taken: int

    @property
    def total(self) -> int:
        return sum(self.count(status) for status in ParticipantStatus)

    @property
    def seats_free(self) -> int | None:
        """Seats left (never below zero), None without a capacity."""
        return None if self.capacity is None else max(0, self.capacity - self.seats_taken)

    def count(self, status: ParticipantStatus) -> int:
        return getattr(self, ParticipantStatus(status).value)


# --- building the list ---------------------------------------------------------------------


def add_participants(session: Session, conference: Conference, *, actor: str,
                     person_ids: Iterable[int] = (), filter_name: str | None = None,
                     criteria: PersonFilter | None = None,
                     role: ParticipantRole = ParticipantRole.PARTICIPANT) -> AddResult:
    """Shortlist persons for ``conference``: those of a saved CRM filter (``filter_name``), of
    ``criteria``, and manual picks (``person_ids``), with ``role``.

    Persons already on the list are left exactly as they are (role and status included).
    """
    act_as(session, actor)
    role = validated_choice(ParticipantRole, role, "role")
    wanted = _picked_persons(session, person_ids)
    if filter_name is not None:
        try:
            saved = load_filter(session, filter_name)
        except NotFoundError as exc:
            raise ValidationError(exc.message, field="filter_name") from exc
        wanted += search_person_ids(session, saved)
    if criteria is not None:
        wanted += search_person_ids(session, criteria)
    listed = set(session.scalars(select(Participant.person_id)
                                 .where(Participant.conference_id == conference.id)))
    new = [pid for pid in dict.fromkeys(wanted) if pid not in listed]
    now = utcnow()
    added = [Participant(conference_id=conference.id, person_id=pid, role=role,
                         status=S.SHORTLISTED, status_changed_at=now) for pid in new]
    session.add_all(added)
    session.flush()
    already = tuple(pid for pid in dict.fromkeys(wanted) if pid in listed)
    return AddResult(tuple(added), already)


def _picked_persons(session: Session, person_ids: Iterable[int]) -> list[int]:
    """The manual picks, checked: they exist and were not erased."""
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        return []
    found = dict(session.execute(select(Person.id, Person.erased_at)
                                 .where(Person.id.in_(ids))).all())
    for pid in ids:
        if pid not in found:
            raise ValidationError(f"there is no person with id {pid}", field="person_ids")
        if found[pid] is not None:
            raise ValidationError(f"person {pid} was erased and cannot be invited",
                                  field="person_ids")
    return ids


def remove_participants(session: Session, conference: Conference,
                        participant_ids: Iterable[int], *, actor: str) -> int:
    """Take shortlisted participants off the list (a participant who was ever invited stays:
    cancel the participation instead). All-or-nothing; returns how many were removed."""
    act_as(session, actor)
    participants = _participants(session, conference, participant_ids)
    for participant in participants:
        if participant.status is not S.SHORTLISTED:
            raise ValidationError(
                f"{_name(participant)} (participant {participant.id}) is "
                f"{participant.status.value}; only shortlisted participants can be removed",
                field="participant_ids", hint="Cancel the participation instead.")
    for participant in participants:
        session.delete(participant)
    session.flush()
    return len(participants)


def set_role(session: Session, conference: Conference, participant_ids: Iterable[int],
             role: ParticipantRole, *, actor: str) -> list[Participant]:
    """Give the participants ``role`` (speaker, press, ...)."""
    act_as(session, actor)
    role = validated_choice(ParticipantRole, role, "role")
    participants = _participants(session, conference, participant_ids)
    for participant in participants:
        participant.role = role
    session.flush()
    return participants


# --- the lifecycle ---------------------------------------------------------------------------


def allowed_transitions(status: ParticipantStatus) -> frozenset[ParticipantStatus]:
    """The statuses a participant in ``status`` may be moved to."""
    return TRANSITIONS[ParticipantStatus(status)]


def set_status(session: Session, conference: Conference, participant_ids: Iterable[int],
               status: ParticipantStatus, *, actor: str) -> StatusReport:
    """Move the participants to ``status``, all or none.

    Refused (ValidationError naming the participant and both statuses, nothing changed): a
    transition outside ``TRANSITIONS``; inviting someone without consent to event invitations
    and without a recorded decision. Seat requests beyond capacity go to the waitlist; freed
    seats promote the waitlist.
    """
    act_as(session, actor)
    status = validated_choice(ParticipantStatus, status, "status")
    _lock_seats(session, conference)
    participants = _participants(session, conference, participant_ids)
    moving = [p for p in participants if p.status is not status]
    for participant in moving:
        _check_transition(participant, status)
    if status is S.INVITED:
        _check_consent(session, moving)
    free = _free_seats(session, conference)
    now = utcnow()
    changed, waitlisted = [], []
    unchanged = tuple(p.id for p in participants if p.status is status)
    for participant in participants:
        target = status
        if status in SEAT_REQUESTS and participant.status not in COUNTS_AGAINST_CAPACITY:
            if free is not None and free <= 0:
                target = S.WAITLISTED
            elif free is not None:
                free -= 1
        change = StatusChange(participant.id, _name(participant), participant.status, target)
        if target is not status:
            waitlisted.append(change)
        if participant.status is not target:
            _move(session, participant, target, now, actor)
            changed.append(change)
    # those just put on the waitlist stay there; freed seats go to the others waiting
    promoted = (_promote(session, conference, actor, exclude=[p.id for p in participants])
                if conference.capacity is not None and _frees_seats(changed) else [])
    return StatusReport(changed=tuple(changed),
                        unchanged=unchanged,
                        waitlisted=tuple(waitlisted), promoted=tuple(promoted))


def promote_waitlist(session: Session, conference: Conference, *,
                     actor: str) -> list[Participant]:
    """Move waitlisted participants to accepted while seats are free, longest waiting first
    (nobody moves on a closed or cancelled conference). Returns those promoted."""
    act_as(session, actor)
    _lock_seats(session, conference)
    promoted = _promote(session, conference, actor)
    return [session.get(Participant, change.participant_id) for change in promoted]


def _promote(session: Session, conference: Conference, actor: str, *,
             exclude: Sequence[int] = ()) -> list[StatusChange]:
    if conference.status in _NO_PROMOTION:
        return []
    free = _free_seats(session, conference)
    if free is not None and free <= 0:
        return []
    query = (select(Participant)
             .where(Participant.conference_id == conference.id,
                    Participant.status == S.WAITLISTED, Participant.id.not_in(exclude))
             .options(selectinload(Participant.person))
             .order_by(Participant.status_changed_at, Participant.id))
    if free is not None:
        query = query.limit(free)
    now = utcnow()
    changes = []
    for participant in session.scalars(query).all():
        changes.append(StatusChange(participant.id, _name(participant), S.WAITLISTED,
                                    S.ACCEPTED))
        _move(session, participant, S.ACCEPTED, now, actor)
    session.flush()
    return changes


def _frees_seats(changes: Sequence[StatusChange]) -> bool:
    return any(c.old in COUNTS_AGAINST_CAPACITY and c.new not in COUNTS_AGAINST_CAPACITY
               for c in changes)


def _check_transition(participant: Participant, status: ParticipantStatus) -> None:
    allowed = TRANSITIONS[participant.status]
    if status not in allowed:
        steps = ", ".join(sorted(s.value for s in allowed))
        raise ValidationError(
            f"{_name(participant)} (participant {participant.id}) cannot go from "
            f"{participant.status.value} to {status.value}; from {participant.status.value} "
            f"the next steps are: {steps}", field="status")


def _check_consent(session: Session, participants: Sequence[Participant]) -> None:
    ids = [p.person_id for p in participants if p.consent_override is None]
    consenting = set(session.scalars(select(Consent.person_id).where(
        Consent.person_id.in_(ids), Consent.purpose == ConsentPurpose.EVENT_INVITATIONS,
        Consent.withdrawn_at.is_(None)))) if ids else set()
    missing = [p for p in participants
               if p.consent_override is None and p.person_id not in consenting]
    if missing:
        names = ", ".join(f"{_name(p)} (participant {p.id})" for p in missing[:3])
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        raise ValidationError(
            f"{names}{more} cannot go from {missing[0].status.value} to invited: no active "
            "consent to event invitations and no recorded decision", field="status",
            hint="Record the consent, or a decision to invite anyway (with its reason).")


def _move(session: Session, participant: Participant, status: ParticipantStatus,
          now: datetime, actor: str) -> None:
    """Set the status, then the badge that goes with it."""
    participant.status = status
    participant.status_changed_at = now
    if status is S.CANCELLED:
        revoke_badge(session, participant, actor=actor, reason=CANCELLED_BADGE_REASON)
    elif status in BADGE_STATUSES and participant.badge_code is None:
        issue_badge(session, participant, actor=actor, reason=FIRST_ISSUE)


# --- seats and consent ---------------------------------------------------------------------


def seats_taken(session: Session, conference: Conference) -> int:
    """Participants whose status counts against the conference's capacity."""
    return session.scalar(select(func.count()).select_from(Participant).where(
        Participant.conference_id == conference.id,
        Participant.status.in_(COUNTS_AGAINST_CAPACITY))) or 0


def _lock_seats(session: Session, conference: Conference) -> None:
    """On PostgreSQL, hold the conference row until commit, so that two coordinators changing
    statuses at once never give away the same seat (SQLite writes one at a time anyway)."""
    session.execute(select(Conference.id).where(Conference.id == conference.id)
                    .with_for_update())


def _free_seats(session: Session, conference: Conference) -> int | None:
    if conference.capacity is None:
        return None
    return conference.capacity - seats_taken(session, conference)


def consent_flags(session: Session, conference: Conference) -> list[ConsentFlag]:
    """Participants without an active consent to event invitations, by name, with the decision
    recorded for each (if any)."""
    mine = and_(Consent.person_id == Participant.person_id,
                Consent.purpose == ConsentPurpose.EVENT_INVITATIONS)
    active = exists().where(mine, Consent.withdrawn_at.is_(None))
    rows = session.execute(
        select(Participant, exists().where(mine))
        .join(Person, Person.id == Participant.person_id)
        .where(Participant.conference_id == conference.id, ~active)
        .options(selectinload(Participant.person))
        .order_by(Person.sort_name, Participant.id)).all()
    return [ConsentFlag(p.id, p.person_id, _name(p), p.status,
                        "withdrawn" if had_consent else "none", p.consent_override)
            for p, had_consent in rows]


def override_consent(session: Session, conference: Conference, participant_ids: Iterable[int],
                     *, reason: str, actor: str) -> list[Participant]:
    """Record the decision to invite without consent: why, who and when (kept on the
    participation, and in the audit trail)."""
    act_as(session, actor)
    text = " ".join((reason or "").split())
    if not text:
        raise ValidationError("say why these persons may be invited without consent",
                              field="reason")
    if len(text) > REASON_MAX:
        raise ValidationError(f"is {len(text)} characters long; at most {REASON_MAX} are "
                              "allowed", field="reason")
    participants = _participants(session, conference, participant_ids)
    decision = f"{text} — decided by {actor}, {utcnow():%Y-%m-%d %H:%M} UTC"
    for participant in participants:
        participant.consent_override = decision
    session.flush()
    return participants


# --- the funnel ----------------------------------------------------------------------------


def funnel(session: Session, conference: Conference) -> Funnel:
    """How many participants are in each status, the capacity and the seats taken."""
    counts = dict(session.execute(
        select(Participant.status, func.count())
        .where(Participant.conference_id == conference.id)
        .group_by(Participant.status)).all())
    by_name = {status.value: counts.get(status, 0) for status in ParticipantStatus}
    taken = sum(counts.get(status, 0) for status in COUNTS_AGAINST_CAPACITY)
    return Funnel(**by_name, capacity=conference.capacity, seats_taken=taken)


# --- shared pieces -------------------------------------------------------------------------


def _participants(session: Session, conference: Conference,
                  participant_ids: Iterable[int]) -> list[Participant]:
    """The participants named, in the order given (duplicates dropped); every one must be on
    this conference's list."""
    ids = list(dict.fromkeys(participant_ids))
    if not ids:
        return []
    found = {p.id: p for p in session.scalars(
        select(Participant)
        .where(Participant.id.in_(ids), Participant.conference_id == conference.id)
        .options(selectinload(Participant.person)))}
    for pid in ids:
        if pid not in found:
            raise ValidationError(f"participant {pid} is not on the list of {conference.code}",
                                  field="participant_ids")
    return [found[pid] for pid in ids]


def participant_ids_for_persons(session: Session, conference: Conference,
                                person_ids: Iterable[int]) -> list[int]:
    """The participant ids of persons on the conference's list, in the order given."""
    ids = list(dict.fromkeys(person_ids))
    found = dict(session.execute(
        select(Participant.person_id, Participant.id)
        .where(Participant.conference_id == conference.id,
               Participant.person_id.in_(ids))).all()) if ids else {}
    for pid in ids:
        if pid not in found:
            raise ValidationError(f"person {pid} is not on the list of {conference.code}",
                                  field="person_ids")
    return [found[pid] for pid in ids]


def _name(participant: Participant) -> str:
    return participant.person.full_name


def validated_choice(enum_cls, value, field: str):
    """``value`` as a member of ``enum_cls``; ValidationError naming ``field`` otherwise."""
    try:
        return enum_cls(value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum_cls)
        raise ValidationError(f"unknown value '{value}' (one of: {allowed})",
                              field=field) from None
