"""Exports: what can be exported (more comes in later versions) and the badge PDF."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSettings, QStandardPaths, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
)

from smartconf.core.errors import SmartconfError
from smartconf.exports.badges import LAYOUTS
from smartconf.services.badges import render_conference_badges
from smartconf.services.conferences import get_conference, list_conferences
from smartconf.store.database import Database, translate_errors
from smartconf.store.session import unit_of_work
from smartconf.ui.errors import show_error
from smartconf.ui.formatting import fill
from smartconf.ui.models.base import ROW_ROLE
from smartconf.ui.models.info import ExportItem, ExportListModel
from smartconf.ui.pages.base import Page
from smartconf.ui.widgets.conference_picker import ConferencePicker
from smartconf.ui.widgets.heading import heading
from smartconf.ui.widgets.views import table_view
from smartconf.ui.workers import Worker

BADGES = "badges"
LAST_FOLDER_KEY = "exports/last_folder"


def render_badges_job(database: Database, conference_code: str, layout: str,
                      actor: str) -> bytes:
    """The badge PDF of a conference; runs on a worker thread with its own session."""
    with translate_errors(database.engine), unit_of_work(database.sessions, actor) as session:
        conference = get_conference(session, conference_code)
        return render_conference_badges(session, conference, actor=actor, layout=layout)


class ExportsPage(Page):
    export_finished = Signal(str)  # the file written
    export_failed = Signal(object)  # the exception

    def __init__(self, database: Database, actor: str, parent=None) -> None:
        super().__init__(database, parent)
        self.actor = actor
        self._target: Path | None = None
        self.worker = Worker(self)
        self.worker.finished.connect(self._on_rendered)
        self.worker.failed.connect(self._on_failed)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Exports")))
        layout.addLayout(self._picker_row())
        self.exports = ExportListModel(self)
        self.exports.set_rows(self._export_items())
        self.exports_view = table_view(self.exports, sort_column=None,
                                       widths={ExportListModel.NAME: 170,
                                               ExportListModel.DESCRIPTION: 520})
        self.exports_view.setSortingEnabled(False)
        self.exports_view.selectionModel().currentRowChanged.connect(self._update_actions)
        self.exports_view.doubleClicked.connect(self._export_selected)
        layout.addWidget(self.exports_view, 1)
        layout.addLayout(self._action_row())
        self.exports_view.selectRow(self.exports.row_of_key(BADGES))

    def title(self) -> str:
        return self.tr("Exports")

    def _picker_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        caption = QLabel(self.tr("&Conference:"))
        self.picker = ConferencePicker()
        caption.setBuddy(self.picker)
        row.addWidget(caption)
        row.addWidget(self.picker)
        row.addStretch(1)
        self.picker.conference_changed.connect(self._update_actions)
        return row

    def _action_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        caption = QLabel(self.tr("Badge &layout:"))
        self.badge_layout = QComboBox()
        names = self._layout_names()
        for key, sheet in LAYOUTS.items():
            self.badge_layout.addItem(names.get(key, sheet.description), key)
        caption.setBuddy(self.badge_layout)
        row.addWidget(caption)
        row.addWidget(self.badge_layout)
        row.addStretch(1)
        self.status = QLabel()
        row.addWidget(self.status)
        self.export_button = QPushButton(self.tr("&Export…"))
        self.export_button.clicked.connect(self._export_selected)
        row.addWidget(self.export_button)
        return row

    def _layout_names(self) -> dict[str, str]:
        return {"a6-4up": self.tr("A6, four on an A4 sheet"),
                "a6-single": self.tr("A6, one per page"),
                "badge-54x90": self.tr("54 × 90 mm inserts, nine on an A4 sheet"),
                "id1": self.tr("ID-1 cards, for a card printer")}

    def _export_items(self) -> list[ExportItem]:
        later = self.tr("Comes with a later version of smartconf.")
        return [
            ExportItem("attendee_list", self.tr("Attendee list"),
                       self.tr("Participants with organisation, role and status (CSV, XLSX)"),
                       False, later),
            ExportItem("sign_in_sheet", self.tr("Sign-in sheet"),
                       self.tr("A printable list to sign at the door (PDF)"), False, later),
            ExportItem("donor_statistics", self.tr("Donor statistics"),
                       self.tr("Participants by gender, organisation kind and country"),
                       False, later),
            ExportItem("outcome_report", self.tr("Outcome report"),
                       self.tr("Recommendations and commitments of each session, with the "
                               "findings they answer"), False, later),
            ExportItem(BADGES, self.tr("Badges"),
                       self.tr("Badge PDF with a QR code for everyone invited, accepted, "
                               "tentative or attended"), True,
                       self.tr("Badges carry no personal data in the QR code.")),
        ]

    def reload(self) -> None:
        self.picker.set_conferences(self.read(list_conferences))
        self._update_actions()

    # --- actions -------------------------------------------------------------------------

    def selected_export(self) -> ExportItem | None:
        index = self.exports_view.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _update_actions(self, *_args) -> None:
        item = self.selected_export()
        has_conference = self.picker.current_id() >= 0
        ready = (item is not None and item.available and has_conference
                 and not self.worker.is_running())
        self.export_button.setEnabled(ready)
        self.badge_layout.setEnabled(item is not None and item.key == BADGES)
        if item is not None and not item.available:
            self.export_button.setToolTip(item.note)
        elif not has_conference:
            self.export_button.setToolTip(self.tr("Choose a conference first."))
        else:
            self.export_button.setToolTip("")

    def _export_selected(self, _index: QModelIndex | None = None) -> None:
        item = self.selected_export()
        if item is None or not item.available or item.key != BADGES:
            return
        path = self._ask_target()
        if path is not None:
            self.export_badges(path)

    def _ask_target(self) -> Path | None:
        conference = self.picker.current_row()
        if conference is None:
            return None
        settings = QSettings()
        folder = settings.value(LAST_FOLDER_KEY) or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save badges"), str(Path(folder) / f"badges-{conference.code}.pdf"),
            self.tr("PDF files (*.pdf)"))
        if not chosen:
            return None
        settings.setValue(LAST_FOLDER_KEY, str(Path(chosen).parent))
        return Path(chosen)

    def export_badges(self, path: Path, layout: str | None = None) -> None:
        """Render the chosen conference's badges in the background and save them to ``path``."""
        conference = self.picker.current_row()
        if conference is None or self.worker.is_running():
            return
        self._target = Path(path)
        self.status.setText(self.tr("Preparing badges…"))
        self.worker.start(partial(render_badges_job, self.database, conference.code,
                                  layout or self.badge_layout.currentData(), self.actor))
        self._update_actions()

    def _on_rendered(self, pdf: bytes) -> None:
        target, self._target = self._target, None
        try:
            target.write_bytes(pdf)
        except OSError as exc:
            self._on_failed(SmartconfError(
                fill(self.tr("The badges could not be saved to %1 (%2)."), target,
                     exc.strerror or exc),
                hint=self.tr("Choose another folder or file name.")))
            return
        self.status.setText(fill(self.tr("Saved %1"), target.name))
        self._update_actions()
        self.export_finished.emit(str(target))

    def _on_failed(self, exc: object) -> None:
        self._target = None
        self.status.setText(self.tr("Export failed."))
        self._update_actions()
        self.export_failed.emit(exc)
        show_error(exc, self)
