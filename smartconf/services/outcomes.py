"""Reports, findings and recommendations; outcomes of sessions; follow-up and coverage.

- Reports hold numbered findings and recommendations (unique numbers per report, quotable as
  "R2-F3" / "R2-R1"). Findings can be imported from a CSV or XLSX file (columns ``number``,
  ``text``, optional ``recommendation``): every row is checked first and a file with any bad
  row writes nothing.
- An outcome belongs to one agenda session and answers findings. Status changes are plain
  updates, so the audit trail (store/audit.py) logs each one with the old and new value.
- ``follow_up`` lists the open and in-progress commitments and actions of every conference;
  ``coverage`` is the findings x sessions matrix and the per-report share of findings that led
  to a recommendation or a commitment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from smartconf.core.enums import AgendaSessionKind, OutcomeKind, OutcomeStatus
from smartconf.core.errors import NotFoundError, ValidationError
from smartconf.core.text import fold
from smartconf.models import (
    AgendaSession,
    Conference,
    Finding,
    Organisation,
    Outcome,
    Person,
    Recommendation,
    Report,
    TeamMember,
)
from smartconf.models.conference import agenda_session_finding, conference_report
from smartconf.models.outcome import outcome_finding
from smartconf.services.import_readers import SourceTable, read_bytes, read_table
from smartconf.services.invitations import validated_choice
from smartconf.store.session import act_as

OPEN_STATUSES = frozenset({OutcomeStatus.OPEN, OutcomeStatus.IN_PROGRESS})
FOLLOWED_KINDS = frozenset({OutcomeKind.COMMITMENT, OutcomeKind.ACTION})
ANSWERING_KINDS = frozenset({OutcomeKind.RECOMMENDATION, OutcomeKind.COMMITMENT})
TITLE_MAX = 500
SEARCH_RESULTS = 20


def _get(session: Session, model, ident: int, what: str):
    row = session.get(model, ident)
    if row is None:
        raise NotFoundError(f"There is no {what} with id {ident}.")
    return row


def _required_text(value: str | None, field_name: str, *, row: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError("is required", field=field_name, row=row)
    return text


def _number(value: Any, field_name: str, *, row: int | None = None) -> int:
    """A positive whole number, from an int or from text such as "3" or "3.0"."""
    text = str(value).strip() if value is not None else ""
    try:
        number = int(float(text)) if text and float(text).is_integer() else None
    except ValueError:
        number = None
    if number is None or number < 1:
        raise ValidationError(f"'{text}' is not a whole number of 1 or more", field=field_name,
                              row=row)
    return number


# --- reports ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportInput:
    """A report as a form gives it; ``number`` makes its findings quotable ("R2-F3")."""

    number: int
    title: str
    published_on: date | None = None
    url: str | None = None
    summary: str | None = None


def _report_values(session: Session, data: ReportInput, report_id: int | None) -> dict:
    number = _number(data.number, "number")
    clash = session.scalar(select(Report.id).where(Report.number == number,
                                                   Report.id != (report_id or -1)))
    if clash is not None:
        raise ValidationError(f"R{number} already exists", field="number")
    title = _required_text(data.title, "title")
    if len(title) > TITLE_MAX:
        raise ValidationError(f"is longer than {TITLE_MAX} characters", field="title")
    return {"number": number, "title": title, "published_on": data.published_on,
            "url": (data.url or "").strip() or None, "summary": (data.summary or "").strip()
            or None}


def create_report(session: Session, data: ReportInput, *, actor: str) -> Report:
    """A new report; its number must be free."""
    act_as(session, actor)
    report = Report(**_report_values(session, data, None))
    session.add(report)
    session.flush()
    return report


def update_report(session: Session, report_id: int, data: ReportInput, *, actor: str) -> Report:
    """Replace the report's fields with ``data``."""
    act_as(session, actor)
    report = _get(session, Report, report_id, "report")
    for name, value in _report_values(session, data, report_id).items():
        setattr(report, name, value)
    session.flush()
    return report


def delete_report(session: Session, report_id: int, *, actor: str) -> None:
    """Delete a report with its findings and recommendations (links to sessions and outcomes
    go with them)."""
    act_as(session, actor)
    session.delete(_get(session, Report, report_id, "report"))
    session.flush()


def _free_number(numbers: Iterable[int], wanted: int | None, field_name: str,
                 label: str) -> int:
    taken = set(numbers)
    if wanted is None:
        return max(taken, default=0) + 1
    number = _number(wanted, field_name)
    if number in taken:
        raise ValidationError(f"{label}{number} already exists in this report", field=field_name)
    return number


def add_finding(session: Session, report_id: int, text: str, *, number: int | None = None,
                actor: str) -> Finding:
    """A finding of the report; ``number`` defaults to the next free one."""
    act_as(session, actor)
    report = _get(session, Report, report_id, "report")
    chosen = _free_number((f.number for f in report.findings), number, "number", "F")
    finding = Finding(number=chosen, text=_required_text(text, "text"))
    report.findings.append(finding)
    session.flush()
    return finding


def update_finding(session: Session, finding_id: int, *, text: str | None = None,
                   number: int | None = None, actor: str) -> Finding:
    """Change a finding's text and/or number (numbers stay unique within the report)."""
    act_as(session, actor)
    finding = _get(session, Finding, finding_id, "finding")
    if number is not None and number != finding.number:
        others = (f.number for f in finding.report.findings if f.id != finding.id)
        finding.number = _free_number(others, number, "number", "F")
    if text is not None:
        finding.text = _required_text(text, "text")
    session.flush()
    return finding


def delete_finding(session: Session, finding_id: int, *, actor: str) -> None:
    """Delete a finding; sessions and outcomes no longer refer to it."""
    act_as(session, actor)
    finding = _get(session, Finding, finding_id, "finding")
    finding.report.findings.remove(finding)
    session.flush()


def add_recommendation(session: Session, report_id: int, text: str, *,
                       number: int | None = None, finding_id: int | None = None,
                       actor: str) -> Recommendation:
    """A recommendation of the report, optionally answering one of its findings."""
    act_as(session, actor)
    report = _get(session, Report, report_id, "report")
    chosen = _free_number((r.number for r in report.recommendations), number, "number", "R")
    recommendation = Recommendation(number=chosen, text=_required_text(text, "text"),
                                    finding=_own_finding(report, finding_id))
    report.recommendations.append(recommendation)
    session.flush()
    return recommendation


def update_recommendation(session: Session, recommendation_id: int, *, text: str | None = None,
                          number: int | None = None, finding_id: int | None = None,
                          actor: str) -> Recommendation:
    """Change a recommendation's text, number or the finding it answers."""
    act_as(session, actor)
    rec = _get(session, Recommendation, recommendation_id, "recommendation")
    if number is not None and number != rec.number:
        others = (r.number for r in rec.report.recommendations if r.id != rec.id)
        rec.number = _free_number(others, number, "number", "R")
    if text is not None:
        rec.text = _required_text(text, "text")
    if finding_id is not None:
        rec.finding = _own_finding(rec.report, finding_id)
    session.flush()
    return rec


def delete_recommendation(session: Session, recommendation_id: int, *, actor: str) -> None:
    act_as(session, actor)
    rec = _get(session, Recommendation, recommendation_id, "recommendation")
    rec.report.recommendations.remove(rec)
    session.flush()


def _own_finding(report: Report, finding_id: int | None) -> Finding | None:
    if finding_id is None:
        return None
    for finding in report.findings:
        if finding.id == finding_id:
            return finding
    raise ValidationError(f"R{report.number} has no finding with id {finding_id}",
                          field="finding_id")


def link_findings(session: Session, agenda_session_id: int, finding_ids: Iterable[int], *,
                  actor: str) -> AgendaSession:
    """Set the findings that ``agenda_session_id`` presents (in the given order)."""
    act_as(session, actor)
    agenda_session = _get(session, AgendaSession, agenda_session_id, "agenda session")
    agenda_session.findings = _findings(session, finding_ids)
    session.flush()
    return agenda_session


def _findings(session: Session, finding_ids: Iterable[int]) -> list[Finding]:
    wanted = list(dict.fromkeys(finding_ids))
    found = {f.id: f for f in session.scalars(select(Finding).where(Finding.id.in_(wanted)))} \
        if wanted else {}
    for finding_id in wanted:
        if finding_id not in found:
            raise ValidationError(f"there is no finding with id {finding_id}",
                                  field="finding_ids")
    return [found[i] for i in wanted]


# --- findings import -------------------------------------------------------------------------

IMPORT_COLUMNS = ("number", "text", "recommendation")


@dataclass(frozen=True, slots=True)
class ImportProblem:
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}, field '{self.field}': {self.message}"


@dataclass(frozen=True)
class FindingsImport:
    """What an import did (or, on a dry run or with errors, would do): nothing is written
    when ``errors`` is not empty."""

    report_label: str
    created: int = 0
    updated: int = 0
    recommendations: int = 0
    errors: tuple[ImportProblem, ...] = ()
    written: bool = False


@dataclass(frozen=True, slots=True)
class _FindingLine:
    row: int
    number: int
    text: str
    recommendation: str


def import_findings(session: Session, report_id: int, source: Path | str | bytes, *,
                    actor: str, dry_run: bool = False, name: str = "findings") -> FindingsImport:
    """Findings of a report from a CSV or XLSX file (``source``: a path or the file's bytes).

    A row whose number the report has already updates that finding's text; a non-empty
    ``recommendation`` adds a recommendation answering the finding (unless the same text is
    there already). All or nothing: any bad row and nothing is written.
    """
    report = _get(session, Report, report_id, "report")
    table = read_bytes(source, name=name) if isinstance(source, bytes) else read_table(source)
    lines, errors = _finding_lines(table)
    result = FindingsImport(report.label, errors=tuple(errors))
    if errors:
        return result
    existing = {f.number: f for f in report.findings}
    planned = FindingsImport(
        report.label, created=sum(1 for ln in lines if ln.number not in existing),
        updated=sum(1 for ln in lines if ln.number in existing
                    and existing[ln.number].text != ln.text),
        recommendations=sum(1 for ln in lines if _new_recommendation(report, ln)))
    if dry_run:
        return planned
    _write_findings(session, report, lines, actor)
    return FindingsImport(planned.report_label, planned.created, planned.updated,
                          planned.recommendations, written=True)


def _finding_lines(table: SourceTable) -> tuple[list[_FindingLine], list[ImportProblem]]:
    columns = {h.strip().casefold(): i for i, h in enumerate(table.headers)}
    missing = [c for c in IMPORT_COLUMNS[:2] if c not in columns]
    if missing:
        return [], [ImportProblem(1, c, "the column is missing") for c in missing]
    lines, errors, seen = [], [], {}
    for source_row in table.rows:
        def cell(column: str, row=source_row) -> str:
            index = columns.get(column)
            return row.cells[index].strip() if index is not None and index < len(row.cells) \
                else ""
        try:
            number = _number(cell("number"), "number", row=source_row.number)
            text = _required_text(cell("text"), "text", row=source_row.number)
        except ValidationError as exc:
            errors.append(ImportProblem(source_row.number, exc.field, exc.detail))
            continue
        if number in seen:
            errors.append(ImportProblem(source_row.number, "number",
                                        f"F{number} is already on row {seen[number]}"))
            continue
        seen[number] = source_row.number
        lines.append(_FindingLine(source_row.number, number, text, cell("recommendation")))
    return lines, errors


def _new_recommendation(report: Report, line: _FindingLine) -> bool:
    return bool(line.recommendation) and all(r.text != line.recommendation
                                             for r in report.recommendations)


def _write_findings(session: Session, report: Report, lines: Sequence[_FindingLine],
                    actor: str) -> None:
    act_as(session, actor)
    existing = {f.number: f for f in report.findings}
    next_rec = max((r.number for r in report.recommendations), default=0)
    for line in lines:
        finding = existing.get(line.number)
        if finding is None:
            finding = Finding(number=line.number, text=line.text)
            report.findings.append(finding)
        elif finding.text != line.text:
            finding.text = line.text
        if _new_recommendation(report, line):
            next_rec += 1
            report.recommendations.append(Recommendation(number=next_rec,
                                                         text=line.recommendation,
                                                         finding=finding))
    session.flush()


# --- outcomes --------------------------------------------------------------------------------

_OUTCOME_FIELDS = ("agenda_session_id", "kind", "text", "committed_person_id",
                   "committed_organisation_id", "owner_username", "due_on", "status",
                   "finding_ids")


def _owner(session: Session, username: str | None) -> TeamMember | None:
    if not username:
        return None
    member = session.scalar(select(TeamMember).where(TeamMember.username == username))
    if member is None:
        raise ValidationError(f"there is no team member '{username}'", field="owner_username")
    return member


def _check_reference(session: Session, model, ident: int | None, field_name: str) -> int | None:
    if ident is not None and session.get(model, ident) is None:
        raise ValidationError(f"there is no {model.__tablename__} with id {ident}",
                              field=field_name)
    return ident


def _outcome_values(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    due = values["due_on"]
    if due is not None and not isinstance(due, date):
        raise ValidationError(f"must be a date, not {due!r}", field="due_on")
    _get(session, AgendaSession, values["agenda_session_id"], "agenda session")
    return {
        "agenda_session_id": values["agenda_session_id"],
        "kind": validated_choice(OutcomeKind, values["kind"], "kind"),
        "text": _required_text(values["text"], "text"),
        "committed_person_id": _check_reference(session, Person, values["committed_person_id"],
                                                "committed_person_id"),
        "committed_organisation_id": _check_reference(
            session, Organisation, values["committed_organisation_id"],
            "committed_organisation_id"),
        "owner": _owner(session, values["owner_username"]),
        "due_on": due,
        "status": validated_choice(OutcomeStatus, values["status"], "status"),
        "findings": _findings(session, values["finding_ids"]),
    }


def record_outcome(session: Session, agenda_session_id: int, *, kind: OutcomeKind, text: str,
                   committed_person_id: int | None = None,
                   committed_organisation_id: int | None = None,
                   owner_username: str | None = None, due_on: date | None = None,
                   status: OutcomeStatus = OutcomeStatus.OPEN,
                   finding_ids: Iterable[int] = (), actor: str) -> Outcome:
    """A new outcome of an agenda session, answering ``finding_ids``."""
    act_as(session, actor)
    values = _outcome_values(session, {
        "agenda_session_id": agenda_session_id, "kind": kind, "text": text,
        "committed_person_id": committed_person_id,
        "committed_organisation_id": committed_organisation_id,
        "owner_username": owner_username, "due_on": due_on, "status": status,
        "finding_ids": tuple(finding_ids)})
    outcome = Outcome(**values)
    session.add(outcome)
    session.flush()
    return outcome


def update_outcome(session: Session, outcome_id: int, *, actor: str, **changes: Any) -> Outcome:
    """Change the fields named in ``changes`` (those of ``record_outcome``)."""
    act_as(session, actor)
    outcome = _get(session, Outcome, outcome_id, "outcome")
    for name in changes:
        if name not in _OUTCOME_FIELDS:
            raise ValidationError("is not a field of an outcome", field=name)
    current = {
        "agenda_session_id": outcome.agenda_session_id, "kind": outcome.kind,
        "text": outcome.text, "committed_person_id": outcome.committed_person_id,
        "committed_organisation_id": outcome.committed_organisation_id,
        "owner_username": outcome.owner.username if outcome.owner else None,
        "due_on": outcome.due_on, "status": outcome.status,
        "finding_ids": tuple(f.id for f in outcome.findings)}
    for name, value in _outcome_values(session, {**current, **changes}).items():
        if name == "findings" and [f.id for f in value] == [f.id for f in outcome.findings]:
            continue
        setattr(outcome, name, value)
    session.flush()
    return outcome


def set_outcome_status(session: Session, outcome_id: int, status: OutcomeStatus, *,
                       actor: str) -> Outcome:
    """Move an outcome to ``status`` (the audit trail records old and new status)."""
    return update_outcome(session, outcome_id, status=status, actor=actor)


def delete_outcome(session: Session, outcome_id: int, *, actor: str) -> None:
    act_as(session, actor)
    session.delete(_get(session, Outcome, outcome_id, "outcome"))
    session.flush()


# --- outcome lists ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FollowUpRow:
    """An outcome as the follow-up tracker and the session's table list it."""

    id: int
    conference_code: str
    session_id: int
    session_title: str
    kind: OutcomeKind
    text: str
    committed_by: str  # "Name (Organisation)", a name or an organisation
    committed_organisation_id: int | None
    owner_username: str
    owner: str  # display name
    due_on: date | None
    status: OutcomeStatus
    overdue: bool
    findings: tuple[str, ...]  # labels, "R1-F3"


def committed_by(person: str, organisation: str) -> str:
    """"Name (Organisation)", or whichever of the two is known."""
    if person and organisation:
        return f"{person} ({organisation})"
    return person or organisation


def is_overdue(due: date | None, status: OutcomeStatus, today: date) -> bool:
    """Still open or in progress after its due date."""
    return due is not None and due < today and status in OPEN_STATUSES


def _outcome_select() -> Select:
    org = aliased(Organisation)
    return (select(Outcome.id, Conference.code, AgendaSession.id, AgendaSession.title,
                   Outcome.kind, Outcome.text, Person.given_name, Person.family_name,
                   org.name, Outcome.committed_organisation_id, TeamMember.username,
                   TeamMember.display_name, Outcome.due_on, Outcome.status)
            .join(AgendaSession, AgendaSession.id == Outcome.agenda_session_id)
            .join(Conference, Conference.id == AgendaSession.conference_id)
            .outerjoin(Person, Person.id == Outcome.committed_person_id)
            .outerjoin(org, org.id == Outcome.committed_organisation_id)
            .outerjoin(TeamMember, TeamMember.id == Outcome.owner_id))


def _outcome_rows(session: Session, stmt: Select, today: date) -> list[FollowUpRow]:
    found = session.execute(stmt).all()
    labels = _finding_labels(session, [r[0] for r in found])
    return [FollowUpRow(oid, code, sid, title, kind, text,
                        committed_by(f"{given or ''} {family or ''}".strip(), org or ""), org_id,
                        username or "", owner or "", due, status,
                        is_overdue(due, status, today), labels.get(oid, ()))
            for (oid, code, sid, title, kind, text, given, family, org, org_id, username,
                 owner, due, status) in found]


def _finding_labels(session: Session, outcome_ids: list[int]) -> dict[int, tuple[str, ...]]:
    if not outcome_ids:
        return {}
    labels: dict[int, list[str]] = defaultdict(list)
    for outcome_id, report, number in session.execute(
            select(outcome_finding.c.outcome_id, Report.number, Finding.number)
            .join(Finding, Finding.id == outcome_finding.c.finding_id)
            .join(Report, Report.id == Finding.report_id)
            .where(outcome_finding.c.outcome_id.in_(outcome_ids))
            .order_by(Report.number, Finding.number)):
        labels[outcome_id].append(f"R{report}-F{number}")
    return {k: tuple(v) for k, v in labels.items()}


def _today(today: date | None) -> date:
    return today or datetime.now(UTC).date()


def session_outcomes(session: Session, agenda_session_id: int, *,
                     today: date | None = None) -> list[FollowUpRow]:
    """Every outcome of one agenda session, in the order they were recorded."""
    stmt = _outcome_select().where(Outcome.agenda_session_id == agenda_session_id) \
        .order_by(Outcome.id)
    return _outcome_rows(session, stmt, _today(today))


def follow_up(session: Session, *, owner: str | None = None, organisation_id: int | None = None,
              overdue_only: bool = False, due_by: date | None = None,
              today: date | None = None) -> list[FollowUpRow]:
    """Open and in-progress commitments and actions across the conferences, soonest due
    first (no due date last). Filters: the owner's username, the committed organisation,
    only overdue ones, due on or before ``due_by``."""
    today = _today(today)
    stmt = _outcome_select().where(Outcome.kind.in_(FOLLOWED_KINDS),
                                   Outcome.status.in_(OPEN_STATUSES))
    if owner:
        stmt = stmt.where(TeamMember.username == owner)
    if organisation_id is not None:
        stmt = stmt.where(Outcome.committed_organisation_id == organisation_id)
    if overdue_only:
        stmt = stmt.where(Outcome.due_on < today)
    if due_by is not None:
        stmt = stmt.where(Outcome.due_on <= due_by)
    stmt = stmt.order_by(Outcome.due_on.is_(None), Outcome.due_on, Conference.starts_at,
                         AgendaSession.starts_at, Outcome.id)
    return _outcome_rows(session, stmt, today)


# --- choices for the recording form ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Option:
    """A value a form offers, with its text."""

    value: Any
    text: str


@dataclass(frozen=True, slots=True)
class FindingOption:
    id: int
    label: str  # "R1-F3"
    text: str
    presented: bool  # in the chosen session


def agenda_session_options(session: Session, conference_id: int) -> list[Option]:
    """The conference's sessions (breaks left out), in time order: id and title."""
    rows = session.execute(select(AgendaSession.id, AgendaSession.title)
                           .where(AgendaSession.conference_id == conference_id,
                                  AgendaSession.kind != AgendaSessionKind.BREAK)
                           .order_by(AgendaSession.starts_at, AgendaSession.id)).all()
    return [Option(sid, title) for sid, title in rows]


def owner_options(session: Session) -> list[Option]:
    """The active team members: username and display name."""
    rows = session.execute(select(TeamMember.username, TeamMember.display_name)
                           .where(TeamMember.is_active.is_(True))
                           .order_by(TeamMember.display_name)).all()
    return [Option(username, name) for username, name in rows]


def finding_options(session: Session, agenda_session_id: int | None) -> list[FindingOption]:
    """Every finding: those the session presents first, then the others, by label."""
    presented = set(session.scalars(select(agenda_session_finding.c.finding_id).where(
        agenda_session_finding.c.agenda_session_id == agenda_session_id))) \
        if agenda_session_id is not None else set()
    rows = session.execute(select(Finding.id, Report.number, Finding.number, Finding.text)
                           .join(Report, Report.id == Finding.report_id)
                           .order_by(Report.number, Finding.number)).all()
    options = [FindingOption(fid, f"R{r}-F{n}", text, fid in presented)
               for fid, r, n, text in rows]
    return sorted(options, key=lambda o: not o.presented)


def find_organisations(session: Session, text: str, *,
                       limit: int = SEARCH_RESULTS) -> list[Option]:
    """Organisations whose name, Latin name or acronym contains every typed word (folded:
    "ministria" finds "Ministria", "mup" finds "МУП"): id and "Name (ACRONYM)"."""
    words = fold(text).split()
    if not words:
        return []
    stmt = select(Organisation.id, Organisation.name, Organisation.acronym)
    for word in words:
        stmt = stmt.where(Organisation.search_text.contains(word, autoescape=True))
    rows = session.execute(stmt.order_by(Organisation.name).limit(limit)).all()
    return [Option(oid, f"{name} ({acronym})" if acronym else name)
            for oid, name, acronym in rows]


# --- coverage --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CoverageSession:
    id: int
    conference_code: str
    title: str


@dataclass(frozen=True, slots=True)
class CoverageFinding:
    id: int
    label: str
    text: str
    report_number: int


@dataclass(frozen=True, slots=True)
class CoverageCell:
    """A finding in a session: presented there; discussed (presented in a session that has
    outcomes); and how many of the session's outcomes answer it."""

    presented: bool = False
    discussed: bool = False
    outcomes: int = 0


@dataclass(frozen=True, slots=True)
class ReportShare:
    """Of a report's findings, how many led to a recommendation or commitment outcome."""

    report_number: int
    title: str
    findings: int
    answered: int

    @property
    def share(self) -> float:
        return self.answered / self.findings if self.findings else 0.0


@dataclass(frozen=True)
class Coverage:
    sessions: tuple[CoverageSession, ...]
    findings: tuple[CoverageFinding, ...]
    cells: dict[tuple[int, int], CoverageCell] = field(default_factory=dict)  # (finding, session)
    reports: tuple[ReportShare, ...] = ()

    def cell(self, finding_id: int, session_id: int) -> CoverageCell:
        return self.cells.get((finding_id, session_id), CoverageCell())


def coverage(session: Session, conference_id: int | None = None) -> Coverage:
    """The findings x sessions matrix of one conference (or all of them) and per report the
    share of its findings answered by a recommendation or commitment outcome there.

    Rows: the findings of the conference's linked reports and any finding presented or
    answered in its sessions. Columns: the sessions that present a finding or have outcomes
    answering one.
    """
    scope = [] if conference_id is None else [AgendaSession.conference_id == conference_id]
    presented = {tuple(row) for row in session.execute(
        select(agenda_session_finding.c.finding_id, agenda_session_finding.c.agenda_session_id)
        .join(AgendaSession, AgendaSession.id == agenda_session_finding.c.agenda_session_id)
        .where(*scope))}
    answers = session.execute(
        select(outcome_finding.c.finding_id, Outcome.agenda_session_id, Outcome.kind)
        .join(Outcome, Outcome.id == outcome_finding.c.outcome_id)
        .join(AgendaSession, AgendaSession.id == Outcome.agenda_session_id)
        .where(*scope)).all()
    with_outcomes = set(session.scalars(
        select(Outcome.agenda_session_id).join(AgendaSession).where(*scope).distinct()))
    answered: dict[tuple[int, int], int] = defaultdict(int)
    for finding_id, session_id, _kind in answers:
        answered[finding_id, session_id] += 1
    cells = {key: CoverageCell(key in presented, key in presented and key[1] in with_outcomes,
                               answered.get(key, 0))
             for key in presented | answered.keys()}
    session_ids = {s for _, s in cells}
    finding_ids = {f for f, _ in cells} | _linked_findings(session, conference_id)
    findings = _coverage_findings(session, finding_ids)
    useful = {f for f, _s, kind in answers if kind in ANSWERING_KINDS}
    return Coverage(_coverage_sessions(session, session_ids), findings, cells,
                    _shares(session, findings, useful))


def _linked_findings(session: Session, conference_id: int | None) -> set[int]:
    stmt = select(Finding.id)
    if conference_id is not None:
        stmt = stmt.join(conference_report, conference_report.c.report_id == Finding.report_id) \
            .where(conference_report.c.conference_id == conference_id)
    return set(session.scalars(stmt))


def _coverage_findings(session: Session, ids: set[int]) -> tuple[CoverageFinding, ...]:
    if not ids:
        return ()
    rows = session.execute(select(Finding.id, Report.number, Finding.number, Finding.text)
                           .join(Report, Report.id == Finding.report_id)
                           .where(Finding.id.in_(ids))
                           .order_by(Report.number, Finding.number)).all()
    return tuple(CoverageFinding(fid, f"R{r}-F{n}", text, r) for fid, r, n, text in rows)


def _coverage_sessions(session: Session, ids: set[int]) -> tuple[CoverageSession, ...]:
    if not ids:
        return ()
    rows = session.execute(select(AgendaSession.id, Conference.code, AgendaSession.title)
                           .join(Conference, Conference.id == AgendaSession.conference_id)
                           .where(AgendaSession.id.in_(ids))
                           .order_by(Conference.starts_at, AgendaSession.starts_at,
                                     AgendaSession.id)).all()
    return tuple(CoverageSession(*row) for row in rows)


def _shares(session: Session, findings: Sequence[CoverageFinding],
            answered: set[int]) -> tuple[ReportShare, ...]:
    by_report: dict[int, list[int]] = defaultdict(list)
    for finding in findings:
        by_report[finding.report_number].append(finding.id)
    titles = {number: title for number, title in session.execute(
        select(Report.number, Report.title).where(Report.number.in_(list(by_report))))}
    return tuple(ReportShare(number, titles.get(number, ""), len(ids),
                             sum(1 for i in ids if i in answered))
                 for number, ids in sorted(by_report.items()))


def count_open_outcomes(session: Session, *, today: date | None = None) -> tuple[int, int]:
    """(open, overdue) commitments and actions across the conferences, for the dashboard."""
    rows = follow_up(session, today=today)
    return len(rows), sum(1 for r in rows if r.overdue)

