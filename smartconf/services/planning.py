"""Planning: conferences, rooms and agenda sessions; the conflicts of an agenda; its PDF.

Times: every ``starts_at``/``ends_at`` given to these operations is either an aware datetime
(an instant) or a naive wall-clock time in the conference's time zone (converted with zoneinfo;
a wall time that does not exist, in the hour the clocks skip, is refused). They are stored in
UTC.

Calendar rule (DESIGN.md §4): a change of time or place raises ``calendar_sequence`` by one per
operation, nothing else does:

- a conference: its start, end, venue or address, and reinstating a cancelled conference (the
  new REQUEST must outrank the CANCEL that went out);
- an agenda session: its start, end or room, and also a change of the conference's venue or
  address, a renamed room, or a new time zone that moves its instants (its place or time
  changed with them).

Planning never sends mail; the calendar service compares these sequences with what was sent.
Every operation validates all its input before it changes anything (ValidationError naming the
field).
"""

from __future__ import annotations

import math
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, available_timezones

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from smartconf.core.enums import AgendaRole, AgendaSessionKind, ConferenceStatus
from smartconf.core.errors import NotFoundError, ValidationError
from smartconf.models import (
    AgendaSession,
    AgendaSessionPerson,
    CheckIn,
    Conference,
    Finding,
    Outcome,
    Person,
    Report,
    Room,
)
from smartconf.services.contact_details import normalise_email
from smartconf.services.invitations import promote_waitlist, seats_taken, validated_choice
from smartconf.store.session import act_as

if TYPE_CHECKING:
    from smartconf.exports.agenda_pdf import AgendaDocument

DEFAULT_TIMEZONE = "Europe/Belgrade"
CALENDAR_DOMAIN = "smartconf.kcss"
CODE_MAX = 32
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
_FINDING = re.compile(r"R(\d+)-F(\d+)\Z", re.IGNORECASE)
_LIMITS = {"title": 500, "venue": 300, "address": 500, "organiser_name": 200, "name": 200}


def new_calendar_uid() -> str:
    """A calendar UID for a conference or an agenda session (never changed afterwards)."""
    return f"{uuid.uuid4()}@{CALENDAR_DOMAIN}"


# --- times and small values ------------------------------------------------------------------


@cache
def _zone_names() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def validated_zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (any letter case); ValidationError for anything else."""
    text = (name or "").strip()
    canonical = _zone_names().get(text.casefold())
    if canonical is not None:
        return ZoneInfo(canonical)
    raise ValidationError(f"unknown time zone '{text}'", field="timezone",
                          hint="Use an IANA name such as Europe/Belgrade.")


def to_instant(value: datetime, zone: ZoneInfo, *, field: str) -> datetime:
    """An instant in UTC from an aware datetime, or from a wall-clock time in ``zone``."""
    if not isinstance(value, datetime):
        raise ValidationError(f"must be a date and time, not {value!r}", field=field)
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    instant = value.replace(tzinfo=zone).astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != value:
        raise ValidationError(f"{value:%Y-%m-%d %H:%M} does not exist in {zone.key} (the "
                              "clocks go forward at that hour)", field=field)
    return instant


def _period(starts: datetime, ends: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    start = to_instant(starts, zone, field="starts_at")
    end = to_instant(ends, zone, field="ends_at")
    if end <= start:
        raise ValidationError("must be after the start", field="ends_at")
    return start, end


def _wall(instant: datetime, zone: ZoneInfo) -> datetime:
    """The naive wall-clock time of ``instant`` in ``zone`` (what a form shows)."""
    return instant.astimezone(zone).replace(tzinfo=None)


def _text(value: str | None, field: str, *, required: bool = False) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise ValidationError("is required", field=field)
    limit = _LIMITS.get(field)
    if limit is not None and len(text) > limit:
        raise ValidationError(f"is {len(text)} characters long; at most {limit} are allowed",
                              field=field)
    return text


def _capacity(value: int | None, field: str = "capacity") -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError(f"must be a whole number of seats (1 or more), not {value!r}",
                              field=field)
    return value


def _changes(current, changes: dict[str, Any]):
    known = {f.name for f in fields(current)}
    for name in changes:
        if name not in known:
            raise ValidationError("is not a field that can be changed", field=name)
    return replace(current, **changes)


# --- conferences ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ConferenceInput:
    """A conference as a form gives it. Times: aware instants or wall times in ``timezone``."""

    code: str
    title: str
    starts_at: datetime
    ends_at: datetime
    timezone: str = DEFAULT_TIMEZONE
    venue: str = ""
    address: str | None = None
    capacity: int | None = None
    organiser_name: str = ""
    organiser_email: str = ""
    description: str | None = None
    report_numbers: tuple[int, ...] = ()  # linked reports, R1 -> 1
    status: ConferenceStatus = ConferenceStatus.PLANNED


def conference_input(conference: Conference) -> ConferenceInput:
    """The conference as a form shows it: wall-clock times in its own time zone."""
    zone = ZoneInfo(conference.timezone)
    return ConferenceInput(
        code=conference.code, title=conference.title,
        starts_at=_wall(conference.starts_at, zone), ends_at=_wall(conference.ends_at, zone),
        timezone=conference.timezone, venue=conference.venue, address=conference.address,
        capacity=conference.capacity, organiser_name=conference.organiser_name,
        organiser_email=conference.organiser_email, description=conference.description,
        report_numbers=tuple(r.number for r in conference.reports), status=conference.status)


def create_conference(session: Session, data: ConferenceInput, *, actor: str) -> Conference:
    """A new conference with a calendar UID of its own (sequence 0)."""
    act_as(session, actor)
    values, reports = _conference_values(session, data, None)
    conference = Conference(**values, reports=reports, calendar_uid=new_calendar_uid(),
                            calendar_sequence=0)
    session.add(conference)
    session.flush()
    return conference


def update_conference(session: Session, conference: Conference, *, actor: str,
                      **changes: Any) -> Conference:
    """Change the fields named in ``changes`` (those of ConferenceInput).

    Wall-clock times stay put when the time zone changes: the conference and its sessions keep
    their local times in the new zone. A larger capacity promotes the waitlist.
    """
    act_as(session, actor)
    data = _changes(conference_input(conference), changes)
    values, reports = _conference_values(session, data, conference.id)
    rezoned = _rezoned_sessions(conference, ZoneInfo(conference.timezone),
                                ZoneInfo(values["timezone"]))
    time_moved = (conference.starts_at, conference.ends_at) != (values["starts_at"],
                                                                 values["ends_at"])
    place_moved = (conference.venue, conference.address) != (values["venue"], values["address"])
    reinstated = (conference.status is ConferenceStatus.CANCELLED
                  and values["status"] is not ConferenceStatus.CANCELLED)
    more_seats = _more_seats(conference.capacity, values["capacity"])
    for name, value in values.items():
        setattr(conference, name, value)
    conference.reports = reports
    if time_moved or place_moved or reinstated:
        conference.calendar_sequence += 1
    for agenda_session in conference.agenda_sessions:
        starts, ends = rezoned.get(agenda_session.id, (agenda_session.starts_at,
                                                       agenda_session.ends_at))
        _place_session(agenda_session, starts, ends, agenda_session.room, moved=place_moved)
    session.flush()
    if more_seats:
        promote_waitlist(session, conference, actor=actor)
    return conference


def cancel_conference(session: Session, conference: Conference, *, actor: str) -> Conference:
    """Call the conference off (status cancelled). The calendar service then sends CANCEL;
    participants keep their statuses, so reinstating it (update_conference) restores them."""
    act_as(session, actor)
    conference.status = ConferenceStatus.CANCELLED
    session.flush()
    return conference


def get_conference_by_id(session: Session, conference_id: int) -> Conference:
    """The conference with this id; NotFoundError otherwise."""
    conference = session.get(Conference, conference_id)
    if conference is None:
        raise NotFoundError(f"There is no conference with id {conference_id}.")
    return conference


def _conference_values(session: Session, data: ConferenceInput,
                       conference_id: int | None) -> tuple[dict[str, Any], list[Report]]:
    zone = validated_zone(data.timezone)
    starts, ends = _period(data.starts_at, data.ends_at, zone)
    email = data.organiser_email.strip() if data.organiser_email else ""
    values = {
        "code": _code(session, data.code, conference_id),
        "title": _text(data.title, "title", required=True),
        "description": (data.description or "").strip() or None,
        "starts_at": starts, "ends_at": ends, "timezone": zone.key,
        "venue": _text(data.venue, "venue"),
        "address": _text(data.address, "address") or None,
        "capacity": _capacity(data.capacity),
        "organiser_name": _text(data.organiser_name, "organiser_name"),
        "organiser_email": normalise_email(email, field="organiser_email") if email else "",
        "status": validated_choice(ConferenceStatus, data.status, "status"),
    }
    return values, _reports(session, data.report_numbers)


def _code(session: Session, raw: str, conference_id: int | None) -> str:
    code = (raw or "").strip()
    if not code:
        raise ValidationError("is required", field="code")
    if len(code) > CODE_MAX or not _CODE.match(code):
        raise ValidationError(f"'{code}' must be 1 to {CODE_MAX} letters, digits, hyphens or "
                              "underscores, starting with a letter or digit", field="code")
    clash = session.scalar(select(Conference.code).where(
        func.upper(Conference.code) == code.upper(), Conference.id != (conference_id or -1)))
    if clash is not None:
        raise ValidationError(f"'{code}' is already the code of another conference ({clash})",
                              field="code")
    return code


def _reports(session: Session, numbers: Iterable[int]) -> list[Report]:
    wanted = list(dict.fromkeys(numbers))
    found = {r.number: r for r in session.scalars(
        select(Report).where(Report.number.in_(wanted)))} if wanted else {}
    missing = [n for n in wanted if n not in found]
    if missing:
        raise ValidationError(f"there is no report R{missing[0]}", field="report_numbers")
    return [found[n] for n in wanted]


def _more_seats(old: int | None, new: int | None) -> bool:
    return old is not None and new is not None and new > old


def _rezoned_sessions(conference: Conference, old: ZoneInfo,
                      new: ZoneInfo) -> dict[int, tuple[datetime, datetime]]:
    """The sessions' instants that keep their wall-clock times in the ``new`` zone."""
    if old.key == new.key:
        return {}
    return {s.id: (to_instant(_wall(s.starts_at, old), new, field="timezone"),
                   to_instant(_wall(s.ends_at, old), new, field="timezone"))
            for s in conference.agenda_sessions}


# --- rooms ---------------------------------------------------------------------------------


def add_room(session: Session, conference: Conference, name: str, *,
             capacity: int | None = None, actor: str) -> Room:
    """A new room (names are unique within a conference, whatever their letter case)."""
    act_as(session, actor)
    clean = _room_name(conference, name, None)
    room = Room(name=clean, capacity=_capacity(capacity))
    conference.rooms.append(room)
    session.flush()
    return room


def update_room(session: Session, room_id: int, *, name: str, capacity: int | None,
                actor: str) -> Room:
    """Rename a room or change its capacity; a new name is a new place for its sessions."""
    act_as(session, actor)
    room = _get(session, Room, room_id, "room")
    clean = _room_name(room.conference, name, room.id)
    seats = _capacity(capacity)
    if clean != room.name:
        for agenda_session in _sessions_in(session, room):
            agenda_session.calendar_sequence += 1
    room.name, room.capacity = clean, seats
    session.flush()
    return room


def delete_room(session: Session, room_id: int, *, actor: str) -> None:
    """Delete a room that no agenda session uses."""
    act_as(session, actor)
    room = _get(session, Room, room_id, "room")
    used = _sessions_in(session, room)
    if used:
        titles = ", ".join(f"'{s.title}'" for s in used[:3])
        raise ValidationError(f"{room.name} is used by {len(used)} session(s): {titles}",
                              field="room_id", hint="Move those sessions to another room first.")
    room.conference.rooms.remove(room)
    session.flush()


def _room_name(conference: Conference, name: str, room_id: int | None) -> str:
    clean = _text(name, "name", required=True)
    for room in conference.rooms:
        if room.id != room_id and room.name.casefold() == clean.casefold():
            raise ValidationError(f"{conference.code} already has a room called {room.name}",
                                  field="name")
    return clean


def _sessions_in(session: Session, room: Room) -> list[AgendaSession]:
    return list(session.scalars(select(AgendaSession).where(AgendaSession.room_id == room.id)
                                .order_by(AgendaSession.starts_at)))


# --- agenda sessions -------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaSessionInput:
    """An agenda session as a form gives it. Times: aware instants or wall times in the
    conference's zone; people are person ids in their order on the panel; findings are labels
    such as "R2-F3"."""

    kind: AgendaSessionKind
    title: str
    starts_at: datetime
    ends_at: datetime
    room_id: int | None = None
    description: str | None = None
    moderators: tuple[int, ...] = ()
    speakers: tuple[int, ...] = ()
    rapporteurs: tuple[int, ...] = ()
    findings: tuple[str, ...] = ()


_ROLE_FIELDS = (("moderators", AgendaRole.MODERATOR), ("speakers", AgendaRole.SPEAKER),
                ("rapporteurs", AgendaRole.RAPPORTEUR))


def agenda_session_input(agenda_session: AgendaSession) -> AgendaSessionInput:
    """The session as a form shows it: wall-clock times in the conference's time zone."""
    zone = ZoneInfo(agenda_session.conference.timezone)
    people = {role: tuple(p.person_id for p in sorted(agenda_session.people,
                                                      key=lambda p: p.position)
                          if p.role is role) for _, role in _ROLE_FIELDS}
    return AgendaSessionInput(
        kind=agenda_session.kind, title=agenda_session.title,
        starts_at=_wall(agenda_session.starts_at, zone),
        ends_at=_wall(agenda_session.ends_at, zone), room_id=agenda_session.room_id,
        description=agenda_session.description,
        moderators=people[AgendaRole.MODERATOR], speakers=people[AgendaRole.SPEAKER],
        rapporteurs=people[AgendaRole.RAPPORTEUR],
        findings=tuple(f.label for f in agenda_session.findings))


def create_agenda_session(session: Session, conference: Conference, data: AgendaSessionInput,
                          *, actor: str) -> AgendaSession:
    """A new session on the agenda (conflicts are reported by agenda_conflicts, not refused)."""
    act_as(session, actor)
    values = _session_values(session, conference, data)
    agenda_session = AgendaSession(
        conference=conference, kind=values.kind, title=values.title,
        description=values.description, starts_at=values.starts_at, ends_at=values.ends_at,
        room=values.room, calendar_uid=new_calendar_uid(), calendar_sequence=0,
        findings=values.findings)
    _set_people(agenda_session, values.people)
    session.add(agenda_session)
    session.flush()
    return agenda_session


def update_agenda_session(session: Session, agenda_session_id: int, *, actor: str,
                          **changes: Any) -> AgendaSession:
    """Change the fields named in ``changes`` (those of AgendaSessionInput)."""
    act_as(session, actor)
    agenda_session = _get(session, AgendaSession, agenda_session_id, "agenda_session_id")
    data = _changes(agenda_session_input(agenda_session), changes)
    values = _session_values(session, agenda_session.conference, data)
    agenda_session.kind = values.kind
    agenda_session.title = values.title
    agenda_session.description = values.description
    agenda_session.findings = values.findings
    _set_people(agenda_session, values.people)
    _place_session(agenda_session, values.starts_at, values.ends_at, values.room)
    session.flush()
    return agenda_session


def move_agenda_session(session: Session, agenda_session_id: int, *, starts_at: datetime,
                        ends_at: datetime, room_id: int | None, actor: str) -> AgendaSession:
    """Put the session at another time and/or in another room (``None``: no room)."""
    return update_agenda_session(session, agenda_session_id, actor=actor, starts_at=starts_at,
                                 ends_at=ends_at, room_id=room_id)


def resize_agenda_session(session: Session, agenda_session_id: int, *, actor: str,
                          starts_at: datetime | None = None,
                          ends_at: datetime | None = None) -> AgendaSession:
    """Move the start and/or the end of the session, keeping its room."""
    changes = {name: value for name, value in (("starts_at", starts_at), ("ends_at", ends_at))
               if value is not None}
    return update_agenda_session(session, agenda_session_id, actor=actor, **changes)


def delete_agenda_session(session: Session, agenda_session_id: int, *, actor: str) -> None:
    """Delete a session that has no outcomes and no room check-ins recorded."""
    act_as(session, actor)
    agenda_session = _get(session, AgendaSession, agenda_session_id, "agenda_session_id")
    outcomes = session.scalar(select(func.count()).select_from(Outcome).where(
        Outcome.agenda_session_id == agenda_session.id)) or 0
    check_ins = session.scalar(select(func.count()).select_from(CheckIn).where(
        CheckIn.agenda_session_id == agenda_session.id)) or 0
    if outcomes or check_ins:
        raise ValidationError(
            f"'{agenda_session.title}' has {outcomes} outcome(s) and {check_ins} check-in(s) "
            "recorded", field="agenda_session_id",
            hint="Keep the session; change its time or room instead.")
    agenda_session.conference.agenda_sessions.remove(agenda_session)
    session.flush()


@dataclass(frozen=True, slots=True)
class _SessionValues:
    kind: AgendaSessionKind
    title: str
    description: str | None
    starts_at: datetime
    ends_at: datetime
    room: Room | None
    people: dict[tuple[int, AgendaRole], int]  # (person id, role) -> position
    findings: list[Finding]


def _session_values(session: Session, conference: Conference,
                    data: AgendaSessionInput) -> _SessionValues:
    kind = validated_choice(AgendaSessionKind, data.kind, "kind")
    title = _text(data.title, "title", required=True)
    starts, ends = _period(data.starts_at, data.ends_at, ZoneInfo(conference.timezone))
    room = None
    if data.room_id is not None:
        room = session.get(Room, data.room_id)
        if room is None or room.conference_id != conference.id:
            raise ValidationError(f"{conference.code} has no room with id {data.room_id}",
                                  field="room_id")
    return _SessionValues(kind, title, (data.description or "").strip() or None, starts, ends,
                          room, _people(session, data), _findings(session, data.findings))


def _people(session: Session, data: AgendaSessionInput) -> dict[tuple[int, AgendaRole], int]:
    chosen: dict[tuple[int, AgendaRole], int] = {}
    for field, role in _ROLE_FIELDS:
        ids = list(dict.fromkeys(getattr(data, field)))
        found = dict(session.execute(select(Person.id, Person.erased_at)
                                     .where(Person.id.in_(ids))).all()) if ids else {}
        for position, person_id in enumerate(ids):
            if person_id not in found:
                raise ValidationError(f"there is no person with id {person_id}", field=field)
            if found[person_id] is not None:
                raise ValidationError(f"person {person_id} was erased", field=field)
            chosen[person_id, role] = position
    return chosen


def _findings(session: Session, labels: Iterable[str]) -> list[Finding]:
    wanted: list[tuple[int, int]] = []
    for label in dict.fromkeys(label.strip() for label in labels):
        match = _FINDING.match(label)
        if match is None:
            raise ValidationError(f"'{label}' is not a finding label such as R2-F3",
                                  field="findings")
        wanted.append((int(match[1]), int(match[2])))
    if not wanted:
        return []
    found = {(f.report.number, f.number): f for f in session.scalars(
        select(Finding).join(Report).where(Report.number.in_({r for r, _ in wanted})))}
    for key in wanted:
        if key not in found:
            raise ValidationError(f"there is no finding R{key[0]}-F{key[1]}", field="findings")
    return [found[key] for key in wanted]


def _set_people(agenda_session: AgendaSession,
                chosen: dict[tuple[int, AgendaRole], int]) -> None:
    """Keep the rows that stay (new positions), add the new ones, drop the others."""
    current = {(p.person_id, p.role): p for p in agenda_session.people}
    rows = []
    for (person_id, role), position in chosen.items():
        row = current.get((person_id, role)) or AgendaSessionPerson(person_id=person_id,
                                                                    role=role)
        row.position = position
        rows.append(row)
    agenda_session.people = rows


def _place_session(agenda_session: AgendaSession, starts: datetime, ends: datetime,
                   room: Room | None, *, moved: bool = False) -> None:
    """Set time and room; raise the calendar sequence once if either (or ``moved``) changed."""
    if moved or (agenda_session.starts_at, agenda_session.ends_at) != (starts, ends) \
            or agenda_session.room is not room:
        agenda_session.calendar_sequence += 1
    agenda_session.starts_at, agenda_session.ends_at, agenda_session.room = starts, ends, room


def _get(session: Session, model, ident: int, field: str):
    row = session.get(model, ident)
    if row is None:
        raise ValidationError(f"there is no {model.__tablename__.replace('_', ' ')} with id "
                              f"{ident}", field=field)
    return row


# --- conflicts -----------------------------------------------------------------------------


class ConflictKind(StrEnum):
    ROOM_DOUBLE_BOOKED = "room_double_booked"
    PERSON_DOUBLE_BOOKED = "person_double_booked"
    OUTSIDE_CONFERENCE = "outside_conference"
    OVER_CAPACITY = "over_capacity"


@dataclass(frozen=True, slots=True)
class Conflict:
    """A problem of the timetable; reported, never refused."""

    kind: ConflictKind
    message: str
    session_ids: tuple[int, ...]


def agenda_conflicts(session: Session, conference: Conference) -> list[Conflict]:
    """Everything the timetable flags, in this order:

    - a room booked by two sessions whose times overlap (touching ends do not overlap);
    - a person (moderator, speaker or rapporteur) in two overlapping sessions;
    - a session starting before the conference opens or ending after it closes;
    - a session whose expected audience exceeds its room's capacity. The expected audience is
      the seats taken at the conference (accepted, tentative, attended) shared evenly among
      the sessions held in a room at an overlapping time, this one included (rounded up): a
      plenary alone in its slot expects everyone, three parallel workshops a third each.
    """
    sessions = list(session.scalars(
        select(AgendaSession).where(AgendaSession.conference_id == conference.id)
        .options(selectinload(AgendaSession.room),
                 selectinload(AgendaSession.people).selectinload(AgendaSessionPerson.person))
        .order_by(AgendaSession.starts_at, AgendaSession.id)))
    zone = ZoneInfo(conference.timezone)
    pairs = _overlapping_pairs(sessions)
    return [*_room_clashes(pairs, zone), *_person_clashes(pairs, zone),
            *_outside(conference, sessions, zone),
            *_over_capacity(sessions, pairs, seats_taken(session, conference), zone)]


def _overlapping_pairs(sessions: Sequence[AgendaSession]) -> list[tuple[AgendaSession,
                                                                          AgendaSession]]:
    """Pairs of sessions whose times overlap; ``sessions`` sorted by start."""
    pairs = []
    for i, first in enumerate(sessions):
        for second in sessions[i + 1:]:
            if second.starts_at >= first.ends_at:
                break
            pairs.append((first, second))
    return pairs


def _room_clashes(pairs, zone: ZoneInfo) -> list[Conflict]:
    return [Conflict(ConflictKind.ROOM_DOUBLE_BOOKED,
                     f"{a.room.name} is booked twice: {_describe(a, zone)} and "
                     f"{_describe(b, zone)}", (a.id, b.id))
            for a, b in pairs if a.room is not None and a.room is b.room]


def _person_clashes(pairs, zone: ZoneInfo) -> list[Conflict]:
    conflicts = []
    for a, b in pairs:
        names = {p.person_id: p.person.full_name for p in a.people}
        for person_id in sorted({p.person_id for p in b.people} & names.keys()):
            conflicts.append(Conflict(
                ConflictKind.PERSON_DOUBLE_BOOKED,
                f"{names[person_id]} is in two sessions at once: {_describe(a, zone)} and "
                f"{_describe(b, zone)}", (a.id, b.id)))
    return conflicts


def _outside(conference: Conference, sessions: Sequence[AgendaSession],
             zone: ZoneInfo) -> list[Conflict]:
    opens = conference.starts_at.astimezone(zone)
    closes = conference.ends_at.astimezone(zone)
    span = f"{opens:%a %d %b %H:%M} – {closes:%a %d %b %H:%M}"
    conflicts = []
    for s in sessions:
        if s.starts_at < conference.starts_at or s.ends_at > conference.ends_at:
            conflicts.append(Conflict(ConflictKind.OUTSIDE_CONFERENCE,
                                      f"{_describe(s, zone)} lies outside the conference "
                                      f"({span})", (s.id,)))
    return conflicts


def _over_capacity(sessions: Sequence[AgendaSession], pairs, seats: int,
                   zone: ZoneInfo) -> list[Conflict]:
    parallel: dict[int, int] = defaultdict(lambda: 1)
    for a, b in pairs:
        if a.room is not None and b.room is not None:
            parallel[a.id] += 1
            parallel[b.id] += 1
    conflicts = []
    for s in sessions:
        if s.room is None or s.room.capacity is None:
            continue
        expected = math.ceil(seats / parallel[s.id])
        if expected > s.room.capacity:
            conflicts.append(Conflict(
                ConflictKind.OVER_CAPACITY,
                f"{_describe(s, zone)} expects about {expected} people but {s.room.name} "
                f"seats {s.room.capacity} ({seats} seats taken, {parallel[s.id]} session(s) "
                "at that time)", (s.id,)))
    return conflicts


def _describe(agenda_session: AgendaSession, zone: ZoneInfo) -> str:
    start = agenda_session.starts_at.astimezone(zone)
    end = agenda_session.ends_at.astimezone(zone)
    room = f", {agenda_session.room.name}" if agenda_session.room else ""
    return f"'{agenda_session.title}' ({start:%a %d %b %H:%M}–{end:%H:%M}{room})"


# --- agenda PDF ----------------------------------------------------------------------------


def agenda_document(session: Session, conference: Conference) -> AgendaDocument:
    """What the agenda PDF shows: times in the conference's zone, people as written."""
    from smartconf.exports.agenda_pdf import AgendaDocument, AgendaItem

    zone = ZoneInfo(conference.timezone)
    sessions = session.scalars(
        select(AgendaSession).where(AgendaSession.conference_id == conference.id)
        .options(selectinload(AgendaSession.room), selectinload(AgendaSession.findings),
                 selectinload(AgendaSession.people).selectinload(AgendaSessionPerson.person)
                 .selectinload(Person.affiliations))
        .order_by(AgendaSession.starts_at, AgendaSession.id)).all()
    items = tuple(AgendaItem(
        starts_at=s.starts_at.astimezone(zone), ends_at=s.ends_at.astimezone(zone),
        room=s.room.name if s.room else "", kind=s.kind, title=s.title,
        moderators=_names(s, AgendaRole.MODERATOR), speakers=_names(s, AgendaRole.SPEAKER),
        rapporteurs=_names(s, AgendaRole.RAPPORTEUR),
        findings=tuple(sorted((f.label for f in s.findings), key=_finding_order)))
        for s in sorted(sessions, key=lambda s: (s.starts_at, s.room.name if s.room else "")))
    return AgendaDocument(
        code=conference.code, title=conference.title,
        starts_at=conference.starts_at.astimezone(zone),
        ends_at=conference.ends_at.astimezone(zone), timezone=conference.timezone,
        venue=conference.venue, address=conference.address or "",
        organiser=conference.organiser_name, items=items)


def render_agenda_pdf(session: Session, conference: Conference, *,
                      languages: Sequence[str] = ("en",)) -> bytes:
    """The agenda of ``conference`` as a PDF; headings in ``languages`` (sq, sr, en), in the
    order given."""
    from smartconf.exports.agenda_pdf import render_agenda

    return render_agenda(agenda_document(session, conference), languages=languages)


def _names(agenda_session: AgendaSession, role: AgendaRole) -> tuple[str, ...]:
    """"Name (Organisation)" of the people in ``role``, in their panel order."""
    chosen = sorted((p for p in agenda_session.people if p.role is role),
                    key=lambda p: p.position)
    return tuple(_person_label(p.person) for p in chosen)


def _person_label(person: Person) -> str:
    affiliation = person.primary_affiliation
    name = " ".join(filter(None, (person.honorific, person.full_name)))
    if affiliation is None:
        return name
    organisation = affiliation.organisation
    return f"{name} ({organisation.acronym or organisation.name})"


def _finding_order(label: str) -> tuple[int, ...]:
    match = _FINDING.match(label)
    return (int(match[1]), int(match[2])) if match else (0, 0)
