"""The outcome report of a conference: what each session presented and produced, and the
commitments to follow up, as PDF or DOCX (exports.outcome_report, exports.outcome_docx).

Sessions are the agenda's, breaks left out, by time then room. A session's outcomes are
grouped by the findings they answer, in finding order; an outcome answering two findings
is listed under both; outcomes answering none come last under "Other outcomes". The
commitments table lists every outcome of kind commitment or action (they have an owner and
a due date to follow up), by due date (undated last), then session time.

The report names speakers and persons who committed: it is audited as an export of
personal data.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from smartconf.core.enums import AgendaRole, AgendaSessionKind, AuditAction, OutcomeKind
from smartconf.core.errors import ValidationError
from smartconf.models import (
    AgendaSession,
    AgendaSessionPerson,
    Conference,
    Outcome,
    Person,
)
from smartconf.models.base import utcnow
from smartconf.services.planning import _finding_order, _names
from smartconf.store.audit import record_event
from smartconf.store.session import act_as

if TYPE_CHECKING:
    from smartconf.exports.outcome_report import (
        Commitment,
        FindingRef,
        OutcomeGroup,
        OutcomeLine,
        OutcomeReportDocument,
        ReportSession,
    )

FORMATS = ("pdf", "docx")
FOLLOWED_UP = frozenset({OutcomeKind.COMMITMENT, OutcomeKind.ACTION})
_NO_DATE = date.max


def _finding_ref(finding) -> FindingRef:
    from smartconf.exports.outcome_report import FindingRef

    return FindingRef(finding.label, finding.text)


def _committed_by(outcome: Outcome) -> str:
    person = outcome.committed_person.full_name if outcome.committed_person else ""
    organisation = (outcome.committed_organisation.name if outcome.committed_organisation
                    else "")
    if person and organisation:
        return f"{person} ({organisation})"
    return person or organisation


def _line(outcome: Outcome) -> OutcomeLine:
    from smartconf.exports.outcome_report import OutcomeLine

    return OutcomeLine(kind=outcome.kind, text=outcome.text, committed_by=_committed_by(outcome),
                       owner=outcome.owner.display_name if outcome.owner else "",
                       due_on=outcome.due_on, status=outcome.status)


def _groups(outcomes: list[Outcome]) -> tuple[OutcomeGroup, ...]:
    from smartconf.exports.outcome_report import OutcomeGroup

    by_label: dict[str, tuple] = {}
    other = []
    for outcome in outcomes:
        if not outcome.findings:
            other.append(outcome)
        for finding in outcome.findings:
            by_label.setdefault(finding.label, (finding, []))[1].append(outcome)
    groups = [OutcomeGroup(_finding_ref(finding), tuple(_line(o) for o in items))
              for _label, (finding, items) in sorted(by_label.items(),
                                                     key=lambda kv: _finding_order(kv[0]))]
    if other:
        groups.append(OutcomeGroup(None, tuple(_line(o) for o in other)))
    return tuple(groups)


def _report_session(agenda_session: AgendaSession, outcomes: list[Outcome],
                    zone: ZoneInfo) -> ReportSession:
    from smartconf.exports.outcome_report import ReportSession

    s = agenda_session
    findings = sorted(s.findings, key=lambda f: _finding_order(f.label))
    return ReportSession(
        starts_at=s.starts_at.astimezone(zone), ends_at=s.ends_at.astimezone(zone),
        room=s.room.name if s.room else "", title=s.title,
        moderators=_names(s, AgendaRole.MODERATOR), speakers=_names(s, AgendaRole.SPEAKER),
        rapporteurs=_names(s, AgendaRole.RAPPORTEUR),
        findings=tuple(_finding_ref(f) for f in findings), groups=_groups(outcomes))


def _sessions(session: Session, conference: Conference) -> list[AgendaSession]:
    found = session.scalars(
        select(AgendaSession).where(AgendaSession.conference_id == conference.id,
                                    AgendaSession.kind != AgendaSessionKind.BREAK)
        .options(selectinload(AgendaSession.room), selectinload(AgendaSession.findings),
                 selectinload(AgendaSession.people).selectinload(AgendaSessionPerson.person)
                 .selectinload(Person.affiliations))).all()
    return sorted(found, key=lambda s: (s.starts_at, s.room.name if s.room else "", s.id))


def _outcomes(session: Session, conference: Conference) -> dict[int, list[Outcome]]:
    """agenda session id -> its outcomes, in the order they were recorded."""
    outcomes = session.scalars(
        select(Outcome).join(AgendaSession)
        .where(AgendaSession.conference_id == conference.id)
        .options(selectinload(Outcome.findings), selectinload(Outcome.committed_person),
                 selectinload(Outcome.committed_organisation), selectinload(Outcome.owner))
        .order_by(Outcome.id)).all()
    by_session: dict[int, list[Outcome]] = {}
    for outcome in outcomes:
        by_session.setdefault(outcome.agenda_session_id, []).append(outcome)
    return by_session


def _commitments(sessions: list[AgendaSession],
                 outcomes: dict[int, list[Outcome]]) -> tuple[Commitment, ...]:
    from smartconf.exports.outcome_report import Commitment

    chosen = [(o.due_on or _NO_DATE, s.starts_at, o.id, Commitment(s.title, _line(o)))
              for s in sessions for o in outcomes.get(s.id, []) if o.kind in FOLLOWED_UP]
    return tuple(item for *_key, item in sorted(chosen, key=lambda c: c[:3]))


def outcome_report_document(session: Session, conference: Conference, *,
                            generated_at: datetime | None = None) -> OutcomeReportDocument:
    """What the outcome report of ``conference`` shows (see the module doc)."""
    from smartconf.exports.outcome_report import OutcomeReportDocument

    zone = ZoneInfo(conference.timezone)
    sessions = _sessions(session, conference)
    outcomes = _outcomes(session, conference)
    reports = tuple(f"{r.label} — {r.title}" for r in
                    sorted(conference.reports, key=lambda r: r.number))
    return OutcomeReportDocument(
        code=conference.code, title=conference.title,
        starts_at=conference.starts_at.astimezone(zone),
        ends_at=conference.ends_at.astimezone(zone), timezone=conference.timezone,
        venue=conference.venue, address=conference.address or "",
        organiser=conference.organiser_name, reports=reports,
        sessions=tuple(_report_session(s, outcomes.get(s.id, []), zone) for s in sessions),
        commitments=_commitments(sessions, outcomes),
        generated_at=(generated_at or utcnow()).astimezone(zone))


def report_format(fmt: str) -> str:
    """``fmt`` lower-cased if it is pdf or docx, else ValidationError."""
    fmt = str(fmt).strip().lower().lstrip(".")
    if fmt not in FORMATS:
        raise ValidationError(f"the outcome report is written as PDF or DOCX, not '{fmt}'",
                              field="format")
    return fmt


def export_outcome_report(session: Session, conference: Conference, *, fmt: str = "pdf",
                          actor: str, generated_at: datetime | None = None) -> bytes:
    """The outcome report of ``conference`` as PDF or DOCX bytes; audited."""
    act_as(session, actor)
    fmt = report_format(fmt)
    document = outcome_report_document(session, conference, generated_at=generated_at)
    if fmt == "pdf":
        from smartconf.exports.outcome_report import render_outcome_report as render
    else:
        from smartconf.exports.outcome_docx import render_outcome_docx as render
    data = render(document)
    record_event(session, AuditAction.EXPORT, "conference", str(conference.id),
                 f"outcome report of {conference.code} exported as {fmt.upper()}: "
                 f"{len(document.sessions)} sessions, {len(document.commitments)} commitments",
                 changes={"format": fmt, "sessions": len(document.sessions),
                          "commitments": len(document.commitments)})
    return data


__all__ = ["FOLLOWED_UP", "FORMATS", "export_outcome_report", "outcome_report_document",
           "report_format"]
