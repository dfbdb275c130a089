"""The demo data: what it holds, and how loading it treats a database that is not empty."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from smartconf.core.badge_code import normalise_badge_code
from smartconf.core.enums import (
    ADMISSIBLE,
    AuditAction,
    ConferenceStatus,
    InteractionKind,
    OutcomeStatus,
    ParticipantRole,
    ParticipantStatus,
    Verdict,
)
from smartconf.core.errors import SmartconfError
from smartconf.core.text import fold, is_cyrillic
from smartconf.models import (
    AgendaSession,
    AuditEvent,
    Base,
    CheckIn,
    Conference,
    Interaction,
    Organisation,
    Outcome,
    Participant,
    Person,
    RevokedBadge,
)
from smartconf.services.checkin import check_in
from smartconf.services.demo import DemoSummary, clear_all_data, has_data, load_demo
from smartconf.store.database import Database
from smartconf.store.session import read_session, unit_of_work

ACTOR = "demo-loader"
# Ten weeks after the first conference: the demo's dates stay exactly as written.
DEMO_TODAY = date(2027, 5, 25)
BELGRADE = ZoneInfo("Europe/Belgrade")


def _load(database: Database, *, reset: bool = False) -> DemoSummary:
    with unit_of_work(database.sessions, ACTOR) as session:
        return load_demo(session, actor=ACTOR, reset=reset, today=DEMO_TODAY)


def _row_counts(database: Database) -> dict[str, int]:
    with database.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in Base.metadata.sorted_tables}


def _count(session: Session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def _find_persons(session: Session, query: str) -> list[Person]:
    return list(session.scalars(select(Person).where(Person.search_text.contains(fold(query)))))


def test_demo_fills_an_empty_database(database: Database) -> None:
    with read_session(database.sessions) as session:
        assert not has_data(session)
    summary = _load(database)
    with read_session(database.sessions) as session:
        assert has_data(session)
        _check_counts(session, summary)
        _check_scripts_and_search(session)
        _check_organisation_tree(session)
        _check_conferences(session)
        _check_participants_and_badges(session)
        _check_attendance(session)
        _check_outcomes(session)
        events = _count(session, AuditEvent, AuditEvent.actor == ACTOR,
                        AuditEvent.entity == "person", AuditEvent.action == AuditAction.CREATE)
        assert events == summary.persons


def _check_counts(session: Session, summary: DemoSummary) -> None:
    assert summary.persons == _count(session, Person) >= 150
    assert summary.organisations == _count(session, Organisation) >= 60
    assert summary.reports == 4
    assert summary.conferences == _count(session, Conference) == 3
    assert summary.participants == _count(session, Participant)
    assert summary.outcomes == _count(session, Outcome) > 0


def _check_scripts_and_search(session: Session) -> None:
    colic = session.scalars(select(Person).where(Person.family_name == "Чолић")).one()
    assert (colic.given_name, colic.given_name_latin, colic.family_name_latin) == \
        ("Ђорђе", "Đorđe", "Čolić")
    for query in ("colic", "Čolić", "Чолић", "djordje colic"):
        assert colic in _find_persons(session, query)
    persons = session.scalars(select(Person)).all()
    assert sum(is_cyrillic(p.full_name) for p in persons) >= 10
    assert all(p.given_name_latin and p.family_name_latin
               for p in persons if is_cyrillic(p.full_name))
    assert any(set("ëç") & set(p.full_name.lower()) for p in persons)
    assert any(set("čćđšž") & set(p.full_name.lower()) for p in persons
               if not is_cyrillic(p.full_name))
    assert _find_persons(session, "Emerllahu")
    mup = session.scalars(select(Organisation).where(
        Organisation.search_text.contains(fold("Ministarstvo unutrašnjih poslova")))).one()
    assert (mup.name, mup.country) == ("Министарство унутрашњих послова", "RS")


def _check_organisation_tree(session: Session) -> None:
    division = session.scalars(select(Organisation).where(
        Organisation.name == "Division for Critical Infrastructure")).one()
    assert division.parent is not None
    assert division.parent.name == "Ministry of Internal Affairs"
    police = session.scalars(select(Organisation).where(Organisation.name == "Kosovo Police")).one()
    assert [child.name for child in police.children] == [
        "Directorate for Investigation of Cyber Crime"]


def _check_conferences(session: Session) -> None:
    conferences = {c.code: c for c in session.scalars(select(Conference))}
    assert set(conferences) == {"SB-CI", "SB-CSA", "SB-PPP"}
    # Wall-clock times of Prishtina, stored in UTC: winter (UTC+1) and summer (UTC+2).
    assert conferences["SB-CI"].starts_at == datetime(2027, 3, 16, 8, 0, tzinfo=BELGRADE)
    assert conferences["SB-CSA"].starts_at == datetime(2027, 6, 10, 8, 30, tzinfo=BELGRADE)
    uids = []
    for conference in conferences.values():
        assert conference.timezone == "Europe/Belgrade"
        assert conference.rooms and conference.reports
        kinds = {s.kind.value for s in conference.agenda_sessions}
        assert {"opening", "keynote", "panel", "break", "workshop", "closing"} <= kinds
        panels = [s for s in conference.agenda_sessions if s.kind.value == "panel"]
        assert all(s.people and s.findings for s in panels)
        uids += [conference.calendar_uid] + [s.calendar_uid for s in conference.agenda_sessions]
    assert len(set(uids)) == len(uids)


def _check_participants_and_badges(session: Session) -> None:
    participants = session.scalars(select(Participant)).all()
    assert {p.status for p in participants} == set(ParticipantStatus)
    assert {p.role for p in participants} == set(ParticipantRole)
    per_conference = session.execute(
        select(func.count()).select_from(Participant).group_by(Participant.conference_id)
    ).scalars().all()
    assert all(60 <= n <= 120 for n in per_conference)
    admissible = [p for p in participants if p.status in ADMISSIBLE]
    assert all(normalise_badge_code(p.badge_code) == p.badge_code for p in admissible)
    assert any(p.desk_note for p in participants if p.role is ParticipantRole.VIP)


def _check_attendance(session: Session) -> None:
    attended = _count(session, Participant, Participant.status == ParticipantStatus.ATTENDED)
    admissions = _count(session, CheckIn, CheckIn.scope == "conference",
                        CheckIn.voided_at.is_(None))
    logged = _count(session, Interaction,
                    Interaction.kind == InteractionKind.CONFERENCE_ATTENDANCE)
    assert attended == admissions == logged > 0
    assert _count(session, CheckIn, CheckIn.agenda_session_id.is_not(None)) > 0


def _check_outcomes(session: Session) -> None:
    outcomes = session.scalars(select(Outcome)).all()
    assert all(o.findings for o in outcomes if o.kind.value != "disagreement")
    assert {o.status.value for o in outcomes} == {"open", "in_progress", "done", "dropped"}
    assert any(o.committed_person and o.committed_organisation and o.due_on for o in outcomes)


def test_dates_sit_around_today(database: Database) -> None:
    with unit_of_work(database.sessions, ACTOR) as session:
        load_demo(session, actor=ACTOR)
    with read_session(database.sessions) as session:
        first, second, third = session.scalars(select(Conference).order_by(
            Conference.starts_at)).all()
        now = datetime.now(UTC)
        assert timedelta(weeks=9) < now - first.starts_at < timedelta(weeks=11)
        assert now < second.starts_at < third.starts_at
        assert [c.status for c in (first, second, third)] == [
            ConferenceStatus.CLOSED, ConferenceStatus.OPEN, ConferenceStatus.PLANNED]
        assert first.starts_at.astimezone(BELGRADE).weekday() == 1  # still a Tuesday
        overdue = session.scalars(select(Outcome).where(
            Outcome.status == OutcomeStatus.OPEN, Outcome.due_on < date.today())).all()
        assert overdue, "the follow-up tracker has overdue commitments to show"


def test_the_first_conference_works_at_the_desk(database: Database) -> None:
    _load(database)
    with read_session(database.sessions) as session:  # the scans are rolled back
        running = session.scalars(select(Conference).where(
            Conference.code == "SB-CI")).one()
        mine = select(Participant).where(Participant.conference_id == running.id)
        waiting = session.scalars(mine.where(
            Participant.status == ParticipantStatus.ACCEPTED)).first()
        came = session.scalars(mine.where(
            Participant.status == ParticipantStatus.ATTENDED)).first()
        revoked = session.scalars(select(RevokedBadge).join(Participant).where(
            Participant.conference_id == running.id)).first()

        def scan(code: str) -> Verdict:
            return check_in(session, running, code, desk="Desk 3", actor="desk").verdict

        assert scan(waiting.badge_code) is Verdict.ADMITTED
        assert scan(came.badge_code) is Verdict.ALREADY_CHECKED_IN
        assert scan(revoked.code) is Verdict.REJECTED


def test_loading_again_needs_reset_and_reset_replaces_the_data(database: Database) -> None:
    first = _load(database)
    before = _row_counts(database)
    with pytest.raises(SmartconfError) as raised:
        _load(database)
    assert "smartconf demo --reset" in raised.value.hint
    assert _row_counts(database) == before

    assert _load(database, reset=True) == first
    after = _row_counts(database)
    assert {k: v for k, v in after.items() if k != "audit_event"} == \
        {k: v for k, v in before.items() if k != "audit_event"}
    with read_session(database.sessions) as session:
        codes = session.scalars(select(Conference.code)).all()
        assert sorted(codes) == ["SB-CI", "SB-CSA", "SB-PPP"]
        wiped = session.scalars(select(AuditEvent).where(
            AuditEvent.entity == "database", AuditEvent.action == AuditAction.DELETE)).one()
        assert wiped.actor == ACTOR


def test_clearing_leaves_only_the_record_of_it(database: Database) -> None:
    _load(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        clear_all_data(session, actor=ACTOR)
    counts = _row_counts(database)
    assert counts.pop("audit_event") == 1
    assert set(counts.values()) == {0}
    with database.engine.connect() as conn:  # the schema's revision is kept
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    with read_session(database.sessions) as session:
        assert not has_data(session)
        assert _count(session, AgendaSession) == 0
