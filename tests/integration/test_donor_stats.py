"""Donor statistics over the demo data, on SQLite and PostgreSQL: the exact figures against
direct counts, the suppressed workbook read back, the charts decoded, the export audited."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartconf.cli import parse, run
from smartconf.core.enums import (
    AgendaRole,
    AuditAction,
    ConferenceStatus,
    Gender,
    OutcomeKind,
    OutcomeStatus,
    ParticipantStatus,
)
from smartconf.core.errors import NotFoundError
from smartconf.models import (
    AgendaSession,
    AgendaSessionPerson,
    AuditEvent,
    Conference,
    Outcome,
    Participant,
    Person,
)
from smartconf.services.demo import load_demo
from smartconf.services.donor_stats import (
    HIDDEN,
    SMALL,
    commitment_counts,
    donor_report,
    donor_stats,
    export_donor,
)
from smartconf.services.outcomes import follow_up
from smartconf.store.database import Database
from smartconf.store.session import read_session, unit_of_work
from tests.integration.test_demo import DEMO_TODAY

ACTOR = "donor-tester"
NOW = datetime(2027, 5, 25, 10, tzinfo=UTC)


@pytest.fixture
def demo(database: Database) -> Database:
    with unit_of_work(database.sessions, ACTOR) as session:
        load_demo(session, actor=ACTOR, today=DEMO_TODAY)
    return database


def _count(session: Session, *where) -> int:
    return session.scalar(select(func.count()).select_from(Participant)
                          .join(Person, Person.id == Participant.person_id).where(*where))


def test_statistics_match_direct_counts(demo: Database) -> None:
    with read_session(demo.sessions) as session:
        stats = donor_stats(session, "all", now=NOW)
        closed = [s for s in stats.scopes if s.status is ConferenceStatus.CLOSED]
        assert closed and len(stats.scopes) == 3
        for column, scope in enumerate(stats.scopes):
            statuses = scope.counted
            assert stats.participants[column] == _count(
                session, Participant.conference_id == scope.id, Participant.status.in_(statuses))
            gender = stats.breakdown("gender")
            women = _count(session, Participant.conference_id == scope.id,
                           Participant.status.in_(statuses), Person.gender == Gender.FEMALE)
            assert gender.counts[0][column] == women
            for key in ("gender", "organisation_kind", "country", "role"):
                assert sum(row[column] for row in stats.breakdown(key).counts) == \
                    stats.participants[column]
        assert closed[0].counted == {ParticipantStatus.ATTENDED}
        persons = session.scalar(select(func.count(func.distinct(Participant.person_id))).where(
            Participant.status.in_([ParticipantStatus.ATTENDED, ParticipantStatus.ACCEPTED,
                                    ParticipantStatus.TENTATIVE])))
        assert 0 < stats.unique_individuals <= sum(stats.participants)
        assert stats.unique_individuals <= persons
        _check_speakers(session, stats)
        _check_attendance(session, stats, closed[0])


def _check_speakers(session: Session, stats) -> None:
    speakers = stats.breakdown("speakers")
    for column, scope in enumerate(stats.scopes):
        expected = session.scalar(
            select(func.count(func.distinct(AgendaSessionPerson.person_id)))
            .join(AgendaSession, AgendaSession.id == AgendaSessionPerson.agenda_session_id)
            .where(AgendaSession.conference_id == scope.id,
                   AgendaSessionPerson.role.in_([AgendaRole.SPEAKER, AgendaRole.MODERATOR])))
        assert sum(row[column] for row in speakers.counts) == expected > 0


def _check_attendance(session: Session, stats, closed) -> None:
    attendance = stats.attendance
    assert attendance.columns == (closed.code,)
    attended, no_show, pending = (row[0] for row in attendance.counts)
    assert attended == stats.participants[stats.scopes.index(closed)]
    assert no_show == _count(session, Participant.conference_id == closed.id,
                             Participant.status == ParticipantStatus.NO_SHOW)
    assert pending == _count(session, Participant.conference_id == closed.id,
                             Participant.status.in_([ParticipantStatus.ACCEPTED,
                                                     ParticipantStatus.TENTATIVE]))


def _counts_of(workbook) -> list:
    """Every count cell of the breakdown tables (headers, share tables and notes left out)."""
    values = []
    for sheet in workbook:
        counting = False
        for row in sheet.iter_rows(values_only=True):
            label = row[0] if row else None
            if isinstance(label, str) and ": share of" in label:
                break
            if label == "Category":
                counting = True
            elif counting and label is not None:
                values += [v for v in row[1:] if v is not None]
    return values


@pytest.mark.parametrize("scope", ["all", "SB-CI"])
def test_workbook_hides_small_counts_and_explains_itself(demo: Database, scope: str) -> None:
    with unit_of_work(demo.sessions, ACTOR) as session:
        export = export_donor(session, scope, actor=ACTOR, charts=True, now=NOW)
    workbook = load_workbook(io.BytesIO(export.workbook))
    assert workbook.sheetnames[0] == "Summary" and workbook.sheetnames[-1] == "Notes"
    assert {"Gender", "Organisation kind", "Sector", "Country", "Role",
            "Speakers"} <= set(workbook.sheetnames)
    counts = _counts_of(workbook)
    assert counts and not [v for v in counts if isinstance(v, int) and 1 <= v <= 2]
    assert SMALL in counts  # the demo has small cells: they are there, as "<3"
    assert all(v in (SMALL, HIDDEN) for v in counts if isinstance(v, str))
    assert not any(cell.data_type == "f" for sheet in workbook for row in sheet.iter_rows()
                   for cell in row)
    notes = " ".join(str(c.value) for c in workbook["Notes"]["A"] if c.value)
    assert "<3" in notes and "Generated: 2027-05-25" in notes and "[c]" in notes
    for name, png in export.charts.items():
        image = Image.open(io.BytesIO(png))
        image.load()
        assert name.endswith(".png") and image.size == (1600, 900)
    assert len(export.charts) == 4


def test_export_is_audited(demo: Database) -> None:
    with unit_of_work(demo.sessions, ACTOR) as session:
        export_donor(session, "all", actor=ACTOR, now=NOW)
    with read_session(demo.sessions) as session:
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == AuditAction.EXPORT, AuditEvent.actor == ACTOR)).one()
        assert "donor statistics of all" in event.summary


def test_report_carries_the_published_figures_only(demo: Database) -> None:
    with read_session(demo.sessions) as session:
        report = donor_report(donor_stats(session, "all", now=NOW))
    participants = report.summary.rows[0].counts
    assert participants[-1] == report.table("gender").total.counts[-1]
    for table in report.tables:
        for row in (*table.rows, *([table.total] if table.total else [])):
            assert not [c for c in row.counts if isinstance(c, int) and 1 <= c <= 2]


def test_unknown_conference_is_refused(demo: Database) -> None:
    with read_session(demo.sessions) as session, pytest.raises(NotFoundError):
        donor_stats(session, "NOPE")


def test_commitment_counts_follow_the_tracker(demo: Database) -> None:
    with read_session(demo.sessions) as session:
        counts = commitment_counts(session, today=DEMO_TODAY)
        rows = follow_up(session, today=DEMO_TODAY)
        codes = dict(session.execute(select(Conference.id, Conference.code)).all())
        by_code = {codes[cid]: value for cid, value in counts.items()}
        for code in {r.conference_code for r in rows}:
            mine = [r for r in rows if r.conference_code == code]
            assert by_code[code] == (len(mine), sum(r.overdue for r in mine))
        assert sum(o for o, _ in counts.values()) == session.scalar(
            select(func.count(Outcome.id)).where(
                Outcome.kind.in_([OutcomeKind.COMMITMENT, OutcomeKind.ACTION]),
                Outcome.status.in_([OutcomeStatus.OPEN, OutcomeStatus.IN_PROGRESS]))) > 0


def test_cli_writes_workbook_and_charts(demo: Database, tmp_path, capsys) -> None:
    out = tmp_path / "donor.xlsx"
    code = run(parse(["export", "donor", "--db", demo.engine.url.render_as_string(False),
                      "--user", ACTOR, "--conference", "all", "-o", str(out),
                      "--charts", str(tmp_path / "charts")]))
    assert code == 0 and out.exists()
    assert len(list((tmp_path / "charts").glob("*.png"))) == 4
    printed = capsys.readouterr().out
    assert "women among speakers" in printed and "unique individuals" in printed
