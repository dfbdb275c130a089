"""Model constraints and cascades, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from smartconf.core.enums import CheckInMethod, OrganisationKind, ParticipantStatus
from smartconf.models import (
    Affiliation,
    Assessment,
    CheckIn,
    Conference,
    Organisation,
    Participant,
    Person,
    PersonEmail,
)
from smartconf.store.session import unit_of_work

T0 = datetime(2027, 3, 16, 8, 0, tzinfo=UTC)


def _conference(code: str = "SB-T-2027") -> Conference:
    return Conference(code=code, title="Test", starts_at=T0, ends_at=T0 + timedelta(hours=9),
                      calendar_uid=f"{code}@test")


def _person(given: str = "Arta", family: str = "Gashi") -> Person:
    return Person(given_name=given, family_name=family)


def test_timestamps_come_back_in_utc(session) -> None:
    conference = _conference()
    session.add(conference)
    session.flush()
    session.expire_all()
    loaded = session.scalar(select(Conference))
    assert loaded.starts_at == T0
    assert loaded.starts_at.utcoffset() == timedelta(0)
    assert loaded.created_at.tzinfo is not None


def test_naive_datetimes_are_refused(session) -> None:
    conference = _conference()
    conference.starts_at = datetime(2027, 3, 16, 8, 0)
    session.add(conference)
    with pytest.raises(StatementError, match="naive datetime"):
        session.flush()


def test_enum_values_are_checked_by_the_database(database) -> None:
    with unit_of_work(database.sessions, "tester") as session:
        session.add(Organisation(name="KCSS", kind=OrganisationKind.CIVIL_SOCIETY))
    with pytest.raises(IntegrityError), database.engine.begin() as conn:
        conn.execute(text("UPDATE organisation SET kind = 'pirate_radio'"))


def test_conference_period_and_unique_code(database) -> None:
    with pytest.raises(IntegrityError), unit_of_work(database.sessions, "tester") as session:
        bad = _conference()
        bad.ends_at = bad.starts_at - timedelta(hours=1)
        session.add(bad)
    with unit_of_work(database.sessions, "tester") as session:
        session.add(_conference("SB-A"))
    with pytest.raises(IntegrityError), unit_of_work(database.sessions, "tester") as session:
        session.add(_conference("SB-A"))


def test_assessment_scale_is_one_to_five(database) -> None:
    with pytest.raises(IntegrityError), unit_of_work(database.sessions, "tester") as session:
        person = _person()
        person.assessments.append(Assessment(assessed_on=date(2026, 1, 1), influence=6,
                                             interest=3))
        session.add(person)


def test_email_is_unique_across_persons(database) -> None:
    with pytest.raises(IntegrityError), unit_of_work(database.sessions, "tester") as session:
        first, second = _person(), _person("Đorđe", "Čolić")
        first.emails.append(PersonEmail(address="same@example.org"))
        second.emails.append(PersonEmail(address="same@example.org"))
        session.add_all([first, second])


def test_a_person_is_a_participant_once_per_conference(database) -> None:
    with pytest.raises(IntegrityError), unit_of_work(database.sessions, "tester") as session:
        person, conference = _person(), _conference()
        session.add_all([Participant(person=person, conference=conference),
                         Participant(person=person, conference=conference)])


def test_deleting_a_person_cascades_in_the_database(database) -> None:
    with unit_of_work(database.sessions, "tester") as session:
        org = Organisation(name="Ministry of Internal Affairs", kind=OrganisationKind.MINISTRY)
        person = _person("Ђорђе", "Чолић")
        person.emails.append(PersonEmail(address="dj@example.org"))
        person.affiliations.append(Affiliation(organisation=org, is_primary=True))
        conference = _conference()
        participant = Participant(person=person, conference=conference,
                                  status=ParticipantStatus.ACCEPTED)
        session.add_all([org, person, participant])
        session.flush()
        session.add(CheckIn(participant=participant, checked_in_at=T0, desk="1",
                            operator="t", method=CheckInMethod.SCAN, nonce="n1"))
    with database.engine.begin() as conn:  # plain SQL: the database's own ON DELETE rules
        conn.execute(text("DELETE FROM person"))
    with unit_of_work(database.sessions, "tester") as session:
        for model in (PersonEmail, Affiliation, Participant, CheckIn):
            assert session.scalar(select(func.count()).select_from(model)) == 0
        assert session.scalar(select(func.count()).select_from(Organisation)) == 1


def test_organisation_parent_is_set_null_when_parent_goes(database) -> None:
    with unit_of_work(database.sessions, "tester") as session:
        ministry = Organisation(name="Ministry of Internal Affairs", kind=OrganisationKind.MINISTRY)
        division = Organisation(name="Division for Critical Infrastructure",
                                kind=OrganisationKind.MINISTRY, parent=ministry)
        session.add_all([ministry, division])
    with database.engine.begin() as conn:
        conn.execute(text("DELETE FROM organisation WHERE parent_id IS NULL"))
    with unit_of_work(database.sessions, "tester") as session:
        (division,) = session.scalars(select(Organisation)).all()
        assert division.parent_id is None


def test_only_one_valid_admission_per_scope(database) -> None:
    with unit_of_work(database.sessions, "tester") as session:
        participant = Participant(person=_person(), conference=_conference())
        session.add(participant)
        session.flush()
        session.add(CheckIn(participant=participant, checked_in_at=T0, desk="1", operator="t",
                            method=CheckInMethod.SCAN, nonce="a", voided_at=T0,
                            void_reason="wrong person"))
        session.add(CheckIn(participant=participant, checked_in_at=T0, desk="1", operator="t",
                            method=CheckInMethod.SCAN, nonce="b"))
        participant_id = participant.id
    with pytest.raises(IntegrityError), unit_of_work(database.sessions, "tester") as session:
        session.add(CheckIn(participant_id=participant_id, checked_in_at=T0, desk="2",
                            operator="t", method=CheckInMethod.SCAN, nonce="c"))
