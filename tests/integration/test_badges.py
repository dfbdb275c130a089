"""Badges end to end, on SQLite and PostgreSQL: participants in the database, a badge PDF,
its QR codes decoded from the rendered pages and scanned at the desk."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from smartconf.core.enums import (
    AuditAction,
    OrganisationKind,
    ParticipantRole,
    ParticipantStatus,
    Verdict,
)
from smartconf.core.errors import NotFoundError, ValidationError
from smartconf.models import (
    Affiliation,
    AuditEvent,
    Conference,
    Organisation,
    Participant,
    Person,
    RevokedBadge,
)
from smartconf.services.badges import (
    badge_layouts,
    badges_for_conference,
    issue_badge,
    render_conference_badges,
)
from smartconf.services.checkin import check_in
from smartconf.store.session import unit_of_work
from tests.pdftools import decoded_codes, require_poppler

ACTOR = "coordinator"
T0 = datetime(2027, 3, 12, 8, 0, tzinfo=UTC)  # 09:00 in Prishtina
ORG = ("Autoriteti Rregullativ i Komunikimeve Elektronike dhe Postare, Departamenti për "
       "Sigurinë Kibernetike dhe Infrastrukturën")
# given, family, Latin given, Latin family, status, role
PEOPLE = [
    ("Ђорђе", "Чолић", "Đorđe", "Čolić", ParticipantStatus.ACCEPTED, ParticipantRole.SPEAKER),
    ("Arbëreshë", "Ëmërllahu-Çeku", None, None, ParticipantStatus.INVITED,
     ParticipantRole.PARTICIPANT),
    ("Vjosa", "Berisha", None, None, ParticipantStatus.TENTATIVE, ParticipantRole.MODERATOR),
    ("Driton", "Krasniqi", None, None, ParticipantStatus.ATTENDED, ParticipantRole.STAFF),
    ("Marko", "Anđelković", None, None, ParticipantStatus.DECLINED, ParticipantRole.PRESS),
    ("Ilir", "Zeka", None, None, ParticipantStatus.SHORTLISTED, ParticipantRole.PARTICIPANT),
    ("Teuta", "Rexhepi", None, None, ParticipantStatus.CANCELLED, ParticipantRole.VIP),
]
PRINTED = ["Berisha", "Чолић", "Ëmërllahu-Çeku", "Krasniqi"]  # by Latin family name


def _seed(database) -> dict[str, int]:
    """A conference with people in every interesting status; returns person ids by family."""
    with unit_of_work(database.sessions, ACTOR) as session:
        conference = Conference(code="SB-CI", title="Critical Infrastructure Resilience",
                                starts_at=T0, ends_at=T0 + timedelta(days=1, hours=9),
                                timezone="Europe/Belgrade", calendar_uid="sb-ci-2027@test")
        org = Organisation(name=ORG, kind=OrganisationKind.REGULATOR)
        session.add_all([conference, org])
        ids = {}
        for given, family, given_latin, family_latin, status, role in PEOPLE:
            person = Person(given_name=given, family_name=family, given_name_latin=given_latin,
                            family_name_latin=family_latin)
            person.affiliations.append(Affiliation(organisation=org, is_primary=True))
            session.add(Participant(conference=conference, person=person, status=status,
                                    role=role))
            session.flush()
            ids[family] = person.id
        return ids


def _conference(session) -> Conference:
    return session.scalar(select(Conference).where(Conference.code == "SB-CI"))


def _participant(session, person_id: int) -> Participant:
    return session.scalar(select(Participant).where(Participant.person_id == person_id))


def test_printed_badges_admit_once_at_the_desk(database) -> None:
    require_poppler()
    _seed(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        pdf = render_conference_badges(session, _conference(session), actor=ACTOR)
    codes = decoded_codes(pdf)
    assert len(codes) == len(PRINTED)
    with unit_of_work(database.sessions, "desk-1") as session:
        conference = _conference(session)
        for code in codes:
            first = check_in(session, conference, code, desk="1", actor="desk-1")
            assert first.verdict is Verdict.ADMITTED, first.reason
            again = check_in(session, conference, code, desk="2", actor="desk-2")
            assert again.verdict is Verdict.ALREADY_CHECKED_IN
            assert again.previous is not None and again.previous.desk == "1"


def test_reissued_badge_revokes_the_old_code(database) -> None:
    require_poppler()
    ids = _seed(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        (old_code,) = decoded_codes(
            render_conference_badges(session, _conference(session), actor=ACTOR,
                                     person_id=ids["Berisha"]))
        participant = _participant(session, ids["Berisha"])
        new_code = issue_badge(session, participant, actor=ACTOR, reason="badge lost")
        assert participant.badge_revision == 2
    (printed,) = decoded_codes(_render_one(database, ids["Berisha"]))
    assert printed == new_code != old_code
    with unit_of_work(database.sessions, "desk-1") as session:
        conference = _conference(session)
        rejected = check_in(session, conference, old_code, desk="1", actor="desk-1")
        assert rejected.verdict is Verdict.REJECTED
        assert "revoked" in rejected.reason and "badge lost" in rejected.reason
        assert check_in(session, conference, new_code, desk="1",
                        actor="desk-1").verdict is Verdict.ADMITTED


def _render_one(database, person_id: int) -> bytes:
    with unit_of_work(database.sessions, ACTOR) as session:
        return render_conference_badges(session, _conference(session), actor=ACTOR,
                                        person_id=person_id, layout="id1")


def test_badges_are_the_admissible_participants_sorted_by_latin_name(database) -> None:
    _seed(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        badges = badges_for_conference(session, _conference(session), actor=ACTOR)
    assert [b.family_name for b in badges] == PRINTED
    chol = badges[1]
    assert (chol.given_name, chol.organisation, chol.role_label) == ("Ђорђе", ORG, "Speaker")
    assert chol.conference_dates == "12–13 March 2027"
    assert chol.conference_title == "Critical Infrastructure Resilience"


def test_codes_are_issued_once_and_kept(database) -> None:
    _seed(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        first = badges_for_conference(session, _conference(session), actor=ACTOR)
    with unit_of_work(database.sessions, ACTOR) as session:
        again = badges_for_conference(session, _conference(session), actor=ACTOR)
        printed = session.scalars(select(Participant).where(
            Participant.badge_code.is_not(None))).all()
        assert session.scalar(select(RevokedBadge)) is None
    assert [b.code for b in again] == [b.code for b in first]
    assert len(set(b.code for b in first)) == len(PRINTED)
    assert sorted(p.badge_revision for p in printed) == [1] * len(PRINTED)


def test_issue_badge_records_the_revoked_code_and_reason(database) -> None:
    ids = _seed(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        participant = _participant(session, ids["Krasniqi"])
        first = issue_badge(session, participant, actor=ACTOR, reason="first issue")
        second = issue_badge(session, participant, actor=ACTOR, reason="name misspelt")
    with unit_of_work(database.sessions, ACTOR) as session:
        revoked = session.scalars(select(RevokedBadge)).all()
        participant = _participant(session, ids["Krasniqi"])
        assert [(r.code, r.reason, r.participant_id) for r in revoked] == [
            (first, "name misspelt", participant.id)]
        assert (participant.badge_code, participant.badge_revision) == (second, 2)


def test_one_persons_badge_and_clear_errors(database) -> None:
    ids = _seed(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        conference = _conference(session)
        (badge,) = badges_for_conference(session, conference, actor=ACTOR,
                                         person_id=ids["Чолић"])
        assert badge.family_name == "Чолић"
        stranger = Person(given_name="Besa", family_name="Morina")
        session.add(stranger)
        session.flush()
        with pytest.raises(NotFoundError, match=f"Person {stranger.id} is not a participant "
                                                "of SB-CI"):
            badges_for_conference(session, conference, actor=ACTOR, person_id=stranger.id)
        with pytest.raises(ValidationError, match="Marko Anđelković is declined"):
            badges_for_conference(session, conference, actor=ACTOR,
                                  person_id=ids["Anđelković"])


def test_badge_export_is_audited(database) -> None:
    _seed(database)
    with unit_of_work(database.sessions, ACTOR) as session:
        pdf = render_conference_badges(session, _conference(session), actor=ACTOR)
    assert pdf.startswith(b"%PDF")
    with unit_of_work(database.sessions, ACTOR) as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.action == AuditAction.EXPORT))
    assert event is not None and event.actor == ACTOR
    assert "badge PDF of SB-CI: 4 badge(s), layout a6-4up" in event.summary


def test_conference_without_admissible_participants_says_so(database) -> None:
    with unit_of_work(database.sessions, ACTOR) as session:
        conference = Conference(code="SB-EMPTY", title="Empty", starts_at=T0,
                                ends_at=T0 + timedelta(hours=8), calendar_uid="empty@test")
        session.add(conference)
        session.flush()
        with pytest.raises(ValidationError, match="No badges to print for SB-EMPTY"):
            render_conference_badges(session, conference, actor=ACTOR)


def test_every_offered_layout_renders(database) -> None:
    _seed(database)
    assert {"a6-4up", "a6-single", "badge-54x90", "id1"} <= set(badge_layouts())
    with unit_of_work(database.sessions, ACTOR) as session:
        for layout in badge_layouts():
            pdf = render_conference_badges(session, _conference(session), actor=ACTOR,
                                           layout=layout)
            assert pdf.startswith(b"%PDF-")
