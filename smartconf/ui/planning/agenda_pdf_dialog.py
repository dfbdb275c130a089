"""Saving a conference's agenda as a PDF: the languages of its headings (Albanian, Serbian,
English, in that order), where to save it, and the rendering off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QFormLayout, QHBoxLayout, QVBoxLayout

from smartconf.core.enums import Language
from smartconf.services.planning import get_conference_by_id, render_agenda_pdf
from smartconf.ui.crm.context import CrmContext
from smartconf.ui.formatting import fill, ui_language
from smartconf.ui.labels import label
from smartconf.ui.stakeholder_tools.common import (
    LAST_FOLDER_KEY,
    JobDialog,
    SaveTarget,
    last_folder,
    write_file,
)

LANGUAGES_KEY = "planning/agenda_languages"
LANGUAGE_ORDER = (Language.ALBANIAN, Language.SERBIAN, Language.ENGLISH)


def render_agenda_file(context: CrmContext, conference_id: int, languages: tuple[str, ...],
                       path: Path) -> Path:
    """Render the agenda and write it to ``path`` (runs on a worker thread)."""
    pdf = context.read(lambda s: render_agenda_pdf(s, get_conference_by_id(s, conference_id),
                                                   languages=languages))
    write_file(path, pdf)
    return path


class AgendaPdfDialog(JobDialog):
    """Languages, file, Save; ``saved(path)`` once the file is written."""

    saved = Signal(object)

    def __init__(self, context: CrmContext, conference_id: int, code: str,
                 parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("agenda_pdf_dialog")
        self.setWindowTitle(fill(self.tr("Agenda PDF of %1"), code))
        self.context = context
        self.conference_id = conference_id
        self.languages = {language: QCheckBox(label(language)) for language in LANGUAGE_ORDER}
        chosen = QSettings().value(LANGUAGES_KEY) or ui_language()
        for language, box in self.languages.items():
            box.setChecked(language.value in str(chosen).split(","))
        self.target = SaveTarget(self.tr("Save the agenda"), self.tr("PDF files (*.pdf)"))
        self.target.set_path(last_folder() / f"{code}-agenda.pdf")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.job.succeeded.connect(self._on_saved)
        self.job.failed.connect(lambda _exc: self._set_busy(False))
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        form = QFormLayout()
        row = QHBoxLayout()
        for box in self.languages.values():
            row.addWidget(box)
        row.addStretch(1)
        form.addRow(self.tr("Headings in"), row)
        form.addRow(self.tr("Save to"), self.target)
        layout.addLayout(form)
        layout.addWidget(self.job)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

    def chosen_languages(self) -> tuple[str, ...]:
        return tuple(language.value for language, box in self.languages.items()
                     if box.isChecked())

    def save(self) -> None:
        """Render and write the PDF in the background."""
        if self.job.is_running():
            return
        languages = self.chosen_languages()
        path = self.target.path()
        problem = (self.tr("Choose at least one language for the headings.") if not languages
                   else self.tr("Choose where to save the agenda.") if path is None else "")
        if problem:
            self.job.set_status(problem)
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        settings = QSettings()
        settings.setValue(LANGUAGES_KEY, ",".join(languages))
        settings.setValue(LAST_FOLDER_KEY, str(path.parent))
        self._set_busy(True)
        self.job.start(lambda: render_agenda_file(self.context, self.conference_id, languages,
                                                  path),
                       fill(self.tr("Writing %1…"), path.name))

    def _set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)

    def _on_saved(self, path: Path) -> None:
        self._set_busy(False)
        self.job.set_status(fill(self.tr("Saved to %1"), path))
        self.saved.emit(path)

