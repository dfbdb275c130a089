"""services.overview: the read-only queries behind the pages, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from smartconf.core.enums import ParticipantStatus
from smartconf.models import CheckIn, Conference, Person
from smartconf.services import overview
from smartconf.services.overview import PersonOrder
from smartconf.services.person_search import PersonFilter, count_persons
from smartconf.store.session import read_session, unit_of_work
from tests.ui.seed import seed


@pytest.fixture
def read(database):
    """Runs a query in a short read session (as the GUI does) over the seeded database."""
    with unit_of_work(database.sessions, "tester") as session:
        seed(session)

    def run(query, *args, **kwargs):
        with read_session(database.sessions) as session:
            return query(session, *args, **kwargs)

    return run


def conference_id(read) -> int:
    return read(lambda s: s.scalar(select(Conference.id).where(Conference.code == "SB-CI")))


def persons(read, *args, **kwargs) -> list:
    return list(read(overview.search_persons, *args, **kwargs).rows)


def test_conference_cards_count_participants_by_status_and_check_ins(read):
    (card,) = read(overview.conference_cards)
    assert card.title == "Critical Infrastructure Resilience in Kosovo"
    assert card.starts_at.hour == 9 and card.starts_at.utcoffset().total_seconds() == 7200
    funnel = dict(card.funnel)
    assert [s for s, _ in card.funnel] == list(overview.FUNNEL)
    assert funnel[ParticipantStatus.ATTENDED] == 2 and funnel[ParticipantStatus.INVITED] == 1
    assert card.participants == 4
    assert (card.checked_in, card.expected) == (2, 3)


@pytest.mark.parametrize("typed", ["colic", "ČOLIĆ", "Чолић", "dragan colic", "  colic  "])
def test_search_ignores_case_diacritics_and_script(read, typed):
    found = persons(read, typed)
    assert {p.name for p in found} == {"Dragan Čolić", "Драган Чолић"}
    assert read(count_persons, PersonFilter(text=typed)) == 2


def test_search_matches_every_word_anywhere(read):
    assert [p.name for p in persons(read, "arta ministry")] == [
        "Arta Krasniqi"]
    assert persons(read, "arta radio") == []


def test_search_treats_like_wildcards_as_text(read):
    assert persons(read, "%") == []
    assert persons(read, "_") == []
    assert len(persons(read, "")) == 4


def test_person_rows_carry_latin_name_organisation_and_tags(read):
    rows = {p.name: p for p in persons(read)}
    cyrillic = rows["Драган Чолић"]
    assert cyrillic.latin_name == "Dragan Čolić"
    assert cyrillic.organisation == "Радио Контакт Плус"
    latin = rows["Dragan Čolić"]
    assert latin.organisation == "Cyber Security Division" and latin.tags == ("cyber",)
    assert rows["Ilir Gashi"].organisation == ""


@pytest.mark.parametrize("order", list(PersonOrder))
@pytest.mark.parametrize("descending", [False, True])
def test_pages_chain_without_gaps_or_repeats(read, order, descending):
    everyone = [p.id for p in persons(read, order=order, descending=descending)]
    chained, after = [], None
    while True:
        page = read(overview.search_persons, after=after, limit=3, order=order,
                    descending=descending)
        chained += [p.id for p in page.rows]
        if page.after is None:
            break
        after = page.after
    assert chained == everyone and len(everyone) == 4


@pytest.mark.parametrize("order", list(PersonOrder))
def test_persons_order_by_every_column_both_ways(read, order):
    up = [p.id for p in persons(read, order=order)]
    down = [p.id for p in persons(read, order=order, descending=True)]
    assert sorted(up) == sorted(down) and up == down[::-1]


def test_persons_order_by_organisation(read):
    rows = persons(read, order=PersonOrder.ORGANISATION)
    assert [p.organisation for p in rows] == ["", "Cyber Security Division",
                                              "Ministry of Internal Affairs",
                                              "Радио Контакт Плус"]


def test_erased_persons_are_not_listed(database, read):
    with unit_of_work(database.sessions, "tester") as session:
        person = session.scalar(select(Person).where(Person.family_name == "Gashi"))
        person.erased_at = datetime.now(UTC)
    assert "Ilir Gashi" not in {p.name for p in persons(read)}
    assert len(persons(read)) == 3


def test_search_takes_a_whole_person_filter(read):
    rows = persons(read, PersonFilter(tags=("cyber",)))
    assert {p.name for p in rows} == {"Dragan Čolić", "Arta Krasniqi"}


def test_agenda_in_the_conference_time_zone_with_speakers(read):
    agenda = read(overview.conference_agenda, conference_id(read))
    assert [a.title for a in agenda] == ["Opening remarks", "Protecting the grid"]
    panel = agenda[1]
    assert (panel.starts_at.hour, panel.starts_at.minute) == (10, 0)
    assert str(panel.starts_at.tzinfo) == "Europe/Belgrade"
    assert panel.room == "Room B"
    assert panel.speakers == ("Arta Krasniqi",) and panel.moderators == ("Ilir Gashi",)
    assert read(overview.conference_agenda, 999_999) == []


def test_rooms_and_participants_of_a_conference(read):
    cid = conference_id(read)
    assert [r.name for r in read(overview.conference_rooms, cid)] == ["Main hall", "Room B"]
    participants = {p.name: p for p in read(overview.conference_participants, cid)}
    assert len(participants) == 4
    assert participants["Arta Krasniqi"].organisation == "Ministry of Internal Affairs"
    assert participants["Драган Чолић"].status is ParticipantStatus.ACCEPTED


def test_checkin_summary_lists_valid_admissions_newest_first(database, read):
    cid = conference_id(read)
    summary = read(overview.checkin_summary, cid)
    assert (summary.checked_in, summary.expected) == (2, 3)
    assert [r.name for r in summary.recent] == ["Arta Krasniqi", "Dragan Čolić"]
    assert summary.recent[0].checked_in_at.strftime("%H:%M") == "08:41"
    with unit_of_work(database.sessions, "tester") as session:
        first = session.scalar(select(CheckIn).where(CheckIn.desk == "Desk 1"))
        first.voided_at, first.voided_by, first.void_reason = datetime.now(UTC), "ana", "test"
    summary = read(overview.checkin_summary, cid)
    assert summary.checked_in == 1 and [r.desk for r in summary.recent] == ["Desk 2"]


def test_outcomes_overdue_only_when_open_and_past_due(read):
    before = {o.text: o for o in read(overview.outcome_rows, today=date(2027, 9, 30))}
    after = {o.text: o for o in read(overview.outcome_rows, today=date(2027, 10, 1))}
    register = "Publish the critical infrastructure register"
    assert not before[register].overdue and after[register].overdue
    assert after[register].committed_by == "Arta Krasniqi (Ministry of Internal Affairs)"
    assert after[register].owner == "Ana Berisha"
    assert after[register].conference_code == "SB-CI"
    done = after["Train operators in incident reporting"]
    assert not done.overdue and done.committed_by == "" and done.due_on is None
