"""Exports: attendee lists, the sign-in sheet, press and security pre-registration lists, the
outcome report and badges, each with its options; written off the GUI thread and audited.

Other features add their own exports with ``ExportsPage.add_export`` (the donor statistics).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.dto import ConferenceRow
from smartconf.core.enums import ADMISSIBLE, ParticipantStatus
from smartconf.exports.badges import LAYOUTS
from smartconf.services.attendee_export import (
    COLUMNS,
    DEFAULT_COLUMNS,
    DEFAULT_STATUSES,
    AttendeeExport,
    attendee_options,
    export_attendees,
)
from smartconf.services.badges import render_conference_badges
from smartconf.services.conferences import get_conference, list_conferences
from smartconf.store.database import Database
from smartconf.ui.formatting import fill
from smartconf.ui.models.base import ROW_ROLE
from smartconf.ui.models.info import ExportItem, ExportListModel
from smartconf.ui.pages.base import Page
from smartconf.ui.stakeholder_tools.common import (
    LAST_FOLDER_KEY,
    BusyJob,
    last_folder,
    save_audited,
)
from smartconf.ui.widgets.conference_picker import ConferencePicker
from smartconf.ui.widgets.heading import heading
from smartconf.ui.widgets.views import table_view

ATTENDEES = "attendee_list"
SIGNIN = "sign_in_sheet"
PRESS = "press_list"
SECURITY = "security_list"
OUTCOMES = "outcome_report"
DONOR = "donor_statistics"
BADGES = "badges"
ExportHandler = Callable[["ExportsPage", ConferenceRow], None]


@dataclass(frozen=True, slots=True)
class _Kind:
    """What an export asks for: its formats and which options apply."""

    formats: tuple[str, ...]
    purpose: bool = False
    statuses: bool = False
    columns: bool = False
    language: bool = False
    layout: bool = False


KINDS = {
    ATTENDEES: _Kind(("csv", "xlsx", "pdf"), purpose=True, statuses=True, columns=True,
                     language=True),
    SIGNIN: _Kind(("pdf",), language=True),
    PRESS: _Kind(("csv", "xlsx", "pdf"), language=True),
    SECURITY: _Kind(("csv", "xlsx", "pdf"), language=True),
    OUTCOMES: _Kind(("pdf", "docx")),
    BADGES: _Kind(("pdf",), layout=True),
}
PRESET_OF = {PRESS: "press", SECURITY: "security"}


# --- jobs (worker thread; each opens its own session through save_audited) ------------------


def run_export(database: Database, actor: str, path: Path, code: str,
               render: Callable) -> tuple[Path, AttendeeExport | None]:
    """Render one export of conference ``code`` and save it to ``path`` (audited); an
    attendee export also returns its counts for the result line."""
    counts: list[AttendeeExport] = []

    def produce(session) -> bytes:
        result = render(session, get_conference(session, code))
        if isinstance(result, AttendeeExport):
            counts.append(result)
            return result.data
        return result

    save_audited(database, actor, path, produce)
    return path, counts[0] if counts else None


# --- the page --------------------------------------------------------------------------------


class ExportsPage(Page):
    export_finished = Signal(str)  # the file written
    export_failed = Signal(object)  # the exception

    def __init__(self, database: Database, actor: str, parent=None) -> None:
        super().__init__(database, parent)
        self.actor = actor
        self._handlers: dict[str, ExportHandler] = {}
        self.job = BusyJob()
        self.job.succeeded.connect(self._on_saved)
        self.job.failed.connect(self._on_failed)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Exports")))
        layout.addLayout(self._picker_row())
        self.exports = ExportListModel(self)
        self.exports.set_rows(self._export_items())
        self.exports_view = table_view(self.exports, sort_column=None,
                                       widths={ExportListModel.NAME: 190,
                                               ExportListModel.DESCRIPTION: 560})
        self.exports_view.setSortingEnabled(False)
        self.exports_view.selectionModel().currentRowChanged.connect(self._on_kind_changed)
        self.exports_view.doubleClicked.connect(self._export_selected)
        layout.addWidget(self.exports_view, 3)
        layout.addWidget(self._options(), 2)
        layout.addLayout(self._action_row())
        self.exports_view.selectRow(self.exports.row_of_key(ATTENDEES))

    def title(self) -> str:
        return self.tr("Exports")

    # --- building ------------------------------------------------------------------------

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

    def _options(self) -> QWidget:
        box = QWidget()
        columns = QHBoxLayout(box)
        columns.setContentsMargins(0, 0, 0, 0)
        self.form = QFormLayout()
        self.format = QComboBox()
        self.format.currentIndexChanged.connect(self._update_actions)
        self.purpose = QComboBox()
        for key, text in self._purpose_names().items():
            self.purpose.addItem(text, key)
        self.purpose.currentIndexChanged.connect(self._show_purpose_note)
        self.purpose_note = QLabel()
        self.purpose_note.setWordWrap(True)
        self.language = QComboBox()
        for key, text in (("sq", self.tr("Albanian")), ("sr", self.tr("Serbian")),
                          ("en", self.tr("English"))):
            self.language.addItem(text, key)
        self.badge_layout = QComboBox()
        names = self._layout_names()
        for key, sheet in LAYOUTS.items():
            self.badge_layout.addItem(names.get(key, sheet.description), key)
        for combo in (self.format, self.purpose, self.language, self.badge_layout):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)  # the page fits narrow windows
        self.form.addRow(self.tr("&Format:"), self.format)
        self.form.addRow(self.tr("&Purpose:"), self.purpose)
        self.form.addRow("", self.purpose_note)
        self.form.addRow(self.tr("Sort &order:"), self.language)
        self.form.addRow(self.tr("Badge &layout:"), self.badge_layout)
        columns.addLayout(self.form, 2)
        self.statuses = self._checklist(
            [(s.value, self._status_names()[s]) for s in ParticipantStatus],
            {s.value for s in DEFAULT_STATUSES})
        self.columns = self._checklist(
            [(key, self._column_names()[key]) for key in COLUMNS], set(DEFAULT_COLUMNS))
        self.statuses_box = self._titled(self.tr("Statuses"), self.statuses)
        self.columns_box = self._titled(self.tr("Columns"), self.columns)
        columns.addWidget(self.statuses_box, 1)
        columns.addWidget(self.columns_box, 1)
        self._show_purpose_note()
        return box

    def _checklist(self, entries: list[tuple[str, str]], checked: set[str]) -> QListWidget:
        widget = QListWidget()
        for key, text in entries:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in checked
                               else Qt.CheckState.Unchecked)
            widget.addItem(item)
        widget.itemChanged.connect(self._update_actions)
        return widget

    @staticmethod
    def _titled(title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(title))
        layout.addWidget(widget, 1)
        return box

    def _action_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.job, 1)
        self.status = self.job.status  # the result line
        self.export_button = QPushButton(self.tr("&Export…"))
        self.export_button.clicked.connect(self._export_selected)
        row.addWidget(self.export_button)
        return row

    # --- words ---------------------------------------------------------------------------

    def _layout_names(self) -> dict[str, str]:
        return {"a6-4up": self.tr("A6, four on an A4 sheet"),
                "a6-single": self.tr("A6, one per page"),
                "badge-54x90": self.tr("54 × 90 mm inserts, nine on an A4 sheet"),
                "id1": self.tr("ID-1 cards, for a card printer")}

    def _purpose_names(self) -> dict[str, str]:
        return {"participant_list": self.tr("Participant list (listing consent)"),
                "donor": self.tr("For the donor (donor-sharing consent)"),
                "internal": self.tr("Internal, staff use (everyone)")}

    def _purpose_notes(self) -> dict[str, str]:
        return {"participant_list": self.tr("Only persons who consented to being listed on "
                                            "participant lists."),
                "donor": self.tr("Only persons who consented to their data being shared "
                                 "with the donor."),
                "internal": self.tr("Everyone selected, for staff at the venue; recorded in "
                                    "the audit trail as internal use.")}

    def _status_names(self) -> dict[ParticipantStatus, str]:
        s = ParticipantStatus
        return {s.SHORTLISTED: self.tr("Shortlisted"), s.INVITED: self.tr("Invited"),
                s.ACCEPTED: self.tr("Accepted"), s.TENTATIVE: self.tr("Tentative"),
                s.DECLINED: self.tr("Declined"), s.WAITLISTED: self.tr("Waitlisted"),
                s.CANCELLED: self.tr("Cancelled"), s.ATTENDED: self.tr("Attended"),
                s.NO_SHOW: self.tr("No-show")}

    def _column_names(self) -> dict[str, str]:
        return {"name": self.tr("Name as written"), "latin_name": self.tr("Name in Latin"),
                "organisation": self.tr("Organisation"), "position": self.tr("Position"),
                "role": self.tr("Role"), "status": self.tr("Status"),
                "country": self.tr("Country"), "email": self.tr("E-mail"),
                "phone": self.tr("Phone"), "checked_in": self.tr("Checked-in time")}

    def _format_names(self) -> dict[str, str]:
        return {"csv": self.tr("CSV (UTF-8)"), "xlsx": self.tr("Excel workbook (XLSX)"),
                "pdf": self.tr("PDF"), "docx": self.tr("Word document (DOCX)")}

    def _export_items(self) -> list[ExportItem]:
        later = self.tr("Comes with a later version of smartconf.")
        return [
            ExportItem(ATTENDEES, self.tr("Attendee list"),
                       self.tr("Participants with the columns and statuses you choose, for "
                               "a purpose that decides whose consent it needs (CSV, XLSX, "
                               "PDF)"), True),
            ExportItem(SIGNIN, self.tr("Sign-in sheet"),
                       self.tr("A printable list to sign at the door, with row codes for "
                               "entering it afterwards (PDF)"), True),
            ExportItem(PRESS, self.tr("Press pre-registration"),
                       self.tr("Accredited press with outlet and contacts, for the press "
                               "officer (internal)"), True),
            ExportItem(SECURITY, self.tr("Security pre-registration"),
                       self.tr("Everyone admitted, with the names and details venue "
                               "security checks IDs against; no contacts (internal)"), True),
            ExportItem(OUTCOMES, self.tr("Outcome report"),
                       self.tr("Sessions, findings presented, outcomes by finding and the "
                               "commitments with owners and due dates (PDF, DOCX)"), True),
            ExportItem(DONOR, self.tr("Donor statistics"),
                       self.tr("Participants by gender, organisation kind and country"),
                       False, later),
            ExportItem(BADGES, self.tr("Badges"),
                       self.tr("Badge PDF with a QR code for everyone invited, accepted, "
                               "tentative or attended"), True,
                       self.tr("Badges carry no personal data in the QR code.")),
        ]

    # --- hooks -----------------------------------------------------------------------------

    def add_export(self, key: str, name: str, description: str,
                   handler: ExportHandler) -> None:
        """Offer another export: ``handler(page, conference)`` runs on Export… (it may use
        ``page.run_job``). An existing item with ``key`` (a placeholder) is replaced."""
        self._handlers[key] = handler
        item = ExportItem(key, name, description, True)
        rows = [r for r in self.exports.rows()]
        index = self.exports.row_of_key(key)
        if index >= 0:
            rows[index] = item
        else:
            rows.insert(len(rows) - 1, item)  # badges stay last
        self.exports.set_rows(rows)
        self._update_actions()

    def run_job(self, path: Path, render: Callable, message: str) -> None:
        """Run ``render(session, conference)`` (bytes or an AttendeeExport) for the chosen
        conference in the background and save the result to ``path``."""
        conference = self.picker.current_row()
        if conference is None or self.job.is_running():
            return
        self.job.start(partial(run_export, self.database, self.actor, Path(path),
                               conference.code, render), message)
        self._update_actions()

    # --- state ---------------------------------------------------------------------------

    def reload(self) -> None:
        self.picker.set_conferences(self.read(list_conferences))
        self._update_actions()

    def selected_export(self) -> ExportItem | None:
        index = self.exports_view.currentIndex()
        return index.data(ROW_ROLE) if index.isValid() else None

    def _kind(self) -> _Kind | None:
        item = self.selected_export()
        return KINDS.get(item.key) if item is not None else None

    def _on_kind_changed(self, *_args) -> None:
        kind = self._kind()
        keep = self.format.currentData()
        self.format.blockSignals(True)
        self.format.clear()
        names = self._format_names()
        for fmt in kind.formats if kind else ():
            self.format.addItem(names[fmt], fmt)
        self.format.setCurrentIndex(max(0, self.format.findData(keep)))
        self.format.blockSignals(False)
        shown = kind or _Kind(())
        self.form.setRowVisible(self.format, bool(shown.formats))
        self.form.setRowVisible(self.purpose, shown.purpose)
        self.form.setRowVisible(self.purpose_note, shown.purpose)
        self.form.setRowVisible(self.language, shown.language)
        self.form.setRowVisible(self.badge_layout, shown.layout)
        self.statuses_box.setVisible(shown.statuses)
        self.columns_box.setVisible(shown.columns)
        self._update_actions()

    def _show_purpose_note(self, *_args) -> None:
        self.purpose_note.setText(self._purpose_notes()[self.purpose.currentData()])

    @staticmethod
    def checked(widget: QListWidget) -> list[str]:
        """The keys of the checked entries of a checklist."""
        return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked]

    def _missing_choice(self) -> str:
        kind = self._kind()
        if kind is None:
            return ""
        if kind.columns and not self.checked(self.columns):
            return self.tr("Choose at least one column.")
        if kind.statuses and not self.checked(self.statuses):
            return self.tr("Choose at least one status.")
        return ""

    def _update_actions(self, *_args) -> None:
        item = self.selected_export()
        has_conference = self.picker.current_id() >= 0
        missing = self._missing_choice()
        ready = (item is not None and item.available and has_conference and not missing
                 and not self.job.is_running())
        self.export_button.setEnabled(ready)
        if item is not None and not item.available:
            self.export_button.setToolTip(item.note)
        elif not has_conference:
            self.export_button.setToolTip(self.tr("Choose a conference first."))
        else:
            self.export_button.setToolTip(missing)

    # --- exporting -----------------------------------------------------------------------

    def _export_selected(self, _index: QModelIndex | None = None) -> None:
        item = self.selected_export()
        conference = self.picker.current_row()
        if item is None or not item.available or conference is None or \
                not self.export_button.isEnabled():
            return
        if item.key in self._handlers:
            self._handlers[item.key](self, conference)
            return
        path = self._ask_target(item, conference)
        if path is not None:
            self.export_to(path)

    def _ask_target(self, item: ExportItem, conference: ConferenceRow) -> Path | None:
        fmt = self.format.currentData() or "pdf"
        name = f"{item.key.replace('_', '-')}-{conference.code}.{fmt}"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, fill(self.tr("Save %1"), item.name), str(last_folder() / name),
            fill(self.tr("%1 files (*.%2)"), fmt.upper(), fmt))
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(f"{path.name}.{fmt}")
        QSettings().setValue(LAST_FOLDER_KEY, str(path.parent))
        return path

    def export_to(self, path: Path) -> None:
        """Write the selected export, with the options shown, to ``path`` in the background."""
        item = self.selected_export()
        if item is None or item.key not in KINDS:
            return
        render = self._renderer(item.key)
        self.run_job(path, render, fill(self.tr("Preparing %1…"), item.name))

    def _renderer(self, key: str) -> Callable:
        fmt = self.format.currentData()
        language = self.language.currentData()
        actor = self.actor
        if key in (ATTENDEES, PRESS, SECURITY):
            if key == ATTENDEES:
                options = attendee_options(columns=self.checked(self.columns),
                                           statuses=self.checked(self.statuses),
                                           purpose=self.purpose.currentData(),
                                           language=language)
            else:
                options = attendee_options(preset=PRESET_OF[key], language=language)
            return partial(_attendees, options=options, fmt=fmt, actor=actor)
        if key == SIGNIN:
            return partial(_signin, language=language, actor=actor)
        if key == OUTCOMES:
            return partial(_outcome_report, fmt=fmt, actor=actor)
        return partial(_badges, layout=self.badge_layout.currentData(), actor=actor)

    def export_badges(self, path: Path, layout: str | None = None) -> None:
        """Render the chosen conference's badges in the background and save them to ``path``."""
        self.run_job(path, partial(_badges, layout=layout or self.badge_layout.currentData(),
                                   actor=self.actor), self.tr("Preparing badges…"))

    def _on_saved(self, result: object) -> None:
        path, counts = result
        if isinstance(counts, AttendeeExport):
            text = (fill(self.tr("Written 1 row to %1"), path.name) if counts.rows == 1 else
                    fill(self.tr("Written %1 rows to %2"), counts.rows, path.name))
            if counts.left_out:
                text += fill(self.tr("; %1 left out for lack of consent"), counts.left_out)
        else:
            text = fill(self.tr("Saved %1"), path.name)
        self.job.set_status(text)
        self._update_actions()
        self.export_finished.emit(str(path))

    def _on_failed(self, exc: object) -> None:
        self._update_actions()
        self.export_failed.emit(exc)


# --- renderers (worker thread, inside the job's unit of work) --------------------------------


def _attendees(session, conference, *, options, fmt: str, actor: str) -> AttendeeExport:
    return export_attendees(session, conference, options, fmt=fmt, actor=actor)


def _signin(session, conference, *, language: str, actor: str) -> bytes:
    from smartconf.services.paper import signin_sheet_pdf

    return signin_sheet_pdf(session, conference, language=language, statuses=ADMISSIBLE,
                            actor=actor)


def _outcome_report(session, conference, *, fmt: str, actor: str) -> bytes:
    from smartconf.services.outcome_report import export_outcome_report

    return export_outcome_report(session, conference, fmt=fmt, actor=actor)


def _badges(session, conference, *, layout: str, actor: str) -> bytes:
    return render_conference_badges(session, conference, actor=actor, layout=layout)
