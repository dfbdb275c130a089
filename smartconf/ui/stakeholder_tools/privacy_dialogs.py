"""Data protection for one person: export everything held on them (JSON or PDF), and erase
them for good after a confirmation that says what is kept and what goes.

Entry points for the Stakeholders page: ``open_subject_access`` and ``open_erasure``.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from smartconf.core.errors import SmartconfError
from smartconf.core.text import fold
from smartconf.services.persons import get_person
from smartconf.services.privacy import (
    checkpoint_after_erasure,
    erase_person,
    subject_access_export,
    subject_access_pdf,
)
from smartconf.store.database import Database, translate_errors
from smartconf.store.session import read_session, unit_of_work
from smartconf.ui.errors import show_error
from smartconf.ui.formatting import fill
from smartconf.ui.stakeholder_tools.common import (
    LAST_FOLDER_KEY,
    JobDialog,
    SaveTarget,
    last_folder,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

D = TypeVar("D", bound=JobDialog)
PDF, JSON = "pdf", "json"
ERASE_WORD = "ERASE"  # always accepted, besides its translation and the person's name


@dataclass(frozen=True, slots=True)
class PersonHeading:
    """Who a data-protection dialog is about."""

    id: int
    name: str


def person_heading(database: Database, person_id: int) -> PersonHeading:
    """The person's name as written (NotFoundError if there is no such person, or no
    longer: erased persons are not found)."""
    with translate_errors(database.engine), read_session(database.sessions) as session:
        person = get_person(session, person_id)
        return PersonHeading(person.id, person.full_name)


def subject_access_json(session: Session, person_id: int, *, actor: str) -> bytes:
    """The subject access export as indented UTF-8 JSON (audited by the service)."""
    report = subject_access_export(session, person_id, actor=actor)
    return json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")


def subject_access_file_name(person_id: int, fmt: str, today: date | None = None) -> str:
    """"subject-access-12-2026-11-27.pdf": no name in the file name, only the id."""
    return f"subject-access-{person_id}-{(today or date.today()).isoformat()}.{fmt}"


def erase_job(database: Database, person_id: int, actor: str, reason: str) -> int:
    """Erase the person, commit, then empty SQLite's write-ahead log of the old pages
    (``privacy.checkpoint_after_erasure``). Runs on a worker thread."""
    with translate_errors(database.engine):
        with unit_of_work(database.sessions, actor) as session:
            erase_person(session, person_id, actor=actor, reason=reason)
        checkpoint_after_erasure(database.engine)
    return person_id


def confirms(typed: str, name: str, *words: str) -> bool:
    """Whether ``typed`` is the person's name (any case, script or diacritics) or one of
    ``words``."""
    folded = fold(typed)
    return bool(folded) and folded in {fold(name), *(fold(w) for w in words)}


# --- subject access --------------------------------------------------------------------------

class SubjectAccessDialog(JobDialog):
    """Export everything held on one person, as a readable PDF or as JSON."""

    exported = Signal(str)

    def __init__(self, database: Database, person_id: int, actor: str, parent=None) -> None:
        super().__init__(parent)
        self.database = database
        self.actor = actor
        self.person = person_heading(database, person_id)
        self.setWindowTitle(self.tr("Export everything held on this person"))
        layout = QVBoxLayout(self)
        intro = QLabel(fill(self.tr(
            "<p><b>%1</b> (#%2)</p><p>The file lists every record smartconf holds on this "
            "person: names, contact details, affiliations, assessments, consents, "
            "interactions, participations, check-ins, messages sent to them and the audit "
            "trail of their records. Badge codes are withheld: they admit to the venue.</p>"
            "<p>The export is recorded in the audit trail.</p>"),
            html.escape(self.person.name), self.person.id))
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(intro)
        layout.addLayout(self._form())
        self.job.succeeded.connect(self._on_saved)
        self.job.failed.connect(self._update_buttons)
        layout.addWidget(self.job)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.export_button = buttons.addButton(self.tr("&Export"),
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.target.set_path(last_folder() / subject_access_file_name(self.person.id, PDF))
        self._on_format()

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        self.pdf_button = QRadioButton(self.tr("&PDF, to read or hand to the person"))
        self.json_button = QRadioButton(self.tr("&JSON, complete and machine-readable"))
        self.pdf_button.setChecked(True)
        self.formats = QButtonGroup(self)
        for button in (self.pdf_button, self.json_button):
            self.formats.addButton(button)
        self.formats.buttonToggled.connect(self._on_format)
        box = QVBoxLayout()
        box.addWidget(self.pdf_button)
        box.addWidget(self.json_button)
        form.addRow(self.tr("Format:"), box)
        self.target = SaveTarget(self.tr("Save the subject access export"), "")
        self.target.changed.connect(self._update_buttons)
        form.addRow(self.tr("Save &to:"), self.target)
        return form

    def fmt(self) -> str:
        return PDF if self.pdf_button.isChecked() else JSON

    def set_format(self, fmt: str) -> None:
        (self.pdf_button if fmt == PDF else self.json_button).setChecked(True)

    def _on_format(self, *_args) -> None:
        self.target.set_file_filter(self.tr("PDF files (*.pdf)") if self.fmt() == PDF
                                    else self.tr("JSON files (*.json)"))
        self.target.set_suffix(f".{self.fmt()}")
        self._update_buttons()

    def _update_buttons(self, *_args) -> None:
        running = self.job.is_running()
        self.export_button.setEnabled(self.target.path() is not None and not running)
        for widget in (self.pdf_button, self.json_button, self.target):
            widget.setEnabled(not running)

    def start_export(self) -> None:
        """Write the export to the chosen file in the background."""
        path = self.target.path()
        if path is None or self.job.is_running():
            return
        service = subject_access_pdf if self.fmt() == PDF else subject_access_json
        produce = partial(service, person_id=self.person.id, actor=self.actor)
        self.job.start_saving(self.database, self.actor, path, produce,
                              self.tr("Collecting everything held on this person…"))
        self._update_buttons()

    def _on_saved(self, path: Path) -> None:
        QSettings().setValue(LAST_FOLDER_KEY, str(path.parent))
        self.job.set_status(fill(self.tr("Saved to %1."), path))
        self._update_buttons()
        self.exported.emit(str(path))


# --- erasure ---------------------------------------------------------------------------------

class EraseDialog(JobDialog):
    """Erase one person for good: says what is removed and what is kept, asks for a reason
    and for the person's name (or the word ERASE) before the button can be pressed."""

    erased = Signal(int)

    def __init__(self, database: Database, person_id: int, actor: str, parent=None) -> None:
        super().__init__(parent)
        self.database = database
        self.actor = actor
        self.person = person_heading(database, person_id)
        self.completed = False
        self.setWindowTitle(self.tr("Erase this person"))
        layout = QVBoxLayout(self)
        self.explanation = QLabel(self.explanation_html())
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.explanation)
        layout.addLayout(self._form())
        self.job.succeeded.connect(self._on_erased)
        self.job.failed.connect(self._update_buttons)
        layout.addWidget(self.job)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase_button = self.buttons.addButton(self.tr("&Erase for good"),
                                                   QDialogButtonBox.ButtonRole.DestructiveRole)
        self.erase_button.setAutoDefault(False)
        self.erase_button.clicked.connect(self.start_erasure)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self._update_buttons()

    def explanation_html(self) -> str:
        return fill(self.tr(
            "<p><b>Erase %1 (#%2) for good? This cannot be undone.</b></p>"
            "<p><b>Removed:</b> the names, e-mail addresses, phone numbers, notes, position "
            "and tags; the free texts on the person's own records (roles, assessment notes, "
            "consent sources, desk notes); the messages sent to them; and every mention of "
            "their name, e-mail address or phone number elsewhere, which becomes "
            "“[erased]”. The audit trail keeps who did what and when, without the "
            "personal values.</p>"
            "<p><b>Kept, without the person's identity:</b> the record itself as "
            "“Erased person #%2”, with gender and language for statistics; affiliations to "
            "organisations, participations, check-ins, agenda roles, assessment scores, "
            "consent purposes and dates, interactions and outcomes.</p>"
            "<p>Backups taken before the erasure still hold the data until they are rotated "
            "out.</p>"), html.escape(self.person.name), self.person.id)

    def _form(self) -> QFormLayout:
        form = QFormLayout()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("e.g. request by e-mail of 27 November"))
        self.reason.textChanged.connect(self._update_buttons)
        form.addRow(self.tr("&Reason (kept in the audit trail):"), self.reason)
        self.confirmation = QLineEdit()
        self.confirmation.setPlaceholderText(fill(self.tr("%1 or %2"), self.person.name,
                                                  self.erase_word()))
        self.confirmation.textChanged.connect(self._update_buttons)
        prompt = QLabel(fill(self.tr("To confirm, type the person's name or the word %1:"),
                             self.erase_word()))
        prompt.setWordWrap(True)
        prompt.setBuddy(self.confirmation)
        form.addRow(prompt)
        form.addRow(self.confirmation)
        return form

    def erase_word(self) -> str:
        """The word that confirms, in the user's language ("ERASE" works in every one)."""
        return self.tr("ERASE")

    def confirmed(self) -> bool:
        return confirms(self.confirmation.text(), self.person.name, ERASE_WORD,
                        self.erase_word())

    def _update_buttons(self, *_args) -> None:
        running = self.job.is_running()
        ready = (self.confirmed() and bool(self.reason.text().strip()) and not running
                 and not self.completed)
        self.erase_button.setEnabled(ready)
        self.reason.setEnabled(not running and not self.completed)
        self.confirmation.setEnabled(not running and not self.completed)

    def start_erasure(self) -> None:
        """Erase in the background (the button is enabled only once confirmed)."""
        if not self.erase_button.isEnabled():
            return
        self.job.start(partial(erase_job, self.database, self.person.id, self.actor,
                               self.reason.text()), self.tr("Erasing…"))
        self._update_buttons()

    def _on_erased(self, person_id: int) -> None:
        self.completed = True
        self.job.set_status(fill(self.tr(
            "Done: person #%1 is erased. Backups taken before now still hold the data until "
            "they are rotated out."), person_id))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Close"))
        self._update_buttons()
        self.erased.emit(person_id)


def _open(dialog_type: type[D], parent: QWidget | None, database: Database, person_id: int,
          actor: str) -> D | None:
    try:
        dialog = dialog_type(database, person_id, actor, parent)
    except SmartconfError as exc:  # no such person (any more)
        show_error(exc, parent)
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def open_subject_access(parent: QWidget | None, database: Database, person_id: int,
                        actor: str) -> SubjectAccessDialog | None:
    """Show the subject access export of one person (window-modal); None, after saying
    why, when the person cannot be read."""
    return _open(SubjectAccessDialog, parent, database, person_id, actor)


def open_erasure(parent: QWidget | None, database: Database, person_id: int,
                 actor: str) -> EraseDialog | None:
    """Show the erasure of one person (window-modal); connect ``erased(int)`` to refresh.
    None, after saying why, when the person cannot be read (e.g. already erased)."""
    return _open(EraseDialog, parent, database, person_id, actor)
