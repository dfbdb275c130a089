"""Demo data: invented people at real institutions, the programme's research reports and its
three conferences of 2027, read from ``resources/demo/*.json``.

The files are plain content (one aggregate each, ``format_version`` 1). Persons and
organisations are referred to by a ``key`` inside the files; conference times are wall-clock
times in the conference's time zone, every other instant carries its UTC offset. Check-ins of
the running conference go through the real desk operation, so attendance is recorded the way a
desk records it. Badge codes and calendar UIDs are made fresh on every load.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, delete, literal, select
from sqlalchemy.orm import Session

from smartconf.core.badge_code import new_badge_code
from smartconf.core.enums import (
    ADMISSIBLE,
    AgendaRole,
    AgendaSessionKind,
    AuditAction,
    CheckInMethod,
    ConferenceStatus,
    ConsentPurpose,
    Engagement,
    Gender,
    InteractionKind,
    Language,
    LawfulBasis,
    OrganisationKind,
    OutcomeKind,
    OutcomeStatus,
    ParticipantRole,
    ParticipantStatus,
    Stance,
    Verdict,
)
from smartconf.core.errors import SmartconfError
from smartconf.core.progress import Progress
from smartconf.core.resources import resources
from smartconf.models import (
    Affiliation,
    AgendaSession,
    AgendaSessionPerson,
    Assessment,
    Base,
    Conference,
    Consent,
    Finding,
    Interaction,
    Organisation,
    Outcome,
    Participant,
    Person,
    PersonEmail,
    PersonPhone,
    Recommendation,
    Report,
    RevokedBadge,
    Room,
    Tag,
    TeamMember,
)
from smartconf.services.checkin import check_in
from smartconf.services.planning import new_calendar_uid
from smartconf.services.search_text import refresh_search_text
from smartconf.store.audit import record_event
from smartconf.store.session import act_as

FORMAT_VERSION = 1
DEMO_FILES = ("team", "organisations", "persons", "interactions", "reports", "conferences")
FIRST_CONFERENCE_WEEKS_AGO = 10
# Rows in these tables do not make a database "hold data": the trail and shared settings.
_NOT_DATA = frozenset({"audit_event", "setting"})

ProgressCallback = Callable[[Progress], None]
Json = dict[str, Any]


@dataclass(frozen=True)
class DemoSummary:
    """How many records of each kind the demo loaded."""

    organisations: int
    persons: int
    reports: int
    conferences: int
    participants: int
    outcomes: int


def has_data(session: Session) -> bool:
    """True when any table other than the audit trail and the settings holds a row."""
    return any(
        session.execute(select(literal(1)).select_from(table).limit(1)).first()
        for table in _data_tables()
    )


def clear_all_data(session: Session, *, actor: str) -> None:
    """Delete every row of every table (children first), audit trail included.

    The schema and its migration revision stay. One audit event records the deletion.
    """
    act_as(session, actor)
    session.flush()
    rows = sum(
        session.execute(delete(table)).rowcount for table in reversed(Base.metadata.sorted_tables)
    )
    session.expunge_all()
    record_event(session, AuditAction.DELETE, "database", None, f"Deleted all data ({rows} rows)")


def load_demo(
    session: Session,
    *,
    actor: str,
    reset: bool = False,
    progress: ProgressCallback | None = None,
    today: date | None = None,
) -> DemoSummary:
    """Fill the database with the demo data; with ``reset``, delete everything first.

    Dates are placed around ``today`` (default: the real today), see ``demo_shift``.

    Raises SmartconfError when the database already holds data and ``reset`` is false; nothing
    is changed then. Does not commit: the caller's unit of work does.
    """
    content = read_demo()
    if has_data(session):
        if not reset:
            raise SmartconfError(
                "The database already holds data.",
                hint="Use `smartconf demo --reset` to replace it with the demo data.",
            )
        clear_all_data(session, actor=actor)
    act_as(session, actor)
    return _DemoLoader(session, actor, content, progress, today or date.today()).load()


def read_demo() -> dict[str, Json]:
    """The demo files, parsed and checked for their format version."""
    content = {}
    for name in DEMO_FILES:
        text = resources().joinpath("demo", f"{name}.json").read_text(encoding="utf-8")
        data = json.loads(text)
        if data.get("format_version") != FORMAT_VERSION:
            raise SmartconfError(
                f"The demo file {name}.json has format version {data.get('format_version')}; "
                f"this smartconf reads version {FORMAT_VERSION}."
            )
        content[name] = data
    return content


def _data_tables() -> list[Table]:
    return [t for t in Base.metadata.sorted_tables if t.name not in _NOT_DATA]


def demo_shift(content: dict[str, Json], today: date) -> timedelta:
    """How far the demo's dates move so that they sit around ``today``, in whole weeks.

    The first conference took place ten weeks before today (its outcomes are being followed
    up, some overdue), the second is a few weeks ahead (invitations out, the desk can be
    tried), the third later in the year. Weekdays and times of day stay as written.
    """
    first = min(date.fromisoformat(c["starts"][:10]) for c in content["conferences"]["conferences"])
    target = today - timedelta(weeks=FIRST_CONFERENCE_WEEKS_AGO)
    return timedelta(weeks=round((target - first).days / 7))


def _instant(text: str, shift: timedelta) -> datetime:
    """An ISO instant with its offset ("2026-04-22T15:00:00+02:00"), in UTC, moved."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        raise ValueError(f"demo data: instant without a UTC offset: {text}")
    return value.astimezone(UTC) + shift


def _day(text: str | None, shift: timedelta) -> date | None:
    return date.fromisoformat(text) + shift if text else None


class _DemoLoader:
    """Builds the object graph in memory, flushes it once, then checks the attendees in."""

    def __init__(
        self,
        session: Session,
        actor: str,
        content: dict[str, Json],
        progress: ProgressCallback | None,
        today: date,
    ) -> None:
        self.session = session
        self.actor = actor
        self.content = content
        self.progress = progress
        self.team: dict[str, TeamMember] = {}
        self.tags: dict[tuple[str, str], Tag] = {}
        self.orgs: dict[str, Organisation] = {}
        self.persons: dict[str, Person] = {}
        self.reports: dict[int, Report] = {}
        self.findings: dict[str, Finding] = {}
        self.conferences: list[_ConferenceBuild] = []
        self.shift = demo_shift(content, today)
        self.now = (datetime.now(UTC) if today == date.today()
                    else datetime.combine(today, time(12), UTC))

    def load(self) -> DemoSummary:
        steps: list[tuple[str, Callable[[], None]]] = [
            ("Team, sectors and tags", self._team_and_tags),
            ("Organisations", self._organisations),
            ("Persons", self._persons),
            ("Interactions", self._interactions),
            ("Reports", self._reports),
            ("Conferences", self._conferences),
            ("Saving", self.session.flush),
            ("Check-ins", self._check_ins),
        ]
        for done, (message, step) in enumerate(steps):
            self._tell(Progress(done, len(steps), message))
            step()
        self.session.flush()
        self._tell(Progress(len(steps), len(steps), "Demo data loaded"))
        return DemoSummary(
            organisations=len(self.orgs),
            persons=len(self.persons),
            reports=len(self.reports),
            conferences=len(self.conferences),
            participants=sum(len(c.participants) for c in self.conferences),
            outcomes=sum(c.outcomes for c in self.conferences),
        )

    def _tell(self, progress: Progress) -> None:
        if self.progress is not None:
            self.progress(progress)

    # -- CRM ------------------------------------------------------------------------------

    def _team_and_tags(self) -> None:
        data = self.content["team"]
        for row in data["team"]:
            member = TeamMember(
                username=row["username"], display_name=row["display_name"], email=row.get("email")
            )
            self.team[member.username] = member
        tags = [("sector", name) for name in data["sectors"]]
        tags += [("tag", name) for name in data["tags"]]
        for category, name in tags:
            self.tags[category, name] = Tag(category=category, name=name)
        self.session.add_all([*self.team.values(), *self.tags.values()])

    def _organisations(self) -> None:
        rows = self.content["organisations"]["organisations"]
        for row in rows:
            org = Organisation(
                name=row["name"],
                name_latin=row.get("name_latin"),
                acronym=row.get("acronym"),
                kind=OrganisationKind(row["kind"]),
                country=row["country"],
                website=row.get("website"),
                notes=row.get("notes"),
                tags=[self.tags["sector", s] for s in row.get("sectors", [])]
                + [self.tags["tag", t] for t in row.get("tags", [])],
            )
            self.orgs[row["key"]] = org
        for row in rows:
            if row.get("parent"):
                self.orgs[row["key"]].parent = self.orgs[row["parent"]]
        for org in self.orgs.values():
            refresh_search_text(org)
        self.session.add_all(self.orgs.values())

    def _persons(self) -> None:
        for row in self.content["persons"]["persons"]:
            person = self._person(row)
            self.persons[row["key"]] = person
            self.session.add_all(
                Consent(
                    person=person,
                    purpose=ConsentPurpose(c["purpose"]),
                    basis=LawfulBasis(c["basis"]),
                    given_at=_instant(c["given_at"], self.shift),
                    withdrawn_at=_instant(c["withdrawn_at"], self.shift)
                    if c.get("withdrawn_at")
                    else None,
                    source=c.get("source"),
                    text_version=c.get("text_version"),
                )
                for c in row.get("consents", [])
            )
            refresh_search_text(person)
        self.session.add_all(self.persons.values())

    def _person(self, row: Json) -> Person:
        return Person(
            given_name=row["given_name"],
            family_name=row["family_name"],
            given_name_latin=row.get("given_name_latin"),
            family_name_latin=row.get("family_name_latin"),
            honorific=row.get("honorific"),
            position=row.get("position"),
            preferred_language=Language(row["language"]),
            gender=Gender(row["gender"]),
            owner=self.team[row["owner"]] if row.get("owner") else None,
            notes=row.get("notes"),
            emails=[
                PersonEmail(
                    address=e["address"], label=e.get("label"), is_primary=e.get("primary", False)
                )
                for e in row["emails"]
            ],
            phones=[
                PersonPhone(
                    number=p["number"], label=p.get("label"), is_primary=p.get("primary", False)
                )
                for p in row["phones"]
            ],
            affiliations=[
                Affiliation(
                    organisation=self.orgs[a["organisation"]],
                    role=a.get("role"),
                    is_primary=a.get("primary", False),
                    started_on=_day(a.get("started_on"), self.shift),
                    ended_on=_day(a.get("ended_on"), self.shift),
                )
                for a in row.get("affiliations", [])
            ],
            assessments=[
                Assessment(
                    assessed_on=date.fromisoformat(a["on"]),
                    influence=a["influence"],
                    interest=a["interest"],
                    stance=Stance(a["stance"]),
                    engagement_now=Engagement(a["engagement_now"]),
                    engagement_desired=Engagement(a["engagement_desired"]),
                    note=a.get("note"),
                    assessed_by=a.get("by"),
                )
                for a in row.get("assessments", [])
            ],
            tags=[self.tags["tag", t] for t in row.get("tags", [])],
        )

    def _interactions(self) -> None:
        self.session.add_all(
            Interaction(
                kind=InteractionKind(row["kind"]),
                occurred_at=_instant(row["occurred_at"], self.shift),
                summary=row["summary"],
                follow_up_on=_day(row.get("follow_up_on"), self.shift),
                created_by=row.get("created_by"),
                persons=[self.persons[k] for k in row.get("persons", [])],
                organisations=[self.orgs[k] for k in row.get("organisations", [])],
            )
            for row in self.content["interactions"]["interactions"]
        )

    # -- Reports and conferences ------------------------------------------------------------

    def _reports(self) -> None:
        for row in self.content["reports"]["reports"]:
            report = Report(
                number=row["number"],
                title=row["title"],
                published_on=_day(row.get("published_on"), self.shift),
                url=row.get("url"),
                summary=row.get("summary"),
            )
            report.findings = [Finding(number=f["number"], text=f["text"]) for f in row["findings"]]
            by_number = {f.number: f for f in report.findings}
            report.recommendations = [
                Recommendation(
                    number=r["number"],
                    text=r["text"],
                    finding=by_number[r["finding"]] if r.get("finding") else None,
                )
                for r in row["recommendations"]
            ]
            for finding in report.findings:
                self.findings[f"R{report.number}-F{finding.number}"] = finding
            self.reports[report.number] = report
        self.session.add_all(self.reports.values())

    def _conferences(self) -> None:
        for row in self.content["conferences"]["conferences"]:
            build = _ConferenceBuild(self, row)
            build.create()
            self.conferences.append(build)

    def _check_ins(self) -> None:
        for build in self.conferences:
            build.check_in_attendees()


class _ConferenceBuild:
    """One conference of the demo: rooms, agenda, participants, badges, check-ins, outcomes."""

    def __init__(self, loader: _DemoLoader, row: Json) -> None:
        self.loader = loader
        self.row = row
        self.zone = ZoneInfo(row["timezone"])
        self.conference: Conference | None = None
        self.rooms: dict[str, Room] = {}
        self.sessions: dict[str, AgendaSession] = {}
        self.participants: dict[str, Participant] = {}
        self.outcomes = 0

    def local(self, text: str) -> datetime:
        """A wall-clock time of the conference ("2027-03-16T09:00"), in UTC."""
        value = datetime.fromisoformat(text)
        if value.tzinfo is not None:
            raise ValueError(f"demo data: conference times are wall-clock times: {text}")
        return (value + self.loader.shift).replace(tzinfo=self.zone).astimezone(UTC)

    def create(self) -> None:
        row, loader = self.row, self.loader
        self.rooms = {
            r["name"]: Room(name=r["name"], capacity=r.get("capacity")) for r in row["rooms"]
        }
        self.conference = Conference(
            code=row["code"],
            title=row["title"],
            description=row.get("description"),
            starts_at=self.local(row["starts"]),
            ends_at=self.local(row["ends"]),
            timezone=row["timezone"],
            venue=row["venue"],
            address=row.get("address"),
            capacity=row.get("capacity"),
            organiser_name=row["organiser_name"],
            organiser_email=row["organiser_email"],
            status=self._status(ConferenceStatus(row["status"])),
            calendar_uid=new_calendar_uid(),
            rooms=list(self.rooms.values()),
            reports=[loader.reports[n] for n in row.get("reports", [])],
        )
        for item in row["agenda"]:
            self.sessions[item["key"]] = self._agenda_session(item)
        self.conference.agenda_sessions = list(self.sessions.values())
        loader.session.add(self.conference)
        as_of = _instant(row["statuses_as_of"], loader.shift)
        for item in row["participants"]:
            self.participants[item["person"]] = self._participant(item, as_of)
        loader.session.add_all(self.participants.values())
        self._revoked_badges()
        self._outcomes()

    def _status(self, written: ConferenceStatus) -> ConferenceStatus:
        """Closed once over, running while on; otherwise as the demo data says."""
        starts, ends = self.local(self.row["starts"]), self.local(self.row["ends"])
        if ends <= self.loader.now:
            return ConferenceStatus.CLOSED
        if starts <= self.loader.now:
            return ConferenceStatus.RUNNING
        return ConferenceStatus.OPEN if written is ConferenceStatus.RUNNING else written

    def _agenda_session(self, item: Json) -> AgendaSession:
        people = []
        for role, field in (
            (AgendaRole.MODERATOR, "moderators"),
            (AgendaRole.SPEAKER, "speakers"),
            (AgendaRole.RAPPORTEUR, "rapporteurs"),
        ):
            people += [
                AgendaSessionPerson(person=self.loader.persons[key], role=role, position=i)
                for i, key in enumerate(item.get(field, []))
            ]
        return AgendaSession(
            kind=AgendaSessionKind(item["kind"]),
            title=item["title"],
            description=item.get("description"),
            room=self.rooms[item["room"]] if item.get("room") else None,
            starts_at=self.local(item["starts"]),
            ends_at=self.local(item["ends"]),
            calendar_uid=new_calendar_uid(),
            people=people,
            findings=[self.loader.findings[label] for label in item.get("findings", [])],
        )

    def _participant(self, item: Json, as_of: datetime) -> Participant:
        status = ParticipantStatus(item["status"])
        if status is ParticipantStatus.ATTENDED:
            if "check_in" not in item:
                raise ValueError(
                    f"demo data: {item['person']} attended {self.row['code']} without a check-in"
                )
            status = ParticipantStatus.ACCEPTED  # the desk makes it "attended"
        return Participant(
            conference=self.conference,
            person=self.loader.persons[item["person"]],
            role=ParticipantRole(item["role"]),
            status=status,
            status_changed_at=as_of,
            badge_code=new_badge_code() if status in ADMISSIBLE else None,
            badge_revision=0,
            desk_note=item.get("desk_note"),
            consent_override=item.get("consent_override"),
        )

    def _revoked_badges(self) -> None:
        for item in self.row.get("revoked_badges", []):
            participant = self.participants[item["person"]]
            if participant.badge_code is not None:  # reissued: the current code is new
                participant.badge_revision += 1
            self.loader.session.add(
                RevokedBadge(
                    code=new_badge_code(),
                    participant=participant,
                    revoked_at=_instant(item["revoked_at"], self.loader.shift),
                    reason=item["reason"],
                )
            )

    def _outcomes(self) -> None:
        loader = self.loader
        for item in self.row.get("outcomes", []):
            loader.session.add(
                Outcome(
                    agenda_session=self.sessions[item["session"]],
                    kind=OutcomeKind(item["kind"]),
                    text=item["text"],
                    committed_person=loader.persons[item["person"]] if item.get("person") else None,
                    committed_organisation=loader.orgs[item["organisation"]]
                    if item.get("organisation")
                    else None,
                    owner=loader.team[item["owner"]] if item.get("owner") else None,
                    due_on=_day(item.get("due_on"), loader.shift),
                    status=OutcomeStatus(item["status"]),
                    findings=[loader.findings[label] for label in item.get("findings", [])],
                )
            )
            self.outcomes += 1

    def check_in_attendees(self) -> None:
        """Admit every attendee through the desk operation, then at the rooms they went to."""
        scans = []
        for item in self.row["participants"]:
            spec = item.get("check_in")
            if spec is None:
                continue
            scans.append(
                (
                    spec["at"],
                    item["person"],
                    None,
                    spec.get("desk", "Desk 1"),
                    spec.get("method", "scan"),
                )
            )
            for visit in spec.get("sessions", []):
                session = self.sessions[visit["session"]]
                door = session.room.name if session.room else session.title
                scans.append((visit["at"], item["person"], visit["session"], door, "scan"))
        for at, person_key, session_key, desk, method in sorted(scans, key=_scan_order):
            self._admit(person_key, at, session_key, desk, CheckInMethod(method))

    def _admit(
        self, person_key: str, at: str, session_key: str | None, desk: str, method: CheckInMethod
    ) -> None:
        participant = self.participants[person_key]
        result = check_in(
            self.loader.session,
            self.conference,
            participant.badge_code,
            desk=desk,
            actor=self.loader.actor,
            method=method,
            at=self.local(at),
            agenda_session_id=self.sessions[session_key].id if session_key else None,
        )
        if result.verdict is not Verdict.ADMITTED:
            raise RuntimeError(f"demo check-in of {person_key} refused: {result.reason}")


def _scan_order(scan: tuple) -> tuple[str, bool, str]:
    """By time; at the same minute the conference desk before a room door."""
    at, person_key, session_key = scan[0], scan[1], scan[2]
    return at, session_key is not None, person_key
