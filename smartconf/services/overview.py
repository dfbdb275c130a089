"""Read-only views over the data for the main window's pages (DTOs in, never ORM objects out).

Every function takes an open session and only reads; the GUI opens a short session per load.
Times of a conference are returned in the conference's own time zone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, func, literal, select, tuple_
from sqlalchemy.orm import Session, selectinload

from smartconf.core.enums import (
    COUNTS_AGAINST_CAPACITY,
    AgendaRole,
    AgendaSessionKind,
    ConferenceStatus,
    Language,
    OutcomeKind,
    OutcomeStatus,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.core.text import to_latin
from smartconf.models import (
    Affiliation,
    AgendaSession,
    CheckIn,
    Conference,
    Organisation,
    Outcome,
    Participant,
    Person,
    Room,
    Tag,
    TeamMember,
    person_tag,
)
from smartconf.models.checkin import CONFERENCE_SCOPE
from smartconf.services.person_search import PersonFilter, person_query

# The order in which the dashboard shows a conference's participants by status.
FUNNEL = (
    ParticipantStatus.SHORTLISTED, ParticipantStatus.INVITED, ParticipantStatus.ACCEPTED,
    ParticipantStatus.TENTATIVE, ParticipantStatus.DECLINED, ParticipantStatus.WAITLISTED,
    ParticipantStatus.ATTENDED, ParticipantStatus.NO_SHOW, ParticipantStatus.CANCELLED,
)
OPEN_OUTCOMES = frozenset({OutcomeStatus.OPEN, OutcomeStatus.IN_PROGRESS})
RECENT_CHECK_INS = 50


# --- DTOs ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConferenceCard:
    """A conference on the dashboard: when, where, and how far its participants got."""

    id: int
    code: str
    title: str
    starts_at: datetime  # in the conference's time zone
    ends_at: datetime
    timezone: str
    venue: str
    status: ConferenceStatus
    capacity: int | None
    funnel: tuple[tuple[ParticipantStatus, int], ...]  # every status of FUNNEL, in order
    checked_in: int
    expected: int  # accepted, tentative or attended: the seats taken

    @property
    def participants(self) -> int:
        return sum(n for _, n in self.funnel)


@dataclass(frozen=True, slots=True)
class PersonRow:
    """A stakeholder in the persons table; no contact details."""

    id: int
    name: str  # as written
    latin_name: str
    organisation: str
    position: str
    language: Language
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PersonPage:
    """One page of persons, and where the next page starts (None after the last page)."""

    rows: tuple[PersonRow, ...]
    after: tuple | None


class PersonOrder(StrEnum):
    """Columns the persons list can be ordered by (in the database: the list is paged).

    Names order by their Latin form, family name first, so that a name written in Cyrillic
    sits with the Latin ones; ties are broken by the Latin name, then the id.
    """

    NAME = "name"
    LATIN_NAME = "latin_name"
    ORGANISATION = "organisation"
    POSITION = "position"
    LANGUAGE = "language"
    TAGS = "tags"


@dataclass(frozen=True, slots=True)
class RoomRow:
    id: int
    name: str
    capacity: int | None


@dataclass(frozen=True, slots=True)
class AgendaRow:
    """One agenda slot; times in the conference's time zone."""

    id: int
    starts_at: datetime
    ends_at: datetime
    room: str
    kind: AgendaSessionKind
    title: str
    speakers: tuple[str, ...]
    moderators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ParticipantRow:
    id: int
    person_id: int
    name: str
    organisation: str
    role: ParticipantRole
    status: ParticipantStatus


@dataclass(frozen=True, slots=True)
class RecentCheckIn:
    """An admission as the desk screen lists it: never an e-mail or a phone number."""

    id: int
    checked_in_at: datetime  # in the conference's time zone
    desk: str
    name: str
    organisation: str
    role: ParticipantRole


@dataclass(frozen=True, slots=True)
class CheckInSummary:
    conference_id: int
    checked_in: int
    expected: int
    recent: tuple[RecentCheckIn, ...]


@dataclass(frozen=True, slots=True)
class OutcomeRow:
    id: int
    conference_code: str
    session_title: str
    kind: OutcomeKind
    text: str
    committed_by: str
    owner: str
    due_on: date | None
    status: OutcomeStatus
    overdue: bool


# --- shared pieces -------------------------------------------------------------------------


def _full_name(given: str, family: str) -> str:
    return f"{given} {family}".strip()


def _organisation_name(person_id: ColumnElement[int]) -> ColumnElement[str]:
    """Correlated subquery: the person's current primary organisation, else the first current
    one (the rule of ``labels.organisation_label``)."""
    return (
        select(Organisation.name)
        .join(Affiliation, Affiliation.organisation_id == Organisation.id)
        .where(Affiliation.person_id == person_id, Affiliation.ended_on.is_(None))
        .order_by(Affiliation.is_primary.desc(), Affiliation.id)
        .limit(1)
        .correlate_except(Organisation, Affiliation)
        .scalar_subquery()
    )


def _local(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(zone)


def _checked_in_counts(session: Session) -> dict[int, int]:
    """Participants with a valid conference admission, per conference."""
    rows = session.execute(
        select(Participant.conference_id, func.count(func.distinct(CheckIn.participant_id)))
        .join(CheckIn, CheckIn.participant_id == Participant.id)
        .where(CheckIn.scope == CONFERENCE_SCOPE, CheckIn.voided_at.is_(None))
        .group_by(Participant.conference_id)
    ).all()
    return dict(rows)


# --- dashboard -----------------------------------------------------------------------------


def conference_cards(session: Session) -> list[ConferenceCard]:
    """Every conference, earliest first, with its participants by status and check-ins."""
    by_status: dict[int, dict[ParticipantStatus, int]] = defaultdict(dict)
    for conference_id, status, count in session.execute(
            select(Participant.conference_id, Participant.status, func.count())
            .group_by(Participant.conference_id, Participant.status)):
        by_status[conference_id][status] = count
    checked_in = _checked_in_counts(session)
    cards = []
    for c in session.scalars(select(Conference).order_by(Conference.starts_at)):
        counts = by_status.get(c.id, {})
        zone = ZoneInfo(c.timezone)
        cards.append(ConferenceCard(
            c.id, c.code, c.title, _local(c.starts_at, zone), _local(c.ends_at, zone),
            c.timezone, c.venue, c.status, c.capacity,
            tuple((s, counts.get(s, 0)) for s in FUNNEL), checked_in.get(c.id, 0),
            sum(counts.get(s, 0) for s in COUNTS_AGAINST_CAPACITY)))
    return cards


# --- stakeholders --------------------------------------------------------------------------


def _first_tag(person_id: ColumnElement[int]) -> ColumnElement[str]:
    return (select(func.min(Tag.name))
            .join(person_tag, person_tag.c.tag_id == Tag.id)
            .where(person_tag.c.person_id == person_id)
            .correlate_except(Tag, person_tag)
            .scalar_subquery())


def _person_keys(order: PersonOrder) -> list[ColumnElement]:
    """The ordering of the persons list: never NULL, unique thanks to the final id."""
    by_latin_name = [Person.sort_name, Person.id]  # folded "family given", indexed
    first: dict[PersonOrder, ColumnElement] = {
        PersonOrder.ORGANISATION: func.coalesce(_organisation_name(Person.id), ""),
        PersonOrder.POSITION: func.coalesce(Person.position, ""),
        PersonOrder.LANGUAGE: Person.preferred_language,
        PersonOrder.TAGS: func.coalesce(_first_tag(Person.id), ""),
    }
    if order in (PersonOrder.NAME, PersonOrder.LATIN_NAME):
        return by_latin_name
    return [first[order], *by_latin_name]


def search_persons(session: Session, query: str | PersonFilter = "", *,
                   after: tuple | None = None, limit: int = 200,
                   order: PersonOrder = PersonOrder.NAME, descending: bool = False) -> PersonPage:
    """A page of the persons matching ``query``: typed text (every word must occur in the
    folded search text, so "colic" finds Čolić and Чолић) or a whole PersonFilter.

    Pages are chained (keyset pagination): pass the previous page's ``after`` to get the next
    one, which costs the same however deep it is. Count them with
    ``person_search.count_persons``.
    """
    criteria = query if isinstance(query, PersonFilter) else PersonFilter(text=query)
    keys = _person_keys(order)
    stmt: Select = (
        person_query(criteria.validated(), session.get_bind().dialect.name)
        .add_columns(Person.given_name, Person.family_name, Person.given_name_latin,
                     Person.family_name_latin, Person.position, Person.preferred_language,
                     _organisation_name(Person.id), *keys)
        .order_by(*(key.desc() if descending else key.asc() for key in keys))
        .limit(limit)
    )
    if after is not None:
        bound = tuple_(*(literal(value, key.type) for key, value in zip(keys, after,
                                                                         strict=True)))
        stmt = stmt.where(tuple_(*keys) < bound if descending else tuple_(*keys) > bound)
    found = session.execute(stmt).all()
    tags = _tags_of(session, [r[0] for r in found])
    rows = tuple(
        PersonRow(pid, _full_name(given, family),
                  _full_name(given_l or to_latin(given), family_l or to_latin(family)),
                  org or "", position or "", language, tags.get(pid, ()))
        for pid, given, family, given_l, family_l, position, language, org, *_keys in found)
    last = tuple(found[-1][-len(keys):]) if found and len(found) == limit else None
    return PersonPage(rows, last)


def _tags_of(session: Session, person_ids: list[int]) -> dict[int, tuple[str, ...]]:
    if not person_ids:
        return {}
    found: dict[int, list[str]] = defaultdict(list)
    for person_id, name in session.execute(
            select(person_tag.c.person_id, Tag.name)
            .join(Tag, Tag.id == person_tag.c.tag_id)
            .where(person_tag.c.person_id.in_(person_ids))
            .order_by(Tag.name)):
        found[person_id].append(name)
    return {pid: tuple(names) for pid, names in found.items()}


# --- conferences ---------------------------------------------------------------------------


def conference_rooms(session: Session, conference_id: int) -> list[RoomRow]:
    """The rooms of a conference by name."""
    rows = session.execute(select(Room.id, Room.name, Room.capacity)
                           .where(Room.conference_id == conference_id)
                           .order_by(Room.name)).all()
    return [RoomRow(*row) for row in rows]


def conference_agenda(session: Session, conference_id: int) -> list[AgendaRow]:
    """The agenda in time order, in the conference's time zone, with speakers and moderators."""
    conference = session.get(Conference, conference_id)
    if conference is None:
        return []
    zone = ZoneInfo(conference.timezone)
    sessions = session.scalars(
        select(AgendaSession).where(AgendaSession.conference_id == conference_id)
        .options(selectinload(AgendaSession.room), selectinload(AgendaSession.people))
        .order_by(AgendaSession.starts_at, AgendaSession.id)).all()
    return [AgendaRow(s.id, _local(s.starts_at, zone), _local(s.ends_at, zone),
                      s.room.name if s.room else "", s.kind, s.title,
                      _people(s, AgendaRole.SPEAKER), _people(s, AgendaRole.MODERATOR))
            for s in sessions]


def _people(agenda_session: AgendaSession, role: AgendaRole) -> tuple[str, ...]:
    chosen = sorted((p for p in agenda_session.people if p.role is role),
                    key=lambda p: p.position)
    return tuple(p.person.full_name for p in chosen)


def conference_participants(session: Session, conference_id: int) -> list[ParticipantRow]:
    """Everyone on the conference's list, by family name."""
    rows = session.execute(
        select(Participant.id, Person.id, Person.given_name, Person.family_name,
               _organisation_name(Person.id), Participant.role, Participant.status)
        .join(Person, Person.id == Participant.person_id)
        .where(Participant.conference_id == conference_id)
        .order_by(Person.family_name, Person.given_name, Participant.id)
    ).all()
    return [ParticipantRow(part_id, person_id, _full_name(given, family), org or "", role,
                           status)
            for part_id, person_id, given, family, org, role, status in rows]


# --- check-in ------------------------------------------------------------------------------


def checkin_summary(session: Session, conference_id: int, *,
                    limit: int = RECENT_CHECK_INS) -> CheckInSummary:
    """Checked in of expected, and the latest valid admissions, newest first."""
    conference = session.get(Conference, conference_id)
    zone = ZoneInfo(conference.timezone if conference else "UTC")
    expected = session.scalar(
        select(func.count(Participant.id))
        .where(Participant.conference_id == conference_id,
               Participant.status.in_(COUNTS_AGAINST_CAPACITY))) or 0
    recent = session.execute(
        select(CheckIn.id, CheckIn.checked_in_at, CheckIn.desk, Person.given_name,
               Person.family_name, _organisation_name(Person.id), Participant.role)
        .join(Participant, Participant.id == CheckIn.participant_id)
        .join(Person, Person.id == Participant.person_id)
        .where(Participant.conference_id == conference_id, CheckIn.scope == CONFERENCE_SCOPE,
               CheckIn.voided_at.is_(None))
        .order_by(CheckIn.checked_in_at.desc(), CheckIn.id.desc())
        .limit(limit)
    ).all()
    return CheckInSummary(
        conference_id, _checked_in_counts(session).get(conference_id, 0), expected,
        tuple(RecentCheckIn(cid, _local(at, zone), desk, _full_name(given, family), org or "",
                            role)
              for cid, at, desk, given, family, org, role in recent))


# --- outcomes ------------------------------------------------------------------------------


def outcome_rows(session: Session, *, today: date | None = None) -> list[OutcomeRow]:
    """Every outcome, by conference and session time; open ones past their due date are
    overdue (``today`` defaults to the current UTC date)."""
    today = today or datetime.now(UTC).date()
    committed_org = Organisation.__table__.alias("committed_org")
    rows = session.execute(
        select(Outcome.id, Conference.code, AgendaSession.title, Outcome.kind, Outcome.text,
               Person.given_name, Person.family_name, committed_org.c.name,
               TeamMember.display_name, Outcome.due_on, Outcome.status)
        .join(AgendaSession, AgendaSession.id == Outcome.agenda_session_id)
        .join(Conference, Conference.id == AgendaSession.conference_id)
        .outerjoin(Person, Person.id == Outcome.committed_person_id)
        .outerjoin(committed_org, committed_org.c.id == Outcome.committed_organisation_id)
        .outerjoin(TeamMember, TeamMember.id == Outcome.owner_id)
        .order_by(Conference.starts_at, AgendaSession.starts_at, Outcome.id)
    ).all()
    return [OutcomeRow(oid, code, title, kind, text,
                       _committed_by(given, family, org), owner or "", due, status,
                       _is_overdue(due, status, today))
            for oid, code, title, kind, text, given, family, org, owner, due, status in rows]


def _committed_by(given: str | None, family: str | None, organisation: str | None) -> str:
    person = _full_name(given or "", family or "")
    if person and organisation:
        return f"{person} ({organisation})"
    return person or organisation or ""


def _is_overdue(due: date | None, status: OutcomeStatus, today: date) -> bool:
    return due is not None and due < today and status in OPEN_OUTCOMES

