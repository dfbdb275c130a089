"""Badges: issuing and revoking badge codes, and the badge PDF of a conference."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from smartconf.core.badge_code import new_badge_code
from smartconf.core.dto import BadgeData
from smartconf.core.enums import ADMISSIBLE, AuditAction, ParticipantStatus
from smartconf.core.errors import NotFoundError, ValidationError
from smartconf.core.text import fold
from smartconf.exports.badges import LAYOUTS, render_badges
from smartconf.models import Affiliation, Conference, Participant, Person, RevokedBadge
from smartconf.services.labels import organisation_label, role_label
from smartconf.store.audit import record_event
from smartconf.store.session import act_as

# Whose badge is printed: whoever the desk would admit (ATTENDED is part of ADMISSIBLE; it is
# named here too so that a reprint for someone already inside never depends on that detail).
BADGE_STATUSES = ADMISSIBLE | {ParticipantStatus.ATTENDED}
FIRST_ISSUE = "first issue"
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def issue_badge(session: Session, participant: Participant, *, actor: str, reason: str) -> str:
    """Give ``participant`` a new badge code and return it.

    A code the participant had before is revoked with ``reason`` (the desk then answers
    "badge revoked (reason)"); the badge revision goes up by one each time.
    """
    revoke_badge(session, participant, actor=actor, reason=reason)
    participant.badge_code = new_badge_code()
    participant.badge_revision = (participant.badge_revision or 0) + 1
    return participant.badge_code


def revoke_badge(session: Session, participant: Participant, *, actor: str,
                 reason: str) -> None:
    """Withdraw the participant's current code (if any): the desk then answers "revoked"."""
    act_as(session, actor)
    if participant.badge_code is not None:
        session.add(RevokedBadge(code=participant.badge_code, participant=participant,
                                 reason=reason))
        participant.badge_code = None


def badges_for_conference(session: Session, conference: Conference, *, actor: str,
                          person_id: int | None = None) -> list[BadgeData]:
    """The badges of everyone admissible at ``conference`` (or of one person), sorted by
    family then given name in Latin letters. Participants without a code get one."""
    act_as(session, actor)
    participants = _participants(session, conference, person_id)
    for participant in participants:
        if participant.badge_code is None:
            issue_badge(session, participant, actor=actor, reason=FIRST_ISSUE)
    participants.sort(key=_sort_key)
    dates = conference_dates_label(conference)
    return [_badge(p, conference.title, dates) for p in participants]


def render_conference_badges(session: Session, conference: Conference, *, actor: str,
                             layout: str = "a6-4up", person_id: int | None = None) -> bytes:
    """The badge PDF of ``conference`` (see badges_for_conference); the export is audited."""
    badges = badges_for_conference(session, conference, actor=actor, person_id=person_id)
    if not badges:
        raise ValidationError(
            f"No badges to print for {conference.code}: no participant is invited, accepted, "
            "tentative or attended.", hint="Invite or accept participants first.")
    pdf = render_badges(badges, layout=layout)
    who = f"person {person_id}" if person_id is not None else f"{len(badges)} badge(s)"
    record_event(session, AuditAction.EXPORT, "conference", str(conference.id),
                 f"badge PDF of {conference.code}: {who}, layout {layout}")
    return pdf


def badge_layouts() -> dict[str, str]:
    """The badge layouts offered, name -> description (for the CLI and the print dialog)."""
    return {name: layout.description for name, layout in LAYOUTS.items()}


def conference_dates_label(conference: Conference) -> str:
    """"12–13 March 2027", "30 March – 1 April 2027" or "12 March 2027", in the conference's
    own time zone."""
    zone = ZoneInfo(conference.timezone)
    return date_range_label(conference.starts_at.astimezone(zone),
                            conference.ends_at.astimezone(zone))


def date_range_label(start: datetime, end: datetime) -> str:
    """A day range written the way people write it, repeating only what differs."""
    first, last = start.date(), end.date()
    if first == last:
        return f"{first.day} {_MONTHS[first.month - 1]} {first.year}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {_MONTHS[last.month - 1]} {last.year}"
    if first.year == last.year:
        return (f"{first.day} {_MONTHS[first.month - 1]} – "
                f"{last.day} {_MONTHS[last.month - 1]} {last.year}")
    return (f"{first.day} {_MONTHS[first.month - 1]} {first.year} – "
            f"{last.day} {_MONTHS[last.month - 1]} {last.year}")


def _participants(session: Session, conference: Conference,
                  person_id: int | None) -> list[Participant]:
    query = (select(Participant)
             .where(Participant.conference_id == conference.id)
             .options(selectinload(Participant.person).selectinload(Person.affiliations)
                      .selectinload(Affiliation.organisation)))
    if person_id is None:
        return list(session.scalars(query.where(Participant.status.in_(BADGE_STATUSES))))
    participant = session.scalar(query.where(Participant.person_id == person_id))
    if participant is None:
        raise NotFoundError(f"Person {person_id} is not a participant of {conference.code}.",
                            hint="Add the person to the conference before printing a badge.")
    if participant.status not in BADGE_STATUSES:
        raise ValidationError(
            f"{participant.person.full_name} is {participant.status.value} at "
            f"{conference.code}; badges are printed for invited, accepted, tentative or "
            "attended participants.", hint="Change the participation status first.")
    return [participant]


def _sort_key(participant: Participant) -> tuple[str, str, int]:
    person = participant.person
    return (fold(person.family_name_latin or person.family_name),
            fold(person.given_name_latin or person.given_name), participant.id)


def _badge(participant: Participant, title: str, dates: str) -> BadgeData:
    person = participant.person
    return BadgeData(
        participant_id=participant.id, given_name=person.given_name,
        family_name=person.family_name, organisation=organisation_label(person),
        role=participant.role, role_label=role_label(participant.role),
        conference_title=title, conference_dates=dates, code=participant.badge_code or "")
