"""The stakeholder tools: map, contacts export, subject access and erasure, audit view.

Models and the map scene are checked without a window; the widgets run over the demo data.
"""

from __future__ import annotations

import csv
import io
import json
import math
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDateTime, QPointF, QRectF, QSize, Qt, QTimer, QTimeZone
from PySide6.QtGui import QImage
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from smartconf.core.enums import OrganisationKind
from smartconf.core.errors import NotFoundError
from smartconf.models import Person
from smartconf.services.person_search import PersonFilter, count_persons, search_person_ids
from smartconf.services.persons import get_person, person_input, update_person
from smartconf.services.privacy import AuditRow, audit_trail, erase_person
from smartconf.services.stakeholder_map import MapPoint, map_points, quadrant_of
from smartconf.store.database import Database
from smartconf.store.session import read_session, unit_of_work
from smartconf.ui.models.base import SORT_ROLE
from smartconf.ui.stakeholder_tools.audit_model import (
    AuditTableModel,
    change_details,
    changes_summary,
)
from smartconf.ui.stakeholder_tools.audit_view import AuditView, open_audit_view
from smartconf.ui.stakeholder_tools.export_dialog import (
    CSV,
    XLSX,
    ContactsExportDialog,
    default_file_name,
    open_contacts_export,
)
from smartconf.ui.stakeholder_tools.map_scene import (
    KIND_COLOURS,
    StakeholderMapScene,
    cell_rect,
    dot_area,
    quadrant_rect,
    spread,
)
from smartconf.ui.stakeholder_tools.map_view import (
    EXPORT_SCALE,
    StakeholderMapWidget,
    open_stakeholder_map,
)
from smartconf.ui.stakeholder_tools.privacy_dialogs import (
    JSON,
    PDF,
    EraseDialog,
    SubjectAccessDialog,
    confirms,
    open_erasure,
    open_subject_access,
)
from tests.ui.demo_data import Known

ACTOR = "tester"
WAIT_MS = 30_000


def read(database: Database, query, *args, **kwargs):
    with read_session(database.sessions) as session:
        return query(session, *args, **kwargs)


def person_id_named(database: Database, name: str) -> int:
    (found,) = read(database, search_person_ids, PersonFilter(text=name))
    return found


@pytest.fixture
def errors_shown(qtbot):
    """Texts of the error boxes shown meanwhile (each closed as soon as it appears)."""
    seen: list[str] = []

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.done(0)

    timer = QTimer()
    timer.timeout.connect(close_box)
    timer.start(20)
    yield seen
    timer.stop()


# --- map: layout and scene, no window --------------------------------------------------------

def point(pid: int, influence: int | None, interest: int | None,
          kind: OrganisationKind | None = OrganisationKind.MINISTRY) -> MapPoint:
    return MapPoint(pid, f"Person {pid}", "Ministry of Internal Affairs" if kind else "", kind,
                    influence, interest)


@pytest.mark.parametrize("count", [1, 2, 5, 15, 16, 40, 400])
def test_dots_of_one_cell_are_spread_inside_it_without_touching(count):
    area = dot_area(5, 3)
    centres, radius = spread(count, area)
    assert len(centres) == count and radius > 0
    for centre in centres:
        assert area.adjusted(-0.01, -0.01, 0.01, 0.01).contains(centre)
    for i, a in enumerate(centres):
        for b in centres[i + 1:]:
            assert math.dist((a.x(), a.y()), (b.x(), b.y())) >= 2 * radius


def test_a_lone_dot_sits_in_the_middle_of_its_area():
    (centre,), _radius = spread(1, dot_area(1, 1))
    assert centre == dot_area(1, 1).center()


def test_quadrants_split_the_grid_where_high_begins(qapp):
    assert quadrant_rect("manage_closely") == cell_rect(5, 3).united(cell_rect(3, 5))
    assert quadrant_rect("monitor") == cell_rect(2, 1).united(cell_rect(1, 2))
    assert quadrant_rect("keep_satisfied").contains(cell_rect(3, 2).center())
    assert quadrant_rect("keep_informed").contains(cell_rect(2, 3).center())


def test_scene_places_each_assessed_person_in_its_cell_and_quadrant(qapp):
    points = [point(i, influence, interest)
              for i, (influence, interest) in enumerate(
                  [(5, 4), (5, 4), (1, 1), (2, 5), (4, 1), (3, 3)], start=1)]
    scene = StakeholderMapScene()
    scene.set_points([*points, point(90, None, None), point(91, None, None)])
    assert sorted(d.person_id for d in scene.dots) == [1, 2, 3, 4, 5, 6]
    for dot in scene.dots:
        p = dot.point
        assert cell_rect(p.influence, p.interest).contains(dot.pos())
        assert quadrant_rect(quadrant_of(p.influence, p.interest)).contains(dot.pos())
    first, second = scene.dot_of(1), scene.dot_of(2)
    assert first.pos() != second.pos()  # same cell, spread
    assert scene.note_text() == "2 persons have no assessment yet and are not on the map."


def test_the_note_counts_one_person_and_disappears_when_all_are_assessed(qapp):
    scene = StakeholderMapScene()
    scene.set_points([point(1, 3, 3), point(2, None, None)])
    assert scene.note_text() == "1 person has no assessment yet and is not on the map."
    scene.set_points([point(1, 3, 3)])
    assert scene.note_text() == ""
    scene.set_points([])
    assert scene.note_text() == "No persons match the current filter."


def test_dots_are_coloured_by_organisation_kind_and_counted_in_the_legend(qapp):
    scene = StakeholderMapScene()
    scene.set_points([point(1, 3, 3, OrganisationKind.MEDIA),
                      point(2, 4, 4, OrganisationKind.MEDIA), point(3, 1, 5, None)])
    assert scene.dot_of(1).colour() == KIND_COLOURS[OrganisationKind.MEDIA]
    assert scene.dot_of(3).colour() == KIND_COLOURS[None]
    assert scene.dot_of(3).colour() != scene.dot_of(1).colour()
    assert dict(scene.legend_counts) == {OrganisationKind.MEDIA: 2, None: 1}
    texts = {i.text() for i in scene.items() if hasattr(i, "text")}
    assert {"Media (2)", "No organisation (1)"} <= texts
    assert {"Manage closely", "Keep satisfied", "Keep informed", "Monitor"} <= texts


def test_every_kind_has_its_own_colour():
    colours = [c.name() for c in KIND_COLOURS.values()]
    assert len(set(colours)) == len(colours) == len(OrganisationKind) + 1


# --- map: the widget over the demo data ------------------------------------------------------

@pytest.fixture
def map_widget(qtbot, demo_database):
    widget = StakeholderMapWidget(demo_database, PersonFilter())
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    with qtbot.waitSignal(widget.loaded, timeout=WAIT_MS):
        widget.reload()
    return widget


def test_map_shows_every_assessed_person_and_counts_the_others(map_widget, demo_database):
    points = read(demo_database, map_points, PersonFilter())
    assessed = [p for p in points if p.assessed]
    unassessed = len(points) - len(assessed)
    assert len(points) == read(demo_database, count_persons, PersonFilter())
    assert 0 < unassessed < len(points)
    assert sorted(d.person_id for d in map_widget.scene.dots) == sorted(
        p.person_id for p in assessed)
    assert map_widget.scene.note_text() == (
        f"{unassessed} persons have no assessment yet and are not on the map.")
    assert map_widget.summary.text() == f"{len(assessed)} persons on the map"


def test_the_map_follows_the_filter(map_widget, qtbot):
    with qtbot.waitSignal(map_widget.loaded, timeout=WAIT_MS):
        map_widget.reload(PersonFilter(organisation_kinds=("media",)))
    kinds = {d.point.organisation_kind for d in map_widget.scene.dots}
    assert kinds == {OrganisationKind.MEDIA}
    assert set(map_widget.scene.legend_counts) == {OrganisationKind.MEDIA}


def _viewport_point(widget: StakeholderMapWidget, dot) -> QPointF:
    return widget.view.mapFromScene(dot.scenePos())


def test_hovering_a_dot_names_the_person_and_organisation(map_widget, qtbot):
    dot = next(d for d in map_widget.scene.dots if d.point.organisation)
    assert dot.toolTip().splitlines()[:2] == [dot.point.name, dot.point.organisation]
    qtbot.mouseMove(map_widget.view.viewport(), _viewport_point(map_widget, dot))
    qtbot.waitUntil(lambda: dot.hovered, timeout=5000)


def test_clicking_a_dot_opens_that_person(map_widget, qtbot, demo_database):
    target = person_id_named(demo_database, Known.participant)
    dot = map_widget.scene.dot_of(target)
    assert dot is not None, "the demo participant has an assessment"
    with qtbot.waitSignal(map_widget.person_activated) as activated:
        qtbot.mouseClick(map_widget.view.viewport(), Qt.MouseButton.LeftButton,
                         pos=_viewport_point(map_widget, dot))
    assert activated.args == [target]
    assert dot.isSelected()
    assert Known.participant in map_widget.selected.text()


def test_the_keyboard_moves_between_dots_and_enter_opens_one(map_widget, qtbot):
    view = map_widget.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Home)
    first = view.selected_dot()
    assert first is map_widget.scene.dots[0]
    qtbot.keyClick(view, Qt.Key.Key_Right)
    second = view.selected_dot()
    assert second.pos().x() > first.pos().x()
    assert abs(second.pos().y() - first.pos().y()) < 1
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.selected_dot().pos().y() > second.pos().y()
    with qtbot.waitSignal(map_widget.person_activated) as activated:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert activated.args == [view.selected_dot().person_id]


def _visible(widget: StakeholderMapWidget) -> QRectF:
    view = widget.view
    return view.mapToScene(view.viewport().rect()).boundingRect()


def test_zoom_to_fit_shows_the_whole_map_again(map_widget):
    scene_rect = map_widget.scene.sceneRect()
    assert _visible(map_widget).adjusted(-1, -1, 1, 1).contains(scene_rect)
    map_widget.view.zoom(4)
    assert not _visible(map_widget).contains(scene_rect)
    map_widget.view.zoom_to_fit()
    assert _visible(map_widget).adjusted(-1, -1, 1, 1).contains(scene_rect)


def test_the_map_exports_as_a_png_at_twice_its_size(map_widget, tmp_path):
    target = tmp_path / "map.png"
    size = map_widget.export_png(target)
    rect = map_widget.scene.sceneRect()
    expected = QSize(math.ceil(rect.width() * EXPORT_SCALE),
                     math.ceil(rect.height() * EXPORT_SCALE))
    image = QImage(str(target))
    assert target.is_file() and not image.isNull()
    assert image.size() == size == expected
    dot = map_widget.scene.dots[0]
    at = (dot.scenePos() - rect.topLeft()) * EXPORT_SCALE
    assert image.pixelColor(round(at.x()), round(at.y())) == dot.colour()


def test_open_stakeholder_map_shows_a_window_that_forwards_activation(qtbot, demo_database):
    dialog = open_stakeholder_map(None, demo_database, PersonFilter(quadrant="monitor"))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.map.worker.is_running(), timeout=WAIT_MS)
    assert dialog.isVisible() and dialog.map.scene.dots
    assert {d.point.quadrant for d in dialog.map.scene.dots} == {"monitor"}
    dot = dialog.map.scene.dots[0]
    dialog.map.view.select_dot(dot)
    with qtbot.waitSignal(dialog.person_activated) as activated:
        qtbot.keyClick(dialog.map.view, Qt.Key.Key_Enter)
    assert activated.args == [dot.person_id]


# --- contacts export ---------------------------------------------------------------------------

MINISTRIES = PersonFilter(organisation_kinds=("ministry",))


@pytest.fixture
def export_dialog(qtbot, demo_database):
    dialog = ContactsExportDialog(demo_database, MINISTRIES, ACTOR)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _export(dialog: ContactsExportDialog, qtbot, path: Path) -> None:
    dialog.target.set_path(path)
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS) as exported:
        dialog.export_button.click()
        assert dialog.job.bar.isVisible() and not dialog.export_button.isEnabled()
    assert exported.args == [str(path)]
    assert not dialog.job.bar.isVisible()


def _export_events(database: Database) -> list[AuditRow]:
    return [r for r in read(database, audit_trail, entity="person", actor=ACTOR)
            if r.action == "export"]


def test_the_dialog_says_how_many_persons_it_exports_and_proposes_a_name(export_dialog,
                                                                         demo_database):
    count = read(demo_database, count_persons, MINISTRIES)
    assert count > 1
    assert export_dialog.count_label.text() == (
        f"{count} persons match the current filter and will be exported.")
    assert export_dialog.target.path().name == f"contacts-{date.today().isoformat()}.xlsx"
    assert default_file_name(XLSX, date(2026, 11, 27)) == "contacts-2026-11-27.xlsx"
    assert export_dialog.export_button.isEnabled()


def test_the_delimiter_belongs_to_csv_and_the_file_name_follows_the_format(export_dialog):
    assert not export_dialog.delimiter_box.isEnabled()
    export_dialog.set_format(CSV)
    assert export_dialog.delimiter_box.isEnabled()
    assert export_dialog.target.path().suffix == ".csv"
    export_dialog.set_format(XLSX)
    assert not export_dialog.delimiter_box.isEnabled()
    assert export_dialog.target.path().suffix == ".xlsx"


def test_csv_export_with_semicolons_in_serbian_order_is_written_and_audited(
        export_dialog, qtbot, tmp_path, demo_database):
    before = len(_export_events(demo_database))
    export_dialog.set_format(CSV)
    export_dialog.set_delimiter(";")
    export_dialog.set_language("sr")
    target = tmp_path / "ministries.csv"
    _export(export_dialog, qtbot, target)
    text = target.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:2] == ["Given name", "Family name"]
    assert len(rows) - 1 == export_dialog.count
    events = _export_events(demo_database)
    assert len(events) == before + 1
    assert f"CSV: {export_dialog.count} persons" in events[0].summary
    assert "Saved to" in export_dialog.job.status.text()
    assert export_dialog.export_button.isEnabled()


def test_xlsx_export_holds_one_row_per_person(export_dialog, qtbot, tmp_path):
    target = tmp_path / "ministries.xlsx"
    _export(export_dialog, qtbot, target)
    sheet = load_workbook(target).active
    assert sheet.max_row - 1 == export_dialog.count


def test_a_filter_without_persons_exports_nothing(qtbot, demo_database):
    dialog = open_contacts_export(None, demo_database, PersonFilter(text="zzzz nobody"), ACTOR)
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    assert dialog.count == 0 and not dialog.export_button.isEnabled()
    assert "nothing to export" in dialog.count_label.text()


def test_a_file_that_cannot_be_written_is_an_error_and_no_export_is_recorded(
        export_dialog, qtbot, tmp_path, demo_database, errors_shown):
    before = len(_export_events(demo_database))
    target = tmp_path / "no such folder" / "contacts.xlsx"
    export_dialog.target.set_path(target)
    with qtbot.waitSignal(export_dialog.job.failed, timeout=WAIT_MS):
        export_dialog.export_button.click()
    assert errors_shown and "could not be saved" in errors_shown[0]
    assert not target.exists()
    assert len(_export_events(demo_database)) == before
    assert export_dialog.export_button.isEnabled()


# --- subject access and erasure --------------------------------------------------------------

@pytest.fixture
def participant_id(demo_database) -> int:
    return person_id_named(demo_database, Known.participant)


@pytest.mark.parametrize(("fmt", "suffix"), [(JSON, ".json"), (PDF, ".pdf")])
def test_subject_access_writes_the_file_and_is_audited(qtbot, demo_database, participant_id,
                                                        tmp_path, fmt, suffix):
    dialog = SubjectAccessDialog(demo_database, participant_id, ACTOR)
    qtbot.addWidget(dialog)
    dialog.set_format(fmt)
    assert dialog.target.path().name == (
        f"subject-access-{participant_id}-{date.today().isoformat()}{suffix}")
    target = tmp_path / f"subject{suffix}"
    dialog.target.set_path(target)
    with qtbot.waitSignal(dialog.exported, timeout=WAIT_MS):
        dialog.export_button.click()
    data = target.read_bytes()
    if fmt == JSON:
        assert Known.participant.split()[0] in json.dumps(json.loads(data), ensure_ascii=False)
    else:
        assert data.startswith(b"%PDF")
    (latest, *_rest) = read(demo_database, audit_trail, entity="person",
                            entity_id=participant_id)
    assert (latest.action, latest.actor) == ("export", ACTOR)
    assert latest.summary == f"subject access export ({fmt.upper()})"


@pytest.mark.parametrize(("typed", "expected"), [
    ("Đorđe Čolić", True), ("ђорђе чолић", True), ("  djordje   colic ", True),
    ("ERASE", True), ("erase", True), ("FSHIJ", True), ("Đorđe", False), ("", False),
    ("Colic Djordje", False)])
def test_the_confirmation_is_the_name_in_any_script_or_the_word(typed, expected):
    assert confirms(typed, "Ђорђе Чолић", "ERASE", "FSHIJ") is expected


@pytest.fixture
def erase_dialog(qtbot, demo_database, participant_id):
    dialog = open_erasure(None, demo_database, participant_id, ACTOR)
    qtbot.addWidget(dialog)
    return dialog


def test_erasure_explains_what_goes_and_what_stays(erase_dialog, participant_id):
    text = erase_dialog.explanation.text()
    assert Known.participant in text and f"#{participant_id}" in text
    for part in ("cannot be undone", "Removed:", "e-mail addresses", "Kept, without",
                 "check-ins", "Backups"):
        assert part in text


def test_erasure_needs_a_reason_and_the_name_or_erase(erase_dialog, qtbot):
    button = erase_dialog.erase_button
    assert not button.isEnabled()
    erase_dialog.confirmation.setText(Known.participant)
    assert not button.isEnabled()  # no reason yet
    qtbot.keyClicks(erase_dialog.reason, "Asked to be forgotten")
    assert button.isEnabled()
    erase_dialog.confirmation.setText("Someone Else")
    assert not button.isEnabled()
    erase_dialog.confirmation.setText("erase")
    assert button.isEnabled()


def test_erasure_erases_checkpoints_and_reports(erase_dialog, qtbot, demo_database,
                                                participant_id):
    erase_dialog.reason.setText("Asked to be forgotten")
    erase_dialog.confirmation.setText("ERASE")
    with qtbot.waitSignal(erase_dialog.erased, timeout=WAIT_MS) as erased:
        erase_dialog.erase_button.click()
    assert erased.args == [participant_id]
    erased_at, given_name = read(demo_database, lambda s: (
        s.get(Person, participant_id).erased_at, s.get(Person, participant_id).given_name))
    assert erased_at is not None
    assert given_name != Known.participant.split()[0]
    wal = Path(demo_database.engine.url.database + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    assert f"person #{participant_id} is erased" in erase_dialog.job.status.text()
    assert not erase_dialog.erase_button.isEnabled()
    cancel = erase_dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert cancel.text() == "Close"
    (latest, *_rest) = read(demo_database, audit_trail, entity="person",
                            entity_id=participant_id)
    assert latest.action == "erase" and "Asked to be forgotten" in latest.summary


def test_an_erased_person_cannot_be_opened_again(qtbot, demo_database, participant_id,
                                                 errors_shown):
    with unit_of_work(demo_database.sessions, ACTOR) as session:
        erase_person(session, participant_id, actor=ACTOR, reason="test")
    assert open_erasure(None, demo_database, participant_id, ACTOR) is None
    assert open_subject_access(None, demo_database, participant_id, ACTOR) is None
    assert errors_shown == [f"No person with id {participant_id}."] * 2
    with pytest.raises(NotFoundError):
        EraseDialog(demo_database, participant_id, ACTOR)


# --- audit: the model without a window ---------------------------------------------------------

def audit_row(event_id: int, at: datetime, *, actor: str = "arta", action: str = "update",
              entity: str = "person", entity_id: str | None = "12",
              summary: str | None = None, changes: dict | None = None) -> AuditRow:
    return AuditRow(event_id, at, actor, action, entity, entity_id, summary, changes)


@pytest.fixture
def belgrade_time(monkeypatch):
    """The computer's clock in Kosovo's time zone."""
    monkeypatch.setenv("TZ", "Europe/Belgrade")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_audit_rows_show_local_time_user_action_record_and_fields(qapp, belgrade_time):
    model = AuditTableModel()
    model._tester = QAbstractItemModelTester(
        model, QAbstractItemModelTester.FailureReportingMode.Warning)
    model.set_rows([
        audit_row(1, datetime(2027, 3, 16, 8, 14, tzinfo=UTC),
                  changes={"position": ["Adviser", "Director"], "notes": [None, "x"]}),
        audit_row(2, datetime(2027, 3, 16, 8, 20, tzinfo=UTC), action="export",
                  entity_id=None, summary="contact list exported as CSV: 3 persons")])
    cells = [[model.index(r, c).data() for c in range(model.columnCount())] for r in (0, 1)]
    assert cells[0][1:] == ["arta", "Changed", "person#12", "notes, position"]
    assert cells[0][0].endswith(" 09:14:00")  # UTC+1 in March
    assert cells[1][1:] == ["arta", "Exported", "person",
                            "contact list exported as CSV: 3 persons"]
    assert model.index(0, model.TIME).data(Qt.ItemDataRole.ToolTipRole) == (
        "2027-03-16 09:14:00+01:00")
    assert model.headerData(model.RECORD, Qt.Orientation.Horizontal) == "Record"


def test_audit_rows_sort_by_the_instant(qapp):
    model = AuditTableModel()
    early = datetime(2027, 3, 16, 8, 14, tzinfo=UTC)
    model.set_rows([audit_row(1, early), audit_row(3, datetime(2027, 3, 17, 7, 0, tzinfo=UTC)),
                    audit_row(2, datetime(2027, 3, 16, 23, 59, tzinfo=UTC))])
    model.sort(model.TIME, Qt.SortOrder.DescendingOrder)
    assert [r.id for r in model.rows()] == [3, 2, 1]
    assert model.index(2, model.TIME).data(SORT_ROLE) == QDateTime(
        early.date(), early.time().replace(tzinfo=None), QTimeZone.utc())
    model.sort(model.TIME, Qt.SortOrder.AscendingOrder)
    assert [r.id for r in model.rows()] == [1, 2, 3]


def test_change_details_are_json_one_field_a_line(qapp):
    changes = {"position": ["Adviser", "Director"], "given_name": [None, "Ђорђе"]}
    row = audit_row(1, datetime(2027, 3, 16, tzinfo=UTC), changes=changes)
    details = change_details(row)
    assert json.loads(details) == changes
    assert details.splitlines()[1] == '  "given_name": [null, "Ђорђе"],'
    empty = audit_row(2, datetime(2027, 3, 16, tzinfo=UTC), action="export",
                      summary="subject access export (PDF)")
    assert change_details(empty) == "No field changes were recorded for this event."
    assert changes_summary(empty) == "subject access export (PDF)"


# --- audit: the view over the demo data --------------------------------------------------------

@pytest.fixture
def edited(demo_database, participant_id) -> int:
    """The participant's position changed by "arta" after the demo was loaded."""
    with unit_of_work(demo_database.sessions, "arta") as session:
        data = person_input(get_person(session, participant_id))
        data.position = "Head of the Cyber Security Unit"
        update_person(session, participant_id, data, actor="arta")
    return participant_id


def test_audit_view_lists_the_newest_events_first(qtbot, demo_database, edited):
    view = AuditView(demo_database)
    qtbot.addWidget(view)
    rows = view.model.rows()
    assert len(rows) == 500 and "newest 500" in view.status.text()
    times = [r.occurred_at for r in rows]
    assert times == sorted(times, reverse=True)
    assert (rows[0].actor, rows[0].entity, rows[0].entity_id) == ("arta", "person",
                                                                   str(edited))


def test_audit_view_filters_by_record_and_user_and_shows_the_changes(qtbot, demo_database,
                                                                     edited):
    view = AuditView(demo_database)
    qtbot.addWidget(view)
    view.set_filter(entity="person", entity_id=edited)
    rows = view.model.rows()
    assert {(r.entity, r.entity_id) for r in rows} == {("person", str(edited))}
    assert [r.action for r in rows] == ["update", "create"]
    assert view.current_row() == rows[0]
    assert json.loads(view.details.toPlainText())["position"][1] == (
        "Head of the Cyber Security Unit")
    assert view.detail_title.text().startswith(f"Changed person#{edited} by arta")
    view.set_filter(user="arta")
    assert [(r.actor, r.entity_id) for r in view.model.rows()] == [("arta", str(edited))]
    assert view.status.text() == "1 event"


def test_audit_filters_typed_in_apply_after_a_pause(qtbot, demo_database, edited):
    view = AuditView(demo_database)
    qtbot.addWidget(view)
    view.show()
    qtbot.keyClicks(view.user_box.lineEdit(), "arta")
    qtbot.waitUntil(lambda: {r.actor for r in view.model.rows()} == {"arta"}, timeout=5000)


def test_audit_view_says_when_nothing_matches(qtbot, demo_database):
    dialog = open_audit_view(None, demo_database, entity="person", entity_id=999_999)
    qtbot.addWidget(dialog)
    audit = dialog.audit
    assert audit.model.rowCount() == 0 and audit.empty.is_empty()
    assert audit.empty.message.text() == "No events match these filters."
    assert audit.details.toPlainText() == ""
    audit.set_filter()
    assert not audit.empty.is_empty()


def test_an_empty_trail_says_nothing_was_recorded(qtbot, empty_database):
    view = AuditView(empty_database)
    qtbot.addWidget(view)
    assert view.empty.is_empty()
    assert view.empty.message.text() == "Nothing has been recorded yet."
