"""What the stakeholder tools share: choosing where to save, saving what a service produced
(audited) off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from smartconf.core.errors import SmartconfError
from smartconf.store.database import Database, translate_errors
from smartconf.store.session import unit_of_work
from smartconf.ui.errors import show_error
from smartconf.ui.formatting import fill
from smartconf.ui.workers import Worker

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

_CONTEXT = "stakeholder_tools"
LAST_FOLDER_KEY = "exports/last_folder"  # shared with the Exports page


def last_folder() -> Path:
    """Where the previous export went, else the user's documents folder."""
    folder = QSettings().value(LAST_FOLDER_KEY) or QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder)


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``; a failure becomes an error the user can act on."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise SmartconfError(
            fill(QCoreApplication.translate(_CONTEXT, "The file could not be saved to %1 (%2)."),
                 path, exc.strerror or exc),
            hint=QCoreApplication.translate(_CONTEXT, "Choose another folder or file name.")
        ) from exc


def save_audited(database: Database, actor: str, path: Path,
                 produce: Callable[[Session], bytes]) -> Path:
    """Run ``produce`` (a service that audits what it hands out) in a unit of work and save
    its bytes to ``path``. The audit event is committed only if the file was written, and a
    file is not left behind when the commit fails. Runs on a worker thread."""
    written = False
    try:
        with translate_errors(database.engine), unit_of_work(database.sessions, actor) as s:
            write_file(path, produce(s))
            written = True
    except BaseException:
        if written:
            path.unlink(missing_ok=True)
        raise
    return path


class SaveTarget(QWidget):
    """A file name to save to, and a "Choose…" button that asks for another one."""

    changed = Signal()

    def __init__(self, caption: str, file_filter: str, parent=None) -> None:
        super().__init__(parent)
        self._caption = caption
        self._filter = file_filter
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setMinimumWidth(320)
        self.edit.textChanged.connect(self.changed)
        self.choose = QPushButton(self.tr("C&hoose…"))
        self.choose.clicked.connect(self.ask)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.choose)

    def path(self) -> Path | None:
        text = self.edit.text().strip()
        return Path(text).expanduser() if text else None

    def set_path(self, path: Path) -> None:
        self.edit.setText(str(path))

    def set_file_filter(self, file_filter: str) -> None:
        self._filter = file_filter

    def set_suffix(self, suffix: str) -> None:
        """Give the file name the extension ``suffix`` (".csv")."""
        path = self.path()
        if path is not None and path.suffix.lower() != suffix:
            self.set_path(path.with_suffix(suffix))

    def ask(self) -> None:
        current = self.path() or last_folder()
        chosen, _filter = QFileDialog.getSaveFileName(self, self._caption, str(current),
                                                      self._filter)
        if chosen:
            self.set_path(Path(chosen))


class BusyJob(QWidget):
    """Runs one job off the GUI thread, with a busy bar and a status line meanwhile.

    ``succeeded(result)`` follows a job that returned; an error is shown in a dialog, then
    ``failed(exception)`` is emitted.
    """

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.worker = Worker(self)
        self.worker.finished.connect(self._on_done)
        self.worker.failed.connect(self._on_failed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)  # busy: no known end
        self.bar.setTextVisible(False)
        self.bar.setMaximumWidth(140)
        self.bar.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.bar)
        layout.addWidget(self.status, 1)

    def is_running(self) -> bool:
        return self.worker.is_running()

    def start(self, job: Callable[[], object], message: str) -> None:
        """Run ``job`` and say ``message`` until it ends."""
        self.status.setText(message)
        self.bar.show()
        self.worker.start(job)

    def start_saving(self, database: Database, actor: str, path: Path,
                     produce: Callable[[Session], bytes], message: str) -> None:
        """``save_audited`` in the background."""
        self.start(partial(save_audited, database, actor, path, produce), message)

    def set_status(self, text: str) -> None:
        self.status.setText(text)

    def _on_done(self, result: object) -> None:
        self.bar.hide()
        self.succeeded.emit(result)

    def _on_failed(self, exc: object) -> None:
        self.bar.hide()
        self.status.setText(self.tr("Nothing was saved."))
        show_error(exc, self.window())
        self.failed.emit(exc)


class JobDialog(QDialog):
    """A dialog with a ``BusyJob``: it cannot be closed while its job runs."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.job = BusyJob()

    def reject(self) -> None:
        if not self.job.is_running():
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.job.is_running():
            event.ignore()
            return
        super().closeEvent(event)
