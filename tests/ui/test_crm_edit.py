"""Creating, editing and deleting persons and organisations from the Stakeholders page, with
undo and redo (Ctrl+Z / Ctrl+Shift+Z in the main window), checked in the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from smartconf.core.enums import Language, OrganisationKind
from smartconf.models import Affiliation, Assessment, Consent, Organisation, Person
from smartconf.services.overview import organisation_form, person_form
from smartconf.services.persons import get_person
from smartconf.ui.crm.person_dialog import PersonDialog
from smartconf.ui.pages.stakeholders import StakeholdersPage
from tests.ui.demo_data import Known
from tests.ui.test_crm_support import (
    TIMEOUT_MS,
    activate,
    click_ok,
    column,
    fresh,
    open_page,
    person_id,
    search,
    wait_list,
)


@pytest.fixture
def page(qtbot, window) -> StakeholdersPage:
    """The Stakeholders page of the main window (whose Edit menu undoes)."""
    window.show_page(1)
    page = window.page(StakeholdersPage)
    activate(qtbot, window)
    wait_list(qtbot, page.persons)
    return page


def press(qtbot, window, sequence: QKeySequence.StandardKey) -> None:
    """Press a shortcut in the main window (active again after a dialog, as a window manager
    makes it) with the focus in the list (a text field undoes its own typing)."""
    activate(qtbot, window)
    page = window.page(StakeholdersPage)
    view = page.persons_view if page.tabs.currentIndex() == 0 else \
        page.organisations_tab.view
    view.setFocus()
    QTest.keySequence(window, QKeySequence(sequence))


def count(database, model) -> int:
    return fresh(database, lambda s: s.scalar(select(func.count()).select_from(model)))


def select_person(qtbot, page: StakeholdersPage, pid: int) -> None:
    qtbot.waitUntil(lambda: page.persons.row_of(pid) >= 0, timeout=TIMEOUT_MS)
    page.persons_view.selectRow(page.persons.row_of(pid))
    page.persons_view.setFocus()


def fill_new_person(dialog: PersonDialog, given: str, family: str, email: str) -> None:
    dialog.given_name.setText(given)
    dialog.family_name.setText(family)
    dialog.position.setText("Analyst")
    dialog.emails.setText(email)
    dialog.language.setCurrentIndex(dialog.language.findData(Language.SERBIAN))
    dialog.organisation.setEditText(Known.ministry)


# --- persons -----------------------------------------------------------------------------


def test_create_person_then_undo_and_redo(qtbot, window, page, demo_database):
    dialog = page.new_person()
    fill_new_person(dialog, "Мирјана", "Лазић", "mirjana.lazic@example.org")
    click_ok(dialog)
    assert not dialog.isVisible()
    pid = person_id(demo_database, "Мирјана", "Лазић")
    assert fresh(demo_database, lambda s: (get_person(s, pid).given_name_latin,
                                           get_person(s, pid).family_name_latin)) == (
        "Mirjana", "Lazić")
    organisations = fresh(demo_database, lambda s: [a.organisation.name for a in
                                                    get_person(s, pid).affiliations])
    assert organisations == [Known.ministry]
    qtbot.waitUntil(lambda: page.selected_person_id() == pid, timeout=TIMEOUT_MS)
    assert page.undo_stack.undoText() == "Create Мирјана Лазић"

    press(qtbot, window, QKeySequence.StandardKey.Undo)
    assert person_id(demo_database, "Мирјана", "Лазић") is None
    qtbot.waitUntil(lambda: page.persons.row_of(pid) < 0, timeout=TIMEOUT_MS)

    press(qtbot, window, QKeySequence.StandardKey.Redo)
    assert person_id(demo_database, "Мирјана", "Лазић") == pid  # the same person again
    assert fresh(demo_database, lambda s: get_person(s, pid).emails[0].address) == \
        "mirjana.lazic@example.org"
    qtbot.waitUntil(lambda: page.persons.row_of(pid) >= 0, timeout=TIMEOUT_MS)


def test_invalid_email_is_shown_at_the_field_and_nothing_is_written(qtbot, page,
                                                                     demo_database):
    before = count(demo_database, Person)
    dialog = page.new_person()
    fill_new_person(dialog, "Arta", "Hoxha", "arta.hoxha-at-example.org")
    click_ok(dialog)
    assert dialog.isVisible()
    assert "is not a valid e-mail address" in dialog.error_text("email")
    assert dialog.findChild(type(dialog.general_error), "error_email").isVisible()
    assert dialog.error_text("given_name") == "" and dialog.error_text() == ""
    assert dialog.focusWidget() is dialog.emails
    assert count(demo_database, Person) == before
    assert page.undo_stack.count() == 0
    dialog.emails.setText("arta.hoxha@example.org")
    click_ok(dialog)
    assert not dialog.isVisible() and count(demo_database, Person) == before + 1


def test_a_missing_name_and_an_unknown_organisation_are_named(qtbot, page, demo_database):
    dialog = page.new_person()
    fill_new_person(dialog, "", "Hoxha", "")
    click_ok(dialog)
    assert dialog.error_text("given_name") == "is required"
    dialog.given_name.setText("Arta")
    dialog.organisation.setEditText("Ministry of Nothing")
    click_ok(dialog)
    assert dialog.error_text("given_name") == ""
    assert "no organisation is called “Ministry of Nothing”" in dialog.error_text("organisation")
    assert person_id(demo_database, "Arta", "Hoxha") is None


def test_edit_person_then_undo_and_redo(qtbot, window, page, demo_database):
    pid = person_id(demo_database, "Ђорђе", "Чолић")
    select_person(qtbot, page, pid)
    QTest.keyClick(page.persons_view, Qt.Key.Key_F2)
    dialog = page.dialog
    assert isinstance(dialog, PersonDialog) and dialog.family_name.text() == "Чолић"
    before = dialog.details()
    dialog.position.setText("State Secretary")
    dialog.tags.setText("speaker pool, VIP")
    click_ok(dialog)
    assert fresh(demo_database, person_form, pid).position == "State Secretary"
    assert sorted(fresh(demo_database, person_form, pid).tags) == ["VIP", "speaker pool"]
    qtbot.waitUntil(lambda: page.persons.row_data(page.persons.row_of(pid)) is not None
                    and page.persons.row_data(page.persons.row_of(pid)).position
                    == "State Secretary", timeout=TIMEOUT_MS)

    press(qtbot, window, QKeySequence.StandardKey.Undo)
    assert fresh(demo_database, person_form, pid).position == before.position
    assert sorted(fresh(demo_database, person_form, pid).tags) == sorted(before.tags)
    press(qtbot, window, QKeySequence.StandardKey.Redo)
    assert fresh(demo_database, person_form, pid).position == "State Secretary"


def test_delete_person_asks_then_undo_restores_history(qtbot, window, page, demo_database):
    pid = person_id(demo_database, "Erëza", "Ahmeti")
    history = fresh(demo_database, lambda s: (
        s.scalar(select(func.count()).where(Assessment.person_id == pid)),
        s.scalar(select(func.count()).where(Consent.person_id == pid))))
    assert min(history) > 0
    select_person(qtbot, page, pid)
    QTest.keyClick(page.persons_view, Qt.Key.Key_Delete)
    question = page.dialog
    assert isinstance(question, QMessageBox) and "Erëza Ahmeti" in question.text()
    cancel = question.button(QMessageBox.StandardButton.Cancel)
    QTest.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert person_id(demo_database, "Erëza", "Ahmeti") == pid  # cancelled: kept

    activate(qtbot, window)
    QTest.keyClick(page.persons_view, Qt.Key.Key_Delete)
    delete = next(b for b in page.dialog.buttons() if b.text() == "Delete")
    QTest.mouseClick(delete, Qt.MouseButton.LeftButton)
    assert person_id(demo_database, "Erëza", "Ahmeti") is None
    qtbot.waitUntil(lambda: page.persons.row_of(pid) < 0, timeout=TIMEOUT_MS)

    press(qtbot, window, QKeySequence.StandardKey.Undo)
    assert person_id(demo_database, "Erëza", "Ahmeti") == pid
    assert fresh(demo_database, lambda s: (
        s.scalar(select(func.count()).where(Assessment.person_id == pid)),
        s.scalar(select(func.count()).where(Consent.person_id == pid)))) == history
    press(qtbot, window, QKeySequence.StandardKey.Redo)
    assert person_id(demo_database, "Erëza", "Ahmeti") is None


def test_a_participant_is_not_deleted_and_the_dialog_says_why(qtbot, page, demo_database):
    given, family = Known.participant.split()
    pid = person_id(demo_database, given, family)
    page.delete_person(pid)
    assert page.error_dialog is not None and page.error_dialog.isVisible()
    assert "takes part in" in page.error_dialog.text()
    assert person_id(demo_database, given, family) == pid
    assert page.undo_stack.count() == 0
    page.error_dialog.close()


def test_search_then_edit_keeps_the_person_selected(qtbot, page, demo_database):
    search(qtbot, page, "colic")
    pid = person_id(demo_database, "Ђорђе", "Чолић")
    select_person(qtbot, page, pid)
    dialog = page.edit_selected()
    dialog.honorific.setText("Dr.")
    click_ok(dialog)
    qtbot.waitUntil(lambda: page.panel.detail is not None
                    and page.panel.detail.name == "Dr. Ђорђе Чолић", timeout=TIMEOUT_MS)
    assert page.selected_person_id() == pid
    assert Known.cyrillic_colic in column(qtbot, page.persons)


# --- organisations -----------------------------------------------------------------------


def tree_children(model, parent_name: str) -> list[str]:
    parent = next(model.index(r, 0) for r in range(model.rowCount())
                  if model.index(r, 0).data() == parent_name)
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


def org_id(database, name: str) -> int | None:
    return fresh(database, lambda s: s.scalar(select(Organisation.id).where(
        Organisation.name == name)))


def test_organisation_tree_shows_the_division_under_the_ministry(qtbot, page):
    assert page.organisations.rowCount() == 0  # read when its tab is first shown
    page.tabs.setCurrentIndex(1)
    assert Known.division in tree_children(page.organisations, Known.ministry)


def test_new_division_inside_the_ministry_then_undo_and_redo(qtbot, window, page,
                                                            demo_database):
    page.tabs.setCurrentIndex(1)
    tab = page.organisations_tab
    tab.select(org_id(demo_database, Known.ministry))
    dialog = tab.new_division()
    assert dialog.parent_organisation.currentData() == org_id(demo_database, Known.ministry)
    dialog.name.setText("Office for Data Protection Compliance")
    click_ok(dialog)
    created = org_id(demo_database, "Office for Data Protection Compliance")
    assert fresh(demo_database, organisation_form, created).parent_id == \
        org_id(demo_database, Known.ministry)
    assert "Office for Data Protection Compliance" in tree_children(page.organisations,
                                                                    Known.ministry)
    press(qtbot, window, QKeySequence.StandardKey.Undo)
    assert org_id(demo_database, "Office for Data Protection Compliance") is None
    assert "Office for Data Protection Compliance" not in tree_children(page.organisations,
                                                                        Known.ministry)
    press(qtbot, window, QKeySequence.StandardKey.Redo)
    again = org_id(demo_database, "Office for Data Protection Compliance")
    assert fresh(demo_database, organisation_form, again).kind is OrganisationKind.MINISTRY


def test_deleting_an_organisation_with_people_is_refused_in_a_dialog(qtbot, page,
                                                                     demo_database):
    page.tabs.setCurrentIndex(1)
    tab = page.organisations_tab
    tab.select(org_id(demo_database, Known.division))
    question = tab.delete_selected()
    delete = next(b for b in question.buttons() if b.text() == "Delete")
    QTest.mouseClick(delete, Qt.MouseButton.LeftButton)
    assert page.error_dialog is not None and page.error_dialog.isVisible()
    assert "affiliation(s) and is not deleted" in page.error_dialog.text()
    assert page.error_dialog.informativeText() == "Move or end those affiliations first."
    assert org_id(demo_database, Known.division) is not None
    page.error_dialog.close()


def test_edit_and_delete_an_empty_organisation_with_undo(qtbot, window, page, demo_database):
    page.tabs.setCurrentIndex(1)
    tab = page.organisations_tab
    dialog = tab.new_organisation()
    dialog.name.setText("Kosovo Open Data Lab")
    dialog.kind.setCurrentIndex(dialog.kind.findData(OrganisationKind.CIVIL_SOCIETY))
    dialog.country.setText("x")
    click_ok(dialog)
    assert "not a two-letter country code" in dialog.error_text("country")
    assert org_id(demo_database, "Kosovo Open Data Lab") is None
    dialog.country.setText("XK")
    click_ok(dialog)
    first = org_id(demo_database, "Kosovo Open Data Lab")
    tab.select(first)
    edit = tab.edit_selected()
    edit.acronym.setText("KODL")
    click_ok(edit)
    assert fresh(demo_database, organisation_form, first).acronym == "KODL"
    question = tab.delete_selected()
    QTest.mouseClick(next(b for b in question.buttons() if b.text() == "Delete"),
                     Qt.MouseButton.LeftButton)
    assert org_id(demo_database, "Kosovo Open Data Lab") is None
    press(qtbot, window, QKeySequence.StandardKey.Undo)  # the delete
    back = org_id(demo_database, "Kosovo Open Data Lab")
    assert fresh(demo_database, organisation_form, back).acronym == "KODL"
    press(qtbot, window, QKeySequence.StandardKey.Undo)  # the edit, on the organisation put back
    assert fresh(demo_database, organisation_form, back).acronym is None
    assert fresh(demo_database, lambda s: s.scalar(select(func.count()).where(
        Affiliation.organisation_id == back))) == 0


def test_page_without_window_writes_as_the_os_user(qtbot, demo_database):
    from smartconf.ui.crm.context import current_actor

    page = StakeholdersPage(demo_database)
    qtbot.addWidget(page)
    assert page.context.actor == current_actor() != ""
    assert open_page(qtbot, demo_database).context.actor == "tester"


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2])
def test_enter_and_f2_in_the_list_edit_the_selected_person(qtbot, page, demo_database, key):
    pid = person_id(demo_database, "Ђорђе", "Чолић")
    select_person(qtbot, page, pid)
    QTest.keyClick(page.persons_view, key)
    assert isinstance(page.dialog, PersonDialog) and page.dialog.isVisible()
    assert page.dialog.windowTitle() == "Edit person"
    page.dialog.reject()
