"""The main window over the demo database: navigation, every page, search, settings."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from smartconf import __version__
from smartconf.core.text import fold
from smartconf.ui.main_window import MainWindow
from smartconf.ui.models.base import ROW_ROLE
from smartconf.ui.pages.checkin import CheckInPage
from smartconf.ui.pages.conferences import ConferencesPage
from smartconf.ui.pages.dashboard import DashboardPage
from smartconf.ui.pages.exports import BADGES, ExportsPage
from smartconf.ui.pages.outcomes import OutcomesPage
from smartconf.ui.pages.settings import SettingsPage
from smartconf.ui.pages.stakeholders import StakeholdersPage
from tests.ui.demo_data import Known

PAGE_TYPES = [DashboardPage, StakeholdersPage, ConferencesPage, CheckInPage, OutcomesPage,
              ExportsPage, SettingsPage]


def column_texts(model, column: int = 0) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_window_names_the_database_in_the_status_bar(window, demo_database):
    assert demo_database.description.startswith("SQLite ")
    assert demo_database.description in window.database_label.text()
    assert window.statusBar().isAncestorOf(window.database_label)


def test_navigation_lists_the_seven_pages_in_order(window):
    titles = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert titles == ["Dashboard", "Stakeholders", "Conferences", "Check-in", "Outcomes",
                      "Exports", "Settings"]
    assert [type(p) for p in window.pages] == PAGE_TYPES


def test_ctrl_number_shortcuts_switch_pages(window, qtbot):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    for number in (3, 5, 7, 1):
        QTest.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert isinstance(window.current_page(), PAGE_TYPES[number - 1])
    assert [a.shortcut() for a in window.page_actions] == [
        QKeySequence(f"Ctrl+{n}") for n in range(1, 8)]


def test_dashboard_shows_a_card_per_conference(window):
    page = window.page(DashboardPage)
    assert window.current_page() is page
    assert page.model.rowCount() > 0
    assert Known.conference_title in column_texts(page.model, page.model.TITLE)
    assert len(page.cards) == page.model.rowCount()
    card = next(c for c in page.cards if c.card.title == Known.conference_title)
    assert card.isVisible()
    assert "Checked in:" in card.checked_in.text()


def test_stakeholders_show_persons_and_the_organisation_tree(window, qtbot):
    window.show_page(1)
    page = window.page(StakeholdersPage)
    qtbot.waitUntil(lambda: page.persons.rowCount() > 0, timeout=10_000)
    names = column_texts(page.persons, page.persons.NAME)
    assert Known.cyrillic_colic in names
    row = names.index(Known.cyrillic_colic)
    assert page.persons.index(row, page.persons.LATIN_NAME).data() == Known.latin_colic
    tree = page.organisations
    assert tree.rowCount() == 0  # read when its tab is first shown
    page.tabs.setCurrentIndex(1)
    ministry = next(tree.index(r, 0) for r in range(tree.rowCount())
                    if tree.index(r, 0).data() == Known.ministry)
    children = [tree.index(r, 0, ministry).data() for r in range(tree.rowCount(ministry))]
    assert Known.division in children


def shown_names(page) -> list[str]:
    model = page.persons
    return [f"{model.index(r, model.NAME).data()} / {model.index(r, model.LATIN_NAME).data()}"
            for r in range(model.rowCount())]


def test_search_folds_diacritics_and_script(window, qtbot):
    window.show_page(1)
    page = window.page(StakeholdersPage)
    page.search.setText("colic")
    qtbot.waitUntil(lambda: page.persons.query().text == "colic")
    assert f"{Known.cyrillic_colic} / {Known.latin_colic}" in shown_names(page)
    assert all("colic" in fold(name) for name in shown_names(page))
    count = page.persons.rowCount()
    assert page.person_count.text() == ("1 person" if count == 1 else f"{count} persons")


@pytest.mark.parametrize("typed", ["Čolić", "Чолић", "ĐORĐE"])
def test_search_typed_with_diacritics_or_in_cyrillic(window, qtbot, typed):
    window.show_page(1)
    page = window.page(StakeholdersPage)
    page.search.setFocus()
    for ch in typed:  # keyClicks aborts on non-ASCII: one key event per character
        QTest.sendKeyEvent(QTest.KeyAction.Click, page.search, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)
    assert page.search.text() == typed
    qtbot.waitUntil(lambda: page.persons.query().text == typed)
    assert f"{Known.cyrillic_colic} / {Known.latin_colic}" in shown_names(page)


def test_search_without_match_shows_the_empty_state(window, qtbot):
    window.show_page(1)
    page = window.page(StakeholdersPage)
    page.search.setText("zzzz-nobody")
    qtbot.waitUntil(lambda: page.persons.rowCount() == 0)
    assert page.persons_empty.is_empty()
    assert "zzzz-nobody" in page.persons_empty.message.text()


def test_conferences_page_shows_agenda_participants_and_rooms(window, qtbot):
    window.show_page(2)
    page = window.page(ConferencesPage)
    assert page.conferences.rowCount() > 0
    row = page.conferences.row_of_id(page.selected_id)
    assert row >= 0
    target = next(r for r in page.conferences.rows() if r.title == Known.conference_title)
    with qtbot.waitSignal(page.participants_panel.loaded, timeout=10_000):
        page.select_conference(target.id)
    assert page.detail_title.text() == Known.conference_title
    agenda = page.agenda
    panel = next(r for r in range(agenda.rowCount())
                 if agenda.index(r, agenda.TITLE).data() == Known.agenda_title)
    assert agenda.index(panel, agenda.TIME).data() == Known.agenda_time
    assert Known.participant in column_texts(page.participants, page.participants.NAME)
    assert Known.room in column_texts(page.rooms, page.rooms.NAME)


def test_selecting_another_conference_in_the_list_shows_it(window, qtbot):
    window.show_page(2)
    page = window.page(ConferencesPage)
    view = page.conferences_view
    for row in range(page.conferences.rowCount()):
        view.selectRow(row)
        shown = view.currentIndex().data(ROW_ROLE)
        assert page.selected_id == shown.id
        assert page.detail_title.text() == shown.title


def test_checkin_page_counts_and_lists_recent_check_ins(window):
    window.show_page(3)
    page = window.page(CheckInPage)
    target = next(r for r in page.picker.conferences.rows() if r.title == Known.conference_title)
    page.picker.setCurrentIndex(page.picker.conferences.row_of_id(target.id))
    assert page.summary is not None and page.summary.conference_id == target.id
    assert page.recent.rowCount() > 0
    assert Known.checked_in in column_texts(page.recent, page.recent.NAME)
    assert f"{page.summary.checked_in} of {page.summary.expected} checked in" == \
        page.counts.text()


def test_checkin_page_never_shows_contact_details(window):
    window.show_page(3)
    page = window.page(CheckInPage)
    headers = [page.recent.headerData(c, Qt.Orientation.Horizontal)
               for c in range(page.recent.columnCount())]
    assert headers == ["Time", "Desk", "Name", "Organisation", "Role"]
    cells = [page.recent.index(r, c).data() for r in range(page.recent.rowCount())
             for c in range(page.recent.columnCount())]
    assert not any("@" in text for text in cells)


def test_outcomes_page_lists_outcomes(window):
    window.show_page(4)
    page = window.page(OutcomesPage)
    assert page.outcomes.rowCount() > 0
    assert Known.outcome_text in column_texts(page.outcomes, page.outcomes.TEXT)


def test_exports_page_lists_the_exports_and_enables_badges(window):
    window.show_page(5)
    page = window.page(ExportsPage)
    keys = [row.key for row in page.exports.rows()]
    assert keys[:5] == ["attendee_list", "sign_in_sheet", "press_list", "security_list",
                        "outcome_report"]
    assert {"donor_statistics", BADGES} <= set(keys)
    assert page.picker.current_id() >= 0
    page.exports_view.selectRow(keys.index(BADGES))
    assert page.selected_export().key == BADGES
    assert page.export_button.isEnabled()


def test_badge_export_writes_a_pdf(window, qtbot, tmp_path):
    window.show_page(5)
    page = window.page(ExportsPage)
    target = tmp_path / "badges.pdf"
    with qtbot.waitSignal(page.export_finished, timeout=30_000) as finished:
        page.export_badges(target)
    assert finished.args == [str(target)]
    assert target.read_bytes().startswith(b"%PDF")
    assert page.export_button.isEnabled()


def test_settings_page_shows_database_folder_and_version(window, demo_database, paths):
    window.show_page(6)
    page = window.page(SettingsPage)
    values = dict(zip(column_texts(page.info, 0), column_texts(page.info, 1), strict=True))
    assert values["Database"] == demo_database.description
    assert values["Data folder"] == str(paths.data_dir)
    assert values["smartconf version"] == __version__


def test_refresh_reads_the_current_page_again(window, demo_database):
    from smartconf.models import Outcome
    from smartconf.store.session import unit_of_work

    window.show_page(4)
    page = window.page(OutcomesPage)
    before = page.outcomes.rowCount()
    with unit_of_work(demo_database.sessions, "tester") as session:
        first = session.query(Outcome).first()
        session.add(Outcome(agenda_session_id=first.agenda_session_id, kind=first.kind,
                            text="Added while the window was open"))
    window.refresh()
    assert page.outcomes.rowCount() == before + 1


def test_empty_database_shows_empty_states(make_window, empty_database):
    window = make_window(empty_database)
    dashboard = window.page(DashboardPage)
    assert dashboard.model.rowCount() == 0 and dashboard.empty.isVisible()
    window.show_page(4)
    outcomes_empty = window.page(OutcomesPage).outcomes_empty
    assert outcomes_empty.is_empty() and outcomes_empty.message.isVisible()
    assert outcomes_empty.message.text() == "No outcomes recorded yet."
    window.show_page(5)
    assert not window.page(ExportsPage).export_button.isEnabled()


def test_about_shows_the_version(window, qtbot):
    seen: list[str] = []

    def close_about() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.accept()
        else:
            QTimer.singleShot(20, close_about)

    QTimer.singleShot(0, close_about)
    window.show_about()
    assert seen and __version__ in seen[0]


def test_geometry_and_page_are_restored(make_window, demo_database, qtbot):
    first = make_window(demo_database)
    first.resize(780, 560)  # inside the offscreen screen (800 x 600)
    first.show_page(2)
    first.close()
    assert QSettings().value("main_window/geometry") is not None
    second = make_window(demo_database)
    assert (second.width(), second.height()) == (780, 560)
    assert isinstance(second.current_page(), ConferencesPage)


def test_quit_action_closes_the_window(window):
    quit_action = next(a for a in window.findChildren(type(window.page_actions[0]))
                       if a.shortcut() == QKeySequence("Ctrl+Q"))
    quit_action.trigger()
    assert not window.isVisible()
    assert isinstance(window, MainWindow)
