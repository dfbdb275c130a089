"""Read-only views over the data for the main window's pages (DTOs in, never ORM objects out).

Every function takes an open session and only reads; the GUI opens a short session per load.
Times of a conference are returned in the conference's own time zone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, func, literal, select, tuple_
from sqlalchemy.orm import Session, selectinload

from smartconf.core.enums import (
    COUNTS_AGAINST_CAPACITY,
    AgendaRole,
    AgendaSessionKind,
    ConferenceStatus,
    ConsentPurpose,
    Engagement,
    Gender,
    InteractionKind,
    Language,
    LawfulBasis,
    OutcomeKind,
    OutcomeStatus,
    ParticipantRole,
    ParticipantStatus,
    Stance,
)
from smartconf.core.text import to_latin
from smartconf.models import (
    Affiliation,
    AgendaSession,
    Assessment,
    CheckIn,
    Conference,
    Organisation,
    Outcome,
    Participant,
    Person,
    PersonEmail,
    PersonPhone,
    Room,
    Tag,
    TeamMember,
    person_tag,
)
from smartconf.models.checkin import CONFERENCE_SCOPE
from smartconf.services.contact_details import display_phone
from smartconf.services.engagement import consent_history, interactions_of
from smartconf.services.organisations import OrganisationInput, get_organisation
from smartconf.services.person_search import (
    PersonFilter,
    count_persons,
    list_filters,
    person_query,
)
from smartconf.services.persons import PersonInput, get_person, person_input

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


def organisation_name_of(person_id: ColumnElement[int]) -> ColumnElement[str]:
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
        PersonOrder.ORGANISATION: func.coalesce(organisation_name_of(Person.id), ""),
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
                     organisation_name_of(Person.id), *keys)
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
               organisation_name_of(Person.id), Participant.role, Participant.status)
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
               Person.family_name, organisation_name_of(Person.id), Participant.role)
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



# --- stakeholder CRM: the persons list, read by id ----------------------------------------

ID_CHUNK = 500  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


class PersonColumn(StrEnum):
    """The columns of the stakeholder list, as ``person_sort_values`` reads them."""

    NAME = "name"  # as written
    LATIN_NAME = "latin_name"
    ORGANISATION = "organisation"
    POSITION = "position"
    COUNTRY = "country"  # of the organisation
    EMAIL = "email"  # the first one
    PHONE = "phone"  # the first one
    LANGUAGE = "language"
    TAGS = "tags"
    OWNER = "owner"
    INFLUENCE = "influence"  # of the current assessment
    INTEREST = "interest"


@dataclass(frozen=True, slots=True)
class PersonListRow:
    """A stakeholder as a row of the CRM list: the first e-mail and phone (display format),
    the current primary organisation and the current assessment."""

    id: int
    name: str  # as written
    latin_name: str
    organisation: str
    position: str
    country: str
    email: str
    phone: str
    language: Language
    tags: tuple[str, ...]
    owner: str
    influence: int | None
    interest: int | None


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), ID_CHUNK):
        yield list(ids[start:start + ID_CHUNK])


def _primary_organisation_id(person_id: ColumnElement[int]) -> ColumnElement[int]:
    """Correlated subquery: the id of the organisation ``organisation_name_of`` names."""
    return (select(Affiliation.organisation_id)
            .where(Affiliation.person_id == person_id, Affiliation.ended_on.is_(None))
            .order_by(Affiliation.is_primary.desc(), Affiliation.id)
            .limit(1)
            .correlate_except(Affiliation)
            .scalar_subquery())


def _first_contacts(session: Session, model, column, ids: list[int]) -> dict[int, str]:
    """The primary (else the oldest) e-mail address or phone number of each person."""
    first: dict[int, str] = {}
    for person_id, value in session.execute(
            select(model.person_id, column).where(model.person_id.in_(ids))
            .order_by(model.person_id, model.is_primary.desc(), model.id)):
        first.setdefault(person_id, value)
    return first


def _current_assessments(session: Session, ids: list[int]) -> dict[int, tuple[int, int]]:
    """(influence, interest) of each person's newest assessment."""
    newest: dict[int, tuple[int, int]] = {}
    for person_id, influence, interest in session.execute(
            select(Assessment.person_id, Assessment.influence, Assessment.interest)
            .where(Assessment.person_id.in_(ids))
            .order_by(Assessment.person_id, Assessment.assessed_on, Assessment.id)):
        newest[person_id] = (influence, interest)
    return newest


def person_list_rows(session: Session, ids: Sequence[int]) -> dict[int, PersonListRow]:
    """The list rows of the persons ``ids`` (missing and erased ones are left out).

    A few queries per 500 ids, whatever the size of the database: the list asks for the
    rows it shows, a page at a time.
    """
    rows: dict[int, PersonListRow] = {}
    for chunk in _chunks(ids):
        rows.update(_person_list_chunk(session, chunk))
    return rows


def _person_list_chunk(session: Session, ids: list[int]) -> dict[int, PersonListRow]:
    found = session.execute(
        select(Person.id, Person.given_name, Person.family_name, Person.given_name_latin,
               Person.family_name_latin, Person.position, Person.preferred_language,
               TeamMember.display_name, Organisation.name, Organisation.country)
        .outerjoin(TeamMember, TeamMember.id == Person.owner_id)
        .outerjoin(Organisation, Organisation.id == _primary_organisation_id(Person.id))
        .where(Person.id.in_(ids), Person.erased_at.is_(None))).all()
    emails = _first_contacts(session, PersonEmail, PersonEmail.address, ids)
    phones = _first_contacts(session, PersonPhone, PersonPhone.number, ids)
    tags = _tags_of(session, ids)
    assessments = _current_assessments(session, ids)
    rows = {}
    for pid, given, family, given_l, family_l, position, language, owner, org, country \
            in found:
        influence, interest = assessments.get(pid, (None, None))
        phone = phones.get(pid)
        rows[pid] = PersonListRow(
            pid, _full_name(given, family), _latin_name(given, family, given_l, family_l),
            org or "", position or "", country or "", emails.get(pid, ""),
            display_phone(phone) if phone else "", language, tags.get(pid, ()), owner or "",
            influence, interest)
    return rows


def _latin_name(given: str, family: str, given_latin: str | None,
                family_latin: str | None) -> str:
    return _full_name(given_latin or to_latin(given), family_latin or to_latin(family))


# What each column sorts by: the selected columns (and a rule to make one value of a row).
def _newest_assessment() -> Select:
    ranked = select(Assessment.person_id, Assessment.influence, Assessment.interest,
                    func.row_number().over(partition_by=Assessment.person_id,
                                           order_by=(Assessment.assessed_on.desc(),
                                                     Assessment.id.desc())).label("rank")
                    ).subquery()
    return select(ranked.c.person_id, ranked.c.influence, ranked.c.interest).where(
        ranked.c.rank == 1).subquery()


def _first_of(model, column, person_id: ColumnElement[int]) -> ColumnElement:
    return (select(column).where(model.person_id == person_id)
            .order_by(model.is_primary.desc(), model.id).limit(1)
            .correlate_except(model).scalar_subquery())


def _sort_select(column: PersonColumn) -> Select:
    """SELECT person id and the value(s) ``column`` sorts by, over every listed person."""
    base = select(Person.id)
    if column is PersonColumn.NAME:
        stmt = base.add_columns(Person.family_name, Person.given_name)
    elif column is PersonColumn.LATIN_NAME:
        stmt = base.add_columns(Person.family_name, Person.given_name,
                                Person.family_name_latin, Person.given_name_latin)
    elif column in (PersonColumn.ORGANISATION, PersonColumn.COUNTRY):
        value = Organisation.name if column is PersonColumn.ORGANISATION else \
            Organisation.country
        stmt = base.add_columns(value).outerjoin(
            Organisation, Organisation.id == _primary_organisation_id(Person.id))
    elif column is PersonColumn.EMAIL:
        stmt = base.add_columns(_first_of(PersonEmail, PersonEmail.address, Person.id))
    elif column is PersonColumn.PHONE:
        stmt = base.add_columns(_first_of(PersonPhone, PersonPhone.number, Person.id))
    elif column is PersonColumn.OWNER:
        stmt = base.add_columns(TeamMember.display_name).outerjoin(
            TeamMember, TeamMember.id == Person.owner_id)
    elif column in (PersonColumn.INFLUENCE, PersonColumn.INTEREST):
        newest = _newest_assessment()
        stmt = base.add_columns(newest.c[column.value]).outerjoin(
            newest, newest.c.person_id == Person.id)
    else:  # position, language
        stmt = base.add_columns(getattr(Person, {"position": "position",
                                                 "language": "preferred_language"}
                                        [column.value]))
    return stmt.where(Person.erased_at.is_(None))


def person_sort_values(session: Session, column: PersonColumn,
                       ids: Sequence[int] | None = None) -> dict[int, Any]:
    """What each person's ``column`` sorts by, for ``ids`` (None: every person).

    Names give (family, given) as written, Latin names (family, given) in Latin script, tags
    their sorted names joined, influence and interest an int; None where there is nothing.
    """
    if column is PersonColumn.TAGS:
        return _joined_tags(session, ids)
    stmt = _sort_select(column)
    if ids is None:
        return {row[0]: _sort_value(column, row[1:]) for row in session.execute(stmt)}
    values: dict[int, Any] = {}
    for chunk in _chunks(ids):
        for row in session.execute(stmt.where(Person.id.in_(chunk))):
            values[row[0]] = _sort_value(column, row[1:])
    return values


def _sort_value(column: PersonColumn, values: tuple) -> Any:
    if column is PersonColumn.NAME:
        return values[0], values[1]
    if column is PersonColumn.LATIN_NAME:
        family, given, family_latin, given_latin = values
        return family_latin or to_latin(family), given_latin or to_latin(given)
    return values[0] if values[0] != "" else None


def _joined_tags(session: Session, ids: Sequence[int] | None) -> dict[int, Any]:
    stmt = (select(person_tag.c.person_id, Tag.name).join(Tag, Tag.id == person_tag.c.tag_id)
            .order_by(Tag.name))
    names: dict[int, list[str]] = defaultdict(list)
    chunks = [None] if ids is None else list(_chunks(ids))
    for chunk in chunks:
        query = stmt if chunk is None else stmt.where(person_tag.c.person_id.in_(chunk))
        for person_id, name in session.execute(query):
            names[person_id].append(name)
    return {pid: ", ".join(tags) for pid, tags in names.items()}


# --- stakeholder CRM: one person in full ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class AffiliationRow:
    id: int
    organisation_id: int
    organisation: str
    role: str
    primary: bool
    started_on: date | None
    ended_on: date | None  # None: current


@dataclass(frozen=True, slots=True)
class InteractionRow:
    id: int
    occurred_at: datetime  # UTC
    kind: InteractionKind
    summary: str
    follow_up_on: date | None
    created_by: str
    conference: str  # code of the conference of an attendance, else ""


@dataclass(frozen=True, slots=True)
class ConsentRow:
    id: int
    purpose: ConsentPurpose
    basis: LawfulBasis
    given_at: datetime  # UTC
    withdrawn_at: datetime | None
    source: str
    text_version: str


@dataclass(frozen=True, slots=True)
class AssessmentRow:
    id: int
    assessed_on: date
    influence: int
    interest: int
    stance: Stance
    engagement_now: Engagement
    engagement_desired: Engagement
    note: str
    assessed_by: str


@dataclass(frozen=True, slots=True)
class ParticipationRow:
    id: int
    conference_code: str
    conference_title: str
    starts_at: datetime  # UTC
    role: ParticipantRole
    status: ParticipantStatus


@dataclass(frozen=True, slots=True)
class PersonDetail:
    """Everything the person panel shows; histories newest first."""

    id: int
    name: str  # as written, with the honorific
    latin_name: str
    position: str
    language: Language
    gender: Gender
    owner: str
    notes: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]  # display format
    tags: tuple[str, ...]
    affiliations: tuple[AffiliationRow, ...]  # current ones first
    interactions: tuple[InteractionRow, ...]
    consents: tuple[ConsentRow, ...]
    assessments: tuple[AssessmentRow, ...]
    participations: tuple[ParticipationRow, ...]

    def consent_for(self, purpose: ConsentPurpose) -> ConsentRow | None:
        """The newest consent record for ``purpose`` (active or withdrawn), if any."""
        return next((c for c in self.consents if c.purpose is purpose), None)


def person_detail(session: Session, person_id: int) -> PersonDetail:
    """The person panel's view of one person (NotFoundError if absent or erased)."""
    person = get_person(session, person_id)
    name = _full_name(person.honorific or "", person.full_name)
    return PersonDetail(
        person.id, name, _latin_name(person.given_name, person.family_name,
                                     person.given_name_latin, person.family_name_latin),
        person.position or "", person.preferred_language, person.gender,
        person.owner.display_name if person.owner else "", person.notes or "",
        tuple(e.address for e in _primary_first(person.emails)),
        tuple(display_phone(p.number) for p in _primary_first(person.phones)),
        tuple(sorted(t.name for t in person.tags)), _affiliation_rows(person),
        _interaction_rows(session, person_id),
        tuple(ConsentRow(c.id, c.purpose, c.basis, c.given_at, c.withdrawn_at, c.source or "",
                         c.text_version or "") for c in consent_history(session, person_id)),
        tuple(AssessmentRow(a.id, a.assessed_on, a.influence, a.interest, a.stance,
                            a.engagement_now, a.engagement_desired, a.note or "",
                            a.assessed_by or "")
              for a in sorted(person.assessments, key=lambda a: (a.assessed_on, a.id),
                              reverse=True)),
        _participation_rows(session, person_id))


def _primary_first(items: list) -> list:
    return sorted(items, key=lambda item: (not item.is_primary, item.id))


def _affiliation_rows(person: Person) -> tuple[AffiliationRow, ...]:
    def order(a: Affiliation) -> tuple:
        ended = a.ended_on or date.max
        return (a.ended_on is not None, not a.is_primary, -ended.toordinal(), -a.id)

    return tuple(AffiliationRow(a.id, a.organisation_id, a.organisation.name, a.role or "",
                                a.is_primary, a.started_on, a.ended_on)
                 for a in sorted(person.affiliations, key=order))


def _interaction_rows(session: Session, person_id: int) -> tuple[InteractionRow, ...]:
    interactions = interactions_of(session, person_id)
    codes = dict(session.execute(select(Conference.id, Conference.code).where(
        Conference.id.in_({i.conference_id for i in interactions if i.conference_id}))).all())
    return tuple(InteractionRow(i.id, i.occurred_at, i.kind, i.summary or "", i.follow_up_on,
                                i.created_by or "", codes.get(i.conference_id, ""))
                 for i in interactions)


def _participation_rows(session: Session, person_id: int) -> tuple[ParticipationRow, ...]:
    rows = session.execute(
        select(Participant.id, Conference.code, Conference.title, Conference.starts_at,
               Participant.role, Participant.status)
        .join(Conference, Conference.id == Participant.conference_id)
        .where(Participant.person_id == person_id)
        .order_by(Conference.starts_at.desc())).all()
    return tuple(ParticipationRow(*row) for row in rows)


# --- stakeholder CRM: choices of forms and filters -----------------------------------------


@dataclass(frozen=True, slots=True)
class Choice:
    """A value a form or a filter offers, with the text it shows."""

    value: Any
    text: str


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """The values present in the database that the persons filters offer."""

    sectors: tuple[str, ...]
    countries: tuple[str, ...]
    tags: tuple[str, ...]
    conferences: tuple[Choice, ...]  # code, "code · title"


def filter_choices(session: Session) -> FilterChoices:
    """Sectors, countries of organisations, person tags and conferences, sorted."""
    def names(category: str) -> tuple[str, ...]:
        return tuple(session.scalars(select(Tag.name).where(Tag.category == category)
                                     .order_by(Tag.name)))

    countries = tuple(session.scalars(select(Organisation.country).distinct()
                                      .order_by(Organisation.country)))
    conferences = tuple(Choice(code, f"{code} · {title}") for code, title in session.execute(
        select(Conference.code, Conference.title).order_by(Conference.starts_at)))
    return FilterChoices(names("sector"), countries, names("tag"), conferences)


@dataclass(frozen=True, slots=True)
class SmartGroup:
    """A saved filter and how many persons it finds now."""

    name: str
    criteria: PersonFilter
    count: int


def smart_groups(session: Session) -> list[SmartGroup]:
    """The saved filters by name, each with its current count (one count query each)."""
    groups = []
    for saved in list_filters(session):
        criteria = PersonFilter.from_json(saved.criteria)
        groups.append(SmartGroup(saved.name, criteria, count_persons(session, criteria)))
    return groups


def team_member_choices(session: Session) -> list[Choice]:
    """Active team members as record owners: username, display name."""
    return [Choice(username, name) for username, name in session.execute(
        select(TeamMember.username, TeamMember.display_name)
        .where(TeamMember.is_active.is_(True)).order_by(TeamMember.display_name))]


def organisation_choices(session: Session) -> list[Choice]:
    """Every organisation as a form offers it: id, "Name (ACRONYM)", by name."""
    rows = session.execute(select(Organisation.id, Organisation.name, Organisation.acronym)
                           .order_by(Organisation.name, Organisation.id)).all()
    return [Choice(oid, f"{name} ({acronym})" if acronym else name)
            for oid, name, acronym in rows]


def person_form(session: Session, person_id: int) -> PersonInput:
    """The editable details of a person (``persons.person_input``), read by id."""
    return person_input(get_person(session, person_id))


def organisation_form(session: Session, org_id: int) -> OrganisationInput:
    """The editable details of an organisation, as its form shows them."""
    org = get_organisation(session, org_id)
    return OrganisationInput(
        name=org.name, kind=org.kind, acronym=org.acronym, name_latin=org.name_latin,
        country=org.country, parent_id=org.parent_id, website=org.website, notes=org.notes,
        sectors=sorted(t.name for t in org.tags if t.category == "sector"))


def organisation_children(session: Session, org_id: int) -> list[int]:
    """Ids of the organisation's direct divisions."""
    return list(session.scalars(select(Organisation.id).where(Organisation.parent_id == org_id)
                                .order_by(Organisation.id)))
