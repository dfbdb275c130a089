"""Reports, findings import, outcomes, follow-up and coverage over the demo data (SQLite and
PostgreSQL)."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from smartconf.core.enums import AuditAction, OutcomeKind, OutcomeStatus
from smartconf.core.errors import ValidationError
from smartconf.models import (
    AgendaSession,
    AuditEvent,
    Conference,
    Finding,
    Organisation,
    Outcome,
    Person,
    Recommendation,
    Report,
)
from smartconf.services import outcomes as svc
from smartconf.services.demo import load_demo
from smartconf.store.database import Database
from smartconf.store.session import read_session, unit_of_work
from tests.integration.test_demo import DEMO_TODAY

ACTOR = "rapporteur"
KEYNOTE = "The Division for Critical Infrastructure: mandate, first designations and the road ahead"


@pytest.fixture
def demo(database: Database) -> Database:
    with unit_of_work(database.sessions, ACTOR) as session:
        load_demo(session, actor=ACTOR, today=DEMO_TODAY)
    return database


def _finding_id(session, label: str) -> int:
    report, number = label[1:].split("-F")
    return session.scalar(select(Finding.id).join(Report).where(
        Report.number == int(report), Finding.number == int(number)))


def _session_id(session, title: str) -> int:
    return session.scalar(select(AgendaSession.id).where(AgendaSession.title == title))


# --- reports, findings, recommendations ------------------------------------------------------


def test_report_findings_and_recommendations(database: Database) -> None:
    with unit_of_work(database.sessions, ACTOR) as session:
        report = svc.create_report(session, svc.ReportInput(7, "Data protection"), actor=ACTOR)
        first = svc.add_finding(session, report.id, "Registers leak.", actor=ACTOR)
        second = svc.add_finding(session, report.id, "Nobody audits.", actor=ACTOR)
        rec = svc.add_recommendation(session, report.id, "Audit yearly.",
                                     finding_id=second.id, actor=ACTOR)
        assert (first.label, second.label, rec.label) == ("R7-F1", "R7-F2", "R7-R1")
        with pytest.raises(ValidationError, match="F1 already exists") as exc:
            svc.update_finding(session, second.id, number=1, actor=ACTOR)
        assert exc.value.field == "number"
        with pytest.raises(ValidationError, match="R7 already exists"):
            svc.create_report(session, svc.ReportInput(7, "Again"), actor=ACTOR)
        svc.update_finding(session, second.id, number=5, text="No one audits.", actor=ACTOR)
        assert second.label == "R7-F5"
        svc.delete_finding(session, first.id, actor=ACTOR)
        report_id = report.id
    with read_session(database.sessions) as session:
        report = session.get(Report, report_id)
        assert [f.label for f in report.findings] == ["R7-F5"]
        assert report.recommendations[0].finding.text == "No one audits."
    with unit_of_work(database.sessions, ACTOR) as session:
        svc.delete_report(session, report_id, actor=ACTOR)
    with read_session(database.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Finding)) == 0


def _csv(*rows: str) -> bytes:
    return ("\ufeff" + "\n".join(rows) + "\n").encode()


def test_import_findings_from_csv_and_xlsx(database: Database) -> None:
    with unit_of_work(database.sessions, ACTOR) as session:
        report_id = svc.create_report(session, svc.ReportInput(9, "Skills"), actor=ACTOR).id
        dry = svc.import_findings(session, report_id, _csv(
            "Number,Text,Recommendation", "1,Too few graduates.,Fund scholarships.",
            "2,Salaries are low.,"), actor=ACTOR, dry_run=True, name="f.csv")
        assert (dry.created, dry.recommendations, dry.written) == (2, 1, False)
        assert session.scalar(select(func.count()).select_from(Finding)) == 0
    book = Workbook()
    sheet = book.active
    sheet.append(["number", "text"])
    sheet.append([1, "Too few graduates in cyber security."])
    sheet.append([3, "Universities and industry rarely meet."])
    data = io.BytesIO()
    book.save(data)
    with unit_of_work(database.sessions, ACTOR) as session:
        done = svc.import_findings(session, report_id, data.getvalue(), actor=ACTOR,
                                   name="f.xlsx")
        assert (done.created, done.updated, done.written, done.errors) == (2, 0, True, ())
    with read_session(database.sessions) as session:
        assert [f.label for f in session.get(Report, report_id).findings] == ["R9-F1", "R9-F3"]


def test_import_with_a_bad_row_writes_nothing_and_names_it(database: Database,
                                                            tmp_path) -> None:
    with unit_of_work(database.sessions, ACTOR) as session:
        report_id = svc.create_report(session, svc.ReportInput(9, "Skills"), actor=ACTOR).id
    path = tmp_path / "findings.csv"
    path.write_bytes(_csv("number;text;recommendation", "1;Fine.;Do it.", "two;Bad number.;",
                          "3;;", "1;Again.;"))
    with unit_of_work(database.sessions, ACTOR) as session:
        result = svc.import_findings(session, report_id, path, actor=ACTOR)
    assert not result.written
    assert [(e.row, e.field) for e in result.errors] == [(3, "number"), (4, "text"),
                                                          (5, "number")]
    assert "'two'" in str(result.errors[0])
    with read_session(database.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Finding)) == 0
        assert session.scalar(select(func.count()).select_from(Recommendation)) == 0


def test_import_without_the_text_column_names_it(database: Database) -> None:
    with unit_of_work(database.sessions, ACTOR) as session:
        report_id = svc.create_report(session, svc.ReportInput(9, "Skills"), actor=ACTOR).id
        result = svc.import_findings(session, report_id, _csv("number,finding", "1,x"),
                                     actor=ACTOR)
    assert [(e.row, e.field) for e in result.errors] == [(1, "text")]


def test_link_findings_to_a_session(demo: Database) -> None:
    with unit_of_work(demo.sessions, ACTOR) as session:
        keynote = _session_id(session, KEYNOTE)
        wanted = [_finding_id(session, "R1-F7"), _finding_id(session, "R1-F1")]
        svc.link_findings(session, keynote, wanted, actor=ACTOR)
    with read_session(demo.sessions) as session:
        options = svc.finding_options(session, keynote)
        assert [o.label for o in options if o.presented] == ["R1-F1", "R1-F7"]
        assert not any(o.presented for o in options[2:])


# --- outcomes --------------------------------------------------------------------------------


def test_record_update_and_status_change_are_audited(demo: Database) -> None:
    with unit_of_work(demo.sessions, ACTOR) as session:
        keynote = _session_id(session, KEYNOTE)
        org = session.scalar(select(Organisation.id).where(Organisation.name == "Kosovo Police"))
        outcome = svc.record_outcome(
            session, keynote, kind=OutcomeKind.COMMITMENT, text="  Publish the register. ",
            committed_organisation_id=org, owner_username="arta",
            due_on=date(2027, 6, 1), finding_ids=[_finding_id(session, "R1-F2")], actor=ACTOR)
        outcome_id = outcome.id
        assert outcome.text == "Publish the register."
    with unit_of_work(demo.sessions, "arta") as session:
        svc.set_outcome_status(session, outcome_id, OutcomeStatus.IN_PROGRESS, actor="arta")
        svc.update_outcome(session, outcome_id, due_on=date(2027, 7, 1), actor="arta")
    with read_session(demo.sessions) as session:
        outcome = session.get(Outcome, outcome_id)
        assert (outcome.status, outcome.due_on, [f.label for f in outcome.findings]) == (
            OutcomeStatus.IN_PROGRESS, date(2027, 7, 1), ["R1-F2"])
        changes = [e.changes for e in session.scalars(select(AuditEvent).where(
            AuditEvent.entity == "outcome", AuditEvent.entity_id == str(outcome_id),
            AuditEvent.action == AuditAction.UPDATE, AuditEvent.actor == "arta"))]
        assert {"status": ["open", "in_progress"]} in changes


def test_record_refuses_bad_input_naming_the_field(demo: Database) -> None:
    with unit_of_work(demo.sessions, ACTOR) as session:
        keynote = _session_id(session, KEYNOTE)
        cases = [({"text": " "}, "text"), ({"owner_username": "nobody"}, "owner_username"),
                 ({"committed_person_id": 10**9}, "committed_person_id"),
                 ({"finding_ids": [10**9]}, "finding_ids"), ({"kind": "wish"}, "kind")]
        for changes, field in cases:
            values = {"kind": OutcomeKind.ACTION, "text": "Do it.", **changes}
            with pytest.raises(ValidationError) as exc:
                svc.record_outcome(session, keynote, actor=ACTOR, **values)
            assert exc.value.field == field


def test_follow_up_lists_open_commitments_with_overdue_flags(demo: Database) -> None:
    with read_session(demo.sessions) as session:
        rows = svc.follow_up(session, today=DEMO_TODAY)
        assert rows and all(r.kind in svc.FOLLOWED_KINDS and r.status in svc.OPEN_STATUSES
                            for r in rows)
        dues = [r.due_on for r in rows if r.due_on]
        assert dues == sorted(dues)
        kru = next(r for r in rows if r.text.startswith("KRU Prishtina"))
        assert (kru.conference_code, kru.due_on, kru.overdue, kru.owner) == (
            "SB-CI", date(2027, 4, 15), True, "Arta Berisha")
        assert kru.committed_by == "Nexhat Gërguri (Kompania Rajonale e Ujësjellësit Prishtina)"
        assert kru.findings == ("R1-F3",)
        overdue = svc.follow_up(session, overdue_only=True, today=DEMO_TODAY)
        assert overdue and all(r.overdue for r in overdue)
        assert {r.id for r in overdue} == {r.id for r in rows if r.overdue}
        mine = svc.follow_up(session, owner="luan", today=DEMO_TODAY)
        assert mine and {r.owner_username for r in mine} == {"luan"}
        by_org = svc.follow_up(session, organisation_id=kru.committed_organisation_id,
                              today=DEMO_TODAY)
        assert [r.id for r in by_org] == [kru.id]
        soon = svc.follow_up(session, due_by=date(2027, 6, 30), today=DEMO_TODAY)
        assert soon and all(r.due_on <= date(2027, 6, 30) for r in soon)
        # tomorrow's due date is not overdue today
        assert not svc.is_overdue(DEMO_TODAY + timedelta(days=1), OutcomeStatus.OPEN,
                                  DEMO_TODAY)


def test_follow_up_drops_a_commitment_once_done(demo: Database) -> None:
    with read_session(demo.sessions) as session:
        first = svc.follow_up(session, today=DEMO_TODAY)[0]
    with unit_of_work(demo.sessions, ACTOR) as session:
        svc.set_outcome_status(session, first.id, OutcomeStatus.DONE, actor=ACTOR)
    with read_session(demo.sessions) as session:
        assert first.id not in {r.id for r in svc.follow_up(session, today=DEMO_TODAY)}


# --- coverage --------------------------------------------------------------------------------


def test_coverage_of_the_first_conference(demo: Database) -> None:
    with read_session(demo.sessions) as session:
        conference = session.scalar(select(Conference).where(Conference.code == "SB-CI"))
        result = svc.coverage(session, conference.id)
        keynote = _session_id(session, KEYNOTE)
        f1, f2, f5 = (_finding_id(session, x) for x in ("R1-F1", "R1-F2", "R1-F5"))
        hybrid = _session_id(session, next(s.title for s in conference.agenda_sessions
                                           if s.title.startswith("Hybrid threats")))
    assert keynote in {s.id for s in result.sessions}
    assert result.cell(f1, keynote) == svc.CoverageCell(True, True, 1)  # presented, answered
    assert result.cell(f2, keynote) == svc.CoverageCell(True, True, 0)
    # the disagreement in the hybrid panel answers R1-F5, which that panel did not present
    assert result.cell(f5, hybrid) == svc.CoverageCell(False, False, 1)
    labels = [f.label for f in result.findings]
    assert labels == sorted(labels, key=lambda x: tuple(map(int, x[1:].split("-F"))))
    r1 = next(r for r in result.reports if r.report_number == 1)
    # recommendation or commitment outcomes answer R1-F1, R1-F3 and R1-F7
    assert (r1.answered, r1.findings) == (3, 7)
    assert r1.share == pytest.approx(3 / 7)


def test_coverage_across_conferences_counts_new_outcomes(demo: Database) -> None:
    with unit_of_work(demo.sessions, ACTOR) as session:
        person = session.scalar(select(Person.id).limit(1))
        target = session.scalar(select(AgendaSession).join(Conference).where(
            Conference.code == "SB-CSA", AgendaSession.title.startswith("From law")))
        finding = _finding_id(session, "R2-F1")
        before = svc.coverage(session)
        svc.record_outcome(session, target.id, kind=OutcomeKind.RECOMMENDATION,
                           text="Staff the agency.", committed_person_id=person,
                           finding_ids=[finding], actor=ACTOR)
        after = svc.coverage(session)
    r2_before = next(r for r in before.reports if r.report_number == 2)
    r2_after = next(r for r in after.reports if r.report_number == 2)
    assert r2_after.answered == r2_before.answered + 1
    assert before.cell(finding, target.id) == svc.CoverageCell(True, False, 0)
    assert after.cell(finding, target.id) == svc.CoverageCell(True, True, 1)


def test_find_organisations_folds_the_typed_text(demo: Database) -> None:
    with read_session(demo.sessions) as session:
        found = svc.find_organisations(session, "ministarstvo unutrasnjih")
        assert any("Министарство унутрашњих послова" in o.text for o in found)
        assert svc.find_organisations(session, "  ") == []
        owners = svc.owner_options(session)
        assert "arta" in {o.value for o in owners}
