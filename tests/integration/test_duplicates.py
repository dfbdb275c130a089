"""Duplicate persons: found across case, diacritics and script; merged without losing any of
their history, and the desk still answers right for both badges afterwards."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from smartconf.__main__ import main
from smartconf.core.enums import (
    AgendaRole,
    AgendaSessionKind,
    AuditAction,
    ConsentPurpose,
    InteractionKind,
    OrganisationKind,
    OutcomeKind,
    ParticipantRole,
    ParticipantStatus,
    Verdict,
)
from smartconf.core.errors import NotFoundError, ValidationError
from smartconf.models import (
    AgendaSession,
    AgendaSessionPerson,
    Assessment,
    AuditEvent,
    CheckIn,
    Conference,
    Consent,
    Interaction,
    Outcome,
    Participant,
    Person,
    RevokedBadge,
)
from smartconf.services import engagement, organisations, persons
from smartconf.services.badges import issue_badge
from smartconf.services.checkin import check_in
from smartconf.services.duplicates import find_duplicates, merge_persons
from smartconf.services.organisations import OrganisationInput
from smartconf.services.person_search import PersonFilter, search_person_ids
from smartconf.services.persons import PersonInput
from smartconf.store.session import unit_of_work

ACTOR = "arta"
START = datetime(2027, 3, 16, 7, tzinfo=UTC)


def _person(session, given: str, family: str, org_id: int | None = None, **details) -> int:
    person = persons.create_person(session, PersonInput(given, family, **details), actor=ACTOR)
    if org_id is not None:
        persons.add_affiliation(session, person.id, org_id, actor=ACTOR)
    return person.id


@pytest.fixture
def people(database) -> dict[str, int]:
    with unit_of_work(database.sessions, ACTOR) as session:
        ministry = organisations.create_organisation(session, OrganisationInput(
            "Ministria e Punëve të Brendshme", OrganisationKind.MINISTRY), actor=ACTOR).id
        police = organisations.create_organisation(session, OrganisationInput(
            "Policia e Kosovës", OrganisationKind.POLICE_SECURITY), actor=ACTOR).id
        ids = {
            "arber": _person(session, "Arbër", "Çeku", ministry, emails=["arber@mpb.example"],
                             phones=["044 111 111"], tags=["vip"]),
            "arber2": _person(session, "ARBER", "CEKU", ministry,
                              emails=["a.ceku@gmail.example"], phones=["+383 44 111 111",
                                                                        "045 222 333"],
                              tags=["cyber"], position="Adviser", notes="Met in Tirana"),
            "djordje": _person(session, "Ђорђе", "Чолић"),
            "djordje2": _person(session, "Djordje", "Colic"),
            "arianit": _person(session, "Arianit", "Krasniqi"),
            "arianit2": _person(session, "Arianit", "Krasnqi"),  # a typo
            "vjosa": _person(session, "Vjosa", "Berisha", ministry),
            "vjosa2": _person(session, "Vjosa", "Berisha", police),
            "lirim": _person(session, "Lirim", "Gashi", police),
        }
        return {**ids, "ministry": ministry, "police": police}


def test_duplicates_are_grouped_likely_first(database, people) -> None:
    with database.sessions() as session:
        groups = find_duplicates(session)
    found = [(g.confidence, g.score, g.reasons, [m.person_id for m in g.members])
             for g in groups]
    assert found == [
        ("likely", 100, ("same name", "same organisation", "same phone"),
         [people["arber"], people["arber2"]]),
        ("likely", 100, ("same name", "no organisation"),
         [people["djordje"], people["djordje2"]]),
        ("likely", 97, ("similar names (97)", "no organisation"),
         [people["arianit"], people["arianit2"]]),
        ("possible", 100, ("same name",), [people["vjosa"], people["vjosa2"]]),
    ]
    first = groups[0].as_json()["persons"][1]
    assert first == {"id": people["arber2"], "name": "ARBER CEKU",
                     "organisations": ["Ministria e Punëve të Brendshme"],
                     "emails": ["a.ceku@gmail.example"],
                     "phones": ["+38344111111", "+38345222333"]}
    with database.sessions() as session:
        assert len(find_duplicates(session, limit=2)) == 2
        assert find_duplicates(session, threshold=98)[-1].members[0].name == "Vjosa Berisha"


def _history(database, people) -> dict[str, int]:
    """Two records of one man with a history each, at two conferences."""
    with unit_of_work(database.sessions, ACTOR) as session:
        first = Conference(code="SB-CI-2027", title="CI", starts_at=START,
                           ends_at=START + timedelta(hours=9), calendar_uid="ci@test")
        second = Conference(code="SB-CSA-2027", title="CSA", starts_at=START + timedelta(90),
                            ends_at=START + timedelta(days=90, hours=9), calendar_uid="csa@t")
        panel, workshop = (AgendaSession(conference=first, kind=kind, title=kind.value,
                                         starts_at=START + timedelta(hours=h),
                                         ends_at=START + timedelta(hours=h + 1),
                                         calendar_uid=f"{kind.value}@test")
                           for kind, h in ((AgendaSessionKind.PANEL, 1),
                                           (AgendaSessionKind.WORKSHOP, 3)))
        session.add_all([first, second, panel, workshop])
        session.flush()
        keep, merge = people["arber"], people["arber2"]
        mine = Participant(conference=first, person_id=keep,
                           status=ParticipantStatus.ACCEPTED)
        theirs = Participant(conference=first, person_id=merge,
                             status=ParticipantStatus.ACCEPTED, role=ParticipantRole.SPEAKER)
        later = Participant(conference=second, person_id=merge,
                            status=ParticipantStatus.INVITED)
        session.add_all([mine, theirs, later])
        session.flush()
        codes = {name: issue_badge(session, p, actor=ACTOR, reason="first issue")
                 for name, p in (("mine", mine), ("theirs", theirs), ("later", later))}
        check_in(session, first, codes["mine"], desk="door", actor=ACTOR,
                 agenda_session_id=panel.id)
        check_in(session, first, codes["theirs"], desk="desk 1", actor=ACTOR)
        check_in(session, first, codes["theirs"], desk="door", actor=ACTOR,
                 agenda_session_id=panel.id)
        session.add_all([
            AgendaSessionPerson(agenda_session=panel, person_id=keep, role=AgendaRole.SPEAKER),
            AgendaSessionPerson(agenda_session=panel, person_id=merge,
                                role=AgendaRole.SPEAKER),
            AgendaSessionPerson(agenda_session=workshop, person_id=merge,
                                role=AgendaRole.MODERATOR),
            Outcome(agenda_session=panel, kind=OutcomeKind.COMMITMENT, text="Publish the CI "
                    "registry", committed_person_id=merge)])
        persons.add_affiliation(session, merge, people["police"], actor=ACTOR,
                                primary=False, started_on=date(2015, 1, 1))
        persons.end_affiliation(session, persons.get_person(session, merge).affiliations[-1].id,
                                actor=ACTOR, ended_on=date(2019, 1, 1))
        for person_id, purpose in ((keep, ConsentPurpose.EVENT_INVITATIONS),
                                   (merge, ConsentPurpose.PHOTOS)):
            engagement.give_consent(session, person_id, purpose, actor=ACTOR)
            engagement.assess_person(session, person_id, actor=ACTOR, influence=4, interest=3)
        engagement.log_interaction(session, actor=ACTOR, kind=InteractionKind.MEETING,
                                   summary="Both records at one meeting",
                                   person_ids=[keep, merge])
        engagement.log_interaction(session, actor=ACTOR, kind=InteractionKind.CALL,
                                   summary="A call", person_ids=[merge])
        return {**codes, "first": first.id, "second": second.id, "panel": panel.id,
                "workshop": workshop.id}


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_merge_keeps_all_history(database, people) -> None:
    made = _history(database, people)
    keep, merge = people["arber"], people["arber2"]
    with database.sessions() as session:
        before = {m: _count(session, m) for m in (CheckIn, Consent, Assessment, Interaction)}
    with unit_of_work(database.sessions, "driton") as session:
        result = merge_persons(session, keep, merge, actor="driton")
    assert result.moved == {"emails": 1, "phones": 1, "affiliations": 1, "assessments": 1,
                            "tags": 1, "consents": 1, "outcomes": 1, "interactions": 3,
                            "agenda_roles": 1, "participations": 2, "check_ins": 2}
    with database.sessions() as session:
        assert session.get(Person, merge) is None
        kept = session.get(Person, keep)
        assert [e.address for e in kept.emails] == ["arber@mpb.example", "a.ceku@gmail.example"]
        assert [e.is_primary for e in kept.emails] == [True, False]
        assert [p.number for p in kept.phones] == ["+38344111111", "+38345222333"]
        assert sorted((a.organisation_id, a.ended_on is None) for a in kept.affiliations) == \
            sorted([(people["ministry"], True), (people["police"], False)])
        assert (kept.position, kept.notes) == ("Adviser", "Met in Tirana")
        assert sorted(t.name for t in kept.tags) == ["cyber", "vip"]
        assert {m: _count(session, m) for m in before} == before  # nothing lost
        assert {c.purpose for c in session.scalars(select(Consent))} == {
            ConsentPurpose.EVENT_INVITATIONS, ConsentPurpose.PHOTOS}
        assert all(c.person_id == keep for c in session.scalars(select(Consent)))
        meeting = session.scalar(select(Interaction).where(
            Interaction.summary == "Both records at one meeting"))
        assert [p.id for p in meeting.persons] == [keep]
        roles = session.execute(select(AgendaSessionPerson.agenda_session_id,
                                       AgendaSessionPerson.role)
                                .where(AgendaSessionPerson.person_id == keep)).all()
        assert sorted(roles) == sorted([(made["panel"], AgendaRole.SPEAKER),
                                        (made["workshop"], AgendaRole.MODERATOR)])
        assert session.scalar(select(Outcome.committed_person_id)) == keep
        assert search_person_ids(session, PersonFilter(text="gmail")) == [keep]
        event = session.scalar(select(AuditEvent).where(AuditEvent.summary.like("Merged%")))
        assert (event.actor, event.action, event.entity_id) == ("driton", AuditAction.UPDATE,
                                                                str(keep))
        assert event.summary == (f"Merged person {merge} (ARBER CEKU) into person {keep} "
                                 "(Arbër Çeku)")


def test_merged_participations_keep_the_advanced_status_and_check_ins(database,
                                                                      people) -> None:
    made = _history(database, people)
    keep, merge = people["arber"], people["arber2"]
    with unit_of_work(database.sessions, ACTOR) as session:
        merge_persons(session, keep, merge, actor=ACTOR)
    with unit_of_work(database.sessions, ACTOR) as session:
        rows = session.scalars(select(Participant).order_by(Participant.conference_id)).all()
        assert [(p.person_id, p.conference_id, p.status, p.role) for p in rows] == [
            (keep, made["first"], ParticipantStatus.ATTENDED, ParticipantRole.SPEAKER),
            (keep, made["second"], ParticipantStatus.INVITED, ParticipantRole.PARTICIPANT)]
        survivor = rows[0]
        assert survivor.badge_code == made["theirs"]  # the badge that was used stays valid
        check_ins = session.scalars(select(CheckIn).where(
            CheckIn.participant_id == survivor.id).order_by(CheckIn.id)).all()
        assert [(c.scope, c.voided_at is None) for c in check_ins] == [
            (f"session:{made['panel']}", True), ("conference", True),
            (f"session:{made['panel']}", False)]
        assert "duplicate person merged" in check_ins[2].void_reason
        revoked = session.scalar(select(RevokedBadge).where(RevokedBadge.code == made["mine"]))
        assert revoked.participant_id == survivor.id
        first = session.get(Conference, made["first"])
        again = check_in(session, first, made["theirs"], desk="desk 2", actor=ACTOR)
        assert again.verdict is Verdict.ALREADY_CHECKED_IN
        old = check_in(session, first, made["mine"], desk="desk 2", actor=ACTOR)
        assert old.verdict is Verdict.REJECTED and "revoked" in old.reason


def test_merge_refuses_bad_ids_and_changes_nothing(database, people) -> None:
    with pytest.raises(ValidationError, match="cannot be merged into itself"), \
            unit_of_work(database.sessions, ACTOR) as session:
        merge_persons(session, people["lirim"], people["lirim"], actor=ACTOR)
    with pytest.raises(NotFoundError, match="No person with id 999999"), \
            unit_of_work(database.sessions, ACTOR) as session:
        merge_persons(session, people["lirim"], 999999, actor=ACTOR)
    with database.sessions() as session:
        assert _count(session, Person) == 9


def test_cli_list_and_merge(capsys, database, people, tmp_path: Path) -> None:
    url = database.engine.url.render_as_string(hide_password=False)

    def cli(*argv: str) -> tuple[int, str, str]:
        code = main(["--db", url, "--data-dir", str(tmp_path), "--user", ACTOR, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = cli("duplicates", "list", "--json")
    assert code == 0 and len(json.loads(out)) == 4
    code, out, _ = cli("duplicates", "list", "--limit", "1")
    assert code == 0 and out.splitlines()[0] == \
        "likely (same name, same organisation, same phone):"
    code, out, _ = cli("duplicates", "merge", str(people["arber"]), str(people["arber2"]))
    assert code == 0 and out.startswith(f"Merged #{people['arber2']} ARBER CEKU into "
                                        f"#{people['arber']}: moved 1 emails")
    code, _, err = cli("duplicates", "merge", str(people["arber"]), str(people["arber2"]))
    assert code == 1 and err == f"smartconf: No person with id {people['arber2']}.\n"
    code, out, _ = cli("duplicates", "list", "--json")
    assert len(json.loads(out)) == 3
