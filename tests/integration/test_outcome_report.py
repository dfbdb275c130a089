"""The outcome report on the demo data, on SQLite and PostgreSQL: the PDF read back with
pdftotext, the DOCX read back with python-docx, grouping by finding, audit and CLI."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import select
from sqlalchemy.orm import Session

from smartconf.__main__ import main
from smartconf.core.enums import AgendaSessionKind, AuditAction, OutcomeKind
from smartconf.core.errors import ValidationError
from smartconf.exports.outcome_report import OTHER_OUTCOMES
from smartconf.models import AgendaSession, AuditEvent, Conference, Outcome
from smartconf.services.demo import load_demo
from smartconf.services.outcome_report import (
    FOLLOWED_UP,
    export_outcome_report,
    outcome_report_document,
)
from smartconf.store.database import Database, open_database
from smartconf.store.session import unit_of_work
from tests.pdftools import pdf_text, require_poppler

ACTOR = "coordinator"
CODE = "SB-CI"  # the demo conference that took place: it has outcomes
GENERATED = datetime(2027, 6, 1, 7, 30, tzinfo=UTC)


def _load(database: Database) -> None:
    with unit_of_work(database.sessions, ACTOR) as session:
        load_demo(session, actor=ACTOR, today=date(2027, 5, 25))
        conference = _conference(session)
        first = session.scalars(select(AgendaSession).where(
            AgendaSession.conference_id == conference.id,
            AgendaSession.kind != AgendaSessionKind.BREAK)
            .order_by(AgendaSession.starts_at)).first()
        session.add(Outcome(agenda_session_id=first.id, kind=OutcomeKind.KEY_POINT,
                            text="Ђорђе Чолић: operators want one contact point"))


def _conference(session: Session) -> Conference:
    return session.scalars(select(Conference).where(Conference.code == CODE)).one()


def _expected(session: Session) -> tuple[list[str], dict[str, str], list[str]]:
    """Session titles (no breaks), findings presented (label -> text), commitment texts."""
    conference = _conference(session)
    sessions = [s for s in conference.agenda_sessions if s.kind is not AgendaSessionKind.BREAK]
    labels = {f.label: f.text for s in sessions for f in s.findings}
    outcomes = session.scalars(select(Outcome).join(AgendaSession).where(
        AgendaSession.conference_id == conference.id)).all()
    commitments = [o.text for o in outcomes if o.kind in FOLLOWED_UP]
    return [s.title for s in sessions], labels, commitments


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_pdf_shows_sessions_findings_outcomes_and_commitments(database: Database) -> None:
    require_poppler()
    _load(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        titles, labels, commitments = _expected(session)
        pdf = export_outcome_report(session, _conference(session), actor=ACTOR,
                                    generated_at=GENERATED)
    text = _flat(pdf_text(pdf))
    assert len(titles) >= 4 and labels and commitments
    assert "OUTCOME REPORT" in text and "Reports presented" in text
    positions = [text.index(_flat(title)) for title in titles]
    assert positions == sorted(positions)  # in agenda order
    for label, finding in labels.items():
        assert f"{label} {_flat(finding)[:30]}" in text
    assert "Outcomes on R1-F1" in text
    assert "Commitments" in text and "Committed by" in text
    for commitment in commitments:
        assert _flat(commitment)[:40] in text
    assert OTHER_OUTCOMES in text and "Ђорђе Чолић: operators want one contact point" in text


def test_outcomes_are_grouped_by_finding(session) -> None:
    load_demo(session, actor=ACTOR, today=date(2027, 5, 25))
    document = outcome_report_document(session, _conference(session), generated_at=GENERATED)
    grouped = [(g.finding.label if g.finding else None, line.text)
               for s in document.sessions for g in s.groups for line in g.outcomes]
    outcomes = session.scalars(select(Outcome).join(AgendaSession).where(
        AgendaSession.conference_id == _conference(session).id)).all()
    expected = {(f.label, o.text) for o in outcomes for f in o.findings}
    expected |= {(None, o.text) for o in outcomes if not o.findings}
    assert set(grouped) == expected and len(grouped) == len(expected)
    for item in document.sessions:  # "Other outcomes" comes last in a session
        assert all(g.finding is not None for g in item.groups[:-1])
    dues = [c.line.due_on or date.max for c in document.commitments]
    assert dues == sorted(dues) and document.commitments
    assert document.generated_at.utcoffset() is not None


def test_docx_reads_back(database: Database) -> None:
    _load(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        titles, labels, commitments = _expected(session)
        data = export_outcome_report(session, _conference(session), fmt="docx", actor=ACTOR)
    doc = Document(io.BytesIO(data))
    paragraphs = [p.text for p in doc.paragraphs]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert "Sessions" in headings and "Commitments" in headings
    assert [t for t in headings if t in titles] == titles
    body = "\n".join(paragraphs)
    for label, finding in labels.items():
        assert f"{label} {finding}" in body
    assert OTHER_OUTCOMES in headings
    (table,) = doc.tables
    assert [c.text for c in table.rows[0].cells] == ["Commitment", "Committed by", "Owner",
                                                     "Due", "Status"]
    assert len(table.rows) == 1 + len(commitments)
    cell_texts = {row.cells[0].paragraphs[0].text for row in table.rows[1:]}
    assert cell_texts == set(commitments)
    assert doc.core_properties.subject == CODE
    with unit_of_work(database.sessions, ACTOR) as session:
        (event,) = session.scalars(select(AuditEvent).where(
            AuditEvent.action == AuditAction.EXPORT)).all()
        assert event.changes["format"] == "docx" and "outcome report of SB-CI" in event.summary


def test_bad_format_is_refused(session) -> None:
    load_demo(session, actor=ACTOR, today=date(2027, 5, 25))
    with pytest.raises(ValidationError, match="PDF or DOCX"):
        export_outcome_report(session, _conference(session), fmt="odt", actor=ACTOR)


def test_cli_report_outcomes(capsys, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    database = open_database(url)
    _load(database)
    database.dispose()
    for name in ("report.pdf", "report.docx"):
        target = tmp_path / name
        assert main(["--db", url, "report", "outcomes", "--conference", CODE,
                     "-o", str(target)]) == 0
        assert f"Outcome report written to {target}" in capsys.readouterr().out
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    assert Document(str(tmp_path / "report.docx")).tables
    assert main(["--db", url, "report", "outcomes", "--conference", CODE,
                 "-o", str(tmp_path / "report.txt")]) == 2
