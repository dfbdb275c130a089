"""The reads behind the CRM screens (services.overview) and the worker-side ordering of the
persons list, on SQLite and PostgreSQL; no widgets."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from smartconf.core.collation import collation_key, name_key
from smartconf.core.enums import (
    ConsentPurpose,
    InteractionKind,
    Language,
    ParticipantRole,
    ParticipantStatus,
)
from smartconf.models import Organisation, Person
from smartconf.services import overview
from smartconf.services.engagement import assess_person, give_consent, log_interaction
from smartconf.services.overview import PersonColumn
from smartconf.services.person_search import PersonFilter, save_filter
from smartconf.services.persons import update_person
from smartconf.store.session import read_session, unit_of_work
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.crm.person_source import ListRequest, PersonSource
from smartconf.ui.crm.sorting import merged_sort, name_sort_key, text_key
from tests.ui.seed import seed

ACTOR = "tester"


@pytest.fixture
def crm(database) -> CrmContext:
    """The seeded database: a ministry with its division, a Cyrillic-named media outlet,
    Dragan Čolić, Драган Чолић, Arta Krasniqi and Ilir Gashi (no organisation)."""
    with unit_of_work(database.sessions, ACTOR) as session:
        seed(session)
    return CrmContext(database, ACTOR)


def ids_by_name(crm: CrmContext) -> dict[str, int]:
    return dict(crm.read(lambda s: [(f"{p.given_name} {p.family_name}", p.id)
                                    for p in s.scalars(select(Person))]))


def test_list_rows_carry_contacts_organisation_country_and_tags(crm):
    ids = ids_by_name(crm)
    rows = crm.read(overview.person_list_rows, list(ids.values()))
    dragan = rows[ids["Dragan Čolić"]]
    assert (dragan.organisation, dragan.country, dragan.email, dragan.tags) == (
        "Cyber Security Division", "XK", "dragan.colic@example.org", ("cyber",))
    cyrillic = rows[ids["Драган Чолић"]]
    assert (cyrillic.latin_name, cyrillic.organisation) == ("Dragan Čolić",
                                                            "Радио Контакт Плус")
    ilir = rows[ids["Ilir Gashi"]]
    assert (ilir.organisation, ilir.email, ilir.influence) == ("", "", None)
    assert crm.read(overview.person_list_rows, [10**9]) == {}


@pytest.mark.parametrize("column", list(PersonColumn))
def test_sort_values_of_every_column_by_id(crm, column):
    ids = ids_by_name(crm)
    everyone = crm.read(overview.person_sort_values, column)
    some = crm.read(overview.person_sort_values, column, [ids["Arta Krasniqi"]])
    assert set(some) <= {ids["Arta Krasniqi"]}
    assert all(everyone.get(pid) == value for pid, value in some.items())
    if column is PersonColumn.NAME:
        assert everyone[ids["Драган Чолић"]] == ("Чолић", "Драган")
    if column is PersonColumn.LATIN_NAME:
        assert everyone[ids["Драган Чолић"]] == ("Čolić", "Dragan")
    if column is PersonColumn.ORGANISATION:
        assert everyone[ids["Ilir Gashi"]] is None


def test_influence_and_interest_are_the_newest_assessment(crm):
    pid = ids_by_name(crm)["Arta Krasniqi"]
    crm.write(lambda s, *, actor: assess_person(s, pid, actor=actor, influence=2, interest=5,
                                                assessed_on=date(2026, 1, 5)).id)
    crm.write(lambda s, *, actor: assess_person(s, pid, actor=actor, influence=4, interest=1,
                                                assessed_on=date(2026, 6, 5)).id)
    assert crm.read(overview.person_sort_values, PersonColumn.INFLUENCE)[pid] == 4
    row = crm.read(overview.person_list_rows, [pid])[pid]
    assert (row.influence, row.interest) == (4, 1)


def test_person_detail_gathers_the_panel(crm):
    pid = ids_by_name(crm)["Dragan Čolić"]
    crm.write(lambda s, *, actor: log_interaction(
        s, actor=actor, kind=InteractionKind.MEETING, summary="Briefing", person_ids=[pid]).id)
    crm.write(lambda s, *, actor: give_consent(s, pid, ConsentPurpose.PHOTOS, actor=actor).id)
    crm.write(lambda s, *, actor: assess_person(s, pid, actor=actor, influence=3,
                                                interest=4).id)
    detail = crm.read(overview.person_detail, pid)
    assert detail.name == "Dragan Čolić" and detail.language is Language.SERBIAN
    assert [a.organisation for a in detail.affiliations] == ["Cyber Security Division"]
    assert [(i.kind, i.summary, i.created_by) for i in detail.interactions] == [
        (InteractionKind.MEETING, "Briefing", ACTOR)]
    assert detail.consent_for(ConsentPurpose.PHOTOS).withdrawn_at is None
    assert detail.consent_for(ConsentPurpose.NEWSLETTER) is None
    assert [(a.influence, a.interest) for a in detail.assessments] == [(3, 4)]
    assert [(p.conference_code, p.role, p.status) for p in detail.participations] == [
        ("SB-CI", ParticipantRole.SPEAKER, ParticipantStatus.ATTENDED)]


def test_choices_smart_groups_and_organisation_forms(crm):
    choices = crm.read(overview.filter_choices)
    assert choices.tags == ("cyber",) and choices.countries == ("XK",)
    assert [c.value for c in choices.conferences] == ["SB-CI"]
    crm.write(lambda s, *, actor: save_filter(s, "Cyber", PersonFilter(tags=("cyber",)),
                                              actor=actor).id)
    (group,) = crm.read(overview.smart_groups)
    assert (group.name, group.criteria.tags, group.count) == ("Cyber", ("cyber",), 2)
    ministry = crm.read(lambda s: s.scalar(select(Organisation.id).where(
        Organisation.acronym == "MPB")))
    (division,) = crm.read(overview.organisation_children, ministry)
    assert crm.read(overview.organisation_form, division).parent_id == ministry
    assert [c.text for c in crm.read(overview.organisation_choices)][-1] == \
        "Радио Контакт Плус"


# --- ordering on the worker ----------------------------------------------------------------


def listed(crm: CrmContext, source: PersonSource, **request) -> list[str]:
    names = {pid: name for name, pid in ids_by_name(crm).items()}
    return [names[pid] for pid in source.list(ListRequest(**request), 2).ids]


def test_source_orders_by_collation_with_empty_values_last(crm):
    source = PersonSource(crm)
    assert listed(crm, source, column=PersonColumn.NAME, language="sr") == [
        "Dragan Čolić", "Ilir Gashi", "Arta Krasniqi", "Драган Чолић"]  # č < g; Cyrillic last
    assert listed(crm, source, column=PersonColumn.NAME, language="sq") == [
        "Dragan Čolić", "Драган Чолић", "Ilir Gashi", "Arta Krasniqi"]  # č, ч read as c
    assert set(listed(crm, source, column=PersonColumn.LATIN_NAME, language="sr")[:2]) == {
        "Dragan Čolić", "Драган Чолић"}  # the same Latin name
    for descending in (False, True):
        by_organisation = listed(crm, source, column=PersonColumn.ORGANISATION,
                                 descending=descending)
        assert by_organisation[-1] == "Ilir Gashi"
    assert listed(crm, source, column=PersonColumn.ORGANISATION)[:2] == [
        "Dragan Čolić", "Arta Krasniqi"]  # Cyber Security Division < Ministry
    result = source.list(ListRequest(criteria=PersonFilter(text="colic")), 1)
    assert len(result.ids) == 2 and list(result.rows) == result.ids[:1]


def test_cached_keys_follow_an_edit_once_invalidated(crm):
    source = PersonSource(crm)
    ids = ids_by_name(crm)
    assert listed(crm, source, language="sq")[2] == "Ilir Gashi"
    pid = ids["Ilir Gashi"]
    data = crm.read(overview.person_form, pid)
    crm.write(update_person, pid, replace(data, family_name="Zeka"))
    assert listed(crm, source, language="sq")[2] == "Ilir Zeka"  # the old key is kept...
    source.sort_keys.invalidate([pid])
    assert listed(crm, source, language="sq")[-1] == "Ilir Zeka"  # ...until invalidated


LETTERS = "aAbcçČćdDđeëEfgjlnrsšxyzž ЂђЧчЉљ-"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(LETTERS, max_size=8), min_size=2, max_size=12),
       st.sampled_from(["sq", "sr", "en"]))
def test_bytes_keys_order_as_the_collation(texts, language):
    assert sorted(texts, key=lambda t: text_key(t, language)) == sorted(
        texts, key=lambda t: collation_key(t, language))
    pairs = [(t, t[::-1]) for t in texts]
    by_bytes = sorted(pairs, key=lambda p: name_sort_key(*p, language))
    by_name = sorted(pairs, key=lambda p: name_key(*p, language))
    assert [name_key(*p, language)[0][0] for p in by_bytes] == [
        name_key(*p, language)[0][0] for p in by_name]  # same order of family names


def test_merged_sort_is_a_stable_sort_of_long_lists():
    ids = list(range(23_456))
    keys = {i: (i * 7919) % 1000 for i in ids}
    assert merged_sort(ids, keys) == sorted(ids, key=keys.__getitem__)
    assert merged_sort(ids[:10], keys) == sorted(ids[:10], key=keys.__getitem__)


def test_database_reads_work_inside_a_worker_session(database, crm):
    with read_session(database.sessions) as session:
        assert len(overview.person_list_rows(session, [1, 2, 3, 4])) == 4
