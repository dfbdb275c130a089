"""What the planning screens read, as plain values (no ORM object leaves these functions).

Each function takes an open session (``CrmContext.read`` or ``Page.read``); times are naive
wall-clock times in the conference's own time zone, as the forms and the timetable show them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartconf.core.enums import AgendaSessionKind
from smartconf.core.errors import NotFoundError
from smartconf.models import AgendaSession, AgendaSessionPerson, Person, Report
from smartconf.services.invitations import Funnel, funnel
from smartconf.services.labels import organisation_label
from smartconf.services.overview import (
    AgendaRow,
    Choice,
    RoomRow,
    conference_agenda,
    conference_rooms,
)
from smartconf.services.overview import search_persons as search_person_rows
from smartconf.services.persons import get_person
from smartconf.services.planning import (
    AgendaSessionInput,
    ConferenceInput,
    Conflict,
    agenda_conflicts,
    agenda_session_input,
    conference_input,
    get_conference_by_id,
)

PERSON_RESULTS = 20


@dataclass(frozen=True, slots=True)
class Block:
    """One agenda session on the timetable."""

    id: int
    room_id: int | None
    kind: AgendaSessionKind
    title: str
    starts_at: datetime  # naive, conference time zone
    ends_at: datetime
    speakers: tuple[str, ...]
    moderators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Timetable:
    """A conference's rooms, sessions and conflicts, as the timetable draws them."""

    conference_id: int
    timezone: str
    starts_at: datetime  # naive, conference time zone
    ends_at: datetime
    rooms: tuple[RoomRow, ...]
    blocks: tuple[Block, ...]
    conflicts: tuple[Conflict, ...]
    agenda: tuple[AgendaRow, ...]  # the same sessions as the agenda list shows them

    def days(self) -> list[date]:
        """The conference's days, and any other day holding a session, in order."""
        days = {self.starts_at.date() + timedelta(days=n)
                for n in range((self.ends_at.date() - self.starts_at.date()).days + 1)}
        days.update(b.starts_at.date() for b in self.blocks)
        return sorted(days)

    def block(self, block_id: int) -> Block | None:
        return next((b for b in self.blocks if b.id == block_id), None)

    def conflicts_of(self, block_id: int) -> list[Conflict]:
        return [c for c in self.conflicts if block_id in c.session_ids]


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None)


def timetable(session: Session, conference_id: int) -> Timetable:
    """The timetable of a conference (NotFoundError if it is gone)."""
    conference = get_conference_by_id(session, conference_id)
    form = conference_input(conference)
    rooms = tuple(conference_rooms(session, conference_id))
    room_ids = {room.name: room.id for room in rooms}
    conflicts = tuple(agenda_conflicts(session, conference))
    people = _speakers(session, conference_id)  # noqa: F841 (held: see _speakers)
    agenda = tuple(conference_agenda(session, conference_id))
    blocks = tuple(Block(row.id, room_ids.get(row.room) if row.room else None, row.kind,
                         row.title, _naive(row.starts_at), _naive(row.ends_at), row.speakers,
                         row.moderators) for row in agenda)
    return Timetable(conference_id, conference.timezone, form.starts_at, form.ends_at, rooms,
                     blocks, conflicts, agenda)


def _speakers(session: Session, conference_id: int) -> list[Person]:
    """The people of the conference's sessions, in one query. While the caller holds the list
    the session's identity map keeps them, and ``conference_agenda`` finds them there instead
    of loading them one by one (40 speakers: 40 queries, most of the read)."""
    return list(session.scalars(
        select(Person).join(AgendaSessionPerson, AgendaSessionPerson.person_id == Person.id)
        .join(AgendaSession, AgendaSession.id == AgendaSessionPerson.agenda_session_id)
        .where(AgendaSession.conference_id == conference_id).distinct()))


def conference_form(session: Session, conference_id: int) -> ConferenceInput:
    """The editable details of a conference, wall times in its own zone."""
    return conference_input(get_conference_by_id(session, conference_id))


def conference_funnel(session: Session, conference_id: int) -> Funnel:
    return funnel(session, get_conference_by_id(session, conference_id))


def report_choices(session: Session) -> list[Choice]:
    """Every report: number, "R2 · title"."""
    return [Choice(number, f"R{number} · {title}") for number, title in session.execute(
        select(Report.number, Report.title).order_by(Report.number))]


def finding_choices(session: Session, conference_id: int) -> list[Choice]:
    """The findings of the reports linked to the conference: label, "R2-F3 text"."""
    conference = get_conference_by_id(session, conference_id)
    return [Choice(finding.label, f"{finding.label} {finding.text}")
            for report in sorted(conference.reports, key=lambda r: r.number)
            for finding in report.findings]


@dataclass(frozen=True, slots=True)
class SessionForm:
    """An agenda session as its dialog edits it, with the names of its people."""

    data: AgendaSessionInput
    people: dict[int, str]  # person id -> "Name (Organisation)"


def session_form(session: Session, agenda_session_id: int) -> SessionForm:
    """The editable details of an agenda session (NotFoundError if it is gone)."""
    agenda_session = session.get(AgendaSession, agenda_session_id)
    if agenda_session is None:
        raise NotFoundError(f"There is no agenda session with id {agenda_session_id}.")
    data = agenda_session_input(agenda_session)
    ids = {*data.moderators, *data.speakers, *data.rapporteurs}
    return SessionForm(data, person_labels(session, ids))


def person_label(name: str, organisation: str) -> str:
    return f"{name} ({organisation})" if organisation else name


def person_labels(session: Session, person_ids) -> dict[int, str]:
    """"Name (Organisation)" of each person id."""
    labels = {}
    for person_id in person_ids:
        person = get_person(session, person_id)
        labels[person_id] = person_label(person.full_name, organisation_label(person))
    return labels


def find_persons(session: Session, text: str) -> list[Choice]:
    """Persons matching typed ``text`` (folded: "colic" finds Čolić and Чолић): id, label."""
    if not text.strip():
        return []
    page = search_person_rows(session, text, limit=PERSON_RESULTS)
    return [Choice(row.id, person_label(row.name, row.organisation)) for row in page.rows]
