"""The persons list of the Stakeholders page: search as you type, filters, smart groups,
columns, collation."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QAbstractItemModelTester, QTest
from PySide6.QtWidgets import QApplication, QDialog

from smartconf.core.collation import collation_key
from smartconf.core.enums import ConsentPurpose, OrganisationKind, ParticipantStatus
from smartconf.core.text import fold
from smartconf.services.person_search import PersonFilter, list_filters, search_persons
from smartconf.services.persons import PersonInput, create_person
from smartconf.store.session import unit_of_work
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.crm.jobs import LatestJob
from smartconf.ui.crm.person_list_model import PersonListModel
from smartconf.ui.crm.person_source import PersonSource
from smartconf.ui.pages.stakeholders import StakeholdersPage
from tests.ui.demo_data import Known
from tests.ui.test_crm_support import (
    ACTOR,
    TIMEOUT_MS,
    column,
    fresh,
    open_page,
    search,
    wait_list,
)

M = PersonListModel


@pytest.fixture
def page(qtbot, demo_database) -> StakeholdersPage:
    return open_page(qtbot, demo_database)


def add_persons(database, *names: tuple[str, str]) -> None:
    with unit_of_work(database.sessions, ACTOR) as session:
        for given, family in names:
            create_person(session, PersonInput(given, family), actor=ACTOR)


def matching_ids(database, criteria: PersonFilter) -> set[int]:
    return set(fresh(database, lambda s: search_persons(s, criteria).ids))


def shown_ids(model: PersonListModel) -> set[int]:
    return {model.person_id(row) for row in range(model.rowCount())}


# --- search as you type ------------------------------------------------------------------


def test_the_list_shows_everyone_with_a_count(qtbot, page, demo_database):
    everyone = matching_ids(demo_database, PersonFilter())
    assert shown_ids(page.persons) == everyone
    assert page.person_count.text() == f"{len(everyone)} persons"
    names = column(qtbot, page.persons)
    assert Known.cyrillic_colic in names
    row = names.index(Known.cyrillic_colic)
    assert page.persons.index(row, M.LATIN_NAME).data() == Known.latin_colic


@pytest.mark.parametrize("typed", ["colic", "Čolić", "Чолић"])
def test_search_as_you_type_finds_both_scripts(qtbot, demo_database, typed):
    add_persons(demo_database, ("Dragan", "Čolić"))
    page = open_page(qtbot, demo_database)
    search(qtbot, page, typed)
    names = column(qtbot, page.persons)
    assert Known.cyrillic_colic in names and "Dragan Čolić" in names
    latin = column(qtbot, page.persons, M.LATIN_NAME)
    assert all("colic" in fold(name) for name in latin)
    assert page.person_count.text() == f"{len(names)} persons"


def test_typing_waits_for_a_pause_and_shows_the_last_text(qtbot, page):
    everyone = page.persons.total()
    page.search.setFocus()
    QTest.keyClicks(page.search, "ceku")
    assert page.persons.total() == everyone  # nothing asked yet: the timer runs
    qtbot.waitUntil(lambda: page.persons.query().text == "ceku", timeout=TIMEOUT_MS)
    wait_list(qtbot, page.persons)
    assert 0 < page.persons.total() < everyone
    assert all("Çeku" in name for name in column(qtbot, page.persons))


def test_a_stale_answer_is_dropped(qtbot):
    jobs = LatestJob()
    release = threading.Event()
    results: list[str] = []
    jobs.finished.connect(results.append)
    jobs.submit(lambda: release.wait(10) and "old")
    jobs.submit(lambda: "overtaken")  # waits, then is replaced by the next one
    jobs.submit(lambda: "newest")
    release.set()
    qtbot.waitUntil(lambda: not jobs.is_busy(), timeout=TIMEOUT_MS)
    assert results == ["newest"]


def test_no_match_says_so_and_clears_the_filters(qtbot, page, demo_database):
    search(qtbot, page, "zzzz-nobody")
    assert page.persons.rowCount() == 0
    assert page.persons_empty.is_empty()
    assert page.persons_empty.message.text() == "No persons match “zzzz-nobody”."
    assert page.persons_empty.button.isVisibleTo(page)
    QTest.mouseClick(page.persons_empty.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.persons.query() == PersonFilter(), timeout=TIMEOUT_MS)
    wait_list(qtbot, page.persons)
    assert page.search.text() == ""
    assert shown_ids(page.persons) == matching_ids(demo_database, PersonFilter())


def test_ctrl_f_focuses_the_search_and_ctrl_n_opens_a_new_person(qtbot, page):
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page)
    page.persons_view.setFocus()
    QTest.keySequence(page, QKeySequence(QKeySequence.StandardKey.Find))
    assert page.search.hasFocus()
    QTest.keySequence(page, QKeySequence(QKeySequence.StandardKey.New))
    assert isinstance(page.dialog, QDialog) and page.dialog.isVisible()
    assert page.dialog.windowTitle() == "New person"
    page.dialog.reject()


# --- filters and smart groups ------------------------------------------------------------


FILTERS = [
    ("kinds", (OrganisationKind.MINISTRY.value,),
     PersonFilter(organisation_kinds=("ministry",))),
    ("statuses", (ParticipantStatus.ATTENDED.value,),
     PersonFilter(participant_statuses=("attended",))),
]


@pytest.mark.parametrize(("widget", "values", "criteria"), FILTERS)
def test_filters_change_the_rows(qtbot, page, demo_database, widget, values, criteria):
    everyone = page.persons.total()
    page.filters_action.trigger()
    assert page.filters.isVisible()
    getattr(page.filters, widget).set_values(values)
    qtbot.waitUntil(lambda: page.persons.query() == criteria, timeout=TIMEOUT_MS)
    wait_list(qtbot, page.persons)
    expected = matching_ids(demo_database, criteria)
    assert 0 < len(expected) < everyone
    assert shown_ids(page.persons) == expected
    assert page.filters_action.text() == "Filters (1)"


def test_consent_and_assessment_filters_combine_with_the_text(qtbot, page, demo_database):
    panel = page.filters
    panel.consent_purpose.setCurrentIndex(panel.consent_purpose.findData(
        ConsentPurpose.EVENT_INVITATIONS.value))
    panel.consent_state.setCurrentIndex(panel.consent_state.findData("given"))
    panel.min_influence.setValue(3)
    search(qtbot, page, "a")
    criteria = PersonFilter(text="a", min_influence=3, consent_purpose="event_invitations",
                            consent_state="given")
    assert page.persons.query() == criteria
    assert shown_ids(page.persons) == matching_ids(demo_database, criteria)
    assert page.persons.total() > 0


def test_smart_groups_save_show_counts_pick_and_delete(qtbot, page, demo_database):
    panel = page.filters
    panel.kinds.set_values(("ministry",))
    search(qtbot, page, "a")
    ministries = shown_ids(page.persons)
    panel.save_group("Ministries with an a")
    qtbot.waitUntil(lambda: panel.group_names() == ["Ministries with an a"], timeout=TIMEOUT_MS)
    assert panel.groups.item(0).text() == f"Ministries with an a ({len(ministries)})"
    page.clear_filters()
    qtbot.waitUntil(lambda: page.persons.query() == PersonFilter(), timeout=TIMEOUT_MS)
    wait_list(qtbot, page.persons)
    assert len(shown_ids(page.persons)) > len(ministries)
    panel.choose_group("Ministries with an a")
    assert page.search.text() == "a" and panel.kinds.values() == ("ministry",)
    qtbot.waitUntil(lambda: page.persons.query().text == "a", timeout=TIMEOUT_MS)
    wait_list(qtbot, page.persons)
    assert shown_ids(page.persons) == ministries
    panel.delete_group("Ministries with an a")
    qtbot.waitUntil(lambda: panel.group_names() == [], timeout=TIMEOUT_MS)
    assert fresh(demo_database, list_filters) == []


# --- columns and sorting -----------------------------------------------------------------


def test_column_choice_and_widths_are_remembered(qtbot, demo_database):
    page = open_page(qtbot, demo_database)
    header = page.persons_view.horizontalHeader()
    assert not header.isSectionHidden(M.EMAIL) and header.isSectionHidden(M.PHONE)
    page.columns.actions[M.EMAIL].trigger()  # unchecks: hides the e-mail column
    page.columns.actions[M.PHONE].trigger()
    header.resizeSection(M.ORGANISATION, 321)
    assert not page.columns.actions[M.NAME].isEnabled()  # the name always shows
    again = open_page(qtbot, demo_database)
    header = again.persons_view.horizontalHeader()
    assert header.isSectionHidden(M.EMAIL) and not header.isSectionHidden(M.PHONE)
    assert header.sectionSize(M.ORGANISATION) == 321
    assert not again.columns.actions[M.EMAIL].isChecked()
    assert [a.text() for a in again.columns.menu().actions()][:3] == [
        "Name", "Latin name", "Organisation"]


def family_order(qtbot, model: PersonListModel, families: list[str]) -> list[str]:
    """``families`` in the order of their first appearance in the list."""
    seen = [name.split()[-1] for name in column(qtbot, model)]
    return sorted(families, key=seen.index)


@pytest.mark.parametrize(("language", "expected"), [
    ("sq", ["Cana", "Cvetko", "Çeku", "Dema"]),  # c < ç < d
    ("en", ["Cana", "Çeku", "Cvetko", "Dema"]),  # ç is a c
])
def test_sorting_by_name_follows_the_collation(qtbot, demo_database, language, expected):
    add_persons(demo_database, ("Arben", "Cana"), ("Goran", "Cvetko"))
    model = PersonListModel(PersonSource(CrmContext(demo_database, ACTOR)))
    model.set_language(language)
    model.sort(M.NAME, Qt.SortOrder.AscendingOrder)
    model.load()
    wait_list(qtbot, model)
    assert family_order(qtbot, model, ["Dema", "Çeku", "Cvetko", "Cana"]) == expected
    model.sort(M.NAME, Qt.SortOrder.DescendingOrder)
    wait_list(qtbot, model)
    assert family_order(qtbot, model, expected) == expected[::-1]


def test_serbian_collation_orders_c_č_ć(qtbot, demo_database):
    add_persons(demo_database, ("Ana", "Ćosić"), ("Ana", "Cvijić"), ("Ana", "Čavić"))
    model = PersonListModel(PersonSource(CrmContext(demo_database, ACTOR)))
    model.set_language("sr")
    model.set_filter(PersonFilter(text="ana"))
    model.load()
    wait_list(qtbot, model)
    assert family_order(qtbot, model, ["Ćosić", "Čavić", "Cvijić"]) == [
        "Cvijić", "Čavić", "Ćosić"]


def test_clicking_a_header_sorts_by_organisation_in_the_chosen_collation(qtbot, page):
    page.collation.setCurrentIndex(page.collation.findData("sq"))
    header = page.persons_view.horizontalHeader()
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(header.sectionViewportPosition(M.ORGANISATION) + 20, 5))
    qtbot.waitUntil(lambda: page.persons.request().column.value == "organisation",
                    timeout=TIMEOUT_MS)
    wait_list(qtbot, page.persons)
    organisations = [o for o in column(qtbot, page.persons, M.ORGANISATION) if o]
    assert organisations == sorted(organisations, key=lambda o: collation_key(o, "sq"))
    assert column(qtbot, page.persons, M.ORGANISATION)[-1] == ""  # none: last


def test_the_collation_is_remembered(qtbot, demo_database):
    page = open_page(qtbot, demo_database)
    page.collation.setCurrentIndex(page.collation.findData("sr"))
    assert page.persons.request().language == "sr"
    assert open_page(qtbot, demo_database).persons.request().language == "sr"


def test_the_model_passes_qts_model_tester(qtbot, demo_database):
    model = PersonListModel(PersonSource(CrmContext(demo_database, ACTOR)))
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    model.load()
    wait_list(qtbot, model)
    model.sort(M.ORGANISATION, Qt.SortOrder.DescendingOrder)
    wait_list(qtbot, model)
    assert model.rowCount() == model.total() > 0
    assert model.headerData(M.INFLUENCE, Qt.Orientation.Horizontal) == "Influence"


def test_tools_plug_into_the_page(qtbot, page):
    assert page.tools_button.isVisibleTo(page)  # the standard tools are plugged in
    before = list(page.tools_menu.actions())
    ran: list[int | None] = []
    action = QAction("Count the selected person", page)
    action.triggered.connect(lambda: ran.append(page.selected_person_id()))
    page.add_tool_action(action)
    assert page.tools_menu.actions() == [*before, action]
    page.persons_view.selectRow(0)
    action.trigger()
    assert ran == [page.persons.person_id(0)] and ran[0] is not None


def test_enter_in_the_search_selects_the_first_person_found(qtbot, page, demo_database):
    page.search.setFocus()
    QTest.keyClicks(page.search, "krasniqi")
    QTest.keyClick(page.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.persons.query().text == "krasniqi", timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: page.selected_person_id() is not None, timeout=TIMEOUT_MS)
    assert page.selected_person_id() == page.persons.person_id(0)
    assert page.focusWidget() is page.persons_view
    qtbot.waitUntil(lambda: page.panel.detail is not None
                    and "Krasniqi" in page.panel.detail.name, timeout=TIMEOUT_MS)
