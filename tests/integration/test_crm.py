"""Stakeholder CRM services: persons, organisations, search, filters, engagement."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from smartconf.core.enums import (
    ConsentPurpose,
    InteractionKind,
    OrganisationKind,
    ParticipantStatus,
)
from smartconf.core.errors import SmartconfError, ValidationError
from smartconf.models import Conference, Participant, Person
from smartconf.services import engagement, organisations, persons
from smartconf.services.organisations import OrganisationInput
from smartconf.services.person_search import (
    PersonFilter,
    count_persons,
    load_filter,
    save_filter,
    search_person_ids,
)
from smartconf.services.persons import PersonInput
from smartconf.store.session import unit_of_work

ACTOR = "arta"


@pytest.fixture
def people(session):
    """A small world: two organisations (one a division), four persons in three scripts."""
    ministry = organisations.create_organisation(session, OrganisationInput(
        "Ministry of Internal Affairs", OrganisationKind.MINISTRY, acronym="MIA",
        sectors=["public administration"]), actor=ACTOR)
    division = organisations.create_organisation(session, OrganisationInput(
        "Division for Critical Infrastructure", OrganisationKind.MINISTRY,
        parent_id=ministry.id, sectors=["critical infrastructure"]), actor=ACTOR)
    serbian = organisations.create_organisation(session, OrganisationInput(
        "Министарство унутрашњих послова", OrganisationKind.MINISTRY, country="rs"),
        actor=ACTOR)
    made = {}
    for key, data, org in (
            ("djordje", PersonInput("Đorđe", "Čolić", emails=["djordje@example.org"],
                                    tags=["speaker-pool"]), serbian),
            ("cyrillic", PersonInput("Ђорђе", "Чолић", position="Помоћник министра"), serbian),
            ("ceku", PersonInput("Arbër", "Çeku", phones=["044 123 456"]), division),
            ("emer", PersonInput("Vjosa", "Ëmërllahu", emails=["V.Emerllahu@Example.ORG"]),
             ministry)):
        person = persons.create_person(session, data, actor=ACTOR)
        persons.add_affiliation(session, person.id, org.id, actor=ACTOR, role="Adviser")
        made[key] = person
    made.update(ministry=ministry, division=division, serbian=serbian)
    return made


def _find(session, **criteria) -> set[int]:
    return set(search_person_ids(session, PersonFilter(**criteria)))


def test_cyrillic_names_get_a_latin_form_and_contacts_are_normalised(session, people) -> None:
    cyrillic = people["cyrillic"]
    assert (cyrillic.given_name_latin, cyrillic.family_name_latin) == ("Đorđe", "Čolić")
    assert people["ceku"].phones[0].number == "+38344123456"
    assert people["emer"].emails[0].address == "V.Emerllahu@example.org"


@pytest.mark.parametrize(("typed", "expected"), [
    ("colic", {"djordje", "cyrillic"}), ("ЧОЛИЋ", {"djordje", "cyrillic"}),
    ("ceku", {"ceku"}), ("dj", {"djordje", "cyrillic"}), ("emerll", {"emer"}),
    ("critical infra", {"ceku"}), ("example.org", {"djordje", "emer"}),
    ("pomocnik", {"cyrillic"}), ("50%", set()), ("", {"djordje", "cyrillic", "ceku", "emer"}),
])
def test_search_ignores_case_diacritics_and_script(session, people, typed, expected) -> None:
    assert _find(session, text=typed) == {people[k].id for k in expected}


def test_filters(session, people) -> None:
    ids = {k: p.id for k, p in people.items()}
    assert _find(session, countries=("RS",)) == {ids["djordje"], ids["cyrillic"]}
    assert _find(session, sectors=("critical infrastructure",)) == {ids["ceku"]}
    assert _find(session, tags=("speaker-pool",)) == {ids["djordje"]}
    assert _find(session, organisation_kinds=("media",)) == set()
    engagement.assess_person(session, ids["ceku"], actor=ACTOR, influence=5, interest=4,
                             assessed_on=date(2026, 1, 1))
    engagement.assess_person(session, ids["ceku"], actor=ACTOR, influence=2, interest=4,
                             assessed_on=date(2026, 6, 1))
    engagement.assess_person(session, ids["emer"], actor=ACTOR, influence=4, interest=4)
    assert _find(session, quadrant="manage_closely") == {ids["emer"]}  # ceku's newest is low
    assert _find(session, quadrant="keep_informed") == {ids["ceku"]}
    engagement.give_consent(session, ids["emer"], ConsentPurpose.EVENT_INVITATIONS,
                            actor=ACTOR)
    engagement.give_consent(session, ids["ceku"], ConsentPurpose.EVENT_INVITATIONS,
                            actor=ACTOR)
    engagement.withdraw_consent(session, ids["ceku"], ConsentPurpose.EVENT_INVITATIONS,
                                actor=ACTOR)
    purpose = {"consent_purpose": "event_invitations"}
    assert _find(session, **purpose, consent_state="given") == {ids["emer"]}
    assert _find(session, **purpose, consent_state="withdrawn") == {ids["ceku"]}
    assert _find(session, **purpose, consent_state="none") == {ids["djordje"], ids["cyrillic"]}
    assert count_persons(session, PersonFilter(text="colic", countries=("RS",))) == 2


def test_participation_filter(session, people) -> None:
    start = datetime(2027, 3, 16, 7, tzinfo=UTC)
    conference = Conference(code="SB-CI", title="CI", starts_at=start,
                            ends_at=start + timedelta(hours=9), calendar_uid="x@t")
    session.add(conference)
    session.add(Participant(conference=conference, person=people["ceku"],
                            status=ParticipantStatus.ACCEPTED))
    session.flush()
    assert _find(session, conference="sb-ci") == {people["ceku"].id}
    assert _find(session, conference="SB-CI", participant_statuses=("declined",)) == set()


def test_saved_filters_round_trip(session, people) -> None:
    criteria = PersonFilter(text="colic", countries=("RS",), quadrant="monitor")
    save_filter(session, "Serbian ministry", criteria, actor=ACTOR)
    assert load_filter(session, "Serbian ministry") == criteria
    with pytest.raises(ValidationError, match="quadrant"):
        save_filter(session, "bad", PersonFilter(quadrant="everywhere"), actor=ACTOR)


@pytest.mark.parametrize(("data", "field"), [
    (PersonInput("", "Gashi"), "given_name"),
    (PersonInput("A" * 1000, "Gashi"), "given_name"),
    (PersonInput("Arta", "Gashi", emails=["not-an-address"]), "email"),
    (PersonInput("Arta", "Gashi", phones=["12"]), "phone"),
])
def test_bad_person_input_names_the_field_and_writes_nothing(database, data, field) -> None:
    with pytest.raises(ValidationError) as info, unit_of_work(database.sessions, ACTOR) as s:
        persons.create_person(s, data, actor=ACTOR)
    assert info.value.field == field
    with database.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 0


def test_an_email_belongs_to_one_person(session, people) -> None:
    with pytest.raises(ValidationError, match="another person"):
        persons.create_person(session, PersonInput("X", "Y", emails=["DJORDJE@example.org"]),
                              actor=ACTOR)


def test_update_keeps_history_and_search_in_step(session, people) -> None:
    data = persons.person_input(people["ceku"])
    data.family_name = "Çeku-Berisha"
    persons.update_person(session, people["ceku"].id, data, actor=ACTOR)
    assert _find(session, text="berisha") == {people["ceku"].id}


def test_delete_and_undo_restore_everything(session, people) -> None:
    person = people["emer"]
    engagement.give_consent(session, person.id, ConsentPurpose.PHOTOS, actor=ACTOR)
    engagement.assess_person(session, person.id, actor=ACTOR, influence=3, interest=5)
    engagement.log_interaction(session, actor=ACTOR, kind=InteractionKind.MEETING,
                               summary="Briefing on the CI law", person_ids=[person.id])
    snapshot = persons.delete_person(session, person.id, actor=ACTOR)
    assert session.get(Person, person.id) is None
    restored = persons.restore_person(session, snapshot, actor=ACTOR)
    assert restored.id == person.id
    assert [e.address for e in restored.emails] == ["V.Emerllahu@example.org"]
    assert restored.affiliations[0].organisation_id == people["ministry"].id
    assert engagement.active_consent(session, person.id, ConsentPurpose.PHOTOS) is not None
    assert len(restored.assessments) == 1
    assert [i.summary for i in engagement.interactions_of(session, person.id)] == [
        "Briefing on the CI law"]
    assert _find(session, text="emerllahu") == {person.id}


def test_a_participant_is_not_deleted(session, people) -> None:
    start = datetime(2027, 3, 16, 7, tzinfo=UTC)
    conference = Conference(code="C", title="C", starts_at=start,
                            ends_at=start + timedelta(hours=1), calendar_uid="c@t")
    session.add(Participant(conference=conference, person=people["ceku"]))
    session.flush()
    with pytest.raises(SmartconfError, match="takes part"):
        persons.delete_person(session, people["ceku"].id, actor=ACTOR)


def test_organisation_tree_and_cycles(session, people) -> None:
    tree = organisations.organisation_tree(session)
    ministry = next(n for n in tree if n.acronym == "MIA")
    assert [c.name for c in ministry.children] == ["Division for Critical Infrastructure"]
    assert ministry.people == 1 and ministry.children[0].people == 1
    data = OrganisationInput("Ministry of Internal Affairs", OrganisationKind.MINISTRY,
                             parent_id=people["division"].id)
    with pytest.raises(ValidationError, match="inside itself"):
        organisations.update_organisation(session, people["ministry"].id, data, actor=ACTOR)
    assert people["serbian"].name_latin == "Ministarstvo unutrašnjih poslova"
    assert organisations.find_organisation(session, "ministarstvo unutrasnjih poslova") \
        is people["serbian"]


def test_bad_organisation_input(session) -> None:
    with pytest.raises(ValidationError, match="country"):
        organisations.create_organisation(session, OrganisationInput(
            "X", OrganisationKind.MEDIA, country="Kosovo"), actor=ACTOR)
    with pytest.raises(ValidationError, match="unknown kind"):
        organisations.create_organisation(session, OrganisationInput("X", "pirates"),
                                          actor=ACTOR)
