"""The conference planning screens on the demo data: the conference dialog, the day timetable
(mouse, keyboard, undo, conflicts), the session dialog and the agenda PDF."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from sqlalchemy import func, select

from smartconf.core.enums import AgendaRole, AgendaSessionKind, ConferenceStatus
from smartconf.core.errors import NotFoundError
from smartconf.models import AgendaSession, Conference, Person
from smartconf.services.conferences import get_conference
from smartconf.services.planning import AgendaSessionInput, create_agenda_session
from smartconf.store.database import Database
from smartconf.store.session import read_session, unit_of_work
from smartconf.ui.pages.conferences import ConferencesPage
from smartconf.ui.planning.conference_dialog import ConferenceDialog
from smartconf.ui.planning.fields import to_qdatetime
from smartconf.ui.planning.session_dialog import SessionDialog
from smartconf.ui.planning.timetable_items import lanes_of
from tests.ui.demo_data import Known

ZONE = ZoneInfo("Europe/Belgrade")
LEFT = Qt.MouseButton.LeftButton
NO_KEYS = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
KEYNOTE = Known.agenda_title  # SB-CI, first day, 09:30-10:00 in Diamond Ballroom


def read(database: Database, query):
    """Run ``query(session)`` in a fresh session (what another user would see)."""
    with read_session(database.sessions) as session:
        return query(session)


def of_sb_ci(title: str) -> tuple:
    """Conditions: an agenda session of SB-CI called ``title``."""
    return (AgendaSession.title == title, AgendaSession.conference_id == select(
        Conference.id).where(Conference.code == Known.conference_code).scalar_subquery())


def session_named(database: Database, title: str) -> dict:
    def query(s):
        agenda_session = s.scalar(select(AgendaSession).where(*of_sb_ci(title)))
        return {"id": agenda_session.id, "starts": agenda_session.starts_at.astimezone(ZONE),
                "ends": agenda_session.ends_at.astimezone(ZONE),
                "room": agenda_session.room.name if agenda_session.room else None,
                "sequence": agenda_session.calendar_sequence,
                "speakers": [p.person.full_name for p in agenda_session.people
                             if p.role is AgendaRole.SPEAKER],
                "findings": [f.label for f in agenda_session.findings]}
    return read(database, query)


@pytest.fixture
def page(qtbot, demo_database):
    """The conferences page on SB-CI, its timetable loaded."""
    page = ConferencesPage(demo_database, actor="tester")
    qtbot.addWidget(page)
    page.resize(1280, 900)
    page.show()
    page.ensure_loaded()
    target = next(r for r in page.conferences.rows() if r.code == Known.conference_code)
    page.select_conference(target.id)
    wait_loaded(qtbot, page)
    return page


def wait_loaded(qtbot, page) -> None:
    panel = page.timetable
    qtbot.waitUntil(lambda: panel.timetable is not None and not panel.is_loading()
                    and panel.timetable.conference_id == page.selected_id)


def wait_for(qtbot, condition) -> None:
    qtbot.waitUntil(condition, timeout=5000)


def item_titled(page, title: str):
    return next(i for i in page.timetable.view.items.values() if i.block.title == title)


def viewport_point(view, scene_point: QPointF) -> QPoint:
    return view.mapFromScene(scene_point)


# --- conferences ------------------------------------------------------------------------------


def fill_conference(dialog: ConferenceDialog, *, email: str) -> None:
    dialog.code.setText("SB-GUI")
    dialog.title_edit.setText("Data protection in Kosovo: the new law in practice")
    dialog.starts.setDateTime(to_qdatetime(datetime(2027, 11, 16, 9, 0)))
    dialog.ends.setDateTime(to_qdatetime(datetime(2027, 11, 16, 17, 30)))
    dialog.venue.setText("Hotel Sirius, Prishtina")
    dialog.capacity.setValue(120)
    dialog.organiser_name.setText("KCSS")
    dialog.organiser_email.setText(email)
    dialog.reports.set_values([1])


def press_ok(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_a_conference_created_in_the_dialog_is_written_and_selected(page, demo_database):
    page.new_action.trigger()
    dialog = page.dialog
    assert isinstance(dialog, ConferenceDialog)
    assert dialog.timezone.currentText() == "Europe/Belgrade"
    fill_conference(dialog, email="events@kcss.org")
    press_ok(dialog)
    assert not dialog.isVisible()

    def stored(s):
        c = get_conference(s, "SB-GUI")
        return (c.title, c.starts_at, c.ends_at, c.timezone, c.capacity, c.organiser_email,
                [r.number for r in c.reports], c.status, c.calendar_sequence)

    title, starts, ends, zone, capacity, email, reports, status, sequence = read(
        demo_database, stored)
    assert title == "Data protection in Kosovo: the new law in practice"
    assert starts == datetime(2027, 11, 16, 8, 0, tzinfo=UTC)  # 09:00 CET = 08:00 UTC
    assert ends == datetime(2027, 11, 16, 16, 30, tzinfo=UTC)
    assert (zone, capacity, email, reports) == ("Europe/Belgrade", 120, "events@kcss.org", [1])
    assert (status, sequence) == (ConferenceStatus.PLANNED, 0)
    assert page.selected_row().code == "SB-GUI"


def test_an_invalid_email_is_shown_by_its_field_and_nothing_is_written(page, demo_database):
    count = read(demo_database, lambda s: s.scalar(select(func.count(Conference.id))))
    page.new_conference()
    dialog = page.dialog
    fill_conference(dialog, email="events.kcss.org")
    press_ok(dialog)
    assert dialog.isVisible()
    assert dialog.error_text("organiser_email")
    assert read(demo_database, lambda s: s.scalar(select(func.count(Conference.id)))) == count
    with pytest.raises(NotFoundError):
        read(demo_database, lambda s: get_conference(s, "SB-GUI"))
    dialog.reject()


def test_editing_a_conference_moves_it_and_raises_its_sequence(page, demo_database):
    before = read(demo_database, lambda s: get_conference(s, "SB-CI").calendar_sequence)
    page.edit_action.trigger()
    dialog = page.dialog
    dialog.venue.setText("Emerald Hotel Prishtina")
    press_ok(dialog)
    assert not dialog.isVisible()
    after = read(demo_database, lambda s: (get_conference(s, "SB-CI").venue,
                                           get_conference(s, "SB-CI").calendar_sequence))
    assert after == ("Emerald Hotel Prishtina", before + 1)
    assert "Emerald Hotel Prishtina" in page.detail_info.text()


def test_cancelling_a_conference_asks_first(page, demo_database):
    page.cancel_action.trigger()
    box = page.dialog
    assert isinstance(box, QMessageBox)
    next(b for b in box.buttons() if "conference" in b.text().replace("&", "")).click()
    status = read(demo_database, lambda s: get_conference(s, "SB-CI").status)
    assert status is ConferenceStatus.CANCELLED
    assert not page.cancel_action.isEnabled()


def test_the_funnel_is_shown_above_the_tabs(page):
    text = page.funnel.text()
    for word in ("Invited", "Accepted", "Declined", "Attended", "Waitlisted", "Seats"):
        assert word in text
    assert page.tabs.tabText(2).startswith("Participants (")


def test_a_room_added_in_the_rooms_tab_becomes_a_column(page, qtbot, demo_database):
    page.add_room_action.trigger()
    dialog = page.dialog
    dialog.name.setText("Onyx Room")
    dialog.capacity.setValue(25)
    press_ok(dialog)
    wait_for(qtbot, lambda: "Onyx Room" in [c.name for c in page.timetable.view.grid.columns])
    assert "Onyx Room" in [r.name for r in page.rooms.rows()]


def test_a_room_name_already_taken_is_refused_in_the_dialog(page):
    page.add_room_action.trigger()
    dialog = page.dialog
    dialog.name.setText(Known.room.upper())
    press_ok(dialog)
    assert dialog.isVisible()
    assert "already has a room" in dialog.error_text("name")
    dialog.reject()


# --- the timetable: mouse -----------------------------------------------------------------------


def drag(view, start: QPoint, end: QPoint, steps: int = 8) -> None:
    viewport = view.viewport()
    QTest.mousePress(viewport, LEFT, NO_KEYS, start)
    for step in range(1, steps + 1):
        QTest.mouseMove(viewport, start + (end - start) * step / steps)
    QTest.mouseRelease(viewport, LEFT, NO_KEYS, end)


def test_dragging_a_block_moves_the_session_and_undo_puts_it_back(page, qtbot,
                                                                  demo_database):
    view = page.timetable.view
    before = session_named(demo_database, KEYNOTE)
    item = item_titled(page, KEYNOTE)
    grid = view.grid
    start = item.frame().center()
    # one hour later, one room to the right (Diamond Ballroom -> Ruby Room)
    end = QPointF(start.x() + grid.column_width, start.y() + grid.y(60) - grid.y(0))
    drag(view, viewport_point(view, start), viewport_point(view, end))
    moved = session_named(demo_database, KEYNOTE)
    assert moved["starts"] == before["starts"] + timedelta(hours=1)
    assert moved["ends"] == before["ends"] + timedelta(hours=1)
    assert (before["room"], moved["room"]) == (Known.room, "Ruby Room")
    assert moved["sequence"] == before["sequence"] + 1
    wait_loaded(qtbot, page)
    assert view.grid.columns[view.grid.column_of(item_titled(page, KEYNOTE).block.room_id)] \
        .name == "Ruby Room"

    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL)
    back = session_named(demo_database, KEYNOTE)
    assert (back["starts"], back["ends"], back["room"]) == (before["starts"], before["ends"],
                                                            Known.room)
    assert back["sequence"] == before["sequence"] + 2  # moved again: calendars follow
    assert page.undo_stack.canRedo()


def test_a_drag_snaps_to_five_minutes(page, demo_database):
    view = page.timetable.view
    before = session_named(demo_database, KEYNOTE)
    item = item_titled(page, KEYNOTE)
    start = item.frame().center()
    end = QPointF(start.x(), start.y() + view.grid.y(23) - view.grid.y(0))  # 23 minutes
    drag(view, viewport_point(view, start), viewport_point(view, end))
    moved = session_named(demo_database, KEYNOTE)
    assert moved["starts"] - before["starts"] == timedelta(minutes=25)
    assert moved["room"] == Known.room


def test_dragging_the_bottom_edge_resizes_the_session(page, demo_database):
    view = page.timetable.view
    before = session_named(demo_database, KEYNOTE)
    frame = item_titled(page, KEYNOTE).frame()
    start = QPointF(frame.center().x(), frame.bottom() - 2)
    end = QPointF(start.x(), start.y() + view.grid.y(30) - view.grid.y(0))
    drag(view, viewport_point(view, start), viewport_point(view, end))
    resized = session_named(demo_database, KEYNOTE)
    assert resized["starts"] == before["starts"]
    assert resized["ends"] == before["ends"] + timedelta(minutes=30)
    assert resized["sequence"] == before["sequence"] + 1


def test_dragging_on_an_empty_area_opens_a_prefilled_new_session(page, qtbot, demo_database):
    view = page.timetable.view
    grid = view.grid
    sapphire = next(i for i, c in enumerate(grid.columns) if c.name == "Sapphire Room")
    x = grid.x(sapphire) + grid.column_width / 2
    top, bottom = QPointF(x, grid.y(9 * 60 + 2)), QPointF(x, grid.y(10 * 60 + 29))
    view.ensureVisible(grid.block_rect(sapphire, 9 * 60, 10 * 60 + 30))
    drag(view, viewport_point(view, top), viewport_point(view, bottom))
    dialog = page.timetable.dialog
    assert isinstance(dialog, SessionDialog)
    data = dialog.value()
    day = grid.day
    assert (data.starts_at, data.ends_at) == (datetime(day.year, day.month, day.day, 9, 0),
                                              datetime(day.year, day.month, day.day, 10, 30))
    assert dialog.room.currentText().startswith("Sapphire Room")

    dialog.title_edit.setText("Round table: incident reporting by operators")
    dialog.kind.setCurrentIndex(dialog.kind.findData(AgendaSessionKind.WORKSHOP))
    dialog.people.search.setText("colic")
    dialog.people.run_search()
    wait_for(qtbot, lambda: dialog.people.results.count() > 0)
    dialog.people.add_to(dialog.people.speakers)
    speaker = dialog.people.speakers.texts()[0]
    first_finding = dialog.findings.item(0)
    first_finding.setCheckState(Qt.CheckState.Checked)
    press_ok(dialog)
    assert not dialog.isVisible()
    created = session_named(demo_database, "Round table: incident reporting by operators")
    assert created["room"] == "Sapphire Room"
    assert created["starts"].replace(tzinfo=None) == data.starts_at
    assert speaker.startswith(created["speakers"][0])
    assert created["findings"] == [first_finding.text().split()[0]]
    wait_for(qtbot, lambda: view.selected_block() is not None
             and view.selected_block().id == created["id"])


def test_a_refused_session_keeps_the_dialog_open_with_the_message(page):
    page.timetable.view.request_new()
    dialog = page.timetable.dialog
    dialog.title_edit.setText("   ")
    press_ok(dialog)
    assert dialog.isVisible()
    assert dialog.error_text("title") == "is required"
    dialog.reject()


# --- the timetable: keyboard ---------------------------------------------------------------------


def select_keynote(page) -> None:
    view = page.timetable.view
    view.setFocus()
    frame = item_titled(page, KEYNOTE).frame()
    QTest.mouseClick(view.viewport(), LEFT, NO_KEYS, viewport_point(view, frame.center()))
    assert view.selected_block().title == KEYNOTE


def test_ctrl_arrows_move_the_selected_session_by_five_minutes_and_rooms(page, demo_database):
    view = page.timetable.view
    select_keynote(page)
    before = session_named(demo_database, KEYNOTE)
    QTest.keyClick(view, Qt.Key.Key_Down, CTRL)
    later = session_named(demo_database, KEYNOTE)
    assert later["starts"] == before["starts"] + timedelta(minutes=5)
    assert later["ends"] == before["ends"] + timedelta(minutes=5)
    assert later["sequence"] == before["sequence"] + 1
    QTest.keyClick(view, Qt.Key.Key_Down, CTRL)  # at once: no need to wait for the re-read
    QTest.keyClick(view, Qt.Key.Key_Right, CTRL)
    moved = session_named(demo_database, KEYNOTE)
    assert moved["starts"] == before["starts"] + timedelta(minutes=10)
    assert moved["room"] == "Ruby Room"
    QTest.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    longer = session_named(demo_database, KEYNOTE)
    assert longer["ends"] - longer["starts"] == before["ends"] - before["starts"] \
        + timedelta(minutes=5)
    for _ in range(4):
        QTest.keyClick(view, Qt.Key.Key_Z, CTRL)
    restored = session_named(demo_database, KEYNOTE)
    assert (restored["starts"], restored["ends"], restored["room"]) == (
        before["starts"], before["ends"], Known.room)


def test_arrows_walk_the_blocks_of_a_room_and_across_rooms(page):
    view = page.timetable.view
    select_keynote(page)
    QTest.keyClick(view, Qt.Key.Key_Up)
    assert view.selected_block().kind is AgendaSessionKind.OPENING
    QTest.keyClick(view, Qt.Key.Key_Down)
    QTest.keyClick(view, Qt.Key.Key_Down)
    assert view.selected_block().starts_at.hour == 10  # the panel at 10:30
    QTest.keyClick(view, Qt.Key.Key_Left)
    assert view.selected_block().room_id is None  # a break, in the column without a room


def click_block(page, title: str) -> None:
    view = page.timetable.view
    view.setFocus()
    frame = item_titled(page, title).frame()
    view.ensureVisible(frame)
    QTest.mouseClick(view.viewport(), LEFT, NO_KEYS, viewport_point(view, frame.center()))
    assert view.selected_block().title == title


def confirm_delete(page) -> None:
    box = page.timetable.dialog
    assert isinstance(box, QMessageBox)
    next(b for b in box.buttons() if b.text().replace("&", "") == "Delete").click()


def count_titled(database: Database, title: str) -> int:
    return read(database, lambda s: s.scalar(
        select(func.count()).select_from(AgendaSession).where(*of_sb_ci(title))))


def test_enter_opens_the_selected_session_in_its_dialog(page):
    view = page.timetable.view
    select_keynote(page)
    QTest.keyClick(view, Qt.Key.Key_Return)
    dialog = page.timetable.dialog
    assert isinstance(dialog, SessionDialog)
    assert dialog.title_edit.text() == KEYNOTE
    assert dialog.room.currentText().startswith(Known.room)
    assert dialog.people.speakers.ids()  # the keynote speaker, by name
    dialog.reject()


def test_delete_asks_then_undo_brings_the_session_back(page, qtbot, demo_database):
    title = "Registration and welcome coffee"
    view = page.timetable.view
    click_block(page, title)
    QTest.keyClick(view, Qt.Key.Key_Delete)
    confirm_delete(page)
    assert count_titled(demo_database, title) == 0
    wait_for(qtbot, lambda: all(i.block.title != title for i in view.items.values()))
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL)
    back = session_named(demo_database, title)
    assert back["room"] is None and back["starts"].strftime("%H:%M") == "08:00"
    wait_for(qtbot, lambda: any(i.block.title == title for i in view.items.values()))


def test_a_session_with_outcomes_is_not_deleted_and_the_reason_is_shown(page, demo_database):
    view = page.timetable.view
    select_keynote(page)
    QTest.keyClick(view, Qt.Key.Key_Delete)
    confirm_delete(page)
    assert count_titled(demo_database, KEYNOTE) == 1
    assert "outcome" in page.timetable.error_dialog.text()
    page.timetable.error_dialog.close()
    assert not page.undo_stack.canUndo()


def test_ctrl_n_in_the_timetable_creates_a_session_not_a_conference(page):
    view = page.timetable.view
    select_keynote(page)
    QTest.keyClick(view, Qt.Key.Key_N, CTRL)
    dialog = page.timetable.dialog
    assert isinstance(dialog, SessionDialog)
    assert dialog.value().starts_at.strftime("%H:%M") == "10:00"  # after the keynote
    dialog.reject()
    page.conferences_view.setFocus()
    QTest.keyClick(page.conferences_view, Qt.Key.Key_N, CTRL)
    assert isinstance(page.dialog, ConferenceDialog)
    page.dialog.reject()


def test_in_the_main_window_the_timetable_keeps_its_own_keys(window, qtbot, demo_database):
    """Ctrl+N and Ctrl+Z are also window shortcuts (new person, the CRM's undo): with the
    timetable focused they act on the timetable, without an ambiguous-shortcut warning."""
    window.show_page(2)
    page = window.page(ConferencesPage)
    page.select_conference(next(r.id for r in page.conferences.rows()
                                if r.code == Known.conference_code))
    wait_loaded(qtbot, page)
    before = session_named(demo_database, KEYNOTE)
    select_keynote(page)
    view = page.timetable.view
    QTest.keyClick(view, Qt.Key.Key_Up, CTRL)
    assert session_named(demo_database, KEYNOTE)["starts"] == before["starts"] - timedelta(
        minutes=5)
    QTest.keyClick(view, Qt.Key.Key_Z, CTRL)
    assert session_named(demo_database, KEYNOTE)["starts"] == before["starts"]
    QTest.keyClick(view, Qt.Key.Key_N, CTRL)
    assert isinstance(page.timetable.dialog, SessionDialog)
    page.timetable.dialog.reject()


# --- conflicts -----------------------------------------------------------------------------------


def test_a_room_booked_twice_is_flagged_on_both_blocks_and_listed(page, qtbot, demo_database):
    with unit_of_work(demo_database.sessions, "tester") as s:
        conference = get_conference(s, Known.conference_code)
        keynote = s.scalar(select(AgendaSession).where(AgendaSession.title == KEYNOTE))
        clash = create_agenda_session(s, conference, AgendaSessionInput(
            kind=AgendaSessionKind.PANEL, title="Overlapping briefing",
            starts_at=keynote.starts_at, ends_at=keynote.ends_at + timedelta(minutes=15),
            room_id=keynote.room_id), actor="tester")
        keynote_id, clash_id = keynote.id, clash.id
    page.timetable.reload()
    wait_loaded(qtbot, page)
    wait_for(qtbot, lambda: clash_id in page.timetable.view.items)
    items = page.timetable.view.items
    for session_id in (keynote_id, clash_id):
        assert any("booked twice" in m for m in items[session_id].conflicts)
        assert "booked twice" in items[session_id].toolTip()
    assert items[keynote_id].frame().intersected(items[clash_id].frame()).isEmpty()  # lanes
    conflicts = page.timetable.conflicts
    row = next(r for r in range(conflicts.count()) if "booked twice" in conflicts.item(r).text())
    assert set(conflicts.session_ids(row)) == {keynote_id, clash_id}
    rect = conflicts.visualItemRect(conflicts.item(row))
    QTest.mouseClick(conflicts.viewport(), LEFT, NO_KEYS, rect.center())
    assert page.timetable.view.selected_id in (keynote_id, clash_id)


def test_a_person_in_two_sessions_at_once_is_flagged(page, qtbot, demo_database):
    speaker = session_named(demo_database, KEYNOTE)["speakers"][0]
    with unit_of_work(demo_database.sessions, "tester") as s:
        conference = get_conference(s, Known.conference_code)
        keynote = s.scalar(select(AgendaSession).where(AgendaSession.title == KEYNOTE))
        person_id = next(p.person_id for p in keynote.people if p.person.full_name == speaker)
        ruby = next(r for r in conference.rooms if r.name == "Ruby Room")
        create_agenda_session(s, conference, AgendaSessionInput(
            kind=AgendaSessionKind.WORKSHOP, title="Parallel workshop", starts_at=keynote.starts_at,
            ends_at=keynote.ends_at, room_id=ruby.id, speakers=(person_id,)), actor="tester")
    page.timetable.reload()
    wait_loaded(qtbot, page)
    item = item_titled(page, "Parallel workshop")
    assert any(speaker in m and "two sessions at once" in m for m in item.conflicts)


# --- agenda PDF --------------------------------------------------------------------------------


def test_the_agenda_pdf_is_written_with_the_chosen_languages(page, qtbot, tmp_path):
    page.pdf_action.trigger()
    dialog = page.dialog
    for language, box in dialog.languages.items():
        box.setChecked(language.value in ("sq", "en"))
    target = tmp_path / "agenda"
    dialog.target.set_path(target)
    with qtbot.waitSignal(dialog.saved, timeout=20000) as saved:
        dialog.save()
    path = saved.args[0]
    assert path == tmp_path / "agenda.pdf"
    text = "".join(page_.extract_text() for page_ in PdfReader(path).pages)
    assert "AXHENDA / AGENDA" in text  # Albanian, then English
    assert "vreme" not in text.casefold()  # no Serbian headings
    assert KEYNOTE.split(":")[0] in " ".join(text.split())


# --- pure pieces -------------------------------------------------------------------------------


def test_overlapping_spans_share_their_room_in_lanes():
    lanes = lanes_of([(1, 0, 60), (2, 30, 90), (3, 60, 120), (4, 120, 150)])
    assert lanes[1] == (0, 2) and lanes[2] == (1, 2) and lanes[3] == (0, 2)
    assert lanes[4] == (0, 1)  # touching ends do not overlap


def test_the_person_search_folds_diacritics_and_scripts(page, qtbot):
    page.timetable.view.request_new()
    picker = page.timetable.dialog.people
    picker.search.setText("colic")
    picker.run_search()
    wait_for(qtbot, lambda: picker.results.count() > 0)
    texts = [picker.results.item(r).text() for r in range(picker.results.count())]
    assert any(Known.cyrillic_colic in t for t in texts)
    page.timetable.dialog.reject()


def test_session_people_can_be_reordered_and_removed(page, qtbot, demo_database):
    names = read(demo_database, lambda s: list(s.scalars(
        select(Person.id).where(Person.erased_at.is_(None)).order_by(Person.id).limit(3))))
    page.timetable.view.request_new()
    picker = page.timetable.dialog.people
    picker.set_people((), names, (), {})
    speakers = picker.speakers
    speakers.list.setCurrentRow(2)
    speakers.move_current(-1)
    assert speakers.ids() == (names[0], names[2], names[1])
    speakers.list.setCurrentRow(0)
    speakers.remove_current()
    assert speakers.ids() == (names[2], names[1])
    page.timetable.dialog.reject()
