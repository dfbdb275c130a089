"""services.stakeholder_map: one point per person of a filter, placed by the newest
assessment, coloured by the current primary organisation; SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from smartconf.core.enums import OrganisationKind
from smartconf.services import engagement, organisations, persons
from smartconf.services.organisations import OrganisationInput
from smartconf.services.person_search import HIGH, QUADRANTS, PersonFilter
from smartconf.services.persons import PersonInput
from smartconf.services.privacy import erase_person
from smartconf.services.stakeholder_map import MapPoint, map_points, quadrant_of

ACTOR = "arta"


@pytest.fixture
def world(session):
    """Five persons: re-assessed, assessed twice on one day, never assessed, moved to another
    organisation, and one without any organisation."""
    def org(name: str, kind: OrganisationKind) -> int:
        return organisations.create_organisation(
            session, OrganisationInput(name, kind), actor=ACTOR).id

    ministry = org("Ministry of Internal Affairs", OrganisationKind.MINISTRY)
    media = org("Радио Контакт Плус", OrganisationKind.MEDIA)
    ngo = org("Open Data Kosovo", OrganisationKind.CIVIL_SOCIETY)

    def person(given: str, family: str, *orgs: int) -> int:
        made = persons.create_person(session, PersonInput(given, family), actor=ACTOR)
        for organisation_id in orgs:
            persons.add_affiliation(session, made.id, organisation_id, actor=ACTOR)
        return made.id

    ids = {"arta": person("Arta", "Krasniqi", ministry),
           "dragan": person("Драган", "Чолић", media),
           "ilir": person("Ilir", "Gashi", ministry),
           "vjosa": person("Vjosa", "Berisha", media, ngo),
           "besa": person("Besa", "Hoxha")}

    def assess(key: str, influence: int, interest: int, on: date) -> None:
        engagement.assess_person(session, ids[key], actor=ACTOR, influence=influence,
                                 interest=interest, assessed_on=on)

    assess("arta", 2, 2, date(2026, 1, 10))
    assess("arta", 5, 4, date(2026, 9, 1))  # newer: the current one
    assess("arta", 1, 1, date(2025, 3, 1))  # older, added later
    assess("dragan", 4, 1, date(2026, 5, 5))
    assess("dragan", 3, 2, date(2026, 5, 5))  # same day, added later: current
    assess("vjosa", 1, 5, date(2026, 2, 2))
    assess("besa", 1, 1, date(2026, 2, 2))
    session.flush()
    return ids


def _by_key(session, world, criteria: PersonFilter | None = None) -> dict[str, MapPoint]:
    points = {p.person_id: p for p in map_points(session, criteria or PersonFilter())}
    return {key: points[pid] for key, pid in world.items() if pid in points}


def test_every_person_of_the_filter_gets_one_point_with_the_newest_assessment(session, world):
    points = _by_key(session, world)
    assert set(points) == set(world)
    assert (points["arta"].influence, points["arta"].interest) == (5, 4)
    assert (points["dragan"].influence, points["dragan"].interest) == (3, 2)
    assert points["arta"].quadrant == "manage_closely"
    assert points["dragan"].quadrant == "keep_satisfied"
    assert points["vjosa"].quadrant == "keep_informed"
    assert points["besa"].quadrant == "monitor"


def test_a_person_without_assessment_is_a_point_without_scores(session, world):
    ilir = _by_key(session, world)["ilir"]
    assert (ilir.influence, ilir.interest, ilir.quadrant, ilir.assessed) == (
        None, None, None, False)
    assert ilir.organisation == "Ministry of Internal Affairs"


def test_points_carry_the_name_as_written_and_the_primary_organisation(session, world):
    points = _by_key(session, world)
    assert points["dragan"].name == "Драган Чолић"
    assert (points["dragan"].organisation, points["dragan"].organisation_kind) == (
        "Радио Контакт Плус", OrganisationKind.MEDIA)
    # The newest affiliation became the primary one.
    assert (points["vjosa"].organisation, points["vjosa"].organisation_kind) == (
        "Open Data Kosovo", OrganisationKind.CIVIL_SOCIETY)
    assert (points["besa"].organisation, points["besa"].organisation_kind) == ("", None)


def test_an_ended_affiliation_no_longer_colours_the_point(session, world):
    vjosa = persons.get_person(session, world["vjosa"])
    current = next(a for a in vjosa.affiliations if a.is_primary)
    persons.end_affiliation(session, current.id, actor=ACTOR, ended_on=date(2026, 10, 1))
    session.flush()
    assert _by_key(session, world)["vjosa"].organisation == "Радио Контакт Плус"


def test_the_filter_decides_who_is_on_the_map(session, world):
    assert set(_by_key(session, world, PersonFilter(text="colic"))) == {"dragan"}
    assert set(_by_key(session, world, PersonFilter(quadrant="keep_informed"))) == {"vjosa"}
    assert set(_by_key(session, world, PersonFilter(
        organisation_kinds=("ministry",)))) == {"arta", "ilir"}
    assert map_points(session, PersonFilter(text="nobody by that name")) == []


def test_points_come_in_name_order_and_erased_persons_are_left_out(session, world):
    erase_person(session, world["besa"], actor=ACTOR, reason="asked to be forgotten")
    session.flush()
    names = [p.name for p in map_points(session, PersonFilter())]
    assert names == ["Vjosa Berisha", "Драган Чолић", "Ilir Gashi", "Arta Krasniqi"]


@pytest.mark.parametrize(("influence", "interest"),
                         [(i, j) for i in range(1, 6) for j in range(1, 6)])
def test_quadrant_of_agrees_with_the_search_filter(influence, interest):
    high_influence, high_interest = QUADRANTS[quadrant_of(influence, interest)]
    assert high_influence == (influence >= HIGH)
    assert high_interest == (interest >= HIGH)
