"""Importing contacts (and conference participants) from a file.

The steps, as an import dialog drives them (the long ones are generators of ``Progress``
whose return value is the result; ``run_job`` drives one to the end)::

    table = read_table(path)                           # import_readers: preview table.rows
    mapping = suggest_mapping(table.headers)            # import_mapping: editable, saveable
    plan = run_job(plan_import(session, table, mapping, conference=None, cancel=...))
    plan.decide(row_number, Decision.UPDATE)            # any row, any allowed decision
    report = run_job(execute_plan(session, plan, actor=..., dry_run=False, cancel=...))

``plan_import`` validates every row (errors are collected as row/field/message, never raised)
and looks for duplicates: a person of the database with the same e-mail (certain), a person
with a similar name (rapidfuzz, see ``duplicates``) in the same organisation or where one side
has no organisation (likely), and the same within the file. Each row gets a decision:
no match -> create, a match -> skip (the duplicate is reported); for participants a certain
match -> link (the person as they are joins the conference). Rows with errors are skipped.

``execute_plan`` writes inside a SAVEPOINT of the caller's transaction: when a row fails at
write time, when ``dry_run`` is set, or when the job is cancelled, the savepoint is rolled back
and nothing of the import remains. The plan holds no ORM objects, so it may be made in one
session (thread) and executed in another.

``import_contacts`` / ``import_participants`` are plan + execute with the default decisions
and this policy: rows with errors are reported, and the valid rows are written only when no
row has an error, unless ``skip_invalid`` is given.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Generator
from contextlib import suppress
from dataclasses import dataclass, field, replace
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from smartconf.core.enums import (
    ADMISSIBLE,
    Gender,
    Language,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.core.errors import SmartconfError, ValidationError
from smartconf.core.progress import Progress, run_job
from smartconf.core.text import fold
from smartconf.models import (
    Conference,
    Participant,
    Person,
    PersonEmail,
)
from smartconf.models.base import utcnow
from smartconf.services.badges import FIRST_ISSUE, issue_badge
from smartconf.services.bulk_persons import NewPerson, insert_persons
from smartconf.services.contact_details import normalise_email, normalise_phone
from smartconf.services.duplicates import (
    CERTAIN,
    LIKELY,
    NameIndex,
    name_key,
    person_name_index,
)
from smartconf.services.import_mapping import (
    ColumnMapping,
    extract,
    guess_organisation_kind,
    parse_country,
    parse_gender,
    parse_language,
    parse_role,
    parse_status,
    split_full_name,
)
from smartconf.services.import_readers import SourceRow, SourceTable
from smartconf.services.organisations import (
    OrganisationInput,
    create_organisation,
    find_organisation,
    validate_organisation,
)
from smartconf.services.persons import (
    PersonInput,
    add_affiliation,
    get_person,
    person_input,
    update_person,
    validate_person,
)
from smartconf.store.session import act_as

Cancel = Callable[[], bool]
_EVERY = 250  # rows between two progress reports
_CHUNK = 500  # values in one IN (...)
_BATCH = 1000  # new persons per batch insert


class Decision(StrEnum):
    """What the import does with one row."""

    CREATE = "create"  # a new person
    UPDATE = "update"  # into the matched person: fill empty fields, add e-mails/phones/org
    LINK = "link"  # participants only: the matched person, unchanged, joins the conference
    SKIP = "skip"  # nothing


class ImportCancelled(SmartconfError):
    """The user cancelled the import; nothing was written."""

    def __init__(self) -> None:
        super().__init__("The import was cancelled; nothing was written.")


@dataclass(frozen=True)
class RowError:
    """A problem with one row: the row number as in the file, the field and the message."""

    row: int
    field: str
    message: str

    def as_json(self) -> dict:
        return {"row": self.row, "field": self.field, "message": self.message}

    def __str__(self) -> str:
        return f"row {self.row}" + (f", {self.field}" if self.field else "") + \
            f": {self.message}"


@dataclass(frozen=True)
class Match:
    """A person the row is probably the same as: in the database, or an earlier row."""

    confidence: str  # "certain" (same e-mail) or "likely" (similar name)
    reason: str  # "same e-mail arta@example.org", "similar name (94), same organisation"
    score: int  # 100 for an e-mail, else the name similarity
    person_id: int | None = None
    person_name: str = ""
    row: int | None = None  # an earlier row of the file

    @property
    def target(self) -> str:
        """"#12 Arta Gashi" or "the person of row 7", for people."""
        if self.person_id is not None:
            return f"#{self.person_id} {self.person_name}".strip()
        return f"the person of row {self.row}"


@dataclass
class PlannedRow:
    """One row of the file as the import understands it, with its decision."""

    row: int
    person: PersonInput | None  # validated; None when the row has errors
    organisation: str | None = None  # as written in the file
    organisation_id: int | None = None  # an existing organisation; None: created if named
    country: str | None = None
    role: ParticipantRole | None = None
    status: ParticipantStatus | None = None
    errors: list[RowError] = field(default_factory=list)
    match: Match | None = None
    allowed: tuple[Decision, ...] = (Decision.SKIP,)
    decision: Decision = Decision.SKIP

    @property
    def name(self) -> str:
        return f"{self.person.given_name} {self.person.family_name}" if self.person else ""

    def duplicate_json(self) -> dict:
        """The row's duplicate as the report lists it (only for rows with a match)."""
        match = self.match
        return {"row": self.row, "name": self.name, "confidence": match.confidence,
                "score": match.score, "reason": match.reason, "target": match.target,
                "person_id": match.person_id, "person_name": match.person_name or None,
                "duplicate_of_row": match.row, "decision": self.decision.value}


@dataclass
class ImportPlan:
    """Every row of a file with its decision; the dialog changes decisions with ``decide``."""

    source: str
    rows: list[PlannedRow]
    conference_id: int | None = None
    conference_code: str | None = None
    _by_number: dict[int, PlannedRow] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_number = {r.row: r for r in self.rows}

    def row(self, number: int) -> PlannedRow:
        """The planned row with this row number (as in the file)."""
        try:
            return self._by_number[number]
        except KeyError:
            raise ValidationError(f"no row {number} in {self.source}", field="row") from None

    def decide(self, number: int, decision: Decision | str) -> None:
        """Change one row's decision; refused when it cannot be carried out."""
        planned = self.row(number)
        chosen = Decision(decision)
        if chosen not in planned.allowed:
            allowed = ", ".join(d.value for d in planned.allowed)
            raise ValidationError(f"cannot {chosen.value} this row (allowed: {allowed})",
                                  field="decision", row=number)
        planned.decision = chosen

    @property
    def errors(self) -> list[RowError]:
        return [e for r in self.rows for e in r.errors]

    @property
    def duplicates(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.match is not None]

    def counts(self) -> Counter:
        """How many rows get each decision."""
        return Counter(r.decision for r in self.rows)


@dataclass
class ImportReport:
    """What an import did, or would do when nothing was written (dry run, rows held back by
    errors); after a write error the counts stop at the failing row. ``as_json`` is the
    CLI's --json. ``skipped`` counts every row not written, ``invalid`` those with errors."""

    source: str
    rows: int
    dry_run: bool
    written: bool
    not_written_because: str | None  # "dry_run", "invalid_rows", "write_error" or None
    created: int = 0
    updated: int = 0
    linked: int = 0
    skipped: int = 0
    invalid: int = 0
    errors: list[RowError] = field(default_factory=list)
    duplicates: list[dict] = field(default_factory=list)
    organisations_created: list[dict] = field(default_factory=list)
    conference: str | None = None
    participants_added: int = 0
    participants_updated: int = 0
    badges_issued: int = 0

    def as_json(self) -> dict:
        data = {"source": self.source, "rows": self.rows, "created": self.created,
                "updated": self.updated, "linked": self.linked, "skipped": self.skipped,
                "invalid": self.invalid, "errors": [e.as_json() for e in self.errors],
                "duplicates": self.duplicates,
                "organisations_created": self.organisations_created,
                "dry_run": self.dry_run, "written": self.written,
                "not_written_because": self.not_written_because}
        if self.conference is not None:
            data["participants"] = {"conference": self.conference,
                                    "added": self.participants_added,
                                    "updated": self.participants_updated,
                                    "badges_issued": self.badges_issued}
        return data


def _check(cancel: Cancel | None) -> None:
    if cancel is not None and cancel():
        raise ImportCancelled()


# -- planning ---------------------------------------------------------------------------------

def plan_import(session: Session, table: SourceTable, mapping: ColumnMapping, *,
                conference: Conference | None = None, cancel: Cancel | None = None
                ) -> Generator[Progress, None, ImportPlan]:
    """Validate every row and find duplicates; returns the plan (writes nothing)."""
    mapping.check()
    total = len(table.rows)
    interpreter = _RowReader(session, table.headers, mapping, participants=conference is not None)
    rows = []
    for done, source in enumerate(table.rows):
        if done % _EVERY == 0:
            _check(cancel)
            yield Progress(done, total, "Checking rows")
        rows.append(interpreter.read(source))
    yield Progress(total, total, "Looking for duplicates")
    _Matcher(session, participants=conference is not None).match(rows, cancel)
    return ImportPlan(table.name, rows, conference.id if conference else None,
                      conference.code if conference else None)


class _Cells:
    """One row's values by field, and the errors found reading them."""

    def __init__(self, values: dict[str, list[str]], row: int) -> None:
        self.values, self.row = values, row
        self.errors: list[RowError] = []

    def text(self, name: str) -> str:
        return " ".join(self.values.get(name, [""])[0].split())

    def parsed(self, parse, name: str, default=None):
        """The field read by ``parse`` (words in three languages), or ``default``."""
        if not self.text(name):
            return default
        try:
            return parse(self.text(name), row=self.row)
        except ValidationError as exc:
            self.errors.append(RowError(self.row, exc.field, exc.detail))
            return default

    def contacts(self, name: str, normalise) -> list[str]:
        """Every e-mail or phone normalised; each bad one is an error of its own."""
        found = []
        for value in self.values.get(name, []):
            try:
                found.append(normalise(value, self.row))
            except ValidationError as exc:
                self.errors.append(RowError(self.row, exc.field, exc.detail))
        return list(dict.fromkeys(found))

    def names(self) -> tuple[str, str]:
        given, family = self.text("given_name"), self.text("family_name")
        if (not given or not family) and self.text("full_name"):
            split_given, split_family = split_full_name(self.text("full_name"))
            given, family = given or split_given, family or split_family
        return given, family


class _RowReader:
    """Turns a source row into a validated PlannedRow (collecting every error it can)."""

    def __init__(self, session: Session, headers, mapping: ColumnMapping, *,
                 participants: bool) -> None:
        self.session, self.headers, self.mapping = session, headers, mapping
        self.participants = participants
        self._organisations: dict[str, tuple[int | None, RowError | None]] = {}

    def read(self, source: SourceRow) -> PlannedRow:
        cells = _Cells(extract(self.mapping, self.headers, source.cells), source.number)
        planned = PlannedRow(source.number, None, organisation=cells.text("organisation")
                             or None, country=cells.parsed(parse_country, "country"))
        if self.participants:
            planned.role = cells.parsed(parse_role, "role")
            planned.status = cells.parsed(parse_status, "status")
        person = self._person(cells)
        planned.organisation_id = self._organisation(planned, cells.errors)
        planned.errors = cells.errors
        planned.person = None if cells.errors else person
        return planned

    @staticmethod
    def _person(cells: _Cells) -> PersonInput | None:
        """The person through ``persons.validate_person``; e-mails and phones are checked
        here beforehand so that every bad one is reported, not only the first."""
        emails, phones = cells.contacts("email", _email), cells.contacts("phone", _phone)
        given, family = cells.names()
        data = PersonInput(given, family, honorific=cells.text("honorific") or None,
                           position=cells.text("position") or None,
                           preferred_language=cells.parsed(parse_language, "language",
                                                           Language.ENGLISH),
                           gender=cells.parsed(parse_gender, "gender", Gender.UNKNOWN),
                           notes=cells.values.get("notes", [None])[0],
                           tags=cells.values.get("tags", []))
        try:
            person = validate_person(data, row=cells.row)
        except ValidationError as exc:
            cells.errors.append(RowError(cells.row, exc.field, exc.detail))
            return None
        person.emails, person.phones = emails, phones
        return person

    def _organisation(self, planned: PlannedRow, errors: list[RowError]) -> int | None:
        if not planned.organisation:
            return None
        key = fold(planned.organisation)
        if key not in self._organisations:
            self._organisations[key] = self._resolve(planned)
        org_id, error = self._organisations[key]
        if error is not None:
            errors.append(replace(error, row=planned.row))
        return org_id

    def _resolve(self, planned: PlannedRow) -> tuple[int | None, RowError | None]:
        name = planned.organisation or ""
        found = find_organisation(self.session, name)
        if found is not None:
            return found.id, None
        try:
            validate_organisation(_new_organisation(name, planned.country))
        except ValidationError as exc:
            where = "country" if exc.field == "country" else "organisation"
            return None, RowError(planned.row, where, exc.detail)
        return None, None


def _email(value: str, row: int) -> str:
    return normalise_email(value, row=row)


def _phone(value: str, row: int) -> str:
    """E.164. Ten or more bare digits without a leading 0 are an international number whose
    "+" a spreadsheet dropped (38344123456); they are read as such when that is valid."""
    digits = value.strip()
    if digits.isdigit() and len(digits) >= 10 and not digits.startswith("0"):
        with suppress(ValidationError):
            return normalise_phone("+" + digits, row=row)
    return normalise_phone(value, row=row)


def _new_organisation(name: str, country: str | None) -> OrganisationInput:
    return OrganisationInput(name, guess_organisation_kind(name), country=country or "XK")


class _Matcher:
    """Finds each valid row's duplicate: database e-mail, file e-mail, database name, file
    name, in that order; and sets the allowed and default decisions of every row."""

    def __init__(self, session: Session, *, participants: bool) -> None:
        self.session, self.participants = session, participants

    def match(self, rows: list[PlannedRow], cancel: Cancel | None) -> None:
        valid = [r for r in rows if r.person is not None]
        owners = self._email_owners({e.lower() for r in valid for e in r.person.emails})
        index, orgs = person_name_index(self.session)
        file_emails: dict[str, int] = {}
        file_names = NameIndex()
        file_orgs: dict[int, str] = {}
        for done, row in enumerate(valid):
            if done % _EVERY == 0:
                _check(cancel)
            key = name_key(row.person.given_name, row.person.family_name)
            row.match = (self._email_match(row, owners) or _file_email(row, file_emails)
                         or self._name_match(row, key, index, orgs)
                         or _file_name(row, key, file_names, file_orgs))
            for email in row.person.emails:
                file_emails.setdefault(email.lower(), row.row)
            file_names.add(key, row.row)
            file_orgs[row.row] = fold(row.organisation or "")
        self._name_persons([r for r in valid if r.match and r.match.person_id])
        for row in rows:
            row.allowed = self._allowed(row)
            row.decision = self._default(row)

    def _email_owners(self, addresses: set[str]) -> dict[str, int]:
        owners: dict[str, int] = {}
        ordered = sorted(addresses)
        lowered = func.lower(PersonEmail.address)
        for start in range(0, len(ordered), _CHUNK):
            owners.update(self.session.execute(
                select(lowered, PersonEmail.person_id)
                .where(lowered.in_(ordered[start:start + _CHUNK]))).all())
        return owners

    @staticmethod
    def _email_match(row: PlannedRow, owners: dict[str, int]) -> Match | None:
        for email in row.person.emails:
            if email.lower() in owners:
                return Match(CERTAIN, f"same e-mail {email}", 100,
                             person_id=owners[email.lower()])
        return None

    @staticmethod
    def _name_match(row: PlannedRow, key: str, index: NameIndex,
                    orgs: dict[int, frozenset[int]]) -> Match | None:
        for person_id, score in index.similar(key):
            theirs = orgs.get(person_id, frozenset())
            if not row.organisation or not theirs:
                why = "no organisation to tell them apart"
            elif row.organisation_id in theirs:
                why = "same organisation"
            else:
                continue
            return Match(LIKELY, f"{_name_words(score)}, {why}", score, person_id=person_id)
        return None

    def _name_persons(self, rows: list[PlannedRow]) -> None:
        ids = sorted({r.match.person_id for r in rows})
        names: dict[int, str] = {}
        for start in range(0, len(ids), _CHUNK):
            names.update({i: f"{g} {f}" for i, g, f in self.session.execute(
                select(Person.id, Person.given_name, Person.family_name)
                .where(Person.id.in_(ids[start:start + _CHUNK])))})
        for row in rows:
            row.match = replace(row.match, person_name=names.get(row.match.person_id, ""))

    def _allowed(self, row: PlannedRow) -> tuple[Decision, ...]:
        match = row.match
        link = (Decision.LINK,) if self.participants else ()
        if row.person is None:
            return (Decision.SKIP,)
        if match is None:
            return (Decision.CREATE, Decision.SKIP)
        if match.person_id is None:  # an earlier row of the file
            return (Decision.SKIP,) if match.confidence == CERTAIN else \
                (Decision.CREATE, Decision.SKIP)
        if match.confidence == CERTAIN:  # the e-mail is taken: no second person with it
            return (*link, Decision.UPDATE, Decision.SKIP)
        return (*link, Decision.UPDATE, Decision.CREATE, Decision.SKIP)

    def _default(self, row: PlannedRow) -> Decision:
        if row.person is None:
            return Decision.SKIP
        if row.match is None:
            return Decision.CREATE
        if self.participants and row.match.confidence == CERTAIN and row.match.person_id:
            return Decision.LINK
        return Decision.SKIP


def _name_words(score: int) -> str:
    return "same name" if score == 100 else f"similar name ({score})"


def _file_email(row: PlannedRow, seen: dict[str, int]) -> Match | None:
    for email in row.person.emails:
        if email.lower() in seen:
            return Match(CERTAIN, f"same e-mail {email}", 100, row=seen[email.lower()])
    return None


def _file_name(row: PlannedRow, key: str, names: NameIndex,
               orgs: dict[int, str]) -> Match | None:
    mine = fold(row.organisation or "")
    for other_row, score in names.similar(key):
        theirs = orgs.get(other_row, "")
        if not mine or not theirs:
            why = "no organisation to tell them apart"
        elif mine == theirs:
            why = "same organisation"
        else:
            continue
        return Match(LIKELY, f"{_name_words(score)}, {why}", score, row=other_row)
    return None


# -- writing ----------------------------------------------------------------------------------

def execute_plan(session: Session, plan: ImportPlan, *, actor: str, dry_run: bool = False,
                 cancel: Cancel | None = None) -> Generator[Progress, None, ImportReport]:
    """Carry out the plan's decisions, all or nothing (see the module docstring)."""
    report = _new_report(plan, dry_run)
    act_as(session, actor)
    todo = [r for r in plan.rows if r.decision is not Decision.SKIP]
    writer = _Writer(session, plan, actor, report)
    failure: RowError | None = None
    savepoint = session.begin_nested()
    try:
        for done, row in enumerate(todo):
            if done % _EVERY == 0:
                _check(cancel)
                yield Progress(done, len(todo), "Writing")
            failure = writer.write_or_fail(row)
            if failure is not None:
                break
        else:
            failure = writer.write_or_fail(None)
        _check(cancel)
    except BaseException:
        savepoint.rollback()
        raise
    if failure is not None or dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
    yield Progress(len(todo), len(todo), "Done")
    return _finish(report, failure, dry_run)


def _new_report(plan: ImportPlan, dry_run: bool) -> ImportReport:
    counts = plan.counts()
    return ImportReport(
        plan.source, len(plan.rows), dry_run, written=False, not_written_because=None,
        skipped=counts[Decision.SKIP], invalid=sum(1 for r in plan.rows if r.errors),
        errors=plan.errors, duplicates=[r.duplicate_json() for r in plan.duplicates],
        conference=plan.conference_code)


def _finish(report: ImportReport, failure: RowError | None, dry_run: bool) -> ImportReport:
    if failure is not None:
        report.errors.append(failure)
        report.not_written_because = "write_error"
    elif dry_run:
        report.not_written_because = "dry_run"
    else:
        report.written = True
    return report


class _Writer:
    """Writes planned rows; counts into the report. New persons are created in batches
    (``bulk_persons``); updates go through ``persons.update_person``."""

    def __init__(self, session: Session, plan: ImportPlan, actor: str,
                 report: ImportReport) -> None:
        self.session, self.actor, self.report = session, actor, report
        self.conference_id = plan.conference_id
        self.new_organisations: dict[str, int] = {}
        self.pending: list[tuple[PlannedRow, int | None]] = []  # to create, with their org
        # The session tracks objects made inside a savepoint by weak reference only; one that
        # is dropped and loaded again would survive the savepoint's rollback as a stale
        # identity. Holding them until the savepoint ends keeps the rollback exact.
        self.made: list[object] = []

    def write_or_fail(self, row: PlannedRow | None) -> RowError | None:
        """Write ``row`` (None: the rows still pending); a refusal becomes a RowError, and
        the caller then writes nothing."""
        involved = [r.row for r, _ in self.pending] + ([row.row] if row else [])
        first = row.row if row is not None else (involved or [0])[0]
        try:
            if row is not None:
                self.write(row)
            if row is None or len(self.pending) >= _BATCH:
                self.create_pending()
            self.session.flush()
        except ValidationError as exc:
            return RowError(first, exc.field, exc.detail)
        except SmartconfError as exc:
            return RowError(first, "", exc.message)
        except IntegrityError as exc:
            where = f" (one of rows {min(involved)}-{max(involved)})" \
                if len(involved) > 1 else ""
            return RowError(min(involved, default=first), "",
                            f"the database refused the row{where}: "
                            f"{str(exc.orig).splitlines()[0]}")
        return None

    def write(self, row: PlannedRow) -> None:
        org_id = self._organisation(row)
        if row.decision is Decision.CREATE:
            self.pending.append((row, org_id))
            return
        person_id = row.match.person_id
        if row.decision is Decision.UPDATE:
            self._update(person_id, row.person, org_id)
            self.report.updated += 1
        else:
            self.report.linked += 1
        if self.conference_id is not None:
            self._participate(person_id, row)

    def create_pending(self) -> None:
        """Create the persons of the pending rows (and their participations)."""
        people = [NewPerson(row.person, org_id) for row, org_id in self.pending]
        ids = insert_persons(self.session, people, actor=self.actor)
        self.report.created += len(ids)
        if self.conference_id is not None:
            for (row, _), person_id in zip(self.pending, ids, strict=True):
                self._join(Participant(conference_id=self.conference_id,
                                       person_id=person_id), row)
        self.pending.clear()

    def _organisation(self, row: PlannedRow) -> int | None:
        if row.organisation_id is not None or not row.organisation:
            return row.organisation_id
        key = fold(row.organisation)
        if key not in self.new_organisations:
            data = _new_organisation(row.organisation, row.country)
            org = create_organisation(self.session, data, actor=self.actor)
            self.made.append(org)
            self.new_organisations[key] = org.id
            self.report.organisations_created.append(
                {"name": org.name, "kind": org.kind.value, "country": org.country,
                 "row": row.row})
        return self.new_organisations[key]

    def _update(self, person_id: int, new: PersonInput, org_id: int | None) -> None:
        person = get_person(self.session, person_id)
        self.made.append(person)
        update_person(self.session, person_id, merged_input(person_input(person), new),
                      actor=self.actor)
        current = [a for a in person.affiliations if a.ended_on is None]
        if org_id is not None and all(a.organisation_id != org_id for a in current):
            add_affiliation(self.session, person_id, org_id, actor=self.actor,
                            role=new.position, primary=not current)

    def _participate(self, person_id: int, row: PlannedRow) -> None:
        participant = self.session.scalar(select(Participant).where(
            Participant.conference_id == self.conference_id,
            Participant.person_id == person_id))
        if participant is None:
            self._join(Participant(conference_id=self.conference_id, person_id=person_id), row)
            return
        if _apply_participation(participant, row):
            self.report.participants_updated += 1
        self._badge(participant)

    def _join(self, participant: Participant, row: PlannedRow) -> None:
        participant.role = row.role or ParticipantRole.PARTICIPANT
        participant.status = row.status or ParticipantStatus.SHORTLISTED
        self.session.add(participant)
        self.made.append(participant)
        self.report.participants_added += 1
        self._badge(participant)

    def _badge(self, participant: Participant) -> None:
        if participant.status in ADMISSIBLE and participant.badge_code is None:
            issue_badge(self.session, participant, actor=self.actor, reason=FIRST_ISSUE)
            self.report.badges_issued += 1


def _apply_participation(participant: Participant, row: PlannedRow) -> bool:
    changed = False
    if row.role is not None and participant.role != row.role:
        participant.role, changed = row.role, True
    if row.status is not None and participant.status != row.status:
        participant.status, participant.status_changed_at = row.status, utcnow()
        changed = True
    return changed


def merged_input(old: PersonInput, new: PersonInput) -> PersonInput:
    """``old`` with its empty fields filled from ``new`` and new e-mails, phones and tags
    added; names, language and anything already filled stay as they are."""
    def fill(name: str):
        return getattr(old, name) or getattr(new, name)

    known_emails = {e.lower() for e in old.emails}
    return replace(
        old, given_name_latin=fill("given_name_latin"),
        family_name_latin=fill("family_name_latin"), honorific=fill("honorific"),
        position=fill("position"), notes=fill("notes"),
        gender=old.gender if old.gender is not Gender.UNKNOWN else new.gender,
        emails=[*old.emails, *(e for e in new.emails if e.lower() not in known_emails)],
        phones=[*old.phones, *(p for p in new.phones if p not in old.phones)],
        tags=sorted({*old.tags, *new.tags}))


# -- the whole import, with the CLI's policy --------------------------------------------------

def import_contacts(session: Session, table: SourceTable, mapping: ColumnMapping, *,
                    actor: str, dry_run: bool = False, skip_invalid: bool = False,
                    cancel: Cancel | None = None) -> Generator[Progress, None, ImportReport]:
    """Plan and execute with the default decisions (see the module docstring)."""
    plan = yield from plan_import(session, table, mapping, cancel=cancel)
    return (yield from _execute_by_policy(session, plan, actor, dry_run, skip_invalid, cancel))


def import_participants(session: Session, table: SourceTable, mapping: ColumnMapping,
                        conference: Conference, *, actor: str, dry_run: bool = False,
                        skip_invalid: bool = False, cancel: Cancel | None = None
                        ) -> Generator[Progress, None, ImportReport]:
    """Like import_contacts, then every written or linked person joins ``conference`` with
    the row's role and status (default participant, shortlisted); an existing participation
    is updated; admissible participants without a badge code get one."""
    plan = yield from plan_import(session, table, mapping, conference=conference,
                                  cancel=cancel)
    return (yield from _execute_by_policy(session, plan, actor, dry_run, skip_invalid, cancel))


def _execute_by_policy(session: Session, plan: ImportPlan, actor: str, dry_run: bool,
                       skip_invalid: bool, cancel: Cancel | None
                       ) -> Generator[Progress, None, ImportReport]:
    held_back = bool(plan.errors) and not skip_invalid
    report = yield from execute_plan(session, plan, actor=actor, dry_run=dry_run or held_back,
                                     cancel=cancel)
    report.dry_run = dry_run
    if held_back and report.not_written_because != "write_error":
        report.not_written_because = "dry_run" if dry_run else "invalid_rows"
    return report


__all__ = ["Decision", "ImportCancelled", "ImportPlan", "ImportReport", "Match",
           "PlannedRow", "RowError", "execute_plan", "import_contacts", "import_participants",
           "merged_input", "plan_import", "run_job"]
